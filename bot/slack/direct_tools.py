"""Run one agent tool directly as a principal (App Home, "Show all"): same scoping, no model."""

from __future__ import annotations

from typing import Any

from bot.slack.deps import SlackDeps
from tools.artifacts import ArtifactType
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.planner_tools import make_planner_tools
from tools.principal import Principal


def run_tool(
    deps: SlackDeps, principal: Principal, name: str, args: dict[str, Any]
) -> dict[str, Any]:
    """The artifact of tool `name` called with `args`, as `principal` (unknown tool: a notice)."""
    ctx = ToolContext(
        principal, deps.sessions, deps.runner.index, deps.clock, deps.runner.reporting_currency
    )
    # The offline planner's own tools too, so "Show all" re-runs a ranked list it made.
    tools = {t.name: t for t in [*make_tools(ctx), *make_planner_tools(ctx)]}
    if name not in tools:
        return {
            "type": ArtifactType.NOTICE,
            "text": "That list can no longer be shown; please ask again.",
        }
    tool = tools[name]
    known = {k: v for k, v in args.items() if k in tool.args}  # buttons may carry extra keys
    message = tool.invoke({"type": "tool_call", "id": "direct", "name": name, "args": known})
    artifact = message.artifact
    return (
        artifact
        if isinstance(artifact, dict)
        else {"type": ArtifactType.NOTICE, "text": str(message.content)}
    )
