"""Pipeline figures: stage totals, weighted amount from the scope's own win rates, quota."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from tools.artifacts import PastDueFigures, PipelineFigures, Row
from tools.crm.baseline import baseline_for
from tools.crm.money import money, to_decimal
from tools.crm.win_rates import cached_stage_win_rates
from tools.models import OPEN_STAGES, Deal, Quota, Stage, User
from tools.periods import Period


def _owned(owner_ids: frozenset[int] | None) -> ColumnElement[bool]:
    return true() if owner_ids is None else Deal.owner_id.in_(owner_ids)


def pipeline_figures(
    session: Session,
    owner_ids: frozenset[int] | None,
    period: Period,
    today: date,
    label: str,
    amount_sql: Any = Deal.amount,
) -> PipelineFigures:
    """Open deals closing in the period by stage, won in the period, and quota attainment.

    `amount_sql` is the SQL amount to add up: each deal's amount in the reporting currency
    (`Conversion.amount()`, tools/crm/currency.py); quotas are in that currency.

    Weighted amounts use the scope's win rates (tools/crm/win_rates.py), the same figures the
    pipeline review and the forecast show for the same scope.
    """
    found = cached_stage_win_rates(session, owner_ids, baseline_for(session, today))
    rates = found.rates
    grouped = dict(
        (Stage(stage), (count, to_decimal(amount)))
        for stage, count, amount in session.execute(
            select(Deal.stage, func.count(), func.sum(amount_sql))
            .where(
                _owned(owner_ids),
                Deal.stage.in_(OPEN_STAGES),
                Deal.close_date.between(period.start, period.end),
            )
            .group_by(Deal.stage)
        ).all()
    )
    by_stage: list[Row] = []
    for stage in OPEN_STAGES:
        count, amount = grouped.get(stage, (0, Decimal("0.00")))
        weighted = to_decimal(amount * rates[stage])
        by_stage.append(
            {
                "stage": str(stage),
                "count": count,
                "amount": money(amount),
                "weighted_amount": money(weighted),
                "win_rate": str(rates[stage]),
                "win_rate_pct": found.pct(stage),
            }
        )
    won_count, won_amount = session.execute(
        select(func.count(), func.sum(amount_sql)).where(
            _owned(owner_ids),
            Deal.stage == Stage.CLOSED_WON,
            Deal.close_date.between(period.start, period.end),
        )
    ).one()
    quota = quota_for(session, owner_ids, period)
    won = to_decimal(won_amount)
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
        },
        "by_stage": by_stage,
        "open_count": sum(s["count"] for s in by_stage),
        "open_amount": money(sum((to_decimal(s["amount"]) for s in by_stage), Decimal(0))),
        "weighted_amount": money(
            sum((to_decimal(s["weighted_amount"]) for s in by_stage), Decimal(0))
        ),
        "won_count": int(won_count),
        "won_amount": money(won),
        "quota": money(quota) if quota else None,
        "attainment_pct": str((won * 100 / quota).quantize(Decimal("0.1"))) if quota else None,
        "rates_basis": found.basis(label),
        "past_due": past_due(session, owner_ids, today, amount_sql),
    }


PAST_DUE_SHOWN = 5


def past_due(
    session: Session, owner_ids: frozenset[int] | None, today: date, amount_sql: Any = Deal.amount
) -> PastDueFigures:
    """Open deals whose close date has passed, whatever period is asked about: counted, added
    up and the oldest named, so an overdue pipeline never vanishes from the figures."""
    where = (_owned(owner_ids), Deal.stage.in_(OPEN_STAGES), Deal.close_date < today)
    count, amount = session.execute(select(func.count(), func.sum(amount_sql)).where(*where)).one()
    oldest = session.execute(
        select(Deal.id, Deal.name, Deal.close_date, User.name, amount_sql)
        .join(User, User.id == Deal.owner_id)
        .where(*where)
        .order_by(Deal.close_date, Deal.id)
        .limit(PAST_DUE_SHOWN)
    ).all()
    return {
        "count": int(count),
        "amount": money(to_decimal(amount)),
        "deals": [
            {
                "id": i,
                "name": n,
                "close_date": c.isoformat(),
                "owner": o,
                "amount": money(to_decimal(a)),
            }
            for i, n, c, o, a in oldest
        ],
    }


def quota_for(session: Session, owner_ids: frozenset[int] | None, period: Period) -> Decimal:
    """Quota over the period; a quota that only partly overlaps counts pro rata by days."""
    quotas = session.execute(
        select(Quota.period_start, Quota.period_end, Quota.amount).where(
            true() if owner_ids is None else Quota.user_id.in_(owner_ids),
            Quota.period_start <= period.end,
            Quota.period_end >= period.start,
        )
    ).all()
    total = Decimal(0)
    for start, end, amount in quotas:
        overlap = (min(end, period.end) - max(start, period.start)).days + 1
        total += to_decimal(amount) * Decimal(overlap) / Decimal((end - start).days + 1)
    return to_decimal(total)
