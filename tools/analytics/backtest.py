"""The forecast method replayed at the start of each of the last quarters, against what closed."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from tools.analytics.fmt import pct, period_dict
from tools.analytics.method import project
from tools.analytics.rates import conversions
from tools.analytics.snapshot import open_pipeline
from tools.analytics.won import new_business_per_day, won_in
from tools.crm.baseline import baseline_at
from tools.crm.money import money, to_decimal
from tools.crm.win_rates import stage_win_rates
from tools.day_numbers import start_of
from tools.periods import Period, quarter_of
from tools.scope import AnalyticsScope

QUARTERS = 4


def past_quarters(today: date, n: int = QUARTERS) -> list[Period]:
    """The n whole quarters before today's, oldest first."""
    current = quarter_of(today).start
    return [quarter_of(current - relativedelta(months=3 * k)) for k in range(n, 0, -1)]


def quarter_forecast(session: Session, scope: AnalyticsScope, quarter: Period) -> Any:
    """What the method forecast at midnight UTC on the quarter's first day, from data before it.

    The stage win rates it falls back on are the scope's deals closed before then, shrunk
    toward the latest baseline stored by then (the defaults if none was), never a later one.
    """
    as_of = start_of(quarter.start)
    days = (quarter.end - quarter.start).days + 1
    rates = conversions(session, scope, as_of, days)
    baseline = baseline_at(session, quarter.start)
    fallback = stage_win_rates(session, scope.owner_ids, baseline, as_of).rates
    proj = project(open_pipeline(session, scope, as_of), rates, quarter.end, fallback)
    return proj.expected + to_decimal(new_business_per_day(session, scope, as_of) * days)


def backtest(session: Session, scope: AnalyticsScope, today: date) -> list[dict[str, Any]]:
    """Forecast against actual closed won for each of the last QUARTERS quarters."""
    rows = []
    for quarter in past_quarters(today):
        forecast = quarter_forecast(session, scope, quarter)
        _, actual = won_in(session, scope, quarter)
        rows.append(
            {
                "period": period_dict(quarter),
                "forecast": money(forecast),
                "actual": money(actual),
                "error_pct": pct(forecast - actual, actual),
            }
        )
    return rows
