"""Run one agent tool directly as a principal (App Home, "Show all"): same scoping, no model."""

from __future__ import annotations

from typing import Any

from bot.slack.deps import SlackDeps
from tools.artifacts import ArtifactType
from tools.bound_tools import bound, shared_tool
from tools.context import ToolContext
from tools.principal import Principal


def run_tool(
    deps: SlackDeps, principal: Principal, name: str, args: dict[str, Any]
) -> dict[str, Any]:
    """The artifact of tool `name` called with `args`, as `principal` (unknown tool: a notice)."""
    ctx = ToolContext(
        principal, deps.sessions, deps.runner.index, deps.clock, deps.runner.reporting_currency
    )
    tool = shared_tool(name)
    if tool is None:
        return {
            "type": ArtifactType.NOTICE,
            "text": "That list can no longer be shown; please ask again.",
        }
    known = {k: v for k, v in args.items() if k in tool.args}  # buttons may carry extra keys
    with bound(ctx):
        message = tool.invoke({"type": "tool_call", "id": "direct", "name": name, "args": known})
    artifact = message.artifact
    return (
        artifact
        if isinstance(artifact, dict)
        else {"type": ArtifactType.NOTICE, "text": str(message.content)}
    )
