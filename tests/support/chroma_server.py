"""A real `chroma run` server in a temporary folder, for tests of client/server mode."""

from __future__ import annotations

import os
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


def heartbeat(port: int) -> bool:
    """A Chroma server answers on the local `port`."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def chroma_server(
    path: Path, *, log_file: Path | None = None, start_seconds: float = STARTUP_SECONDS
) -> Iterator[int]:
    """Run `chroma run --path PATH --port N` until the block ends; yields the port once it
    answers. Its output goes to `log_file` (default: chroma.log beside PATH)."""
    port = free_port()
    argv = [CHROMA, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    # chromadb 1.x's server (Rust) sends no usage telemetry; the variable turns it off for a
    # 0.x (Python) server too.
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    output = log_file or path.parent / "chroma.log"
    with output.open("w") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + start_seconds  # a bounded wait, not an assertion
            while not heartbeat(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start (see {output}): {argv}")
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
