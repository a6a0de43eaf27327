"""A local Slack Web API: the real `slack_sdk` client talks HTTP to it, and every call is recorded.

Point `WebClient(token="xoxb-test", base_url=server.url)` at a running `FakeSlackServer`. It keeps a
tiny workspace (users, channels, members, messages, uploaded files) and can inject 429s and errors.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qsl, urlsplit

from support.fakes.slack_methods import APP_TOKEN_METHODS, METHODS, Method, UploadedFile
from support.fakes.slack_payloads import APP_ID, BOT_ID, BOT_USER_ID, JSON, TEAM_ID, SlackError

if TYPE_CHECKING:
    from support.fakes.socket_mode import FakeSocketModeServer

__all__ = [
    "APP_ID",
    "APP_TOKEN_METHODS",
    "BOT_ID",
    "BOT_USER_ID",
    "JSON",
    "METHODS",
    "TEAM_ID",
    "Call",
    "FakeSlackServer",
    "Method",
    "SlackError",
    "UploadedFile",
]


@dataclass(frozen=True)
class Call:
    """One request the server received and what it answered; header names are lower-case."""

    method: str
    params: JSON
    headers: dict[str, str]
    status: int
    response: JSON | str


@dataclass(frozen=True)
class _Reply:
    status: int
    body: JSON | str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class _RateLimiter:
    fraction: float
    retry_after: int
    rng: random.Random
    methods: frozenset[str] | None

    def hits(self, method: str) -> bool:
        eligible = self.methods is None or method in self.methods
        return eligible and self.rng.random() < self.fraction


class FakeSlackServer:
    """The subset of the Slack Web API salesbot uses, served on 127.0.0.1 from a daemon thread."""

    def __init__(
        self,
        *,
        users: dict[str, JSON] | None = None,
        channels: dict[str, JSON] | None = None,
        members: dict[str, list[str]] | None = None,
        messages: dict[str, list[JSON]] | None = None,
    ) -> None:
        self.users = dict(users or {})
        self.channels = dict(channels or {})
        self.members = dict(members or {})
        self.messages: dict[str, list[JSON]] = {}
        self.home_views: dict[str, JSON] = {}
        self.files: list[UploadedFile] = []
        self.pending_uploads: dict[str, JSON] = {}
        # Set to a running FakeSocketModeServer to let `apps.connections.open` hand out its URLs.
        self.socket_mode: FakeSocketModeServer | None = None
        self._calls: list[Call] = []
        self._faults: dict[str, list[_Reply]] = {}
        self._limiter: _RateLimiter | None = None
        self._ts_seq = count(1)
        self._id_seq = count(1)
        # One lock for all state: handler threads run concurrently and tests read from the main one.
        self._lock = threading.RLock()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _RequestHandler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None
        for channel, stored in (messages or {}).items():
            for message in stored:
                self.add_message(channel, **message)

    @property
    def url(self) -> str:
        """The base URL for `WebClient(base_url=...)`; it ends with "/" as the client requires."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def response_url(self) -> str:
        """A `response_url` for commands and actions; posts to it are recorded as "response_url"."""
        return f"{self.url}response_url"

    def __enter__(self) -> Self:
        # A short poll interval keeps shutdown, and so each test's teardown, quick.
        poll = {"poll_interval": 0.02}
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs=poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def calls(self, method: str | None = None) -> list[Call]:
        """Every recorded call in arrival order, or only those to `method`."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def clear_calls(self) -> None:
        """Forget recorded calls, e.g. the `auth.test` that building an `App` makes."""
        with self._lock:
            self._calls.clear()

    def rate_limit(
        self,
        fraction: float = 0.05,
        retry_after: int = 1,
        seed: int = 0,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer HTTP 429 to `fraction` of later API calls, the same ones for the same seed."""
        with self._lock:
            allowed = frozenset(methods) if methods is not None else None
            self._limiter = _RateLimiter(fraction, retry_after, random.Random(seed), allowed)

    def fail_next(
        self, method: str, error: str = "ratelimited", status: int = 429, retry_after: int = 1
    ) -> None:
        """Make the next call to `method` fail once; failures queue up if set several times."""
        headers = (("Retry-After", str(retry_after)),) if status == 429 else ()
        with self._lock:
            reply = _Reply(status, {"ok": False, "error": error}, headers)
            self._faults.setdefault(method, []).append(reply)

    def add_message(
        self, channel: str, *, text: str = "", user: str = "U1", ts: str | None = None, **extra: Any
    ) -> str:
        """Store a message as if someone had posted it; pass `thread_ts` for a reply. Returns ts."""
        message = {"type": "message", "user": user, "text": text, **extra}
        message["ts"] = ts or self.next_ts()
        with self._lock:
            self.messages.setdefault(channel, []).append(message)
        return message["ts"]

    def next_ts(self) -> str:
        """A message timestamp later than every one handed out before."""
        micros = 1_700_000_000_000_000 + next(self._ts_seq) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def next_id(self, prefix: str) -> str:
        """A fresh Slack-style id such as "F0000001"."""
        return f"{prefix}{next(self._id_seq):07d}"

    def find_message(self, channel: str, ts: str) -> JSON:
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    def _handle(self, path: str, query: str, headers: dict[str, str], body: bytes) -> _Reply:
        """Answer one HTTP request and record it."""
        with self._lock:
            if path.startswith("upload/"):
                method, params = "upload", {"file_id": path.removeprefix("upload/")}
                reply = self._receive_upload(params["file_id"], body)
            elif path == "response_url":
                method, params = path, json.loads(body or b"{}")
                reply = _Reply(200, "ok")
            else:
                method, params = path, _parse_params(query, headers, body)
                reply = self._api_call(method, params, headers)
            # A snapshot, so later edits to a stored message do not rewrite history.
            snapshot = json.loads(json.dumps(reply.body))
            self._calls.append(Call(method, params, headers, reply.status, snapshot))
            return reply

    def _api_call(self, method: str, params: JSON, headers: dict[str, str]) -> _Reply:
        if self._faults.get(method):
            return self._faults[method].pop(0)
        if self._limiter is not None and self._limiter.hits(method):
            retry_after = (("Retry-After", str(self._limiter.retry_after)),)
            return _Reply(429, {"ok": False, "error": "ratelimited"}, retry_after)
        token = _token(params, headers)
        if not token:
            return _Reply(200, {"ok": False, "error": "not_authed"})
        if not token.startswith(("xox", "xapp-")):
            return _Reply(200, {"ok": False, "error": "invalid_auth"})
        # Only apps.connections.open takes the app-level token, and it takes no other.
        if token.startswith("xapp-") != (method in APP_TOKEN_METHODS):
            return _Reply(200, {"ok": False, "error": "not_allowed_token_type"})
        handler = METHODS.get(method)
        if handler is None:
            return _Reply(200, {"ok": False, "error": "unknown_method", "req_method": method})
        try:
            return _Reply(200, {"ok": True, **handler(self, params)})
        except SlackError as err:
            return _Reply(200, {"ok": False, "error": str(err)})

    def _receive_upload(self, file_id: str, body: bytes) -> _Reply:
        pending = self.pending_uploads.get(file_id)
        if pending is None:
            return _Reply(404, "file not found")
        pending["content"] = body
        return _Reply(200, f"OK - {len(body)}")


class _HTTPServer(ThreadingHTTPServer):
    fake: FakeSlackServer
    # Slack takes bursts; the default backlog of 5 would reset the bot's answers to a burst.
    request_queue_size = 128


class _RequestHandler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        self._serve(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _serve(self, body: bytes) -> None:
        url = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.fake._handle(url.path.lstrip("/"), url.query, headers, body)
        is_json = isinstance(reply.body, dict)
        data = (json.dumps(reply.body) if is_json else str(reply.body)).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json" if is_json else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: pytest output should show the test's own logs only."""


def _parse_params(query: str, headers: dict[str, str], body: bytes) -> JSON:
    """Merge the query string with the body, which slack_sdk sends as a form or as JSON."""
    params: JSON = dict(parse_qsl(query, keep_blank_values=True))
    if headers.get("content-type", "").startswith("application/json"):
        params.update(json.loads(body or b"{}"))
    elif body:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def _token(params: JSON, headers: dict[str, str]) -> str:
    authorization = headers.get("authorization", "")
    if authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ").strip()
    return str(params.get("token") or "")
