"""Run an agent tool as a fixture user, at the fixture's NOW."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from support.analytics_fixture import NOW
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.principal import get_principal_by_email


def call(sessions: sessionmaker[Session], email: str, tool: str, **args: Any) -> dict[str, Any]:
    """Run agent tool `tool` as the user with `email`, at the fixture's NOW."""
    with sessions() as session:
        principal = get_principal_by_email(session, email)
    tools = {t.name: t for t in make_tools(ToolContext(principal, sessions, None, lambda: NOW))}
    message = tools[tool].invoke({"type": "tool_call", "id": "t", "name": tool, "args": args})
    return message.artifact  # type: ignore[no-any-return]
