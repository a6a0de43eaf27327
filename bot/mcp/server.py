"""The MCP server: the agent's tools, each call run as the caller's CRM user.

The SDK's low-level `Server`: the tool list and every call resolve the caller's token first
(bot/mcp/auth.py), then run the same LangChain tools Slack runs (bot/mcp/catalog.py) on a worker
thread, so a slow query never blocks the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError

from bot.agent.runner import AgentRunner
from bot.mcp.auth import TokenAuth
from bot.mcp.catalog import CardPoster, call_tool, error_result, list_mcp_tools
from bot.metrics.correlation import new_ref
from bot.metrics.events import log_event
from bot.metrics.registry import MCP_CALLS
from tools.api_tokens import TokenRefusedError
from tools.context import ToolContext
from tools.principal import Principal
from tools.write_tools import WRITE_TOOLS

SERVER_NAME = "salesbot"
UNAUTHORIZED = -32001  # a server-defined JSON-RPC error code: the token was refused
INSTRUCTIONS = (
    "Tools over the user's own CRM. Figures come from SQL: quote them, never compute your own. "
    "Everything is limited to what this user may see. log_interaction, update_deal and "
    "create_task only propose a change: the user confirms it in Slack or the salesbot CLI."
)
TokenOf = Callable[[ServerRequestContext[Any, Any]], str | None]
Contexts = Callable[[Principal], ToolContext]


def build_mcp_server(
    auth: TokenAuth,
    contexts: Contexts,
    token_of: TokenOf,
    transport: str,
    post_card: CardPoster | None = None,
) -> Any:
    """A low-level MCP `Server` listing and calling the tools as each request's token user;
    `post_card` shows a proposal to its proposer in Slack (under `serve`)."""

    async def principal(ctx: ServerRequestContext[Any, Any]) -> Principal:
        token = token_of(ctx)
        return await anyio.to_thread.run_sync(lambda: auth.principal(token, transport=transport))

    async def on_list_tools(
        ctx: ServerRequestContext[Any, Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        try:
            who = await principal(ctx)
        except TokenRefusedError as exc:
            raise MCPError(UNAUTHORIZED, str(exc)) from exc
        return types.ListToolsResult(tools=list_mcp_tools(contexts(who)))

    async def on_call_tool(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        started, ref = time.perf_counter(), new_ref()
        try:
            who = await principal(ctx)
        except TokenRefusedError as exc:
            _record("other", "refused", started, ref, transport)
            return error_result(str(exc))
        args = dict(params.arguments or {})
        result, known = await anyio.to_thread.run_sync(
            lambda: call_tool(contexts(who), params.name, args, post_card)
        )
        outcome = "error" if result.is_error else "ok"
        _record(params.name if known else "other", outcome, started, ref, transport)
        return result

    return Server(
        SERVER_NAME,
        instructions=INSTRUCTIONS,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


def contexts_from(runner: AgentRunner) -> Contexts:
    """Tool contexts exactly as the agent builds them for a question (bot/agent/runner.py)."""

    def context(principal: Principal) -> ToolContext:
        return ToolContext(
            principal, runner.sessions, runner.index, runner.clock, runner.reporting_currency
        )

    return context


def _record(tool: str, outcome: str, started: float, ref: str, transport: str) -> None:
    MCP_CALLS.labels(tool=tool, outcome=outcome).inc()
    seconds = time.perf_counter() - started
    log_event(
        "mcp_call",
        ref=ref,
        transport=transport,
        tool=tool,
        proposes=tool in WRITE_TOOLS,
        outcome=outcome,
        duration_ms=round(seconds * 1000, 1),
    )
