"""The forecast method itself: pure arithmetic over rates, durations and open deals.

P(deal closes won within the horizon) = P(won | stage) * P(time to close <= age + horizon |
time to close > age), the second factor read off the durations of the team's past wins from
the same stage. The sum of the deals' independent Bernoulli outcomes gives the expected value
and its variance; the range is +-1.28 standard deviations (an 80% interval).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tools.analytics.snapshot import OpenDeal
from tools.models import Stage

Z80 = 1.2816  # two-sided 80% interval of a normal distribution
MIN_DURATIONS = 3  # fewer past wins from a stage: trust the rep's close date instead

METHOD = (
    "Closed won so far, plus each open deal's amount times the chance it closes won in the "
    "period (the team's stage-to-win rate times the share of its past wins from that stage that "
    "closed within the time left), plus new business at the run rate of the last four quarters; "
    "the range is ±1.28 standard deviations of the sum (80%)."
)


@dataclass(frozen=True, slots=True)
class Projection:
    """Expected amount of the open pipeline won in the horizon, and its standard deviation."""

    expected: Decimal
    sigma: Decimal


def time_share(durations: Sequence[float], age: float, horizon: float) -> float:
    """P(D <= age + horizon | D > age) over the sample `durations`; 0 when none exceeds age."""
    later = [d for d in durations if d > age]
    if not later:
        return 0.0
    return sum(1 for d in later if d <= age + horizon) / len(later)


def close_probability(
    deal: OpenDeal,
    rate: Decimal,
    durations: Sequence[float],
    horizon_days: float,
    period_end: date,
) -> float:
    """The chance `deal` closes won within `horizon_days` of the snapshot."""
    if len(durations) < MIN_DURATIONS:
        timing = 1.0 if deal.close_date <= period_end else 0.0
    else:
        timing = time_share(durations, deal.age_days, horizon_days)
    return float(rate) * timing


def project(
    deals: Sequence[OpenDeal],
    rates: dict[Stage, Decimal],
    durations: dict[Stage, list[float]],
    horizon_days: float,
    period_end: date,
) -> Projection:
    """Sum of amount * p and its Bernoulli variance over `deals`."""
    mean = 0.0
    var = 0.0
    for deal in deals:
        p = close_probability(
            deal, rates[deal.stage], durations.get(deal.stage, []), horizon_days, period_end
        )
        amount = float(deal.amount)
        mean += p * amount
        var += p * (1 - p) * amount * amount
    return Projection(_dec(mean), _dec(math.sqrt(var)))


def _dec(value: float) -> Decimal:
    return Decimal(repr(round(value, 2))).quantize(Decimal("0.01"))
