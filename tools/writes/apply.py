"""Applying a confirmed write to the CRM, and reverting it, inside the caller's transaction.

Each change re-checks access and that the data still holds the values the user saw, so a
deal edited by someone else since the proposal is not silently overwritten.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tools.models import (
    CLOSED_STAGES,
    Activity,
    ActivityKind,
    Deal,
    DealFieldHistory,
    DealStageHistory,
    PendingWrite,
    Stage,
    Task,
)
from tools.principal import Principal
from tools.writes.propose import deal_values
from tools.writes.resolve import account_in_scope, deal_in_scope

SUBJECT_CHARS = 120
_SUBJECTS = {
    "call": "Call with",
    "meeting": "Meeting with",
    "email": "Email with",
    "note": "Note on",
    "linkedin": "LinkedIn message with",
}


class WriteConflictError(RuntimeError):
    """The data changed (or left the user's scope) since the write was proposed."""


def apply_write(
    session: Session, row: PendingWrite, principal: Principal, *, now: datetime
) -> dict[str, Any]:
    """Make the change; returns what undo needs (e.g. the new activity's id)."""
    payload: dict[str, Any] = row.payload
    if row.action == "update_deal":
        return _set_deal(session, row, principal, row.before or {}, payload["changes"], now)
    if row.action == "log_interaction":
        return _add_activity(session, payload, principal, now)
    if row.action == "create_task":
        return _add_task(session, payload, principal, now)
    raise WriteConflictError(f"unknown write {row.action}")


def revert_write(
    session: Session, row: PendingWrite, principal: Principal, *, now: datetime
) -> None:
    """Put back what the write replaced (the deal's old values), or remove what it added."""
    result = row.result or {}
    payload: dict[str, Any] = row.payload
    if row.action == "update_deal":
        restore = {**(row.before or {}), "closed_at": result.get("closed_at")}
        _set_deal(session, row, principal, payload["changes"], restore, now)
    elif row.action == "log_interaction":
        session.execute(delete(Activity).where(Activity.id == result.get("activity_id")))
    elif row.action == "create_task":
        done = session.scalar(select(Task.completed_at).where(Task.id == result.get("task_id")))
        if done is not None:
            raise WriteConflictError("the task was completed since")
        session.execute(delete(Task).where(Task.id == result.get("task_id")))


def _set_deal(
    session: Session,
    row: PendingWrite,
    principal: Principal,
    expected: dict[str, Any],
    target: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    deal = session.scalar(select(Deal).where(Deal.id == int(row.entity_id or 0)).with_for_update())
    if deal is None or not deal_in_scope(session, principal, deal.id):
        raise WriteConflictError("the deal is no longer in your book")
    current = deal_values(deal)
    if any(current[k] != v for k, v in expected.items() if k in current):
        raise WriteConflictError("the deal was changed since")
    result: dict[str, Any] = {"closed_at": _iso(deal.closed_at)}
    for key, value in target.items():
        if key == "stage":
            _set_stage(session, deal, Stage(value), now, target.get("closed_at"))
        elif key in current:
            _set_field(session, deal, key, current[key], value, principal, now)
    return result


def _set_stage(
    session: Session, deal: Deal, stage: Stage, now: datetime, closed_at: str | None
) -> None:
    session.add(
        DealStageHistory(deal_id=deal.id, from_stage=deal.stage, to_stage=stage, changed_at=now)
    )
    deal.stage = stage
    if stage not in CLOSED_STAGES:
        deal.closed_at = None
    else:  # an undo puts back the original closing time; a new close is now
        deal.closed_at = datetime.fromisoformat(closed_at) if closed_at else now


def _set_field(
    session: Session,
    deal: Deal,
    key: str,
    old: str | None,
    new: str | None,
    principal: Principal,
    now: datetime,
) -> None:
    if key == "amount":
        deal.amount = Decimal(str(new))
    elif key == "close_date":
        deal.close_date = date.fromisoformat(str(new))
    else:
        deal.next_step = new
    session.add(
        DealFieldHistory(
            deal_id=deal.id,
            field=key,
            old_value=old,
            new_value=new,
            changed_at=now,
            changed_by_id=principal.user_id,
        )
    )


def _add_activity(
    session: Session, payload: dict[str, Any], principal: Principal, now: datetime
) -> dict[str, Any]:
    if not account_in_scope(session, principal, payload["account_id"]):
        raise WriteConflictError("the account is no longer in your book")
    if payload.get("deal_id") and not deal_in_scope(session, principal, payload["deal_id"]):
        raise WriteConflictError("the deal is no longer in your book")
    text = payload["text"]
    body = f"{text}\n\nThread: {payload['link']}" if payload.get("link") else text
    activity = Activity(
        account_id=payload["account_id"],
        deal_id=payload.get("deal_id"),
        contact_id=payload.get("contact_id"),
        user_id=principal.user_id,
        kind=ActivityKind(payload["kind"]),
        occurred_at=_occurred_at(payload["occurred_on"], principal.timezone, now),
        subject=_subject(payload),
        body=body,
    )
    session.add(activity)
    session.flush()
    return {"activity_id": activity.id}


def _add_task(
    session: Session, payload: dict[str, Any], principal: Principal, now: datetime
) -> dict[str, Any]:
    if payload.get("deal_id") and not deal_in_scope(session, principal, payload["deal_id"]):
        raise WriteConflictError("the deal is no longer in your book")
    task = Task(
        owner_id=principal.user_id,
        deal_id=payload.get("deal_id"),
        title=payload["title"],
        due_date=date.fromisoformat(payload["due_date"]),
        created_at=now,
    )
    session.add(task)
    session.flush()
    return {"task_id": task.id}


def _occurred_at(day: str, timezone: str, now: datetime) -> datetime:
    """Now for today; noon in the user's timezone for an earlier day (no time was given)."""
    zone = ZoneInfo(timezone)
    if now.astimezone(zone).date().isoformat() == day:
        return now
    return datetime.combine(date.fromisoformat(day), time(12), tzinfo=zone).astimezone(now.tzinfo)


def _subject(payload: dict[str, Any]) -> str:
    """A short label ("Call with Acme Corp"); the words themselves are the body."""
    if payload.get("link"):
        return f"Slack thread about {payload['account']}"[:SUBJECT_CHARS]
    return f"{_SUBJECTS.get(payload['kind'], 'Note on')} {payload['account']}"[:SUBJECT_CHARS]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
