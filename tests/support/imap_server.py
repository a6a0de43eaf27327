"""A real IMAP server for the tests: pymap's in-memory backend on 127.0.0.1, one per test."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

USER, PASSWORD = "rob@x.test", "imap-secret"


@dataclass(frozen=True)
class ImapServer:
    port: int

    def append(self, messages: list[EmailMessage], folder: str = "INBOX") -> None:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        for message in messages:
            client.append(folder, None, None, message.as_bytes())
        client.logout()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def imap_server(tmp: Path) -> Iterator[ImapServer]:
    port = _free_port()
    pymap = Path(sys.executable).with_name("pymap")
    args = [str(pymap), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict"]
    args += ["--demo-user", USER, "--demo-password", PASSWORD]
    log = (tmp / "pymap.log").open("wb")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(port, process)
        yield ImapServer(port)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pymap exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("pymap did not start listening within 30 s")
