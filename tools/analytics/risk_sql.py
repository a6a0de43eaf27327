"""The per-deal facts deal_risks needs, each one grouped query over the scope's open deals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from tools.models import OPEN_STAGES, Activity, Deal, DealStageHistory, Task
from tools.portable_sql import in_ids
from tools.scope import AnalyticsScope


def open_deal_ids(session: Session, scope: AnalyticsScope) -> list[int]:
    return list(
        session.scalars(select(Deal.id).where(scope.owns(), Deal.stage.in_(OPEN_STAGES))).all()
    )


def stage_entered(session: Session, ids: list[int]) -> dict[int, datetime]:
    """When each deal entered its current stage (its latest stage change)."""
    h = DealStageHistory
    rows = session.execute(
        select(h.deal_id, func.max(h.changed_at)).where(in_ids(h.deal_id, ids)).group_by(h.deal_id)
    ).all()
    return {int(d): t for d, t in rows}


def engaged_contacts(session: Session, ids: list[int], since: datetime) -> dict[int, int]:
    """Distinct contacts on each deal's activities since `since`."""
    rows = session.execute(
        select(Activity.deal_id, func.count(func.distinct(Activity.contact_id)))
        .where(in_ids(Activity.deal_id, ids), Activity.occurred_at >= since)
        .group_by(Activity.deal_id)
    ).all()
    return {d: n for d, n in rows if d is not None}


def open_tasks(session: Session, ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Task.deal_id, func.count())
        .where(in_ids(Task.deal_id, ids), Task.completed_at.is_(None))
        .group_by(Task.deal_id)
    ).all()
    return {d: n for d, n in rows if d is not None}


def mentions(words: tuple[str, ...]) -> ColumnElement[bool]:
    """The activity's subject or body contains one of `words` (any case)."""
    text = func.lower(Activity.subject + " " + Activity.body)
    return or_(*(text.like(f"%{w}%") for w in words))


def latest_mention(
    session: Session, ids: list[int], words: tuple[str, ...], since: datetime
) -> dict[int, Any]:
    """Per deal, its latest activity since `since` mentioning one of `words`."""
    ranked = (
        select(
            Activity.deal_id,
            Activity.occurred_at,
            Activity.subject,
            Activity.body,
            func.row_number()
            .over(
                partition_by=Activity.deal_id,
                order_by=(Activity.occurred_at.desc(), Activity.id.desc()),
            )
            .label("n"),
        )
        .where(in_ids(Activity.deal_id, ids), Activity.occurred_at >= since, mentions(words))
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.n == 1)).all()
    return {int(r.deal_id): r for r in rows}


def mentioned_after(
    session: Session, after: dict[int, datetime], words: tuple[str, ...]
) -> set[int]:
    """Deals with an activity mentioning one of `words` after the deal's time in `after`."""
    if not after:
        return set()
    rows = session.execute(
        select(Activity.deal_id, func.max(Activity.occurred_at))
        .where(in_ids(Activity.deal_id, after), mentions(words))
        .group_by(Activity.deal_id)
    ).all()
    return {d for d, t in rows if d is not None and _aware(t) > _aware(after[d])}


def _aware(value: datetime) -> datetime:
    # SQLite hands timestamps back naive; they are stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
