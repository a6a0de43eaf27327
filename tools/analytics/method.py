"""The forecast method itself: pure arithmetic over conversions and open deals.

P(deal closes won within the horizon) = the share of deals in its stage at the same point of
past quarters that closed won within as many days (rates.py); with fewer than MIN_SEEN such
deals, the scope's stage win rate (tools/crm/win_rates.py) if the close date is in time. The
deals' outcomes are
independent Bernoulli trials: the expected amount is the sum of amount * p, the variance the
sum of p(1-p) * amount², and the range ±1.28 standard deviations (an 80% interval).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tools.analytics.rates import Conversion
from tools.analytics.snapshot import OpenDeal
from tools.models import Stage

Z80 = 1.2816  # two-sided 80% interval of a normal distribution
MIN_SEEN = 5  # fewer past deals in a stage: the stage win rate, if the rep's close date is in time
Fallback = Mapping[Stage, Decimal]  # stage win rates for stages with too few past deals

METHOD = (
    "Closed won so far, plus each open deal's amount times the share of the team's deals in "
    "the same stage at the same point of each of the last four quarters that closed won within "
    "the days left (the team's stage win rate where fewer than five were seen), plus new "
    "business at the last four quarters' run rate; the range is ±1.28 standard deviations of "
    "the sum (80%)."
)


@dataclass(frozen=True, slots=True)
class Projection:
    """Expected amount of the open pipeline won in the horizon, and its standard deviation."""

    expected: Decimal
    sigma: Decimal


def close_probability(
    deal: OpenDeal, conversion: Conversion | None, period_end: date, fallback: Fallback
) -> float:
    """The chance `deal` closes won within the horizon."""
    if conversion is not None and conversion.seen >= MIN_SEEN:
        return conversion.rate
    in_time = deal.close_date <= period_end
    return float(fallback[deal.stage]) if in_time else 0.0


def project(
    deals: Sequence[OpenDeal],
    rates: dict[Stage, Conversion],
    period_end: date,
    fallback: Fallback,
    before: tuple[dict[Stage, Conversion], date] | None = None,
) -> Projection:
    """Sum of amount * p and its Bernoulli standard deviation over `deals`.

    `before` (conversions up to the period's start, and that start) is for a period that has
    not begun: a win counts only after the start, so p(by the end) - p(before the start).
    """
    mean = 0.0
    var = 0.0
    for deal in deals:
        p = close_probability(deal, rates.get(deal.stage), period_end, fallback)
        if before is not None:
            early, start = before
            earlier = close_probability(deal, early.get(deal.stage), start - timedelta(1), fallback)
            p = max(p - earlier, 0)
        amount = float(deal.amount)
        mean += p * amount
        var += p * (1 - p) * amount * amount
    return Projection(_dec(mean), _dec(math.sqrt(var)))


def _dec(value: float) -> Decimal:
    return Decimal(repr(round(value, 2))).quantize(Decimal("0.01"))
