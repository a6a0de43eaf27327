"""The MCP server's streamable HTTP transport, mounted at /mcp in the WSGI server of `serve`.

`salesbot serve` runs waitress (WSGI, bot/slack/http_server.py); the SDK's transport is ASGI.
The SDK's session manager runs stateless with JSON responses (one request, one JSON reply, no
server-sent stream), on an event loop of its own thread; each WSGI request checks the bearer
token first (401 with the reason otherwise), then is handed to that loop and waited for.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterable, MutableMapping
from http import HTTPStatus
from typing import Any

from mcp.server.context import ServerRequestContext
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from bot.agent.runner import AgentRunner
from bot.mcp.auth import TokenAuth, bearer
from bot.mcp.catalog import CardPoster
from bot.mcp.server import UNAUTHORIZED, build_mcp_server, contexts_from
from tools.api_tokens import TokenRefusedError

MCP_PATH = "/mcp"
MAX_BODY_BYTES = 1024 * 1024
START_SECONDS = 10.0
Message = MutableMapping[str, Any]


def http_token(ctx: ServerRequestContext[Any, Any]) -> str | None:
    """The bearer token of the HTTP request a message came in (checked again on each call)."""
    request = ctx.request
    return bearer(request.headers.get("authorization")) if request is not None else None


def mcp_http_app(
    runner: AgentRunner, *, timeout_seconds: float, post_card: CardPoster | None = None
) -> McpHttp:
    """The /mcp application for `serve`: the agent's tools as each request's token user."""
    auth = TokenAuth(runner.sessions, runner.clock)
    server = build_mcp_server(auth, contexts_from(runner), http_token, "http", post_card)
    return McpHttp(server, auth, timeout_seconds=timeout_seconds)


class McpHttp:
    """A WSGI application for /mcp; `close()` stops its event loop."""

    def __init__(self, server: Any, auth: TokenAuth, *, timeout_seconds: float) -> None:
        self.auth = auth
        self.timeout = timeout_seconds
        self.manager = StreamableHTTPSessionManager(server, json_response=True, stateless=True)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="salesbot-mcp", daemon=True)
        self._thread.start()
        self._ready.wait(START_SECONDS)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        async with self.manager.run():
            self._ready.set()
            await self._stop.wait()

    def close(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(START_SECONDS)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY_BYTES:
            return _json(start_response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Body too large.")
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            self.auth.principal(bearer(environ.get("HTTP_AUTHORIZATION")), transport="http")
        except TokenRefusedError as exc:
            challenge = ("WWW-Authenticate", 'Bearer realm="salesbot"')
            return _json(start_response, HTTPStatus.UNAUTHORIZED, str(exc), challenge, body=body)
        exchange = _exchange(self.manager, environ, body)
        future = asyncio.run_coroutine_threadsafe(exchange, self._loop)
        try:
            status, headers, chunks = future.result(self.timeout)
        except TimeoutError:
            future.cancel()
            return _json(start_response, HTTPStatus.GATEWAY_TIMEOUT, "The tool took too long.")
        start_response(f"{status} {_phrase(status)}", headers)
        return [b"".join(chunks)]


async def _exchange(
    manager: StreamableHTTPSessionManager, environ: dict[str, Any], body: bytes
) -> tuple[int, list[tuple[str, str]], list[bytes]]:
    """One ASGI request/response through the SDK's transport."""
    inbox: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    done = asyncio.Event()
    status: list[int] = [500]  # filled in by send()
    headers: list[tuple[str, str]] = []
    chunks: list[bytes] = []

    async def receive() -> Message:
        if inbox:
            return inbox.pop(0)
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            status[0] = int(message["status"])
            pairs = message["headers"]
            headers.extend((k.decode("latin-1"), v.decode("latin-1")) for k, v in pairs)
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body"):
                done.set()

    await manager.handle_request(_scope(environ), receive, send)
    return status[0], headers, chunks


def _scope(environ: dict[str, Any]) -> dict[str, Any]:
    headers = [
        (key[5:].replace("_", "-").lower().encode("latin-1"), str(value).encode("latin-1"))
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers.append((key.replace("_", "-").lower().encode(), str(environ[key]).encode()))
    path = environ.get("PATH_INFO", MCP_PATH)
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": environ.get("REQUEST_METHOD", "GET"),
        "scheme": environ.get("wsgi.url_scheme", "http"),
        "path": path,
        "raw_path": path.encode("latin-1"),
        "root_path": "",
        "query_string": environ.get("QUERY_STRING", "").encode("latin-1"),
        "headers": headers,
        "client": (environ.get("REMOTE_ADDR", ""), int(environ.get("REMOTE_PORT") or 0)),
        "server": (environ.get("SERVER_NAME", ""), int(environ.get("SERVER_PORT") or 0)),
        "state": {},
    }


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def _json(
    start_response: Any,
    status: HTTPStatus,
    message: str,
    *extra: tuple[str, str],
    body: bytes = b"",
) -> list[bytes]:
    """A JSON-RPC error answering the request's id, so an MCP client shows `message` itself."""
    start_response(
        f"{status.value} {status.phrase}", [("Content-Type", "application/json"), *extra]
    )
    error = {
        "code": UNAUTHORIZED if status == HTTPStatus.UNAUTHORIZED else -32600,
        "message": message,
    }
    return [json.dumps({"jsonrpc": "2.0", "id": _request_id(body), "error": error}).encode()]


def _request_id(body: bytes) -> str | int | None:
    try:
        found = json.loads(body).get("id")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str | int) and not isinstance(found, bool) else None
