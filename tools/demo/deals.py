"""The demo's deals: outcome, stage history, amount and close-date slips for each."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from tools.demo.clock import Clock
from tools.demo.names import PRODUCTS
from tools.demo.people import FIRST_REP
from tools.demo.phrases import NEXT_STEPS, slots
from tools.demo.plan import CENT, Plan, PlannedDeal
from tools.models import OPEN_STAGES, Stage
from tools.periods import quarter_of

DEALS = 400
# Dana's first open deals carry the README walkthrough: a promise, a quiet deal, an overdue one.
DANA_SCRIPT = ({"promise": True, "quiet": False}, {"quiet": True}, {"overdue": True})


def plan_deals(rng: random.Random, clock: Clock, plan: Plan) -> list[PlannedDeal]:
    """DEALS deals, at least 30 per rep on their own accounts, ordered by creation."""
    reps = range(FIRST_REP, len(plan.users))
    extra = Counter(rng.choices(reps, k=DEALS - 30 * len(reps)))
    products: dict[int, list[str]] = {}
    deals: list[PlannedDeal] = []
    for rep in reps:
        owned = [a for a, acc in enumerate(plan.accounts) if acc["owner_id"] == rep]
        script = list(DANA_SCRIPT) if rep == FIRST_REP else []
        for j, outcome in enumerate(_outcomes(rng, 30 + extra[rep])):
            a = owned[j] if j < len(owned) else rng.choice(owned)
            left = products.setdefault(a, rng.sample(PRODUCTS, len(PRODUCTS)))
            product = "Platform Expansion" if (rep, j) == (FIRST_REP, 0) else left[-1]
            left.remove(product)
            name = f"{plan.accounts[a]['name']} – {product}"
            if outcome is None:
                forced = script.pop(0) if script else {}
                deals.append(_open_deal(rng, clock, a, rep, name, plan.tz(rep), forced))
            else:
                deals.append(_closed_deal(rng, clock, a, rep, name, plan.tz(rep), outcome))
    # Ordered by creation so ids, like a real CRM's, grow with time.
    return sorted(deals, key=lambda d: d.created_at)


def _outcomes(rng: random.Random, n: int) -> list[Stage | None]:
    """Final stages for a rep's deals (None = still open); the first is always open."""
    n_open = rng.randint(11, 16)
    n_won = round((n - n_open) * rng.uniform(0.45, 0.6))
    rest: list[Stage | None] = [None] * (n_open - 1) + [Stage.CLOSED_WON] * n_won
    rest += [Stage.CLOSED_LOST] * (n - n_open - n_won)
    rng.shuffle(rest)
    return [None, *rest]


def _open_deal(
    rng: random.Random, clock: Clock, a: int, rep: int, name: str, tz: str, forced: dict[str, bool]
) -> PlannedDeal:
    rolls = {"quiet": rng.random() < 0.18, "overdue": rng.random() < 0.1}
    rolls |= {"promise": rng.random() < 0.25, **forced}
    stage = rng.choices(OPEN_STAGES, weights=(25, 30, 25, 20))[0]
    quiet_days = rng.randint(21, 55) if rolls["quiet"] else rng.randint(1, 12)
    last_touch = clock.at(rng, clock.today - timedelta(days=quiet_days), tz)
    created = clock.at(rng, last_touch.date() - timedelta(days=rng.randint(10, 200)), tz)
    if rolls["overdue"]:
        close = clock.today - timedelta(days=rng.randint(3, 40))
    else:
        close = _future_close(rng, clock.today)
    deal = PlannedDeal(a, rep, name, stage, _amount(rng), created, close, None, last_touch)
    deal.history = _history(rng, _path(rng, stage), created, last_touch, last_at_end=False)
    deal.slips = _slips(rng, deal, deal.last_touch, 0.6 if rolls["overdue"] else 0.25)
    deal.promise = rolls["promise"]
    if rng.random() < 0.8:
        deal.next_step = rng.choice(NEXT_STEPS).format_map(slots(rng, clock.today))
    return deal


def _closed_deal(
    rng: random.Random, clock: Clock, a: int, rep: int, name: str, tz: str, final: Stage
) -> PlannedDeal:
    closed_at = clock.at(rng, clock.today - timedelta(days=rng.randint(1, 540)), tz)
    created = clock.at(rng, closed_at.date() - timedelta(days=rng.randint(20, 150)), tz)
    last_touch = closed_at
    if final == Stage.CLOSED_WON:  # onboarding and check-ins follow a win
        tail = min(closed_at.date() + timedelta(days=rng.randint(3, 90)), clock.today)
        last_touch = max(clock.at(rng, tail, tz), closed_at)
    reached = Stage.NEGOTIATION if final == Stage.CLOSED_WON else rng.choice(OPEN_STAGES)
    deal = PlannedDeal(
        a, rep, name, final, _amount(rng), created, closed_at.date(), closed_at, last_touch
    )
    path = [*_path(rng, reached), final]
    deal.history = _history(rng, path, created, closed_at, last_at_end=True)
    deal.slips = _slips(rng, deal, closed_at, 0.15)
    return deal


def _amount(rng: random.Random) -> Decimal:
    # Log-uniform between 5k and 250k: many small deals, a few large ones.
    return Decimal(round(5_000 * 50 ** rng.random(), -2)).quantize(CENT)


def _future_close(rng: random.Random, today: date) -> date:
    """A close date in this quarter (after today) or one of the next two."""
    start = quarter_of(today).start + relativedelta(
        months=3 * rng.choices((0, 1, 2), (45, 35, 20))[0]
    )
    lo, hi = max(start, today + timedelta(days=1)), quarter_of(start).end
    if lo > hi:
        lo, hi = today + timedelta(days=1), today + timedelta(days=30)
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _path(rng: random.Random, stage: Stage) -> list[Stage]:
    """Open stages from prospecting up to `stage`, now and then skipping qualification."""
    path = list(OPEN_STAGES[: OPEN_STAGES.index(stage) + 1])
    if len(path) > 2 and rng.random() < 0.1:
        path.remove(Stage.QUALIFICATION)
    return path


def _history(
    rng: random.Random, path: list[Stage], start: datetime, end: datetime, *, last_at_end: bool
) -> list[tuple[Stage | None, Stage, datetime]]:
    """One row per transition: None -> path[0] at `start`, the rest in order up to `end`."""
    span = int((end - start).total_seconds())
    cuts = sorted(rng.randint(1, span) for _ in path[1:])
    if last_at_end and cuts:
        cuts[-1] = span
    times = [start, *(start + timedelta(seconds=c) for c in cuts)]
    return list(zip([None, *path[:-1]], path, times, strict=True))


def _slips(
    rng: random.Random, deal: PlannedDeal, end: datetime, chance: float
) -> list[tuple[date, date, datetime]]:
    """Close-date pushes ending at the deal's current close date, or none."""
    if rng.random() >= chance:
        return []
    moves = rng.randint(1, 2)
    dates = [deal.close_date]
    for _ in range(moves):
        dates.insert(0, dates[0] - timedelta(days=rng.choice((7, 14, 21, 30, 45))))
    if dates[0] <= deal.created_at.date():
        return []
    when = sorted(
        deal.created_at + (end - deal.created_at) * rng.uniform(0.3, 1) for _ in dates[1:]
    )
    return list(zip(dates[:-1], dates[1:], when, strict=True))
