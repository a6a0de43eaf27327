"""A local OpenAI-compatible server that replays a script, so the real client code runs in tests.

Every request body is recorded, so a test can assert on what the model was *sent*: the system
prompt, the tool schemas and the tool results.
"""

from __future__ import annotations

import itertools
import json
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


ScriptItem = Reply | Error | Delay
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

    def respond(self, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Record `body` and answer it with the next script item: (status, headers, json)."""
        with self._lock:
            self.requests.append(body)
            item = self.script.pop(0) if self.script else EXHAUSTED
        if isinstance(item, Delay):
            self._stopping.wait(item.seconds)
            item = item.then
        if isinstance(item, Error):
            return item.status, {"retry-after-ms": str(item.retry_after_ms)}, _error_body(item)
        return 200, {}, self._completion(item, str(body.get("model", "fake-model")))

    def _completion(self, reply: Reply, model: str) -> dict[str, Any]:
        n = next(self._ids)
        message: dict[str, Any] = {"role": "assistant", "content": reply.content, "refusal": None}
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": f"call_{n}_{i}",
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.args)},
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
        self._send(*self.server.fake.respond(body))

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
