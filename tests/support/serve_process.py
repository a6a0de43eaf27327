"""`salesbot serve` (or any `python -m bot` command) as a separate process, as users run it.

Shared by the serve tests, the two-instance test and the fault drills. Waits here are bounded
waits for another process on a loaded machine, never timing assertions.
"""

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
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import pytest

from support.fakes.slack_api import FakeSlackServer

BOT = [sys.executable, "-m", "bot"]
SERVE = [*BOT, "serve", "--host", "127.0.0.1", "--port", "0"]
STARTUP_SECONDS = 90  # imports (langchain, chromadb, torch) are slow on a busy machine
ANSWER_SECONDS = 30
LISTENING = r"http://127\.0\.0\.1:(\d+)/slack/events"


def serve_env(database_url: str, chroma_path: Path, slack: FakeSlackServer) -> dict[str, str]:
    """The environment of one `salesbot serve`; os.environ is already free of developer keys."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CHROMA_PATH": str(chroma_path),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack.url,
        "SCHEDULER_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",  # Rich wraps at 80 columns when stdout is not a terminal
    }


class Served:
    """A running `salesbot serve`; stdout and stderr are read into `output` as they arrive."""

    def __init__(self, env: dict[str, str], cwd: Path, argv: list[str] | None = None) -> None:
        self.process = subprocess.Popen(
            argv or SERVE,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
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

    @property
    def text(self) -> str:
        return "".join(self.output)

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
        pytest.fail(f"no line matching {pattern!r}; output:\n{self.text}")

    def wait_listening(self) -> str:
        """The base URL once the HTTP server is up."""
        return f"http://127.0.0.1:{self.wait_for_line(LISTENING).group(1)}"

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C, as a user stops it; returns the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=timeout)

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as systemd or a container runtime stops it; returns the exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)


def eventually(check: Callable[[], bool], timeout: float = ANSWER_SECONDS) -> bool:
    """A bounded wait for an answer from another process; not a timing assertion."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def replies(slack: FakeSlackServer, event: dict[str, Any]) -> list[dict[str, Any]]:
    """Messages posted in the thread of `event`, publicly or ephemerally."""
    return [
        c.params
        for c in slack.calls()
        if c.method in {"chat.postMessage", "chat.postEphemeral"}
        and c.params.get("thread_ts") == event["ts"]
    ]


def get_json(url: str) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.loads(response.read())
