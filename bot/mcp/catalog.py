"""The agent's own tools as MCP tools: the same names, descriptions, argument schemas and code.

Each call builds the tools for the caller's principal (tools/context.py, `make_tools`), exactly
as a Slack question does, so every query is filtered by the same scope code. The proposing tools
only store a `pending_writes` row: nothing over MCP can confirm one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import mcp_types as types
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.principal import Principal
from tools.write_tools import WRITE_TOOLS

CONFIRM_HINT = (
    "Proposal {id} is NOT saved. Only {email} can save it{where}, or with "
    "`salesbot confirm {id} --as {email}`. Do not tell the user it was saved."
)
IN_SLACK = ": the confirmation card is in their Slack DMs"
CardPoster = Callable[[Principal, Mapping[str, Any]], bool]


def list_mcp_tools(ctx: ToolContext) -> list[types.Tool]:
    return [_describe(tool) for tool in make_tools(ctx)]


def _describe(tool: BaseTool) -> types.Tool:
    schema = tool.tool_call_schema
    # pydantic v2 models (every tool of ours); LangChain's type also allows v1 ones and dicts.
    schema_of: Any = getattr(schema, "model_json_schema", None)
    found: Any = schema_of() if schema_of else schema
    input_schema: dict[str, Any] = dict(found)
    input_schema.pop("title", None)
    proposes = tool.name in WRITE_TOOLS
    return types.Tool(
        name=tool.name,
        description=tool.description,
        input_schema=input_schema,
        annotations=types.ToolAnnotations(
            read_only_hint=not proposes, destructive_hint=False, open_world_hint=False
        ),
    )


def call_tool(
    ctx: ToolContext,
    name: str,
    arguments: dict[str, Any],
    post_card: CardPoster | None = None,
) -> tuple[types.CallToolResult, bool]:
    """Run one tool as the context's principal, and whether the tool exists. An unknown tool or
    a bad argument is a result the calling model can read, never an exception."""
    tools = {tool.name: tool for tool in make_tools(ctx)}
    tool = tools.get(name)
    if tool is None:
        known = ", ".join(sorted(tools))
        return error_result(f"There is no tool named {name[:80]!r}. Known: {known}."), False
    message = tool.invoke({"type": "tool_call", "id": "mcp", "name": name, "args": arguments})
    content = message.content if isinstance(message, ToolMessage) else str(message)
    artifact = getattr(message, "artifact", None)
    text = content if isinstance(content, str) else json.dumps(content, default=str)
    blocks = [types.TextContent(text=text)]
    if name in WRITE_TOOLS and isinstance(artifact, dict) and artifact.get("id"):
        shown = post_card is not None and post_card(ctx.principal, artifact)
        where = IN_SLACK if shown else ""
        hint = CONFIRM_HINT.format(id=artifact["id"], email=ctx.principal.email, where=where)
        blocks.append(types.TextContent(text=hint))
    structured = json.loads(json.dumps(artifact, default=str)) if artifact else None
    return types.CallToolResult(content=list(blocks), structured_content=structured), True


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=message)], is_error=True)
