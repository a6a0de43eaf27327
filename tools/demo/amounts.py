"""Amount changes on the demo's deals: re-scoped quotes, discounts and upsells before the close."""

from __future__ import annotations

import random
from decimal import Decimal

from tools.demo.plan import CENT, Plan

CHANCE = 0.25
# New amount over the old one: a discount, a trimmed scope, or more seats.
FACTORS = (0.7, 0.8, 0.9, 1.1, 1.25, 1.5)


def plan_amount_changes(rng: random.Random, plan: Plan) -> None:
    """Give about a quarter of the deals one earlier amount, changed between creation and
    their last touch (or close), so the history shows how the amount moved to today's."""
    for deal in plan.deals:
        if rng.random() >= CHANCE:
            continue
        end = deal.closed_at or deal.last_touch
        if end <= deal.created_at:
            continue
        old = (deal.amount / Decimal(str(rng.choice(FACTORS)))).quantize(Decimal(100))
        when = deal.created_at + (end - deal.created_at) * rng.uniform(0.2, 0.9)
        deal.amount_changes.append((old.quantize(CENT), deal.amount, when))
