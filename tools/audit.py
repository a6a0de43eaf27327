"""The audit log, written and read in one place: who changed what, when, from where, with the
before and after values.

Every change salesbot saves writes one row here: confirmed writes and undo (tools/writes),
nudge clicks (tools/crm/nudge_actions.py) and imports (tools/importers/run.py). A row with a
`request_key` is written once per key, so a retried delivery changes nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import AuditLog, AuditSurface, User
from tools.portable_sql import upsert_insert
from tools.principal import Principal
from tools.writes.artifact import aware

MAX_ENTITY_ID = 64
Change = tuple[dict[str, Any] | None, dict[str, Any] | None]  # (before, after)


def write_audit(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: object,
    change: Change,
    now: datetime,
    surface: AuditSurface,
    request_key: str | None = None,
) -> bool:
    """One audit row; False (and nothing written) when `request_key` was recorded before."""
    written = session.scalar(
        upsert_insert(session, AuditLog)
        .values(
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id)[:MAX_ENTITY_ID],
            before=change[0],
            after=change[1],
            surface=surface,
            created_at=now,
            request_key=request_key[:255] if request_key else None,
        )
        .on_conflict_do_nothing(index_elements=["request_key"])
        .returning(AuditLog.id)
    )
    return written is not None


def record_audit(
    session: Session,
    principal: Principal,
    *,
    action: str,
    entity: str,
    entity_id: object,
    change: Change,
    now: datetime,
    request_key: str | None,
    surface: AuditSurface = AuditSurface.SLACK,
) -> bool:
    """`write_audit` for a change the principal made."""
    return write_audit(
        session,
        actor_id=principal.user_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        change=change,
        now=now,
        surface=surface,
        request_key=request_key,
    )


def request_seen(session: Session, request_key: str) -> bool:
    """True when a change was already recorded for this request (a retried delivery)."""
    found = session.scalar(select(AuditLog.id).where(AuditLog.request_key == request_key[:255]))
    return found is not None


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
