"""Value-first ranking: how urgent an item is, scaled by how much money it touches."""

from __future__ import annotations

import math
from collections.abc import Iterable

from tools.nudge_engine.nudge import Candidate

# How much each kind matters when all else is equal. Quiet outranks stalled: a deal nobody has
# touched is stalled *because* of that, and "re-engage" is the more concrete action.
WEIGHTS = {
    "overdue_task": 100.0,
    "due_today": 90.0,
    "promised_follow_up": 85.0,
    # An unpaid invoice on the account of a deal the rep is pushing: settle it before upselling.
    "overdue_invoice": 88.0,
    "past_close_date": 80.0,
    "close_date": 70.0,
    "renewal_due": 65.0,
    # An account paying more each month than 90 days ago: seats or plans added, talk expansion.
    "expansion_signal": 60.0,
    "quiet_deal": 55.0,
    "stalled": 50.0,
    "likely_win": 45.0,
}


def value_factor(amount: float) -> float:
    """1.0 for no money, about 1.8 for $50k, 2.0 for $100k, 2.5 for $1M."""
    return 1.0 + math.log10(1.0 + max(amount, 0.0) / 1_000) / 2


def ramp(over: float, scale: float) -> float:
    """Urgency from 1 (just triggered) to 2 (`scale` or more past the trigger)."""
    return 1.0 + min(max(over, 0.0) / max(scale, 1.0), 1.0)


def pick(candidates: Iterable[Candidate], limit: int, snoozed: set[str]) -> list[Candidate]:
    """The best `limit`, skipping snoozed keys; one deal-level item per deal (the strongest)."""
    best_per_deal: dict[int, Candidate] = {}
    chosen: list[Candidate] = []
    for c in candidates:
        if c.key in snoozed:
            continue
        if not c.deal_level or c.deal_id is None:
            chosen.append(c)
        elif c.deal_id not in best_per_deal or _rank(c) < _rank(best_per_deal[c.deal_id]):
            best_per_deal[c.deal_id] = c
    chosen += best_per_deal.values()
    chosen.sort(key=_rank)
    return chosen[:limit]


def _rank(c: Candidate) -> tuple[float, str]:
    return (-c.score, c.key)
