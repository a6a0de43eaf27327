"""`salesbot serve` as users run it: a separate process, configured only by its environment."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self

import pytest
from crm_fixture import build_fixture
from fakes.signing import event_body, post, signed_headers
from fakes.slack_api import FakeSlackServer
from fakes.socket_mode import FakeSocketModeServer
from slack_harness import SECRET, mention_event

from tools.db import make_engine, session_factory, upgrade

SERVE = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"]
STARTUP_SECONDS = 60  # imports (langchain, chromadb, torch) are slow on a busy machine
ANSWER_SECONDS = 20


class Served:
    """A running `salesbot serve`; stdout and stderr are read into `output` as they arrive."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            SERVE, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def wait_for_line(self, pattern: str, timeout: float = STARTUP_SECONDS) -> re.Match[str]:
        """The first line matching `pattern`; fails with everything printed so far if none does."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break  # the process ended
            if match := re.search(pattern, line):
                return match
        pytest.fail(f"no line matching {pattern!r}; output:\n{''.join(self.output)}")

    def interrupt(self, timeout: float = 20) -> int:
        """Ctrl-C, as a user stops it; returns the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=timeout)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)


@pytest.fixture
def crm_url(tmp_path: Path) -> str:
    """A SQLite file holding the fixture CRM, as `salesbot db upgrade` and an import leave it."""
    url = f"sqlite:///{tmp_path}/crm.db"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        build_fixture(session)
    engine.dispose()
    return url


@pytest.fixture
def env(tmp_path: Path, crm_url: str, slack: FakeSlackServer) -> dict[str, str]:
    # os.environ is already free of the developer's keys (see tests/conftest.py).
    return {
        **os.environ,
        "DATABASE_URL": crm_url,
        "CHROMA_PATH": str(tmp_path / "chroma"),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.url,
        "SCHEDULER_ENABLED": "false",  # nudges are tested elsewhere; here only answers post
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",  # Rich wraps at 80 columns when stdout is not a terminal
    }


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "cwd"  # no .env here, so only `env` configures the process
    path.mkdir()
    return path


def _eventually(check: Callable[[], bool], timeout: float = ANSWER_SECONDS) -> bool:
    """A bounded wait for an answer from another process; not a timing assertion."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _replies(slack: FakeSlackServer, event: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        c.params
        for c in slack.calls("chat.postMessage")
        if c.params.get("thread_ts") == event["ts"]
    ]


def _get_json(url: str) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_http_mode_answers_a_signed_mention_and_stops_on_ctrl_c(
    env: dict[str, str], workdir: Path, slack: FakeSlackServer
) -> None:
    env["SLACK_SIGNING_SECRET"] = SECRET
    with Served(env, workdir) as served:
        port = served.wait_for_line(r"http://127\.0\.0\.1:(\d+)/slack/events").group(1)
        base = f"http://127.0.0.1:{port}"
        assert _get_json(f"{base}/healthz") == (200, {"ok": True, "database": "up"})
        event = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
        body = event_body(event, "EvServeHttp1")
        assert post(f"{base}/slack/events", body, signed_headers(SECRET, body))[0] == 200
        assert _eventually(lambda: bool(_replies(slack, event))), served.output
        [reply] = _replies(slack, event)
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
        assert _eventually(lambda: bool(_replies(slack, event))), served.output
        [reply] = _replies(slack, event)
        assert reply["channel"] == "CTEAM"
        assert served.interrupt() == 0  # the connection is closed and pending answers finish
    assert "Traceback" not in "".join(served.output)
