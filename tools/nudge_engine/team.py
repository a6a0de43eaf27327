"""Company-wide statistics the rules compare a deal against: the stage baseline and the model.

Both change once a week at most: the baseline is the stored row of the week (its Monday), and
the win model is fitted on deals closed before that Monday, so nothing another team does during
the week moves a rep's nudges (each rep's own stays are blended in by `compute_nudges`).
Interactive callers reuse them for an hour through `cached_team_stats`; the daily batch
loads them fresh.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tools.crm import baseline as stage_baseline
from tools.nudge_engine.win_model import WinModel, fit_win_model

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class TeamStats:
    baseline: stage_baseline.Baseline  # the company's stage win rates and p75 days, this week
    model: WinModel | None  # None until the company has enough closed deals


def team_stats(session: Session, today: date) -> TeamStats:
    """The week's stored baseline (one statement once stored), then the model's training facts."""
    week = stage_baseline.period_start(today)
    return TeamStats(stage_baseline.baseline_for(session, today), fit_win_model(session, week))


_cache: dict[tuple[str, date], tuple[float, TeamStats]] = {}
_lock = threading.Lock()


def cached_team_stats(session: Session, today: date) -> TeamStats:
    """`team_stats` for this database and day, reused for up to CACHE_SECONDS."""
    key = (str(session.get_bind().engine.url), today)
    with _lock:
        hit = _cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    stats = team_stats(session, today)
    with _lock:
        _cache[key] = (time.monotonic(), stats)
        for old in [k for k in _cache if k[1] < today]:
            del _cache[old]
    return stats
