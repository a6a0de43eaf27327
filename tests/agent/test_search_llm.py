"""With an LLM, search hands the model its matches and the prompt to summarise them citing each
one it uses (prompts/search_summary.md); through the real client and the local fake server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.fakes.openai_api import FakeOpenAIServer, Reply, ToolCall

from bot.agent.llm import build_llm
from bot.agent.runner import AgentRunner
from bot.settings import Settings
from prompts import load_prompt
from tools.principal import get_principal_by_email


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def test_the_model_sees_only_the_matches_and_how_to_cite_them(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script += [
        Reply(
            tool_calls=(ToolCall("search_interactions", {"query": "pricing", "account": "Acme"}),)
        ),
        Reply(
            "1 email mentions pricing: the CFO says the per-seat price is 20% above budget [#1]."
        ),
    ]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=server.url + "/v1",
    )
    with crm() as session:
        principal = get_principal_by_email(session, "rob@x.test")
    runner = AgentRunner(crm, llm=build_llm(settings), clock=lambda: NOW)
    try:
        answer = runner.ask(principal, "What did Acme say about pricing?")
    finally:
        runner.close()

    assert answer.engine == "llm" and "[#1]" in answer.text
    [tool] = [m for m in server.requests[1]["messages"] if m["role"] == "tool"]
    seen = json.loads(tool["content"])
    # Only the pricing e-mail: the Acme discovery call is not padding for the model to use.
    assert [h["activity_id"] for h in seen["hits"]] == [1]
    assert seen["summary"] == (
        '1 email mentions pricing: Acme Corp on 20 Nov 2026 said "Their CFO says the per-seat '
        'price is 20% above budget".'
    )
    assert seen["how_to_answer"] == load_prompt("search_summary")
    assert "[#123]" in seen["how_to_answer"]
