"""Time as day numbers: days since 1970-01-01 UTC, as floats for instants and ints for dates.

The nudge engine reads millions of timestamps; SQL hands them over as day numbers
(`tools/portable_sql.py`, `epoch_days`), which costs nothing to compare or subtract, instead of
as parsed datetimes.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time

EPOCH = date(1970, 1, 1).toordinal()


def day_number(day: date) -> int:
    return day.toordinal() - EPOCH


def date_of(days: float) -> date:
    """The UTC calendar day an instant (in day numbers) falls on."""
    return date.fromordinal(EPOCH + math.floor(days))


def start_of(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time(0), tzinfo=UTC)
