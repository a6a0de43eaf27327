"""A local server that speaks the three Stripe list endpoints `salesbot sync stripe` uses:
GET /v1/customers, /v1/invoices and /v1/subscriptions, with `limit`, `starting_after` and
`created[gte]`, newest first as Stripe lists them. The real `stripe` client is pointed at it,
and every request is recorded so a test can assert on what was asked."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

KINDS = {"customers": "customer", "invoices": "invoice", "subscriptions": "subscription"}


class FakeStripeServer:
    """`objects[kind]` holds the dicts served; `requests` each (path, query) asked."""

    def __init__(self, objects: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.objects: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
        for kind, rows in (objects or {}).items():
            self.objects[kind] = list(rows)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.fail_with: int | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, kind: str, obj: dict[str, Any]) -> None:
        self.objects[kind].append(obj)

    def page(self, kind: str, query: dict[str, str]) -> dict[str, Any]:
        rows = sorted(self.objects[kind], key=lambda o: (-o["created"], o["id"]))
        if "created[gte]" in query:
            rows = [o for o in rows if o["created"] >= int(query["created[gte]"])]
        if "starting_after" in query:
            ids = [o["id"] for o in rows]
            rows = rows[ids.index(query["starting_after"]) + 1 :]
        limit = int(query.get("limit", "10"))
        data = [{"object": KINDS[kind], **o} for o in rows[:limit]]
        return {"object": "list", "url": f"/v1/{kind}", "has_more": len(rows) > limit, "data": data}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                fake.requests.append((parts.path, query))
                kind = parts.path.removeprefix("/v1/")
                if fake.fail_with is not None:
                    body = {"error": {"type": "api_error", "message": "scripted failure"}}
                    return self._send(fake.fail_with, body)
                if kind not in KINDS:
                    return self._send(404, {"error": {"type": "invalid_request_error",
                                                      "message": f"no {parts.path}"}})  # fmt: skip
                return self._send(200, fake.page(kind, query))

            def _send(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> FakeStripeServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
