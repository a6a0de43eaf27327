"""The fixture CRM ready for writes, and small helpers the write-back tests share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from support.crm_fixture import NOW, build_fixture
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.interactions import InteractionIndex
from tools.models import Activity, AuditLog, PendingWrite, Task
from tools.principal import Principal, get_principal_by_email

# The fixture inserts its own ids, so PostgreSQL's sequences never moved past 1.
SEQUENCED = (
    "deals",
    "activities",
    "tasks",
    "deal_stage_history",
    "deal_field_history",
    "audit_log",
)


def build_write_fixture(session: Session) -> None:
    build_fixture(session)
    if session.get_bind().dialect.name == "postgresql":
        for table in SEQUENCED:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )


def principal(sessions: sessionmaker[Session], email: str) -> Principal:
    with sessions() as session:
        return get_principal_by_email(session, email)


def call_tool(
    sessions: sessionmaker[Session],
    email: str,
    name: str,
    index: InteractionIndex | None = None,
    **args: Any,
) -> dict[str, Any]:
    who = principal(sessions, email)
    tools = {t.name: t for t in make_tools(ToolContext(who, sessions, index, lambda: NOW))}
    call = {"type": "tool_call", "id": "w1", "name": name, "args": args}
    return tools[name].invoke(call).artifact


def count(sessions: sessionmaker[Session], model: type[Any], **where: Any) -> int:
    with sessions() as session:
        query = select(func.count()).select_from(model).filter_by(**where)
        return int(session.scalar(query) or 0)


def audit_rows(sessions: sessionmaker[Session], **where: Any) -> list[AuditLog]:
    with sessions() as session:
        return list(session.scalars(select(AuditLog).filter_by(**where).order_by(AuditLog.id)))


__all__ = ["NOW", "Activity", "PendingWrite", "Task", "audit_rows", "call_tool", "count"]
