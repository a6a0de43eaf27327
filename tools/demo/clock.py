"""Timestamps for the demo: working hours in a user's timezone, never at or after `today`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    """Dates every demo row relative to `today` rather than to the wall clock."""

    today: date

    @property
    def cutoff(self) -> datetime:
        """Midnight UTC starting `today`: nothing is dated at or after it.

        Not the wall clock: the rows depend only on `today`, and none is in the future at any
        hour of that day.
        """
        return datetime.combine(self.today, time(), UTC)

    def at(self, rng: random.Random, day: date, tz: str) -> datetime:
        """A working-hours moment on `day` in `tz` (weekends move back to Friday), in UTC."""
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)
        local = datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), ZoneInfo(tz))
        return min(local.astimezone(UTC), self.cutoff - timedelta(minutes=rng.randint(30, 90)))

    def between(self, rng: random.Random, start: datetime, end: datetime, tz: str) -> datetime:
        """A working-hours moment from `start` to `end` inclusive, in UTC."""
        span = max((end.date() - start.date()).days, 0)
        moment = self.at(rng, start.date() + timedelta(days=rng.randint(0, span)), tz)
        return min(max(moment, start), end)
