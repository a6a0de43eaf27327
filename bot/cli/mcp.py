"""`salesbot mcp`: the agent's tools over MCP on stdio, as the user of SALESBOT_TOKEN."""

from __future__ import annotations

import logging
import sys

import typer

from bot.cli.common import fail, services
from bot.cli.process_memory import pin_mmap_threshold
from bot.mcp.auth import TokenAuth
from bot.mcp.server import build_mcp_server, contexts_from
from bot.mcp.stdio import run_stdio
from bot.metrics.events import configure_event_log
from tools.api_tokens import TokenRefusedError


def mcp(ctx: typer.Context) -> None:
    """Serve the CRM tools to an MCP client (Claude Desktop, an IDE) on stdin/stdout.

    The client starts this command with SALESBOT_TOKEN set; every call runs as that token's
    user, with their scope. A revoked or expired token is refused from the next call on.
    """
    pin_mmap_threshold()  # a long-running process (bot.process_memory.py)
    svc = services(ctx)
    s = svc.settings
    # stdout carries the protocol: every log line goes to stderr.
    logging.basicConfig(level=s.log_level, stream=sys.stderr, format="%(levelname)s %(message)s")
    configure_event_log(log_content=s.log_content, stream=sys.stderr, level=s.log_level)
    runner = svc.runner
    auth = TokenAuth(runner.sessions, runner.clock)
    token = s.salesbot_token
    try:
        auth.principal(token, transport="stdio")
    except TokenRefusedError as exc:
        raise fail(f"SALESBOT_TOKEN: {exc}") from exc
    server = build_mcp_server(auth, contexts_from(runner), lambda _ctx: token, "stdio")
    run_stdio(server)
