"""Team-wide statistics the rules compare a deal against: stage-stay percentiles and the model.

They take seconds on a large CRM (every stage change, thousands of closed deals) and change
slowly, so interactive callers reuse them for an hour through `cached_team_stats`; the daily
batch computes them fresh.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tools.models import Stage
from tools.nudges.stage_stats import stage_percentiles
from tools.nudges.win_model import WinModel, fit_win_model

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class TeamStats:
    p75: dict[Stage, int]  # typical (75th percentile) days in each stage
    model: WinModel | None  # None until the team has enough closed deals


def team_stats(session: Session, today: date) -> TeamStats:
    """Four statements: the stage-stay histogram, then the model's training facts."""
    return TeamStats(stage_percentiles(session, today), fit_win_model(session, today))


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
