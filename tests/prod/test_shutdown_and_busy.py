"""Stopping and overload: SIGTERM finishes answers in flight; a full queue says "busy"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.fakes.openai_api import Delay, FakeOpenAIServer, Reply
from support.fakes.signing import event_body, post, signed_headers
from support.fakes.slack_api import FakeSlackServer
from support.serve_process import Served, eventually, replies, serve_env
from support.slack_harness import SECRET, mention_event

from bot.agent.runner import AgentRunner
from bot.settings import Settings
from bot.slack.app import build_app, build_client, build_deps
from bot.slack.deps import SlackDeps
from bot.slack.server import make_http_server
from bot.slack.work import BUSY_TEXT

SLOW_ANSWER = "Your first job today is the revised quote for Acme."


def test_sigterm_lets_the_answer_in_flight_finish(
    sqlite_crm_url: str, slack: FakeSlackServer, workdir: Path, tmp_path: Path
) -> None:
    with FakeOpenAIServer([Delay(3.0, then=Reply(SLOW_ANSWER))]) as llm:
        env = serve_env(sqlite_crm_url, tmp_path / "chroma", slack)
        env |= {
            "SLACK_SIGNING_SECRET": SECRET,
            "OPENAI_API_KEY": "test",
            "OPENAI_BASE_URL": f"{llm.url}/v1",
            "LLM_MAX_RETRIES": "0",
        }
        with Served(env, workdir) as served:
            url = f"{served.wait_listening()}/slack/events"
            event = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
            body = event_body(event, "EvSigterm1")
            assert post(url, body, signed_headers(SECRET, body))[0] == 200
            # The model is thinking (the fake holds its reply): the answer is in flight.
            assert eventually(lambda: bool(llm.requests)), served.text
            assert served.terminate() == 0
    [reply] = replies(slack, event)
    assert SLOW_ANSWER in str(reply)
    assert "salesbot stopped." in served.text
    assert "Traceback" not in served.text


@pytest.mark.parametrize("grace", ["30", "0"])
def test_sigterm_while_the_embedding_model_is_first_exported_exits_cleanly(
    grace: str, sqlite_crm_url: str, slack: FakeSlackServer, workdir: Path, tmp_path: Path
) -> None:
    """The first start exports and loads the model in a background thread; stopping then used
    to abort the process ("terminate called without an active exception", exit -6)."""
    env = serve_env(sqlite_crm_url, tmp_path / "chroma", slack)
    env |= {"SLACK_SIGNING_SECRET": SECRET, "SHUTDOWN_GRACE_SECONDS": grace}
    with Served(env, workdir) as served:
        served.wait_listening()
        # The export takes about 2 s (a child process); serving starts within milliseconds of it.
        assert not list(workdir.glob("data/models/*.onnx")), "the export finished already"
        assert served.terminate(timeout=90) == 0, served.text
    assert "salesbot stopped." in served.text
    assert "terminate called" not in served.text
    assert "Traceback" not in served.text


@pytest.fixture
def busy_app(crm: sessionmaker[Session], slack: FakeSlackServer) -> Iterator[tuple[SlackDeps, str]]:
    """The production app with one worker and room for one job, served over HTTP."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.url,
        SLACK_WORKERS=1,
        SLACK_QUEUE_LIMIT=1,
    )
    client = build_client(settings)
    deps = build_deps(settings, AgentRunner(crm, clock=lambda: NOW), client)
    app = build_app(settings, deps, client, process_before_response=True)
    server = make_http_server(app, crm, "127.0.0.1", 0, signing_secret=SECRET)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield deps, f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()
        deps.work.shutdown()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_full_queue_tells_the_asker_to_try_again(
    busy_app: tuple[SlackDeps, str], slack: FakeSlackServer
) -> None:
    deps, url = busy_app
    gate = threading.Event()
    deps.work.submit(lambda: gate.wait(30))  # a long answer holds the only place
    event = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
    body = event_body(event, "EvBusy1")
    assert post(url, body, signed_headers(SECRET, body))[0] == 200
    # The ack comes first; the event is claimed, then turned away, on a claim thread.
    assert eventually(lambda: bool(replies(slack, event)))
    [busy] = replies(slack, event)
    assert busy["user"] == "UROB" and busy["text"] == BUSY_TEXT
    gate.set()
    assert deps.work.join()
    later = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
    body = event_body(later, "EvBusy2")
    assert post(url, body, signed_headers(SECRET, body))[0] == 200
    assert deps.work.join()
    [answer] = replies(slack, later)
    assert answer["text"] != BUSY_TEXT
