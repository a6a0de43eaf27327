"""A local Slack Web API: the real `slack_sdk` client talks HTTP to it, and every call is recorded.

Point `WebClient(token="xoxb-test", base_url=server.url)` at a running `FakeSlackServer`. It keeps a
tiny workspace (users, channels, members, messages, uploaded files) and can inject 429s and errors.
"""

from __future__ import annotations

import base64
import json
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"
JSON = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the server received and what it answered; header names are lower-case."""

    method: str
    params: JSON
    headers: dict[str, str]
    status: int
    response: JSON | str


@dataclass(frozen=True)
class UploadedFile:
    """A file that went through the whole upload v2 flow and was shared."""

    id: str
    filename: str
    title: str | None
    content: bytes
    channel_id: str | None
    thread_ts: str | None
    initial_comment: str | None


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


class SlackError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}`."""


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
        if not token.startswith("xox"):
            return _Reply(200, {"ok": False, "error": "invalid_auth"})
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


# ---- The Web API methods: each takes the server and the request's params, returns the reply
# ---- without "ok", or raises SlackError. Called with the server's lock held.

Method = Callable[[FakeSlackServer, JSON], JSON]
METHODS: dict[str, Method] = {}


def _method(*names: str) -> Callable[[Method], Method]:
    def register(handler: Method) -> Method:
        METHODS.update(dict.fromkeys(names, handler))
        return handler

    return register


def _require(params: JSON, key: str, error: str = "invalid_arguments") -> Any:
    value = params.get(key)
    if value is None or value == "":
        raise SlackError(error)
    return value


def _decoded(value: Any) -> Any:
    """Form posts carry blocks, views and file lists as JSON text; JSON posts carry them as is."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        return json.loads(value)
    return value


def _page(items: list[Any], params: JSON, default_limit: int = 100) -> tuple[list[Any], str]:
    """Slice `items` as Slack paginates: `limit` per page and an opaque `cursor` to the next."""
    cursor = str(params.get("cursor") or "")
    try:
        start = int(base64.b64decode(cursor).decode().removeprefix("next:")) if cursor else 0
    except ValueError as err:
        raise SlackError("invalid_cursor") from err
    end = start + int(params.get("limit") or default_limit)
    next_cursor = base64.b64encode(f"next:{end}".encode()).decode() if end < len(items) else ""
    return items[start:end], next_cursor


def _paged(key: str, items: list[Any], params: JSON, default_limit: int = 100) -> JSON:
    page, cursor = _page(items, params, default_limit)
    return {key: page, "has_more": bool(cursor), "response_metadata": {"next_cursor": cursor}}


def _ts_key(message: JSON) -> tuple[int, ...]:
    # Float timestamps lose the last digits at this magnitude; compare the two integer parts.
    return tuple(int(part) for part in message["ts"].split("."))


def _conversation_for(channel: str) -> str:
    """Posting to a user id lands in the app's DM with that user, as on Slack."""
    return f"D{channel}" if channel[:1] in ("U", "W") else channel


def _user_object(user_id: str, spec: JSON) -> JSON:
    name = spec.get("name", user_id.lower())
    profile = {"real_name": spec.get("real_name", name), "display_name": name}
    if spec.get("email"):
        profile["email"] = spec["email"]
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "real_name": profile["real_name"],
        "deleted": spec.get("deleted", False),
        "is_bot": spec.get("is_bot", False),
        "tz": spec.get("tz", "America/New_York"),
        "profile": profile,
    }


def _channel_object(fake: FakeSlackServer, channel: str) -> JSON:
    """Configured flags win; otherwise the id's first letter says what it is, as Slack ids do."""
    kind = channel[:1]
    inferred = {
        "id": channel,
        "name": channel.lower(),
        "is_channel": kind == "C",
        "is_group": kind == "G",
        "is_im": kind == "D",
        "is_mpim": False,
        "is_private": kind in ("G", "D"),
        "is_archived": False,
    }
    return {**inferred, **fake.channels.get(channel, {})}


def _view(fake: FakeSlackServer, params: JSON, view_id: str) -> JSON:
    view = dict(_decoded(_require(params, "view")))
    return {**view, "id": view_id, "team_id": TEAM_ID, "state": {"values": {}}}


@_method("auth.test")
def _auth_test(fake: FakeSlackServer, params: JSON) -> JSON:
    return {
        "url": "https://fake.slack.com/",
        "team": "Fake Workspace",
        "user": "salesbot",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


@_method("chat.postMessage")
def _chat_post_message(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = _conversation_for(_require(params, "channel", "channel_not_found"))
    if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
        raise SlackError("no_text")
    keys = ("blocks", "attachments", "thread_ts", "metadata")
    extra = {key: _decoded(params[key]) for key in keys if key in params}
    text = params.get("text", "")
    ts = fake.add_message(channel, text=text, user=BOT_USER_ID, bot_id=BOT_ID, **extra)
    return {"channel": channel, "ts": ts, "message": fake.find_message(channel, ts)}


@_method("chat.postEphemeral")
def _chat_post_ephemeral(fake: FakeSlackServer, params: JSON) -> JSON:
    _require(params, "channel", "channel_not_found")
    _require(params, "user", "user_not_in_channel")
    return {"message_ts": fake.next_ts()}


@_method("chat.update")
def _chat_update(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = _require(params, "channel", "channel_not_found")
    message = fake.find_message(channel, _require(params, "ts", "message_not_found"))
    keys = ("text", "blocks", "attachments", "metadata")
    message.update({key: _decoded(params[key]) for key in keys if key in params})
    return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": message}


@_method("chat.delete")
def _chat_delete(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = _require(params, "channel", "channel_not_found")
    message = fake.find_message(channel, _require(params, "ts", "message_not_found"))
    fake.messages[channel].remove(message)
    return {"channel": channel, "ts": message["ts"]}


@_method("chat.getPermalink")
def _chat_get_permalink(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = _require(params, "channel", "channel_not_found")
    ts = _require(params, "message_ts", "message_not_found")
    link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return {"channel": channel, "permalink": link}


@_method("users.info")
def _users_info(fake: FakeSlackServer, params: JSON) -> JSON:
    user_id = _require(params, "user", "user_not_found")
    if user_id not in fake.users:
        raise SlackError("user_not_found")
    return {"user": _user_object(user_id, fake.users[user_id])}


@_method("users.lookupByEmail")
def _users_lookup_by_email(fake: FakeSlackServer, params: JSON) -> JSON:
    email = _require(params, "email", "users_not_found")
    for user_id, spec in fake.users.items():
        if spec.get("email") == email:
            return {"user": _user_object(user_id, spec)}
    raise SlackError("users_not_found")


@_method("conversations.members")
def _conversations_members(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = _require(params, "channel", "channel_not_found")
    if channel not in fake.members:
        raise SlackError("channel_not_found")
    page, cursor = _page(fake.members[channel], params)
    return {"members": page, "response_metadata": {"next_cursor": cursor}}


@_method("conversations.info")
def _conversations_info(fake: FakeSlackServer, params: JSON) -> JSON:
    return {"channel": _channel_object(fake, _require(params, "channel", "channel_not_found"))}


@_method("conversations.history")
def _conversations_history(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = _require(params, "channel", "channel_not_found")
    stored = fake.messages.get(channel, [])
    top_level = [m for m in stored if m.get("thread_ts", m["ts"]) == m["ts"]]
    return _paged("messages", sorted(top_level, key=_ts_key, reverse=True), params)


@_method("conversations.replies")
def _conversations_replies(fake: FakeSlackServer, params: JSON) -> JSON:
    channel = _require(params, "channel", "channel_not_found")
    ts = _require(params, "ts", "thread_not_found")
    thread = [m for m in fake.messages.get(channel, []) if ts in (m["ts"], m.get("thread_ts"))]
    if not thread:
        raise SlackError("thread_not_found")
    return _paged("messages", sorted(thread, key=_ts_key), params, default_limit=1000)


@_method("conversations.open")
def _conversations_open(fake: FakeSlackServer, params: JSON) -> JSON:
    users = [u for u in str(_require(params, "users", "users_list_not_supplied")).split(",") if u]
    if len(users) == 1:
        channel, spec = _conversation_for(users[0]), {"is_im": True, "user": users[0]}
    else:
        channel, spec = "G" + "".join(sorted(users)), {"is_mpim": True, "is_group": False}
    fake.channels.setdefault(channel, spec)
    return {"channel": {"id": channel}}


@_method("views.publish")
def _views_publish(fake: FakeSlackServer, params: JSON) -> JSON:
    user_id = _require(params, "user_id")
    fake.home_views[user_id] = _view(fake, params, fake.next_id("V"))
    return {"view": fake.home_views[user_id]}


@_method("views.open")
def _views_open(fake: FakeSlackServer, params: JSON) -> JSON:
    _require(params, "trigger_id", "invalid_trigger_id")
    return {"view": _view(fake, params, fake.next_id("V"))}


@_method("views.update")
def _views_update(fake: FakeSlackServer, params: JSON) -> JSON:
    view_id = params.get("view_id") or params.get("external_id")
    if not view_id:
        raise SlackError("not_found")
    return {"view": _view(fake, params, view_id)}


@_method(
    "assistant.threads.setStatus",
    "assistant.threads.setSuggestedPrompts",
    "assistant.threads.setTitle",
)
def _assistant_thread(fake: FakeSlackServer, params: JSON) -> JSON:
    _require(params, "channel_id", "channel_not_found")
    _require(params, "thread_ts", "invalid_thread_ts")
    return {}


@_method("reactions.add")
def _reactions_add(fake: FakeSlackServer, params: JSON) -> JSON:
    _require(params, "channel", "channel_not_found")
    _require(params, "timestamp", "message_not_found")
    _require(params, "name", "invalid_name")
    return {}


@_method("files.getUploadURLExternal")
def _files_get_upload_url(fake: FakeSlackServer, params: JSON) -> JSON:
    filename = _require(params, "filename")
    length = int(_require(params, "length"))
    file_id = fake.next_id("F")
    fake.pending_uploads[file_id] = {"filename": filename, "length": length}
    return {"upload_url": f"{fake.url}upload/{file_id}", "file_id": file_id}


@_method("files.completeUploadExternal")
def _files_complete_upload(fake: FakeSlackServer, params: JSON) -> JSON:
    items = _decoded(_require(params, "files"))
    pending = [fake.pending_uploads.get(item["id"], {}) for item in items]
    if any("content" not in upload for upload in pending):
        raise SlackError("file_not_found")
    shared = [
        UploadedFile(
            id=item["id"],
            filename=upload["filename"],
            title=item.get("title"),
            content=upload["content"],
            channel_id=params.get("channel_id"),
            thread_ts=params.get("thread_ts"),
            initial_comment=params.get("initial_comment"),
        )
        for item, upload in zip(items, pending, strict=True)
    ]
    fake.files.extend(shared)
    return {"files": [{"id": f.id, "name": f.filename, "title": f.title} for f in shared]}
