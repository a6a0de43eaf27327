"""The open pipeline as it stood at a moment, rebuilt from the stage history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, func, literal, or_, select
from sqlalchemy.orm import Session

from tools.analytics.scope import AnalyticsScope
from tools.crm.money import to_decimal
from tools.models import OPEN_STAGES, Deal, DealStageHistory, Stage
from tools.nudges.sql import days_between


@dataclass(frozen=True, slots=True)
class OpenDeal:
    """One deal open at the snapshot: its stage then, days in that stage, amount, close date."""

    id: int
    stage: Stage
    age_days: float
    amount: Decimal
    close_date: date


def open_pipeline(session: Session, scope: AnalyticsScope, as_of: datetime) -> list[OpenDeal]:
    """Deals created before `as_of`, not closed by then, in an open stage at that moment.

    The stage is the deal's last stage change before `as_of`; the close date is today's (the
    history of close dates only says how it moved, and the method does not use it to decide).
    """
    h = DealStageHistory
    latest = (
        select(
            h.deal_id,
            h.to_stage,
            h.changed_at,
            func.row_number()
            .over(partition_by=h.deal_id, order_by=(h.changed_at.desc(), h.id.desc()))
            .label("n"),
        )
        .where(h.changed_at < as_of)
        .subquery()
    )
    rows = session.execute(
        select(
            Deal.id,
            latest.c.to_stage,
            days_between(latest.c.changed_at, literal(as_of, DateTime(timezone=True))),
            Deal.amount,
            Deal.close_date,
        )
        .join(latest, (latest.c.deal_id == Deal.id) & (latest.c.n == 1))
        .where(
            scope.owns(),
            Deal.created_at < as_of,
            or_(Deal.closed_at.is_(None), Deal.closed_at >= as_of),
            latest.c.to_stage.in_(OPEN_STAGES),
        )
        .order_by(Deal.id)
    ).all()
    return [
        OpenDeal(i, Stage(stage), max(float(age), 0.0), to_decimal(amount), close)
        for i, stage, age, amount, close in rows
    ]
