"""Reading the audit log: who changed what, when, from where, with before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import AuditLog, User
from tools.writes.artifact import aware


def list_audit(
    session: Session, *, limit: int = 50, entity: str | None = None
) -> list[dict[str, Any]]:
    """The newest audit rows first, with the actor's email."""
    query = (
        select(AuditLog, User.email)
        .outerjoin(User, User.id == AuditLog.actor_id)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(max(1, limit))
    )
    if entity:
        query = query.where(AuditLog.entity == entity)
    return [_row(log, email) for log, email in session.execute(query).all()]


def _row(log: AuditLog, email: str | None) -> dict[str, Any]:
    created = aware(log.created_at)
    return {
        "id": log.id,
        "when": created.isoformat() if created else None,
        "actor": email,
        "action": log.action,
        "entity": log.entity,
        "entity_id": log.entity_id,
        "surface": str(log.surface),
        "before": log.before,
        "after": log.after,
    }
