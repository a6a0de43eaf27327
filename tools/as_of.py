"""The CRM as it stood on a past day: a private SQLite copy holding only what was known then.

`salesbot ask --as-of DATE` (and SALESBOT_AS_OF) answer from this copy with the clock set to
that day, so every relative word, the forecast and its backtest, risks and nudges see exactly
the data of that day: later deals, activities and tasks are gone, and each deal's stage,
amount, close date and next step are rewound through its stage and field history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, select, update
from sqlalchemy.orm import Session

from tools.db import upgrade
from tools.models import (
    CLOSED_STAGES,
    Account,
    Activity,
    AuditLog,
    Base,
    Contact,
    Deal,
    DealFieldHistory,
    DealStageHistory,
    NudgeDelivery,
    PendingWrite,
    Stage,
    StageRateBaseline,
    Task,
)

BATCH = 2000
_SKIPPED_TABLES = {"alembic_version"}


def clock_at(day: date) -> datetime:
    """The moment an as-of answer is computed at: noon UTC, that day in every timezone."""
    return datetime.combine(day, time(12), UTC)


def cutoff_of(day: date) -> datetime:
    """Everything before the next midnight UTC was known on `day`."""
    return datetime.combine(day + timedelta(days=1), time(), UTC)


def as_of_copy(source: Engine, day: date, folder: Path) -> str:
    """Copy the CRM into a SQLite file under `folder`, rewound to `day`; returns its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / f'as-of-{day.isoformat()}.db'}"
    target = create_engine(url)  # no foreign-key pragma: rows are copied table by table
    upgrade(target)
    with source.connect() as src, target.begin() as dst:
        for table in Base.metadata.sorted_tables:
            if table.name in _SKIPPED_TABLES:
                continue
            dst.execute(table.delete())
            rows = src.execute(select(table)).mappings()
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(dict(row))
                if len(batch) >= BATCH:
                    dst.execute(table.insert(), batch)
                    batch = []
            if batch:
                dst.execute(table.insert(), batch)
    with Session(target) as session, session.begin():
        rewind(session, cutoff_of(day))
    target.dispose()
    return url


def rewind(session: Session, cutoff: datetime) -> None:
    """Remove what happened at or after `cutoff` and put each deal back as it was."""
    later_deals = select(Deal.id).where(Deal.created_at >= cutoff)
    for child in (DealStageHistory, DealFieldHistory, Activity, Task):
        session.execute(delete(child).where(child.deal_id.in_(later_deals)))
    session.execute(delete(Deal).where(Deal.created_at >= cutoff))
    session.execute(delete(Activity).where(Activity.occurred_at >= cutoff))
    session.execute(delete(Task).where(Task.created_at >= cutoff))
    session.execute(update(Task).where(Task.completed_at >= cutoff).values(completed_at=None))
    _rewind_fields(session, cutoff)
    session.execute(delete(DealStageHistory).where(DealStageHistory.changed_at >= cutoff))
    _rewind_stages(session, cutoff)
    _drop_later_accounts(session, cutoff)
    session.execute(delete(AuditLog).where(AuditLog.created_at >= cutoff))
    session.execute(delete(PendingWrite).where(PendingWrite.created_at >= cutoff))
    session.execute(delete(NudgeDelivery).where(NudgeDelivery.claimed_at >= cutoff))
    session.execute(delete(StageRateBaseline).where(StageRateBaseline.as_of >= cutoff.date()))


def _rewind_fields(session: Session, cutoff: datetime) -> None:
    """Each tracked field back to its value before its first change at or after the cutoff."""
    h = DealFieldHistory
    rows = session.execute(
        select(h.deal_id, h.field, h.old_value)
        .where(h.changed_at >= cutoff)
        .order_by(h.deal_id, h.field, h.changed_at.desc(), h.id.desc())
    ).all()
    first: dict[tuple[int, str], str | None] = {}
    for deal_id, name, old in rows:  # the last one seen per key is the earliest change
        first[(deal_id, name)] = old
    for (deal_id, name), old in first.items():
        value = _field_value(name, old)
        if value is not _SKIP:
            session.execute(update(Deal).where(Deal.id == deal_id).values({name: value}))
    session.execute(delete(h).where(h.changed_at >= cutoff))


_SKIP = object()


def _field_value(name: str, old: str | None) -> Any:
    if name == "amount":
        try:
            return Decimal(old) if old else _SKIP
        except InvalidOperation:
            return _SKIP
    if name == "close_date":
        try:
            return date.fromisoformat(old[:10]) if old else _SKIP
        except ValueError:
            return _SKIP
    return old if name == "next_step" else _SKIP


def _rewind_stages(session: Session, cutoff: datetime) -> None:
    """A deal's stage is its last stage change before the cutoff; a deal closed later is open
    (in its last open stage, else the pipeline's first)."""
    h = DealStageHistory
    history = session.execute(select(h.deal_id, h.to_stage).order_by(h.deal_id, h.changed_at, h.id))
    stage_then: dict[int, Stage] = {deal_id: stage for deal_id, stage in history}
    deals = session.execute(select(Deal.id, Deal.stage, Deal.closed_at)).all()
    for deal_id, stage, closed_at in deals:
        later_close = closed_at is not None and _aware(closed_at) >= cutoff
        then = stage_then.get(deal_id, stage)
        if later_close and then in CLOSED_STAGES:
            then = Stage.PROSPECTING
        if then != stage or later_close:
            values: dict[str, Any] = {"stage": then}
            if then not in CLOSED_STAGES:
                values["closed_at"] = None
            session.execute(update(Deal).where(Deal.id == deal_id).values(values))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _drop_later_accounts(session: Session, cutoff: datetime) -> None:
    later = select(Account.id).where(Account.created_at >= cutoff)
    kept = select(Deal.account_id)
    gone = later.where(Account.id.not_in(kept))
    session.execute(delete(Activity).where(Activity.account_id.in_(gone)))
    session.execute(delete(Contact).where(Contact.account_id.in_(gone)))
    session.execute(delete(Account).where(Account.id.in_(gone)))
