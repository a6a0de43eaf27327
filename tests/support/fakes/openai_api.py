"""A local OpenAI-compatible server that replays a script, so the real client code runs in tests.

Every request body is recorded, so a test can assert on what the model was *sent*: the system
prompt, the tool schemas and the tool results. Hostile servers are scripted too: `Drip` sends its
answer one byte at a time, `Hang` sends the headers and then nothing; both count the clients that
walked away (`hung_up`), which is how a test sees that the connection was closed.
"""

from __future__ import annotations

import itertools
import json
import select
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class ToolCall:
    """One function call the scripted model makes."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)
    raw: str | None = None  # the arguments string exactly as sent, when `args` cannot say it


@dataclass(frozen=True)
class Reply:
    """An assistant message: text, or tool calls (finish_reason "tool_calls")."""

    content: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()


@dataclass(frozen=True)
class Error:
    """An HTTP error with OpenAI's JSON error body; `retry_after_ms` keeps client retries fast."""

    status: int
    message: str = "scripted failure"
    retry_after_ms: int = 1


@dataclass(frozen=True)
class Delay:
    """Sleep before answering with `then`, long enough to trip a client timeout."""

    seconds: float
    then: Reply | Error = Reply("(too late)")


@dataclass(frozen=True)
class Drip:
    """Send the whole HTTP response of `then`, status line first, one byte every `every` seconds."""

    every: float
    then: Reply = Reply("(too late)")


@dataclass(frozen=True)
class Hang:
    """Send the status line and headers of a complete-looking answer, then never the body."""


Slow = Drip | Hang
ScriptItem = Reply | Error | Delay | Drip | Hang
EXHAUSTED = Error(500, "FakeOpenAIServer: the script is exhausted")


class FakeOpenAIServer:
    """Serves POST /v1/chat/completions from `script`, one item per request, in order.

    Use as a context manager, or call start() and stop(). Point a client at `url + "/v1"`.
    """

    def __init__(self, script: Iterable[ScriptItem] = ()) -> None:
        self.script: list[ScriptItem] = list(script)
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self.hung_up = 0  # Drip and Hang answers whose client closed the connection
        self._hangups = threading.Condition()
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes any handler still sleeping in a Delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_hung_up(self, count: int = 1, timeout: float = 30.0) -> bool:
        """Whether `count` clients have walked away from slow answers (False after `timeout`)."""
        with self._hangups:
            return self._hangups.wait_for(lambda: self.hung_up >= count, timeout)

    def client_left(self) -> None:
        with self._hangups:
            self.hung_up += 1
            self._hangups.notify_all()

    def respond(
        self, body: dict[str, Any]
    ) -> tuple[int, dict[str, str], dict[str, Any], Slow | None]:
        """Record `body` and answer it with the next script item: (status, headers, json, pace)."""
        with self._lock:
            self.requests.append(body)
            item = self.script.pop(0) if self.script else EXHAUSTED
        if isinstance(item, Hang):
            return 200, {}, self._completion(Reply("(never sent)"), "fake-model"), item
        if isinstance(item, Drip):
            return 200, {}, self._completion(item.then, str(body.get("model"))), item
        if isinstance(item, Delay):
            self._stopping.wait(item.seconds)
            item = item.then
        if isinstance(item, Error):
            headers = {"retry-after-ms": str(item.retry_after_ms)}
            return item.status, headers, _error_body(item), None
        return 200, {}, self._completion(item, str(body.get("model", "fake-model"))), None

    def _completion(self, reply: Reply, model: str) -> dict[str, Any]:
        n = next(self._ids)
        message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": None}
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": f"call_{n}_{i}",
                    "type": "function",
                    "function": {
                        "name": c.name,
                        "arguments": json.dumps(c.args) if c.raw is None else c.raw,
                    },
                }
                for i, c in enumerate(reply.tool_calls)
            ]
        return {
            "id": f"chatcmpl-fake-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }


def _http_bytes(payload: dict[str, Any]) -> bytes:
    data = json.dumps(payload).encode()
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


def _error_body(error: Error) -> dict[str, Any]:
    kind = "rate_limit_exceeded" if error.status == 429 else "server_error"
    return {"error": {"message": error.message, "type": kind, "param": None, "code": kind}}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeOpenAIServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != CHAT_PATH:
            self._send(404, {}, {"error": {"message": f"no route {self.path}", "type": "nf"}})
            return
        body = json.loads(raw or b"{}")
        if body.get("stream"):
            self._send(400, {}, {"error": {"message": "streaming is not faked", "type": "bad"}})
            return
        status, headers, payload, pace = self.server.fake.respond(body)
        if pace is None:
            self._send(status, headers, payload)
        else:
            self._send_slowly(pace, _http_bytes(payload))

    def _send_slowly(self, pace: Slow, response: bytes) -> None:
        head = response.partition(b"\r\n\r\n")[0] + b"\r\n\r\n"
        chunks = [head] if isinstance(pace, Hang) else [bytes([b]) for b in response]
        try:
            for chunk in chunks:
                self.connection.sendall(chunk)
                if self._client_left(pace.every if isinstance(pace, Drip) else None):
                    self.server.fake.client_left()
                    break
        except OSError:
            self.server.fake.client_left()
        self.close_connection = True

    def _client_left(self, within: float | None) -> bool:
        """Wait `within` seconds (None: until the server stops); True when the client hung up."""
        stopping = self.server.fake._stopping
        end = None if within is None else time.monotonic() + within
        while not stopping.is_set():
            left = 0.05 if end is None else min(0.05, end - time.monotonic())
            if left <= 0:
                return False
            readable, _, _ = select.select([self.connection], [], [], left)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                return True
        return False

    def _send(self, status: int, headers: dict[str, str], payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing left to tell it

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet
