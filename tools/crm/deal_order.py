"""Ranked deal lists and per-rep totals: "my 5 biggest deals", "which rep has the most pipeline"."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.artifacts import DealListFigures
from tools.crm.currency import DEFAULT_CURRENCY
from tools.crm.deals import DealFilter, _deal_conditions, list_deals
from tools.crm.rows import deal_row, deal_rows_query, last_activity_at
from tools.models import Deal, Stage, User
from tools.periods import Period
from tools.principal import Principal

ORDERS = ("amount", "amount_asc", "close_date", "age", "inactivity")


def _order(order: str) -> list[Any]:
    last = func.coalesce(last_activity_at(), Deal.created_at)
    orders: dict[str, list[Any]] = {
        "amount": [Deal.amount.desc()],
        "amount_asc": [Deal.amount.asc()],
        "close_date": [Deal.close_date.asc()],
        "age": [Deal.created_at.asc()],
        "inactivity": [last.asc()],
    }
    return [*orders[order], Deal.id]


def ranked_deals(
    session: Session,
    principal: Principal,
    flt: DealFilter,
    order: str,
    *,
    today: date,
    limit: int,
    reporting: str = DEFAULT_CURRENCY,
) -> DealListFigures:
    """Like `list_deals`, with the page in `order` (one of ORDERS) instead of by close date.

    Totals and counts cover every match; amounts are compared as stored, which ranks deals in
    one currency exactly (a mixed book says so in the list's note).
    """
    found = list_deals(session, principal, flt, today=today, limit=1, reporting=reporting)
    where = _deal_conditions(principal, flt, today)
    page = select(Deal.id).where(*where).order_by(*_order(order)).limit(limit).subquery()
    rows = session.execute(
        deal_rows_query().join(page, page.c.id == Deal.id).order_by(*_order(order))
    ).all()
    found["rows"] = [deal_row(*row, zone=principal.timezone) for row in rows]
    found["truncated"] = found["total_count"] > len(rows)
    return found


def amount_by_owner(
    session: Session,
    owner_ids: frozenset[int] | None,
    stages: tuple[Stage, ...],
    period: Period | None,
    amount: Any,
) -> list[tuple[str, int, Any]]:
    """(rep, deals, total) for each owner in scope, over deals in `stages` closing in `period`."""
    query = (
        select(User.name, func.count(Deal.id), func.coalesce(func.sum(amount), 0))
        .join(User, User.id == Deal.owner_id)
        .where(Deal.stage.in_(stages))
        .group_by(User.name)
    )
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    if period is not None:
        query = query.where(Deal.close_date.between(period.start, period.end))
    return [(str(n), int(c), t) for n, c, t in session.execute(query).all()]
