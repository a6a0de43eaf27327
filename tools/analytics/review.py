"""The pipeline review: open pipeline by stage with the scope's win rates, coverage, changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.analytics.changes import changes_since
from tools.analytics.fmt import period_dict, ratio
from tools.analytics.won import won_in
from tools.artifacts import ReviewFigures, Row
from tools.crm.baseline import baseline_for
from tools.crm.money import money, to_decimal
from tools.crm.pipeline import past_due, quota_for
from tools.crm.win_rates import cached_stage_win_rates
from tools.day_numbers import start_of
from tools.models import OPEN_STAGES, Deal, Stage
from tools.periods import Period
from tools.scope import AnalyticsScope


def stage_totals(
    session: Session, scope: AnalyticsScope, period: Period
) -> dict[Stage, tuple[int, Decimal]]:
    """Open deals closing in the period: count and amount per stage."""
    rows = session.execute(
        select(Deal.stage, func.count(), func.sum(scope.amount()))
        .where(
            scope.owns(),
            Deal.stage.in_(OPEN_STAGES),
            Deal.close_date.between(period.start, period.end),
        )
        .group_by(Deal.stage)
    ).all()
    return {Stage(s): (int(c), to_decimal(a)) for s, c, a in rows}


def review_figures(
    session: Session,
    scope: AnalyticsScope,
    period: Period,
    since: date,
    today: date,
) -> ReviewFigures:
    """The "pipeline_review" artifact's figures (the tool adds type, scope and note)."""
    found = cached_stage_win_rates(session, scope.owner_ids, baseline_for(session, today))
    rates = found.rates
    totals = stage_totals(session, scope, period)
    by_stage: list[Row] = []
    for stage in OPEN_STAGES:
        count, amount = totals.get(stage, (0, Decimal("0.00")))
        by_stage.append(
            {
                "stage": str(stage),
                "count": count,
                "amount": money(amount),
                "win_rate_pct": found.pct(stage),
                "weighted_amount": money(amount * rates[stage]),
            }
        )
    open_amount = sum((to_decimal(s["amount"]) for s in by_stage), Decimal(0))
    won_count, won_amount = won_in(session, scope, period)
    quota = quota_for(session, scope.owner_ids, period)
    remaining = max(quota - won_amount, Decimal(0))
    changes = changes_since(session, scope, start_of(since), period)
    return {
        "period": period_dict(period),
        "by_stage": by_stage,
        "open_count": sum(s["count"] for s in by_stage),
        "open_amount": money(open_amount),
        "weighted_amount": money(sum((to_decimal(s["weighted_amount"]) for s in by_stage), 0)),
        "won_count": won_count,
        "won_amount": money(won_amount),
        "quota": money(quota) if quota else None,
        "quota_remaining": money(remaining) if quota else None,
        "coverage": ratio(open_amount, remaining),
        "since": since.isoformat(),
        "past_due": past_due(session, scope.owner_ids, today, scope.amount()),
        "changes": changes,
        "change_counts": {k: len(v) for k, v in changes.items()},
        "rates_basis": found.basis(scope.label),
    }
