"""LLM calls, tokens and planner fallbacks (through the real `openai` client against the local
OpenAI-compatible server), and nudge deliveries by status with their JSON lines."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from prometheus_client import REGISTRY
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture
from support.fakes.openai_api import Error, FakeOpenAIServer, Reply, ToolCall
from support.fakes.slack_api import FakeSlackServer
from support.nudge_helpers import NY, local, sender_for, tick

from bot.agent.llm import build_llm
from bot.agent.runner import AgentRunner
from bot.metrics.events import EVENT_LOGGER
from bot.settings import Settings
from tools.principal import get_principal_by_email


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def total(name: str) -> float:
    """Every sample of a counter, whatever its labels."""
    return sum(s.value for m in REGISTRY.collect() for s in m.samples if s.name == name)


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def ask(sessions: sessionmaker[Session], server: FakeOpenAIServer, question: str) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=server.url + "/v1",
        LLM_MAX_RETRIES=0,
    )
    with sessions.begin() as session:
        build_fixture(session)
    with sessions() as session:
        principal = get_principal_by_email(session, "rob@x.test")
    runner = AgentRunner(sessions, llm=build_llm(settings), clock=lambda: NOW)
    try:
        runner.ask(principal, question)
    finally:
        runner.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_llm_calls_and_tokens_are_counted(
    sessions: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    calls, prompt = (
        value("salesbot_llm_calls_total", outcome="ok"),
        value("salesbot_llm_tokens_total", kind="prompt"),
    )
    completion = value("salesbot_llm_tokens_total", kind="completion")
    server.script += [
        Reply(tool_calls=(ToolCall("pipeline_summary", {"scope": "me"}),)),
        Reply("Healthy."),
    ]
    ask(sessions, server, "How is my pipeline?")
    assert value("salesbot_llm_calls_total", outcome="ok") == calls + 2
    assert value("salesbot_llm_tokens_total", kind="prompt") == prompt + 20
    assert value("salesbot_llm_tokens_total", kind="completion") == completion + 10


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failing_llm_counts_a_fallback_to_the_planner(
    sessions: sessionmaker[Session], server: FakeOpenAIServer
) -> None:
    fallbacks = total("salesbot_planner_fallbacks_total")
    errors = value("salesbot_llm_calls_total", outcome="error")
    server.script += [Error(500)]
    ask(sessions, server, "what should I do today?")
    assert total("salesbot_planner_fallbacks_total") == fallbacks + 1
    assert value("salesbot_llm_calls_total", outcome="error") == errors + 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_nudge_deliveries_are_counted_and_logged_by_status(
    nudge_crm: sessionmaker[Session],
    nudge_slack: FakeSlackServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent = value("salesbot_nudge_deliveries_total", kind="daily_nudge", status="sent")
    with caplog.at_level(logging.INFO, logger=EVENT_LOGGER):
        report = tick(local(NY, "2026-11-26", "08:30"), nudge_crm, sender_for(nudge_slack))
    assert report.sent
    after = value("salesbot_nudge_deliveries_total", kind="daily_nudge", status="sent")
    assert after == sent + len(report.sent)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == EVENT_LOGGER]
    deliveries = [line for line in lines if line["event"] == "delivery"]
    assert len(deliveries) == len(report.sent)
    assert {d["status"] for d in deliveries} == {"sent"} and all(d["ref"] for d in deliveries)
    assert "Acme" not in caplog.text  # no CRM data in the lines
