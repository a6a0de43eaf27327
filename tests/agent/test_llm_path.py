"""The LLM path end to end: real ChatOpenAI and openai client against a local fake server."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture
from support.fakes.openai_api import Delay, Error, FakeOpenAIServer, Reply, ToolCall

from bot.agent.answer import Answer
from bot.agent.llm import build_llm
from bot.agent.runner import FALLBACK_NOTICE, AgentRunner
from bot.agent.tool_offer import compact_schema
from bot.settings import Settings
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.principal import get_principal_by_email

IDENTITY_PARAMS = {"user", "email", "principal", "as_user", "owner_id", "user_id", "user_email"}
ROB_FIGURES = {
    "open_amount": "165000.50",
    "weighted_amount": "104887.77",  # worked out by hand in tests/tools/test_tool_figures.py
    "won_amount": "80000.00",
    "attainment_pct": "40.0",
}


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def ask(
    crm: sessionmaker[Session],
    server: FakeOpenAIServer,
    question: str,
    *,
    email: str = "rob@x.test",
    timeout: float = 5.0,
    retries: int = 0,
) -> Answer:
    # No .env file and an explicit model: a developer's settings must not change the client.
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=server.url + "/v1",
        LLM_TIMEOUT_SECONDS=timeout,
        LLM_MAX_RETRIES=retries,
    )
    with crm() as session:
        principal = get_principal_by_email(session, email)
    runner = AgentRunner(crm, llm=build_llm(settings), clock=lambda: NOW)
    try:
        return runner.ask(principal, question)
    finally:
        runner.close()


def tool_messages(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in request["messages"] if m["role"] == "tool"]


def test_tool_call_round_trip_answers_with_the_llm_and_exact_figures(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script += [
        Reply(
            tool_calls=(ToolCall("pipeline_summary", {"scope": "me", "period": "this quarter"}),)
        ),
        Reply("Your pipeline is healthy."),
    ]

    answer = ask(crm, server, "How is my pipeline this quarter?")

    assert (answer.engine, answer.text, answer.notice) == ("llm", "Your pipeline is healthy.", None)
    assert [a["type"] for a in answer.artifacts] == ["pipeline"]
    assert {k: answer.artifacts[0][k] for k in ROB_FIGURES} == ROB_FIGURES
    assert len(server.requests) == 2
    [result] = tool_messages(server.requests[1])
    assert {k: json.loads(result["content"])[k] for k in ROB_FIGURES} == ROB_FIGURES
    first = server.requests[0]
    assert first["messages"][0]["role"] == "system"
    assert "Rob Rep" in first["messages"][0]["content"]
    # A pipeline question is sent the pipeline tool alone, compact: no `anyOf [T, null]`.
    assert [t["function"]["name"] for t in first["tools"]] == ["pipeline_summary"]
    assert "anyOf" not in json.dumps(first["tools"])


def test_the_tools_sent_follow_the_role_and_the_question(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script += [Reply("Rep figures."), Reply("Team figures."), Reply("Logged.")]

    ask(crm, server, "who on my team is behind on quota?", email="rob@x.test")
    ask(crm, server, "who on my team is behind on quota?", email="mia@x.test")
    ask(crm, server, "log a call with Acme: they liked the demo")

    sent = [{t["function"]["name"] for t in r["tools"]} for r in server.requests]
    assert "rep_kpis" not in sent[0] and "rep_kpis" in sent[1]  # a rep has no team to rank
    assert "log_interaction" in sent[2] and "forecast" not in sent[2]
    prompts = [r["messages"][0]["content"] for r in server.requests]
    assert "confirm" not in prompts[0] and "confirm" in prompts[2]  # write rules only for writes


def test_no_tool_lets_the_model_choose_who_is_asking(crm: sessionmaker[Session]) -> None:
    with crm() as session:
        principal = get_principal_by_email(session, "mia@x.test")
    tools = make_tools(ToolContext(principal, crm, None, lambda: NOW))
    assert len(tools) == 20  # 14 CRM and analytics tools, 6 billing tools
    for tool in tools:
        params = set(compact_schema(tool)["function"]["parameters"].get("properties", {}))
        assert not params & IDENTITY_PARAMS, f"{tool.name} lets the model choose who is asking"


def test_model_cannot_reach_another_reps_deal(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script += [
        Reply(tool_calls=(ToolCall("get_deal", {"deal": "Initech"}),)),
        Reply("I could not find that deal."),
    ]

    answer = ask(crm, server, "Show me the Initech deal")

    [result] = tool_messages(server.requests[1])
    assert json.loads(result["content"])["type"] == "not_found"
    sent = json.dumps(server.requests[1], ensure_ascii=False)
    assert "Initech – Data Migration" not in sent
    assert "99000" not in sent
    assert [a["type"] for a in answer.artifacts] == ["not_found"]


def assert_offline_answer_to_what_to_do(answer: Answer) -> None:
    assert answer.engine == "offline"
    assert answer.notice == FALLBACK_NOTICE
    assert "Send revised quote to Acme" in answer.text


def test_server_error_on_every_retry_falls_back_to_the_planner(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script += [Error(500), Error(500), Error(500)]

    answer = ask(crm, server, "what should I do today?", retries=2)

    assert len(server.requests) == 3  # the first try and both retries all failed
    assert_offline_answer_to_what_to_do(answer)


def test_timeout_falls_back_to_the_planner(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    # The server would answer after a minute; the answer must not wait for it (the bound is far
    # above any scheduling delay and far below the delay; the server wakes on shutdown).
    server.script.append(Delay(60.0, then=Reply("too late")))

    started = time.monotonic()
    answer = ask(crm, server, "what should I do today?", timeout=0.5)

    assert time.monotonic() - started < 30.0
    assert_offline_answer_to_what_to_do(answer)


def test_rate_limit_falls_back_to_the_planner(
    crm: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    server.script.append(Error(429, "Rate limit reached"))

    answer = ask(crm, server, "what should I do today?")

    assert len(server.requests) == 1
    assert_offline_answer_to_what_to_do(answer)
