"""The forecast of a period: closed won so far plus the open pipeline's expected wins."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from tools.analytics.backtest import backtest
from tools.analytics.fmt import one_place, pct, period_dict
from tools.analytics.method import METHOD, Z80, project
from tools.analytics.rates import conversions
from tools.analytics.snapshot import open_pipeline
from tools.analytics.won import new_business_per_day, won_in
from tools.artifacts import ForecastFigures
from tools.crm.baseline import baseline_for
from tools.crm.money import money, to_decimal
from tools.crm.pipeline import quota_for
from tools.crm.win_rates import StageRates, cached_stage_win_rates
from tools.periods import Period
from tools.scope import AnalyticsScope


def remaining_days(period: Period, today: date) -> int:
    """Days left in the period counting today; the whole period when it has not begun."""
    start = max(period.start, today)
    return max((period.end - start).days + 1, 0)


def expected_open(
    session: Session,
    scope: AnalyticsScope,
    period: Period,
    as_of: datetime,
    today: date,
    fallback: StageRates,
) -> tuple[Decimal, Decimal, int, Decimal]:
    """(expected wins from open deals and new business, sigma, open count, open amount)."""
    deals = open_pipeline(session, scope, as_of)
    left = remaining_days(period, today)
    to_end, to_start = (period.end - today).days + 1, (period.start - today).days
    before = (conversions(session, scope, as_of, to_start), period.start) if to_start > 0 else None
    by_end = conversions(session, scope, as_of, max(to_end, 0))
    proj = project(deals, by_end, period.end, fallback.rates, before)
    fresh = to_decimal(new_business_per_day(session, scope, as_of) * left)
    total = sum((d.amount for d in deals), Decimal(0))
    return proj.expected + fresh, proj.sigma, len(deals), to_decimal(total)


def forecast_figures(
    session: Session, scope: AnalyticsScope, period: Period, now: datetime, today: date
) -> ForecastFigures:
    """The "forecast" artifact's figures (the tool adds type, scope and note)."""
    _, closed = won_in(session, scope, period)
    rates = cached_stage_win_rates(session, scope.owner_ids, baseline_for(session, today))
    future, sigma, count, amount = expected_open(session, scope, period, now, today, rates)
    spread = to_decimal(sigma * Decimal(str(Z80)))
    expected = closed + future
    quota = quota_for(session, scope.owner_ids, period)
    # A named period backtests the four quarters before it; a future one, those before today.
    tests = backtest(session, scope, min(today, period.start))
    errors = [abs(Decimal(t["error_pct"])) for t in tests if t["error_pct"] is not None]
    return {
        "period": period_dict(period),
        "closed_won": money(closed),
        "quota": money(quota) if quota else None,
        "open_count": count,
        "open_amount": money(amount),
        "expected": money(expected),
        "low": money(max(expected - spread, closed)),
        "high": money(expected + spread),
        "method": METHOD,
        "attainment_expected_pct": pct(expected, quota),
        "backtest": tests,
        "backtest_mae_pct": one_place(sum(errors) / len(errors)) if errors else None,
        "rates_basis": rates.basis(scope.label),
    }
