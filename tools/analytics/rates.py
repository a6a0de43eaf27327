"""Stage-to-win conversion within a horizon, from the team's own past snapshots.

For the deals that sat open in a stage at the same point of each of the last SNAPSHOTS
quarters, the share that closed won within the horizon: conversion and time to close in one
figure. Only outcomes known before `as_of` count, so a backtest never sees its own future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.analytics.snapshot import snapshot_query
from tools.models import Stage
from tools.scope import AnalyticsScope

SNAPSHOTS = 4
SNAPSHOT_STEP_DAYS = 91  # one quarter back per snapshot


@dataclass(frozen=True, slots=True)
class Conversion:
    """Deals seen open in a stage at the snapshots, and how many of them won in the horizon."""

    seen: int
    won: int

    @property
    def rate(self) -> float:
        return self.won / self.seen if self.seen else 0.0


def snapshot_times(as_of: datetime, horizon_days: int) -> list[datetime]:
    """The snapshot moments: each a quarter (or the horizon, if longer) further back."""
    step = max(SNAPSHOT_STEP_DAYS, horizon_days)
    return [as_of - timedelta(days=step * k) for k in range(1, SNAPSHOTS + 1)]


def conversions(
    session: Session, scope: AnalyticsScope, as_of: datetime, horizon_days: int
) -> dict[Stage, Conversion]:
    """Per stage: deals open in it at each snapshot, and those won within the horizon after."""
    seen: dict[Stage, int] = {}
    won: dict[Stage, int] = {}
    for moment in snapshot_times(as_of, horizon_days):
        snap = snapshot_query(scope, moment).subquery()
        deadline = min(moment + timedelta(days=horizon_days), as_of)
        in_time = (snap.c.stage_now == Stage.CLOSED_WON) & (snap.c.closed_at < deadline)
        rows = session.execute(
            select(snap.c.stage_then, func.count(), func.count().filter(in_time)).group_by(
                snap.c.stage_then
            )
        ).all()
        for stage, count, wins in rows:
            seen[Stage(stage)] = seen.get(Stage(stage), 0) + int(count)
            won[Stage(stage)] = won.get(Stage(stage), 0) + int(wins)
    return {stage: Conversion(seen[stage], won[stage]) for stage in seen}
