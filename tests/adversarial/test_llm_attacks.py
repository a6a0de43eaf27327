"""A hijacked model: the real OpenAI client against a local server replaying malicious tool calls.

Whatever the "model" asks for (another rep, everyone, user ids, made-up or write tools, absurd or
malformed arguments, a queue of changes), the tool results it is sent and the answer the user gets
hold nothing out of scope, no traceback, nothing is written, and at most one change is proposed.
A reply whose arguments are no JSON object is dropped: the offline planner answers instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from support.adversarial.cases import Case, by_surface
from support.adversarial.checks import assert_safe
from support.adversarial.oracle import crm_fingerprint
from support.adversarial.world import World
from support.crm_fixture import NOW
from support.fakes.openai_api import FakeOpenAIServer, Reply

from bot.agent.guard import ONE_CHANGE
from bot.agent.llm import build_llm
from bot.agent.runner import FALLBACK_NOTICE, AgentRunner
from bot.settings import Settings
from tools.models import PendingWrite
from tools.principal import get_principal_by_email

FINAL = "Here is everything you asked for."


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def llm_runner(world: World, server: FakeOpenAIServer) -> AgentRunner:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=server.url + "/v1",
        LLM_TIMEOUT_SECONDS=10,
        LLM_MAX_RETRIES=0,
    )
    return AgentRunner(
        world.sessions, index=world.index, llm=build_llm(settings), clock=lambda: NOW
    )


def tool_results(requests: list[dict[str, Any]]) -> list[str]:
    """Every tool result the model was sent: what a hijacked model could repeat."""
    return [m["content"] for r in requests for m in r["messages"] if m["role"] == "tool"]


@pytest.mark.parametrize("case", by_surface("llm"), ids=lambda c: c.id)
def test_hijacked_model_gets_nothing_out_of_scope(
    world: World, server: FakeOpenAIServer, case: Case
) -> None:
    server.requests.clear()
    server.script[:] = [*(Reply(tool_calls=turn) for turn in case.calls), Reply(FINAL)]
    with world.sessions() as session:
        principal = get_principal_by_email(session, case.asker)
    before, proposals = crm_fingerprint(world.sessions), pending(world)
    runner = llm_runner(world, server)
    try:
        answer = runner.ask(principal, case.message)
    finally:
        runner.close()

    if case.extra.get("engine") == "offline":
        assert (answer.engine, answer.notice) == ("offline", FALLBACK_NOTICE), answer.text
        assert len(server.requests) == 1 and server.script == [Reply(FINAL)]
        sent: list[str] = []
    else:
        assert (answer.engine, answer.text) == ("llm", FINAL), answer.text
        assert server.script == []  # every scripted call was made
        sent = tool_results(server.requests[-1:])  # the last request carries every result
        assert len(sent) == sum(len(turn) for turn in case.calls)
    assert not any("Traceback" in s or "Error invoking" in s for s in sent)
    assert pending(world) - proposals == case.extra.get("proposals", pending(world) - proposals)
    if case.extra.get("proposals"):
        assert answer.notice == ONE_CHANGE
        assert sum(ONE_CHANGE in s for s in sent) == len(sent) - case.extra["proposals"]
    assert_safe(case, before, crm_fingerprint(world.sessions), answer.to_dict(), sent)


def pending(world: World) -> int:
    """Proposals waiting for confirmation: a hijacked model may add at most one per question."""
    with world.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(PendingWrite)) or 0)
