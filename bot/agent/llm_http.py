"""HTTP to the chat model, where every request ends by a wall-clock deadline.

httpx's timeouts bound each socket operation, not a request: a server that sends one byte every
two seconds never trips a 30-second read timeout and holds the calling thread for as long as it
likes. Here each socket operation of a model request (connect, TLS, send, every read) may wait at
most the time left before that request's deadline: the earlier of `LLM_DEADLINE_SECONDS` after
the request started and the deadline of the question it serves. Past it the operation fails as a
timeout in the thread that made it, httpcore closes the connection, and the thread is free.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

# Set by the agent runner around one question (langgraph copies it into the threads it uses).
_question_deadline: ContextVar[float | None] = ContextVar("question_deadline", default=None)
# The deadline of the request this thread is sending; one thread sends one request at a time.
_request = threading.local()
WRITE_PIECE = 16_384


@contextmanager
def question_deadline(deadline: float) -> Iterator[None]:
    """Model requests made inside end by `deadline` (a `time.monotonic()` value)."""
    token = _question_deadline.set(deadline)
    try:
        yield
    finally:
        _question_deadline.reset(token)


def http_module() -> ModuleType:
    """httpx, or httpx2 for openai>=3: the library the installed openai client is built on."""
    import openai  # only with an LLM configured: the offline path never loads it

    base = next(c for c in openai.DefaultHttpxClient.__mro__ if c.__name__ == "Client")
    return importlib.import_module(base.__module__.partition(".")[0])


def deadline_client(timeout: float, deadline_seconds: float) -> Any:
    """An openai-ready HTTP client whose requests each end within `deadline_seconds`."""
    import openai

    http = http_module()
    client = openai.DefaultHttpxClient(
        timeout=http.Timeout(timeout, connect=min(timeout, 10.0)),
        event_hooks={"request": [_RequestStart(deadline_seconds)]},
    )
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)  # None: a proxy mount switched off
        if pool is not None:
            pool._network_backend = DeadlineBackend(pool._network_backend)
    return client


class _RequestStart:
    """The request event hook: fixes this request's deadline before any byte is sent."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, request: Any) -> None:
        deadline = time.monotonic() + self.seconds
        question = _question_deadline.get()
        _request.deadline = deadline if question is None else min(deadline, question)


def _left(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout` cut to the time left before the request's deadline; `expired` once it is past."""
    deadline: float | None = getattr(_request, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the model request ran past its deadline")
    return left if timeout is None else min(timeout, left)


class DeadlineBackend:
    """An httpcore network backend whose streams never wait past the request's deadline."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.errors = importlib.import_module(type(inner).__module__.partition(".")[0])

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> DeadlineStream:
        wait = _left(timeout, self.errors.ConnectTimeout)
        stream = self.inner.connect_tcp(host, port, wait, local_address, socket_options)
        return DeadlineStream(stream, self.errors)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> DeadlineStream:
        wait = _left(timeout, self.errors.ConnectTimeout)
        return DeadlineStream(
            self.inner.connect_unix_socket(path, wait, socket_options), self.errors
        )

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class DeadlineStream:
    """One connection's socket operations, each cut to the time left."""

    def __init__(self, inner: Any, errors: ModuleType) -> None:
        self.inner = inner
        self.errors = errors

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self.inner.read(max_bytes, _left(timeout, self.errors.ReadTimeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # In pieces, so a server that reads slowly cannot stretch one write past the deadline.
        for start in range(0, len(buffer), WRITE_PIECE):
            piece = buffer[start : start + WRITE_PIECE]
            self.inner.write(piece, _left(timeout, self.errors.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> DeadlineStream:
        wait = _left(timeout, self.errors.ConnectTimeout)
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, wait), self.errors)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)
