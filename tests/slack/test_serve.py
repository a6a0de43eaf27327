"""`salesbot serve` as users run it: a separate process, configured only by its environment."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.crm_fixture import crm_file
from support.fakes.signing import event_body, post, signed_headers
from support.fakes.slack_api import FakeSlackServer
from support.fakes.socket_mode import FakeSocketModeServer
from support.serve_process import (
    SERVE,
    STARTUP_SECONDS,
    Served,
    eventually,
    get_json,
    replies,
    serve_env,
)
from support.slack_harness import SECRET, mention_event


@pytest.fixture
def crm_url(tmp_path: Path) -> str:
    """A SQLite file holding the fixture CRM, as `salesbot db upgrade` and an import leave it."""
    url = crm_file(tmp_path / "crm.db")
    return url


@pytest.fixture
def env(tmp_path: Path, crm_url: str, slack: FakeSlackServer) -> dict[str, str]:
    env = serve_env(crm_url, tmp_path / "chroma", slack)
    env["SCHEDULER_ENABLED"] = "false"  # nudges are tested elsewhere; here only answers post
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "cwd"  # no .env here, so only `env` configures the process
    path.mkdir()
    return path


def test_http_mode_answers_a_signed_mention_and_stops_on_ctrl_c(
    env: dict[str, str], workdir: Path, slack: FakeSlackServer
) -> None:
    env["SLACK_SIGNING_SECRET"] = SECRET
    with Served(env, workdir) as served:
        port = served.wait_for_line(r"http://127\.0\.0\.1:(\d+)/slack/events").group(1)
        base = f"http://127.0.0.1:{port}"
        assert get_json(f"{base}/healthz") == (200, {"ok": True, "database": "up"})
        event = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
        body = event_body(event, "EvServeHttp1")
        assert post(f"{base}/slack/events", body, signed_headers(SECRET, body))[0] == 200
        assert eventually(lambda: bool(replies(slack, event))), served.output
        [reply] = replies(slack, event)
        assert reply["channel"] == "CTEAM"
        assert served.interrupt() == 0
    assert "Traceback" not in "".join(served.output)


def test_without_a_bot_token_serve_exits_with_one_line(env: dict[str, str], workdir: Path) -> None:
    del env["SLACK_BOT_TOKEN"]
    done = subprocess.run(SERVE, env=env, cwd=workdir, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: SLACK_BOT_TOKEN is not set. See README, 'Connect a real Slack workspace'."
    ]


@pytest.fixture
def sockets(slack: FakeSlackServer) -> Iterator[FakeSocketModeServer]:
    with FakeSocketModeServer() as server:
        slack.socket_mode = server
        yield server


def test_socket_mode_connects_and_answers_a_pushed_mention(
    env: dict[str, str], workdir: Path, slack: FakeSlackServer, sockets: FakeSocketModeServer
) -> None:
    env["SLACK_APP_TOKEN"] = "xapp-test"  # and no signing secret: Socket Mode needs none
    with Served(env, workdir) as served:
        served.wait_for_line(r"running in Socket Mode")
        assert sockets.wait_for_connections(1, timeout=STARTUP_SECONDS), served.output
        event = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
        envelope_id = sockets.push_event(json.loads(event_body(event, "EvServeSocket1")))
        assert sockets.wait_for_ack(envelope_id) == {"envelope_id": envelope_id}
        assert eventually(lambda: bool(replies(slack, event))), served.output
        [reply] = replies(slack, event)
        assert reply["channel"] == "CTEAM"
        assert served.interrupt() == 0  # the connection is closed and pending answers finish
    assert "Traceback" not in "".join(served.output)
