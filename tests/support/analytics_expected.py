"""Every analytics figure recomputed in plain Python over the fixture rows (no SQL).

The definitions follow the tools' docstrings; the tests compare these to the tools' artifacts.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from support.analytics_fixture import NOW, TODAY, FDeal, Fixture
from tools.models import OPEN_STAGES, Stage

Owners = set[int] | None
DEFAULT = {
    Stage.PROSPECTING: Decimal("0.10"),
    Stage.QUALIFICATION: Decimal("0.20"),
    Stage.PROPOSAL: Decimal("0.40"),
    Stage.NEGOTIATION: Decimal("0.60"),
}
WON, LOST = Stage.CLOSED_WON, Stage.CLOSED_LOST


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def cents(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pct(part: Any, whole: Any) -> str | None:
    if not whole:
        return None
    v = Decimal(str(part)) * 100 / Decimal(str(whole))
    return str(v.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def one(value: Any) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def deals(fx: Fixture, owners: Owners) -> list[FDeal]:
    return [d for d in fx.deals if owners is None or d.owner_id in owners]


def quota(fx: Fixture, owners: Owners, start: date, end: date) -> Decimal:
    total = Decimal(0)
    for q in fx.quotas:
        if (owners is None or q.user_id in owners) and q.start <= end and q.end >= start:
            overlap = (min(q.end, end) - max(q.start, start)).days + 1
            total += q.amount * overlap / ((q.end - q.start).days + 1)
    return cents(total)


def won_in(fx: Fixture, owners: Owners, start: date, end: date) -> tuple[int, Decimal]:
    rows = [d for d in deals(fx, owners) if d.stage == WON and start <= d.close_date <= end]
    return len(rows), cents(sum((d.amount for d in rows), Decimal(0)))


# --- pipeline review ------------------------------------------------------------------------


PRIOR = 10  # the company baseline counts as ten closed deals (or ten stays) of the scope
WEEK_START = date(2026, 11, 23)  # the Monday of TODAY's week: the baseline's cutoff


def shrink(won: int, reached: int, toward: Decimal) -> Decimal:
    rate = (Decimal(won) + PRIOR * toward) / Decimal(reached + PRIOR)
    return rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _reached_won(closed: list[FDeal], stage: Stage) -> tuple[int, int]:
    reached = [d for d in closed if any(to == stage for _, to, _ in d.history)]
    return len(reached), sum(1 for d in reached if d.stage == WON)


def baseline_rates(fx: Fixture) -> dict[Stage, Decimal]:
    """Every team's deals closed before the week began, shrunk toward the defaults."""
    cutoff = midnight(WEEK_START)
    closed = [d for d in fx.deals if d.closed_at is not None and d.closed_at < cutoff]
    return {s: shrink(*_reached_won(closed, s)[::-1], DEFAULT[s]) for s in OPEN_STAGES}


def win_rates(
    fx: Fixture, owners: Owners, as_of: datetime | None, toward: dict[Stage, Decimal]
) -> dict[Stage, Decimal]:
    """The scope's closed deals (closed before `as_of`, if given) shrunk toward `toward`."""
    closed = [
        d
        for d in deals(fx, owners)
        if d.stage in (WON, LOST) and (as_of is None or (d.closed_at and d.closed_at < as_of))
    ]
    return {s: shrink(*_reached_won(closed, s)[::-1], toward[s]) for s in OPEN_STAGES}


def live_rates(fx: Fixture, owners: Owners) -> dict[Stage, Decimal]:
    return win_rates(fx, owners, None, baseline_rates(fx))


def by_stage(fx: Fixture, owners: Owners, start: date, end: date) -> list[dict[str, Any]]:
    rates = live_rates(fx, owners)
    rows = []
    for stage in OPEN_STAGES:
        mine = [d for d in deals(fx, owners) if d.stage == stage and start <= d.close_date <= end]
        amount = sum((d.amount for d in mine), Decimal(0))
        rows.append(
            {
                "stage": stage.value,
                "count": len(mine),
                "amount": str(cents(amount)),
                "win_rate_pct": pct(rates[stage], 1),
                "weighted_amount": str(cents(amount * rates[stage])),
            }
        )
    return rows


def changes(fx: Fixture, owners: Owners, since: datetime, end: date) -> dict[str, Any]:
    mine = deals(fx, owners)
    ids = {d.id for d in mine}
    found: dict[str, Any] = {
        "new": {d.id for d in mine if d.created_at >= since},
        "won": {d.id for d in mine if d.stage == WON and d.closed_at and d.closed_at >= since},
        "lost": {d.id for d in mine if d.stage == LOST and d.closed_at and d.closed_at >= since},
    }
    advanced = {}
    for d in mine:
        moves = [(a, b) for a, b, at in d.history if at >= since and a is not None]
        if moves:
            a, b = moves[0][0], moves[-1][1]
            if (
                a in OPEN_STAGES
                and b in OPEN_STAGES
                and OPEN_STAGES.index(b) > OPEN_STAGES.index(a)
            ):
                advanced[d.id] = (a.value, b.value)
    found["advanced"] = advanced
    spans: dict[int, list[str]] = {}
    for f in sorted(fx.fields, key=lambda f: f.at):
        if f.field == "close_date" and f.at >= since and f.deal_id in ids:
            spans.setdefault(f.deal_id, [f.old, f.new])[1] = f.new
    found["slipped"], found["pushed"] = {}, {}
    for deal_id, (old, new) in spans.items():
        o, n = date.fromisoformat(old), date.fromisoformat(new)
        if n > o:
            kind = "pushed" if o <= end < n else "slipped"
            found[kind][deal_id] = (old, new)
    return found


# --- forecast -------------------------------------------------------------------------------


def snapshot(fx: Fixture, owners: Owners, moment: datetime) -> list[tuple[FDeal, Stage]]:
    found = []
    for d in deals(fx, owners):
        if d.created_at >= moment or (d.closed_at is not None and d.closed_at < moment):
            continue
        before = [to for _, to, at in d.history if at < moment]
        if before and before[-1] in OPEN_STAGES:
            found.append((d, before[-1]))
    return found


def conversions(
    fx: Fixture, owners: Owners, as_of: datetime, horizon: int
) -> dict[Stage, tuple[int, int]]:
    seen: dict[Stage, int] = defaultdict(int)
    won: dict[Stage, int] = defaultdict(int)
    step = max(91, horizon)
    for k in range(1, 5):
        moment = as_of - timedelta(days=step * k)
        deadline = min(moment + timedelta(days=horizon), as_of)
        for d, stage in snapshot(fx, owners, moment):
            seen[stage] += 1
            won[stage] += d.stage == WON and d.closed_at is not None and d.closed_at < deadline
    return {s: (seen[s], won[s]) for s in seen}


def _p(
    conv: dict[Stage, tuple[int, int]],
    d: FDeal,
    stage: Stage,
    end: date,
    rates: dict[Stage, Decimal],
) -> float:
    seen, won = conv.get(stage, (0, 0))
    fallback = float(rates[stage]) if d.close_date <= end else 0.0
    return won / seen if seen >= 5 else fallback


def projection(
    fx: Fixture,
    owners: Owners,
    as_of: datetime,
    horizon: int,
    end: date,
    rates: dict[Stage, Decimal],
    skip: int = 0,
) -> tuple[float, float]:
    """`skip` days from `as_of` before the period starts: wins before then do not count.

    `rates`: the stage win rates a stage with fewer than five past deals falls back on.
    """
    conv = conversions(fx, owners, as_of, horizon)
    early = conversions(fx, owners, as_of, skip) if skip else {}
    start = as_of.date() + timedelta(days=skip)
    mean = var = 0.0
    for d, stage in snapshot(fx, owners, as_of):
        p = _p(conv, d, stage, end, rates)
        if skip:
            p = max(p - _p(early, d, stage, start - timedelta(days=1), rates), 0)
        mean += p * float(d.amount)
        var += p * (1 - p) * float(d.amount) ** 2
    return mean, math.sqrt(var)


def quarter(day: date) -> tuple[date, date]:
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    nxt = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def previous_quarters(day: date, n: int) -> list[tuple[date, date]]:
    found, start = [], quarter(day)[0]
    for _ in range(n):
        start = quarter(start - timedelta(days=1))[0]
        found.append(quarter(start))
    return found  # newest first


def new_business_per_day(fx: Fixture, owners: Owners, as_of: datetime) -> float:
    total, days = Decimal(0), 0
    for start, end in previous_quarters(as_of.date(), 4):
        total += sum(
            (
                d.amount
                for d in deals(fx, owners)
                if d.stage == WON
                and start <= d.close_date <= end
                and midnight(start) <= d.created_at < midnight(end + timedelta(days=1))
            ),
            Decimal(0),
        )
        days += (end - start).days + 1
    return float(total) / days


def forecast(fx: Fixture, owners: Owners, start: date, end: date) -> dict[str, Any]:
    left = (end - max(start, TODAY)).days + 1
    skip = max((start - TODAY).days, 0)
    rates = live_rates(fx, owners)
    mean, sigma = projection(fx, owners, NOW, (end - TODAY).days + 1, end, rates, skip)
    closed = won_in(fx, owners, start, end)[1]
    expected = float(closed) + mean + new_business_per_day(fx, owners, NOW) * left
    spread = sigma * 1.2816
    return {
        "closed_won": closed,
        "expected": expected,
        "low": max(expected - spread, float(closed)),
        "high": expected + spread,
        "open_count": len(snapshot(fx, owners, NOW)),
    }


def backtest(fx: Fixture, owners: Owners) -> list[dict[str, Any]]:
    rows = []
    for start, end in reversed(previous_quarters(TODAY, 4)):
        days = (end - start).days + 1
        as_of = midnight(start)
        # No baseline was stored that long ago: the scope's history then, toward the defaults.
        rates = win_rates(fx, owners, as_of, DEFAULT)
        mean, _ = projection(fx, owners, as_of, days, end, rates)
        value = mean + new_business_per_day(fx, owners, as_of) * days
        actual = won_in(fx, owners, start, end)[1]
        rows.append({"start": start, "forecast": value, "actual": actual})
    return rows


# --- rep KPIs -------------------------------------------------------------------------------


def kpi_rows(
    fx: Fixture, people: list[tuple[int, str]], start: date, end: date
) -> list[dict[str, Any]]:
    last = min(end, TODAY)
    days = (last - start).days + 1
    rows = []
    for uid, name in people:
        closed = [
            d
            for d in fx.deals
            if d.owner_id == uid and d.stage in (WON, LOST) and start <= d.close_date <= end
        ]
        won = [d for d in closed if d.stage == WON]
        won_amount = cents(sum((d.amount for d in won), Decimal(0)))
        q = quota(fx, {uid}, start, end)
        cycles = [(d.closed_at - d.created_at).total_seconds() / 86400 for d in won if d.closed_at]
        acts: dict[str, int] = defaultdict(int)
        for a in fx.activities:
            if a.user_id == uid and midnight(start) <= a.occurred_at < midnight(
                last + timedelta(days=1)
            ):
                acts[a.kind.value] += 1
        created = sum(
            (
                d.amount
                for d in fx.deals
                if d.owner_id == uid
                and midnight(start) <= d.created_at < midnight(end + timedelta(days=1))
            ),
            Decimal(0),
        )
        rows.append(
            {
                "user_id": uid,
                "name": name,
                "quota": str(q) if q else None,
                "won_amount": str(won_amount),
                "attainment_pct": pct(won_amount, q),
                "win_rate_pct": pct(len(won), len(closed)),
                "avg_deal_size": str(cents(won_amount / len(won))) if won else None,
                "cycle_days": one(sum(cycles) / len(cycles)) if cycles else None,
                "activities_per_week": {
                    k: one(Decimal(acts[k]) * 7 / Decimal(days))
                    for k in ("email", "call", "meeting", "note", "linkedin")
                },
                "pipeline_created": str(cents(created)),
            }
        )
    rows.sort(key=lambda r: (-float(r["attainment_pct"] or -1), -float(r["won_amount"]), r["name"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def team_median(rows: list[dict[str, Any]], key: str) -> Decimal | None:
    values = [Decimal(r[key]) for r in rows if r[key] is not None]
    return Decimal(median(values)) if values else None


# --- deal risks -----------------------------------------------------------------------------

COMPETITOR = ("competitor", "competitive", "bake-off", "side-by-side", "salesforce", "hubspot")
COMPETITOR += ("pipedrive", "zoho")
PRICING = ("pricing", "price", "discount", "too expensive", "above budget", "uplift")
RESOLVED = ("approved", "approval", "agreed to", "accepted", "signed", "in budget")
WEIGHTS = {"close_date_passed": 3, "no_activity": 3, "stalled": 2, "pricing_objection": 2}
WEIGHTS |= {"competitor": 2, "single_threaded": 1, "no_next_step": 1}


def _stay_days(fx: Fixture, owners: Owners, since: datetime, until: datetime | None) -> Any:
    """Per stage, whole days of each finished stay that began at `since` or later, by deals of
    `owners`; with `until`, only moves before it are known."""
    stays: dict[Stage, list[int]] = defaultdict(list)
    for d in deals(fx, owners):
        known = [h for h in d.history if until is None or h[2] < until]
        for (_, stage, entered), (_, _, left) in itertools.pairwise(known):
            if entered >= since and stage in OPEN_STAGES:
                stays[stage].append(math.floor((left - entered).total_seconds() / 86400))
    return stays


def _rank(values: list[int]) -> int:
    return sorted(values)[math.ceil(0.75 * len(values)) - 1]


def baseline_p75(fx: Fixture) -> dict[Stage, int]:
    since = midnight(WEEK_START - timedelta(days=730))
    stays = _stay_days(fx, None, since, midnight(WEEK_START))
    return {s: _rank(v) for s, v in stays.items() if len(v) >= 5}


def stage_p75(fx: Fixture, owners: Owners) -> dict[Stage, int]:
    """The scope's p75 weighted by its stays, the baseline's by PRIOR (or the scope's alone,
    from five stays, when the company has too few)."""
    base = baseline_p75(fx)
    stays = _stay_days(fx, owners, midnight(TODAY - timedelta(days=730)), None)
    found = {}
    for stage in OPEN_STAGES:
        mine = stays.get(stage, [])
        if stage not in base:
            if len(mine) >= 5:
                found[stage] = _rank(mine)
            continue
        own = _rank(mine) if mine else 0
        value = Decimal(len(mine) * own + PRIOR * base[stage]) / Decimal(len(mine) + PRIOR)
        found[stage] = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return found


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text.lower() for w in words)


def risk_kinds(fx: Fixture, d: FDeal, p75: dict[Stage, int]) -> list[str]:
    acts = sorted(
        (a for a in fx.activities if a.deal_id == d.id), key=lambda a: (a.occurred_at, a.id)
    )
    kinds = []
    if d.close_date < TODAY:
        kinds.append("close_date_passed")
    if not acts or (TODAY - acts[-1].occurred_at.date()).days >= 14:
        kinds.append("no_activity")
    entered = d.history[-1][2].date()
    if d.stage in p75 and (TODAY - entered).days > p75[d.stage]:
        kinds.append("stalled")
    recent = [a for a in acts if a.occurred_at >= NOW - timedelta(days=90)]
    if len({a.contact_id for a in recent if a.contact_id is not None}) <= 1:
        kinds.append("single_threaded")
    open_tasks = [t for t in fx.tasks if t.deal_id == d.id and t.completed_at is None]
    if not (d.next_step or "").strip() and not open_tasks:
        kinds.append("no_next_step")
    if any(_mentions(f"{a.subject} {a.body}", COMPETITOR) for a in recent):
        kinds.append("competitor")
    pricing = [a for a in recent if _mentions(f"{a.subject} {a.body}", PRICING)]
    if pricing:
        last = pricing[-1].occurred_at
        if not any(
            _mentions(f"{a.subject} {a.body}", RESOLVED) and a.occurred_at > last for a in acts
        ):
            kinds.append("pricing_objection")
    return kinds


def risky_deals(fx: Fixture, owners: Owners) -> list[tuple[int, list[str]]]:
    p75 = stage_p75(fx, owners)
    found = []
    for d in deals(fx, owners):
        if d.stage in OPEN_STAGES:
            kinds = risk_kinds(fx, d, p75)
            weight = sum(WEIGHTS[k] for k in kinds)
            if weight >= 2:
                found.append((-weight, -d.amount, d.id, kinds))
    return [(i, kinds) for _, _, i, kinds in sorted(found)]
