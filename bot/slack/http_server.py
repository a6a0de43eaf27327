"""The HTTP listener of `salesbot serve`: waitress, so a burst of requests queues, never resets.

waitress reads every request whole on one event loop (a slow or stalled client holds no thread),
hands complete requests to a fixed pool of threads, listens with a deep backlog, and refuses a
body over the limit with 413 from its Content-Length alone. This wrapper gives `salesbot serve`
and the tests the port, `serve_forever()` in the calling thread, `shutdown()` from another
thread, and, when Ctrl-C or SIGTERM stops it, a bounded wait for responses already being written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
MAX_BODY_BYTES = 1024 * 1024  # Slack's largest payloads (a full modal) are well under this
# An ack takes about a millisecond of CPU (answers run on the WorkPool), so a few threads keep up
# with any burst, and more would only contend for the GIL; the backlog (capped by
# net.core.somaxconn) and the connection limit let a burst wait its turn instead of being reset.
HTTP_THREADS = 8
BACKLOG = 2048
CONNECTION_LIMIT = 1000
IDLE_CONNECTION_SECONDS = 60
FINISH_SECONDS = 5.0
POLL_SECONDS = 0.2


class RefusingChannel(HTTPChannel):  # type: ignore[misc]
    """waitress says "100 Continue" even to a request it has already refused (too large), then
    waits for the body; a refused request gets its 413 at once instead."""

    def send_continue(self) -> None:
        if self.request is not None and self.request.error is not None:
            return
        super().send_continue()


class HttpServer:
    """A waitress server on (host, port); port 0 picks a free one (see `server_port`)."""

    def __init__(self, wsgi: Wsgi, host: str, port: int, *, threads: int = HTTP_THREADS) -> None:
        self._map: dict[int, Any] = {}
        self._server: Any = create_server(
            wsgi,
            map=self._map,
            host=host,
            port=port,
            threads=threads,
            backlog=BACKLOG,
            connection_limit=CONNECTION_LIMIT,
            max_request_body_size=MAX_BODY_BYTES + 1,  # waitress refuses sizes >= its limit
            channel_timeout=IDLE_CONNECTION_SECONDS,
            expose_tracebacks=False,
            ident="salesbot",
        )
        self._server.channel_class = RefusingChannel
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()  # not serving yet
        self._closed = False

    @property
    def server_port(self) -> int:
        return int(self._server.effective_port)

    def serve_forever(self) -> None:
        """Serve until `shutdown()` or an interrupt, then finish the responses in flight."""
        self._done.clear()
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=POLL_SECONDS, map=self._map, use_poll=True, count=1)
        finally:
            try:
                self._finish_in_flight()
            finally:
                self._done.set()

    def shutdown(self) -> None:
        """Stop `serve_forever` (running in another thread) and wait until it has returned."""
        self._stop.set()
        if not self._closed:
            self._server.pull_trigger()  # wakes the poll at once
        self._done.wait(FINISH_SECONDS + POLL_SECONDS * 5)

    def server_close(self) -> None:
        """Close the listener, the request threads and every connection; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._stop_accepting()
        # Threads first: a request thread still running would poke the trigger closed below.
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=FINISH_SECONDS)
        wasyncore.close_all(self._map)

    def _finish_in_flight(self) -> None:
        """No new connections; requests already read still get their response (bounded)."""
        self._stop_accepting()
        deadline = time.monotonic() + FINISH_SECONDS
        while self._in_flight() and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=self._map, use_poll=True, count=1)

    def _stop_accepting(self) -> None:
        if self._server.accepting:
            # The base close: waitress's own would also close the trigger the threads still use.
            wasyncore.dispatcher.close(self._server)

    def _in_flight(self) -> bool:
        channels = list(self._server.active_channels.values())
        return any(ch.requests or ch.total_outbufs_len for ch in channels)
