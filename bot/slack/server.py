"""Serving the Bolt app: Socket Mode with an app token, else HTTP (/slack/events, /healthz,
and the mounted /metrics and /mcp)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.slack.http_server import MAX_BODY_BYTES, HttpServer, Wsgi
from bot.slack.request import (
    UNSIGNED,
    RawBodyVerifier,
    Refusal,
    bad,
    check_body,
    content_length,
    is_signed,
)
from tools.db import Session, ping, sessionmaker

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
NOT_ALLOWED = "405 Method Not Allowed"
StartResponse = Callable[..., Any]


def build_wsgi(
    app: App,
    sessions: sessionmaker[Session],
    signing_secret: str,
    mounts: Mapping[str, Wsgi] | None = None,
) -> Wsgi:
    """Route /slack/events to Bolt through the front door, /healthz to a database check, and
    each path of `mounts` (/metrics, /mcp) to its own application."""
    # In Socket Mode there is no signing secret and no /slack/events: events come over the socket.
    verifier = RawBodyVerifier(signing_secret) if signing_secret else None
    mounted = dict(mounts or {})

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if (other := mounted.get(path.rstrip("/") or path)) is not None:
            return other(environ, start_response)
        if path == EVENTS_PATH and verifier is not None:
            if method != "POST":
                return _plain(start_response, Refusal(NOT_ALLOWED, "Use POST."), allow="POST")
            return _slack(app, verifier, environ, start_response)
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return _plain(start_response, Refusal(NOT_ALLOWED, "Use GET."), allow="GET, HEAD")
            return _health(sessions, start_response)
        return _plain(start_response, Refusal("404 Not Found", "Not found."))

    return wsgi


def _slack(
    app: App, verifier: RawBodyVerifier, environ: dict[str, Any], start_response: StartResponse
) -> list[bytes]:
    checked = _checked_body(verifier, environ)
    if isinstance(checked, Refusal):
        return _plain(start_response, checked)
    headers = _headers(environ)
    try:
        request = BoltRequest(body=checked, query=environ.get("QUERY_STRING", ""), headers=headers)
    except Exception:  # Bolt's parsing indexes into fields it never checks
        return _plain(start_response, bad("The request's fields are not what Slack sends."))
    try:
        response = app.dispatch(request)
    except Exception:  # the app's own error handler saw nothing: log it, show no trace
        ref = uuid.uuid4().hex[:8]
        log.exception("request failed (ref %s)", ref)
        return _plain(
            start_response,
            Refusal("500 Internal Server Error", f"Internal error (ref {ref}), logged."),
        )
    return _bolt_response(start_response, response)


def _checked_body(verifier: RawBodyVerifier, environ: dict[str, Any]) -> str | Refusal:
    length = content_length(environ)
    if length is None:
        return bad("The Content-Length is not a number.")
    if length > MAX_BODY_BYTES:  # refused before reading a byte of it
        return Refusal("413 Payload Too Large", f"The body is over {MAX_BODY_BYTES} bytes.")
    raw = environ["wsgi.input"].read(length) if length else b""
    if not is_signed(verifier, environ, raw):
        return UNSIGNED
    return check_body(raw, environ.get("CONTENT_TYPE", ""))


def _headers(environ: dict[str, Any]) -> dict[str, str | Sequence[str]]:
    headers: dict[str, str | Sequence[str]] = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = str(environ[key])
    return headers


def _bolt_response(start_response: StartResponse, response: BoltResponse) -> list[bytes]:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Status"
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    start_response(f"{response.status} {phrase}", headers)
    body = response.body
    return [body.encode() if isinstance(body, str) else bytes(body or b"")]


def _plain(start_response: StartResponse, refusal: Refusal, allow: str = "") -> list[bytes]:
    headers = [("Content-Type", "text/plain; charset=utf-8")]
    if allow:
        headers.append(("Allow", allow))
    start_response(refusal.status, headers)
    return [refusal.message.encode() + b"\n"]


def _health(sessions: sessionmaker[Session], start_response: StartResponse) -> list[bytes]:
    try:
        with sessions() as session:
            ping(session)
        status, body = "200 OK", {"ok": True, "database": "up"}
    except Exception as exc:  # any driver error means "not healthy", never a crash
        status, body = "503 Service Unavailable", {"ok": False, "database": str(exc)[:200]}
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def make_http_server(
    app: App,
    sessions: sessionmaker[Session],
    host: str,
    port: int,
    *,
    signing_secret: str,
    mounts: Mapping[str, Wsgi] | None = None,
) -> HttpServer:
    return HttpServer(build_wsgi(app, sessions, signing_secret, mounts), host, port)


def serve_socket_mode(app: App, app_token: str) -> None:
    """Receive events over Socket Mode until Ctrl-C, then close the connection."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)
    try:
        handler.start()  # blocks forever; only an interrupt ends it
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()
