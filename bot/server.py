"""Serving the Bolt app: Socket Mode with an app token, else HTTP (/slack/events, /healthz)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow client never blocks another request's ack."""

    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def build_wsgi(app: App, sessions: sessionmaker[Session]) -> Wsgi:
    """Route /slack/events to Bolt and /healthz to a database check."""
    bolt = SlackRequestHandler(app)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == EVENTS_PATH:
            return bolt(environ, start_response)
        if path == "/healthz":
            return _health(sessions, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return wsgi


def _health(sessions: sessionmaker[Session], start_response: Callable[..., Any]) -> list[bytes]:
    try:
        with sessions() as session:
            session.execute(text("select 1"))
        status, body = "200 OK", {"ok": True, "database": "up"}
    except Exception as exc:  # any driver error means "not healthy", never a crash
        status, body = "503 Service Unavailable", {"ok": False, "database": str(exc)[:200]}
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def make_http_server(app: App, sessions: sessionmaker[Session], host: str, port: int) -> WSGIServer:
    return make_server(host, port, build_wsgi(app, sessions), ThreadingWSGIServer, QuietHandler)


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
