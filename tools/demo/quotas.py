"""The demo's quotas: one per rep per calendar quarter."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from tools.demo.names import REPS
from tools.demo.people import FIRST_REP
from tools.demo.plan import CENT, Row
from tools.periods import quarter_of


def plan_quotas(rng: random.Random, today: date) -> list[Row]:
    """A quota per rep per calendar quarter, from 18 months back to two quarters ahead."""
    start = quarter_of(today - relativedelta(months=18)).start
    last = quarter_of(today + relativedelta(months=6)).start
    quarters = []
    while start <= last:
        quarters.append(quarter_of(start))
        start += relativedelta(months=3)
    rows = []
    for rep in range(FIRST_REP, FIRST_REP + len(REPS)):
        base = rng.randrange(150_000, 300_001, 10_000)
        for i, q in enumerate(quarters):
            amount = min(400_000, base + i * rng.choice((0, 5_000, 10_000)))
            rows.append({"user_id": rep, "period_start": q.start, "period_end": q.end})
            rows[-1]["amount"] = Decimal(amount).quantize(CENT)
    return rows
