"""A local Slack Socket Mode endpoint: the real `slack_sdk` Socket Mode client connects to it.

`FakeSlackServer.socket_mode = server` makes `apps.connections.open` (with an `xapp-` token) hand
out a one-time `ws://127.0.0.1:PORT/link/?ticket=...` URL here, as Slack hands out `wss://` ones.
On connecting, the client is sent `hello`; `push_event` then sends an `events_api` envelope to the
newest connection, and every reply carrying an `envelope_id` is recorded as that envelope's ack.
"""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

JSON = dict[str, Any]


class FakeSocketModeServer:
    """Slack's WebSocket side of Socket Mode, on 127.0.0.1 from a daemon thread."""

    def __init__(self, app_id: str = "A1") -> None:
        self.app_id = app_id
        self.acks: dict[str, list[JSON]] = {}
        self.connections_opened = 0
        self._tickets: set[str] = set()
        self._open: list[ServerConnection] = []
        self._envelope_ids = itertools.count(1)
        # One condition for all state: waiters wake on every connection and every ack.
        self._changed = threading.Condition()
        # No compression: Slack's client offers no extensions, and frames stay readable in traces.
        self._server: Server = serve(
            self._serve,
            "127.0.0.1",
            0,
            compression=None,
            process_request=self._check_ticket,
        )
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def issue_url(self) -> str:
        """A fresh one-time WebSocket URL, as `apps.connections.open` returns."""
        ticket = uuid.uuid4().hex
        with self._changed:
            self._tickets.add(ticket)
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket={ticket}&app_id={self.app_id}"

    def wait_for_connections(self, count: int = 1, timeout: float = 10.0) -> bool:
        """Wait until `count` connections in all have said hello; True if they did in time."""
        with self._changed:
            return self._changed.wait_for(lambda: self.connections_opened >= count, timeout)

    def push_event(self, payload: JSON, *, retry_attempt: int = 0, retry_reason: str = "") -> str:
        """Send an Events API envelope around an `event_callback` body; returns its envelope_id."""
        envelope_id = f"env-{next(self._envelope_ids):04d}-{uuid.uuid4().hex[:8]}"
        self.push(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "payload": payload,
                "accepts_response_payload": False,
                "retry_attempt": retry_attempt,
                "retry_reason": retry_reason,
            }
        )
        return envelope_id

    def request_reconnect(self) -> None:
        """Ask the client to move to a new URL, as Slack does every few hours."""
        self.push({"type": "disconnect", "reason": "refresh_requested", "debug_info": {}})

    def push(self, message: JSON) -> None:
        """Send any message to the newest open connection."""
        with self._changed:
            if not self._open:
                raise RuntimeError("no Socket Mode client is connected")
            connection = self._open[-1]
        connection.send(json.dumps(message))

    def drop_connections(self) -> None:
        """Close every connection with 1001 "going away", as Slack does when it restarts."""
        with self._changed:
            connections = list(self._open)
        for connection in connections:
            connection.close(1001, "going away")

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> JSON | None:
        """The first ack for `envelope_id`, or None if none came in time."""
        with self._changed:
            self._changed.wait_for(lambda: envelope_id in self.acks, timeout)
            acks = self.acks.get(envelope_id)
        return acks[0] if acks else None

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._changed:
            if ticket in self._tickets:
                self._tickets.discard(ticket)  # a URL is good for one connection, as on Slack
                return None
        return connection.respond(401, "unknown or used ticket\n")

    def _serve(self, connection: ServerConnection) -> None:
        connection.send(json.dumps(self._hello()))
        with self._changed:
            self._open.append(connection)
            self.connections_opened += 1
            self._changed.notify_all()
        try:
            for raw in connection:
                self._record(raw)
        except ConnectionClosed:
            pass  # Slack's built-in client drops the TCP socket without a close frame
        finally:
            with self._changed:
                self._open.remove(connection)

    def _record(self, raw: str | bytes) -> None:
        message = json.loads(raw)
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        if envelope_id:
            with self._changed:
                self.acks.setdefault(envelope_id, []).append(message)
                self._changed.notify_all()

    def _hello(self) -> JSON:
        return {
            "type": "hello",
            "num_connections": len(self._open) + 1,
            "debug_info": {
                "host": "fake-socket-mode",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }
