"""The rules: which tasks and deals deserve a nudge today, each with the figures that say why.

`today` is the rep's local date as a day number (`dates.day_number`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tools.day_numbers import date_of, day_number
from tools.models import Stage
from tools.nudge_engine.facts import DealFacts
from tools.nudge_engine.loaders import LastActivity, TaskRow
from tools.nudge_engine.nudge import Candidate
from tools.nudge_engine.promises import find_promise
from tools.nudge_engine.scoring import WEIGHTS, ramp, value_factor
from tools.nudge_engine.win_model import WinModel

# Days without activity before an open deal counts as quiet: later stages move faster.
QUIET_DAYS = {
    Stage.PROSPECTING: 21,
    Stage.QUALIFICATION: 14,
    Stage.PROPOSAL: 10,
    Stage.NEGOTIATION: 7,
}
CLOSE_SOON_DAYS = 7  # a close date this near, with no activity in as many days, needs a check
PROMISE_LOOKBACK_DAYS = 30
LIKELY_PER_REP = 2
LIKELY_MIN = 0.5


def task_candidate(t: TaskRow, today: int) -> Candidate:
    late = today - t.due_day
    kind = "overdue_task" if late > 0 else "due_today"
    value = WEIGHTS[kind] * ramp(late, 30) * value_factor(t.amount)
    info = {"title": t.title, "due": t.due_day, "late": late}
    return Candidate(f"task:{t.id}", kind, value, t.owner_id, t.deal_id, t.id, info)


def deal_candidates(
    f: DealFacts, today: int, promise: LastActivity | None, p75: dict[Stage, int]
) -> list[Candidate]:
    """Every deal-level rule that fires for one open deal."""
    value = value_factor(f.amount)
    idle = today - math.floor(f.created if f.last is None else f.last)
    found = [
        quiet(f, today, idle, value),
        close_date(f, today, idle, value),
        stalled(f, today, p75, value),
    ]
    if promise is not None:
        found.append(promised(f, today, promise, value))
    return [c for c in found if c is not None]


def _deal(f: DealFacts, name: str, kind: str, points: float, **info: object) -> Candidate:
    return Candidate(f"deal:{f.deal_id}:{name}", kind, points, f.owner_id, f.deal_id, None, info)


def quiet(f: DealFacts, today: int, idle: int, value: float) -> Candidate | None:
    limit = QUIET_DAYS[f.current]
    if idle < limit:
        return None
    points = WEIGHTS["quiet_deal"] * ramp(idle - limit, limit) * value
    return _deal(
        f,
        "quiet",
        "quiet_deal",
        points,
        days=idle,
        limit=limit,
        stage=f.current,
        since=today - idle,
        never=f.last is None,
    )


def close_date(f: DealFacts, today: int, idle: int, value: float) -> Candidate | None:
    ahead = f.close_day - today
    if ahead < 0:
        points = WEIGHTS["past_close_date"] * ramp(-ahead, 30) * value
        return _deal(
            f, "close", "past_close_date", points, days=-ahead, idle=idle, close_date=f.close_day
        )
    if ahead <= CLOSE_SOON_DAYS and idle >= CLOSE_SOON_DAYS:
        points = WEIGHTS["close_date"] * ramp(CLOSE_SOON_DAYS - ahead, CLOSE_SOON_DAYS) * value
        return _deal(
            f, "close", "close_date", points, days=ahead, idle=idle, close_date=f.close_day
        )
    return None


def stalled(f: DealFacts, today: int, p75: dict[Stage, int], value: float) -> Candidate | None:
    typical = p75.get(f.current)
    if typical is None or f.stage_since is None or f.stage != f.current:
        return None
    days = today - math.floor(f.stage_since)
    if days <= typical:
        return None
    points = WEIGHTS["stalled"] * ramp(days - typical, typical) * value
    return _deal(
        f,
        "stalled",
        "stalled",
        points,
        days=days,
        p75=typical,
        stage=f.current,
        since=math.floor(f.stage_since),
    )


def promised(f: DealFacts, today: int, act: LastActivity, value: float) -> Candidate | None:
    said = math.floor(act.occurred)
    if today - said > PROMISE_LOOKBACK_DAYS:
        return None
    promise = find_promise(act.body, date_of(said))
    if promise is None:
        return None
    late = today - day_number(promise.due) if promise.due else 0
    urgency = ramp(late, 7) if late >= 0 else (1.0 if late >= -2 else 0.8)
    points = WEIGHTS["promised_follow_up"] * urgency * value
    info = {"promise": promise, "said_on": said, "late": late}
    key = f"deal:{f.deal_id}:promise:{act.id}"
    return Candidate(key, "promised_follow_up", points, f.owner_id, f.deal_id, None, info)


def likely_candidates(
    facts: Sequence[DealFacts], probabilities: Sequence[float], model: WinModel
) -> list[Candidate]:
    """One rep's open deals with the highest expected value (P(won) x amount), if likely."""
    pairs = zip(facts, probabilities, strict=True)
    ranked = sorted(
        ((p * f.amount, p, f) for f, p in pairs if p >= LIKELY_MIN),
        key=lambda t: (-t[0], t[2].deal_id),
    )
    found = []
    for expected, p, f in ranked[:LIKELY_PER_REP]:
        points = WEIGHTS["likely_win"] * (1.0 + p) * value_factor(expected)
        since = math.floor(f.created if f.last is None else f.last)
        info = {
            "p": p,
            "expected": expected,
            "drivers": model.drivers(f),
            "trained_on": model.trained_on,
            "since": since,
        }
        found.append(_deal(f, "likely", "likely_win", points, **info))
    return found
