"""Closed-won amounts in SQL: in a period, and the new business created and won inside one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.crm.money import to_decimal
from tools.day_numbers import start_of
from tools.models import Deal, Stage
from tools.periods import Period, quarter_of
from tools.scope import AnalyticsScope

RUN_RATE_QUARTERS = 4


def won_in(session: Session, scope: AnalyticsScope, period: Period) -> tuple[int, Decimal]:
    """How many deals closed won with a close date in the period, and their amount."""
    count, amount = session.execute(
        select(func.count(), func.sum(scope.amount())).where(
            scope.owns(),
            Deal.stage == Stage.CLOSED_WON,
            Deal.close_date.between(period.start, period.end),
        )
    ).one()
    return int(count), to_decimal(amount)


def created_and_won_in(session: Session, scope: AnalyticsScope, period: Period) -> Decimal:
    """Amount won in the period by deals that were also created in it (new business)."""
    amount = session.scalar(
        select(func.sum(scope.amount())).where(
            scope.owns(),
            Deal.stage == Stage.CLOSED_WON,
            Deal.close_date.between(period.start, period.end),
            Deal.created_at >= start_of(period.start),
            Deal.created_at < start_of(period.end + relativedelta(days=1)),
        )
    )
    return to_decimal(amount)


def new_business_per_day(session: Session, scope: AnalyticsScope, as_of: datetime) -> Decimal:
    """New business per day over the RUN_RATE_QUARTERS whole quarters before `as_of`'s own."""
    quarter = quarter_of(as_of.date())
    total, days = Decimal(0), 0
    for k in range(1, RUN_RATE_QUARTERS + 1):
        past = quarter_of(quarter.start - relativedelta(months=3 * k))
        total += created_and_won_in(session, scope, past)
        days += (past.end - past.start).days + 1
    return total / Decimal(days)
