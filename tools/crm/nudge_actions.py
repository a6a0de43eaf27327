"""What a rep does with a nudge: complete a task, snooze or acknowledge an item, set a schedule.

Every change is conditional, so the same click delivered twice (or double-clicked) changes
the data once, and each change writes one `audit_log` row (tools/audit.py) whose `request_key`
is unique.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tools.audit import record_audit, request_seen
from tools.models import NudgeSettings, NudgeSnooze, Task
from tools.portable_sql import upsert_insert
from tools.principal import Principal

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WORKING_DAYS = ("mon", "tue", "wed", "thu", "fri")


class Outcome(enum.StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"  # already so: a repeat click, or a retried delivery
    REFUSED = "refused"  # not the clicker's to change, or not there at all


@dataclass(frozen=True, slots=True)
class TaskCompletion:
    outcome: Outcome
    title: str | None = None


def complete_task(
    session: Session, principal: Principal, task_id: int, *, now: datetime, request_key: str
) -> TaskCompletion:
    """Mark the principal's own task done, once; anyone else's task is refused."""
    row = session.execute(select(Task.owner_id, Task.title).where(Task.id == task_id)).first()
    if row is None or row.owner_id != principal.user_id:
        return TaskCompletion(Outcome.REFUSED)
    if request_seen(session, request_key):
        return TaskCompletion(Outcome.UNCHANGED, row.title)
    done = session.execute(
        update(Task)
        .where(Task.id == task_id, Task.owner_id == principal.user_id, Task.completed_at.is_(None))
        .values(completed_at=now)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return TaskCompletion(Outcome.UNCHANGED, row.title)
    record_audit(
        session,
        principal,
        action="task.complete",
        entity="task",
        entity_id=task_id,
        change=({"completed_at": None}, {"completed_at": now.isoformat()}),
        now=now,
        request_key=request_key,
    )
    return TaskCompletion(Outcome.CHANGED, row.title)


def snooze_item(
    session: Session,
    principal: Principal,
    item_key: str,
    *,
    until: date,
    now: datetime,
    request_key: str,
    action: str = "nudge.snooze",
) -> Outcome:
    """Hide `item_key` from the principal's nudges until `until` (it shows again that day)."""
    before = get_snooze_until(session, principal.user_id, item_key)
    if before == until or request_seen(session, request_key):
        return Outcome.UNCHANGED
    upsert = upsert_insert(session, NudgeSnooze).values(
        user_id=principal.user_id, item_key=item_key, until=until, created_at=now
    )
    # The WHERE makes a concurrent identical click update nothing and so return no row.
    changed = session.scalar(
        upsert.on_conflict_do_update(
            index_elements=["user_id", "item_key"],
            set_={"until": until},
            where=NudgeSnooze.until != until,
        ).returning(NudgeSnooze.id)
    )
    if changed is None:
        return Outcome.UNCHANGED
    record_audit(
        session,
        principal,
        action=action,
        entity="nudge",
        entity_id=item_key,
        change=({"until": _iso(before)}, {"until": until.isoformat()}),
        now=now,
        request_key=request_key,
    )
    return Outcome.CHANGED


def get_snooze_until(session: Session, user_id: int, item_key: str) -> date | None:
    return session.scalar(
        select(NudgeSnooze.until).where(
            NudgeSnooze.user_id == user_id, NudgeSnooze.item_key == item_key
        )
    )


def get_nudge_settings(session: Session, user_id: int) -> dict[str, Any]:
    """The user's schedule; defaults when they never set one (`send_time` None: the default)."""
    row = session.get(NudgeSettings, user_id)
    if row is None:
        return {"send_time": None, "working_days": list(DEFAULT_WORKING_DAYS), "paused": False}
    return {
        "send_time": row.send_time,
        "working_days": parse_days(row.working_days),
        "paused": bool(row.paused),
    }


def save_nudge_settings(
    session: Session,
    principal: Principal,
    settings: dict[str, Any],
    *,
    now: datetime,
    request_key: str,
) -> Outcome:
    """Store the principal's own schedule (`send_time`, `working_days`, `paused`), audited."""
    before = get_nudge_settings(session, principal.user_id)
    after = {
        "send_time": settings["send_time"],
        "working_days": [d for d in WEEKDAYS if d in settings["working_days"]],
        "paused": bool(settings["paused"]),
    }
    if before == after or request_seen(session, request_key):
        return Outcome.UNCHANGED
    values = {**after, "working_days": ",".join(after["working_days"]), "updated_at": now}
    session.execute(
        upsert_insert(session, NudgeSettings)
        .values(user_id=principal.user_id, **values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )
    record_audit(
        session,
        principal,
        action="nudge_settings.update",
        entity="nudge_settings",
        entity_id=principal.user_id,
        change=(before, after),
        now=now,
        request_key=request_key,
    )
    return Outcome.CHANGED


def parse_days(text: str | None) -> list[str]:
    """ "mon,tue" (any case, spaces, order) as known weekdays in week order."""
    given = {part.strip().lower()[:3] for part in (text or "").split(",")}
    return [d for d in WEEKDAYS if d in given]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
