"""Who is due a message now: each user's local time against their send window and days."""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.nudges.config import DAILY_NUDGE, MANAGER_DIGEST, Due, NudgeConfig, parse_hhmm
from tools.crm.deliveries import NudgePrefs, list_nudge_prefs, list_settled_keys
from tools.crm.nudge_actions import WEEKDAYS
from tools.crm.users import list_nudge_recipients
from tools.db import Session
from tools.models import Role

log = logging.getLogger(__name__)

# A send time at or past the cutoff still gets this many minutes to go out.
LATE_MINUTES = 60


def due_deliveries(session: Session, now: datetime, config: NudgeConfig) -> list[Due]:
    """Messages due at `now` (aware) and not yet settled in the ledger.

    A rep is due a daily nudge on their working days from their send time until the cutoff,
    in their own timezone; a manager is due the digest on Mondays from 08:00 until the cutoff.
    Paused users get neither. Claims still in flight are returned: claiming arbitrates them.
    """
    users = list_nudge_recipients(session)
    prefs = list_nudge_prefs(session, [u.id for u in users])
    found = []
    for user in users:
        due = _due_for(user, prefs.get(user.id, NudgePrefs()), now, config)
        if due is not None:
            found.append(due)
    if not found:
        return []
    settled = list_settled_keys(session, {d.local_date for d in found}, {d.kind for d in found})
    return [d for d in found if (d.user_id, d.local_date, d.kind) not in settled]


def _due_for(user: Any, prefs: NudgePrefs, now: datetime, config: NudgeConfig) -> Due | None:
    if prefs.paused:
        return None
    local = now.astimezone(_zone(user.timezone))
    if user.role == Role.REP:
        kind, days = DAILY_NUDGE, prefs.working_days
        start = _send_time(prefs.send_time, config.send_time)
    else:
        kind, days, start = MANAGER_DIGEST, (config.digest_weekday,), config.digest_time
    if WEEKDAYS[local.weekday()] not in days or not in_window(local.time(), start, config.cutoff):
        return None
    return Due(user.id, kind, local.date(), user.name, user.timezone, user.slack_user_id)


def in_window(now: time, start: time, cutoff: time) -> bool:
    """From `start` until `cutoff`; a start at or past the cutoff gets LATE_MINUTES instead.

    Comparing wall-clock times makes daylight-saving days safe: a start inside the skipped
    hour is reached at the first local time after it, and the repeated hour can only repeat
    what the ledger already holds.
    """
    begin, at, stop = _minutes(start), _minutes(now), _minutes(cutoff)
    end = stop if begin < stop else begin + LATE_MINUTES
    return begin <= at < end


def _minutes(value: time) -> float:
    return value.hour * 60 + value.minute + value.second / 60


def _send_time(value: str | None, default: time) -> time:
    try:
        return parse_hhmm(value) if value else default
    except ValueError:
        return default


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown timezone %r; using UTC for nudges", name)
        return ZoneInfo("UTC")
