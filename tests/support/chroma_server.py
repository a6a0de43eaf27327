"""A real `chroma run` server in a temporary folder, for tests of client/server mode."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.serve_process import STARTUP_SECONDS

CHROMA = str(Path(sys.executable).with_name("chroma"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _heartbeat(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def chroma_server(path: Path) -> Iterator[int]:
    """Run `chroma run --path PATH --port N` until the block ends; yields the port."""
    port = free_port()
    argv = [CHROMA, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    log = (path.parent / "chroma.log").open("w")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS  # a bounded wait, not an assertion
        while not _heartbeat(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start: {argv}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
