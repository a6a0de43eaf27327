"""Signatures, repeated deliveries, audiences, the assistant container and acks under load."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.fakes.openai_api import Delay, FakeOpenAIServer, Reply
from support.fakes.signing import command_body, event_body, post, signed_headers
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import SECRET, SlackHarness, blocks_json, make_harness

from bot.agent.llm import build_llm
from bot.agent.runner import AgentRunner
from bot.settings import Settings


def _dm(text: str = "what should I do today?") -> dict:
    return {
        "type": "message",
        "channel": "DROB",
        "channel_type": "im",
        "user": "UROB",
        "text": text,
        "ts": "20.0",
    }


# Slack allows five minutes; the margins keep a loaded machine from crossing the line mid-test.
@pytest.mark.parametrize(("age", "status"), [(0, 200), (280, 200), (320, 401), (-320, 401)])
def test_request_timestamp_window(harness: SlackHarness, age: int, status: int) -> None:
    body = event_body(_dm(), f"EvAge{age}")
    headers = signed_headers(SECRET, body, timestamp=int(time.time()) - age)
    assert harness.send(body, headers=headers)[0] == status


def test_bad_or_missing_signature_is_refused(harness: SlackHarness) -> None:
    body = event_body(_dm(), "EvSig")
    assert harness.send(body, headers=signed_headers("wrong-secret", body))[0] == 401
    headers = signed_headers(SECRET, body)
    del headers["X-Slack-Signature"]
    assert harness.send(body, headers=headers)[0] == 401
    assert post(harness.url, body, {})[0] == 401
    harness.deps.work.join()
    assert harness.posted() == []


def test_repeated_delivery_answers_once(harness: SlackHarness) -> None:
    for retry in (None, 1, 2, 3):
        assert harness.event(_dm(), event_id="EvSame", retry_num=retry)[0] == 200
    assert len(harness.posted()) == 1


def test_repeated_delivery_is_remembered_across_restarts(
    crm: sessionmaker[Session], slack: FakeSlackServer
) -> None:
    for _ in range(2):  # two app instances on one database, as after a restart
        runner = AgentRunner(crm, clock=lambda: NOW)
        for harness in make_harness(crm, slack, runner):
            harness.event(_dm(), event_id="EvRestart", retry_num=1)
    assert len([c for c in slack.calls("chat.postMessage")]) == 1


def test_channel_answer_goes_public_when_everyone_may_see(harness: SlackHarness) -> None:
    harness.mention("UROB", "CTEAM", "pipeline this quarter")  # Mia manages Rob
    assert len(harness.posted()) == 1 and harness.posted("chat.postEphemeral") == []


def test_channel_answer_goes_private_when_a_member_may_not_see(harness: SlackHarness) -> None:
    harness.mention("UROB", "CMIXED", "pipeline this quarter")  # Otto is on another team
    assert harness.posted() == []
    [private] = harness.posted("chat.postEphemeral")
    assert private["user"] == "UROB"
    assert "only to you" in blocks_json(private) and "$165,000.50" in blocks_json(private)


def test_manager_answer_is_private_in_front_of_a_rep(harness: SlackHarness) -> None:
    # The other direction: Mia's team figures include Rita's deals, which Rob may not see.
    harness.slack.members["CTEAM"] = ["UROB", "UMIA", "UBOT"]
    harness.mention("UMIA", "CTEAM", "pipeline for my team this quarter")
    assert harness.posted() == []
    [private] = harness.posted("chat.postEphemeral")
    assert private["user"] == "UMIA" and "$225,000.50" in blocks_json(private)


def test_answer_without_data_may_be_public_anywhere(harness: SlackHarness) -> None:
    harness.mention("UROB", "CMIXED", "hello there")
    [reply] = harness.posted()
    assert "pipeline" in reply["text"].lower()  # the planner's help, which shows no data


def test_assistant_thread_prompts_status_and_title(harness: SlackHarness) -> None:
    started = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "UMIA",
            "channel_id": "DMIA",
            "thread_ts": "30.0",
            "context": {},
        },
    }
    harness.event(started)
    [prompts] = harness.posted("assistant.threads.setSuggestedPrompts")
    assert "Team pipeline" in json.dumps(prompts)
    harness.event(
        {
            "type": "message",
            "channel": "DMIA",
            "channel_type": "im",
            "user": "UMIA",
            "text": "pipeline for my team this quarter",
            "ts": "31.0",
            "thread_ts": "30.0",
        }
    )
    statuses = [c["status"] for c in harness.posted("assistant.threads.setStatus")]
    assert statuses[0].startswith("is ") and statuses[-1] == ""
    assert harness.posted("assistant.threads.setTitle")
    answers = [p for p in harness.posted() if p.get("thread_ts") == "30.0"]
    assert any("$225,000.50" in blocks_json(a) for a in answers)


@pytest.fixture
def stalled_llm() -> Iterator[FakeOpenAIServer]:
    # Every LLM call hangs far longer than the test; stop() releases them at the end.
    with FakeOpenAIServer([Delay(60, Reply("late"))] * 8) as server:
        yield server


def test_acks_are_not_delayed_by_busy_agents(
    crm: sessionmaker[Session], slack: FakeSlackServer, stalled_llm: FakeOpenAIServer
) -> None:
    settings = Settings(
        OPENAI_API_KEY="k",
        OPENAI_BASE_URL=stalled_llm.url + "/v1",
        LLM_TIMEOUT_SECONDS=120,
        LLM_MAX_RETRIES=0,
        OPENAI_MODEL="m",
        _env_file=None,
    )
    runner = AgentRunner(
        crm, llm=build_llm(settings), clock=lambda: NOW, timeout_seconds=120, workers=5
    )
    for harness in make_harness(crm, slack, runner, process_before_response=False):
        try:
            _check_acks_while_busy(harness, slack, stalled_llm)
        finally:
            stalled_llm.stop()  # release the stuck runs so the app can shut down


def _check_acks_while_busy(
    harness: SlackHarness, slack: FakeSlackServer, stalled_llm: FakeOpenAIServer
) -> None:
    for i in range(5):  # five agent runs, all stuck on the model
        harness.send(event_body(_dm(f"question {i}"), f"EvBusy{i}"))
    deadline = time.monotonic() + 10
    while len(stalled_llm.requests) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(stalled_llm.requests) == 5
    status, body = harness.send(
        command_body(
            text="pipeline", user_id="UROB", channel_id="CTEAM", response_url=slack.response_url
        )
    )
    # Acknowledged while the five runs are still stuck: none of them has answered yet.
    assert (status, slack.calls("chat.postMessage")) == (200, [])
    assert "Looking that up" in body
    status, _ = harness.send(event_body(_dm("one more"), "EvBusyLast"))
    assert (status, slack.calls("chat.postMessage")) == (200, [])
    assert len(stalled_llm.requests) == 5


def test_listener_error_is_reported_with_a_reference(harness: SlackHarness) -> None:
    # A malformed payload makes the listener itself fail before any agent work starts.
    harness.event(
        {
            "type": "app_mention",
            "user": "UROB",
            "channel": "CTEAM",
            "ts": "40.0",
            "text": {"not": "a string"},
        }
    )
    [private] = harness.posted("chat.postEphemeral")
    assert private["user"] == "UROB" and "ref " in private["text"]
    assert harness.posted() == []


def test_agent_error_is_reported_with_a_reference(harness: SlackHarness) -> None:
    harness.deps.runner.sessions = None  # type: ignore[assignment]  # the CRM becomes unusable
    harness.mention("UROB", "CTEAM", "what should I do today?")
    [private] = harness.posted("chat.postEphemeral")
    assert "ref " in private["text"] and private["user"] == "UROB"
