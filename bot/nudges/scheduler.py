"""APScheduler wiring only: tick the nudge run (and the weekly stage baseline) every minute.

The job store is in memory on purpose: several instances may each run a scheduler, and the
nudge ledger in the database (not APScheduler) makes every message go out once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient

from bot.nudges import NudgeConfig, NudgeSender, RunReport, SlackNudgeSender, run_due
from bot.settings import Settings
from tools.analytics.precomputed import current_policy
from tools.analytics.refresh import refresh_due
from tools.context import utc_now
from tools.crm.baseline import refresh_baseline
from tools.db import Session, sessionmaker

log = logging.getLogger(__name__)
TICK_SECONDS = 60
JOB_ID = "nudges"
SNAPSHOT_JOB_ID = "analytics-snapshots"


def build_scheduler(
    tick: Callable[[], object], *, seconds: float = TICK_SECONDS
) -> BackgroundScheduler:
    """A scheduler running `tick` now and then every `seconds`, never two at once."""
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        tick,
        "interval",
        seconds=seconds,
        id=JOB_ID,
        coalesce=True,  # ticks missed while a long run went on collapse into one
        max_instances=1,
        next_run_time=datetime.now(UTC),  # a restart sends what is overdue at once
        misfire_grace_time=int(seconds),
    )
    return scheduler


def make_nudge_tick(
    sessions: sessionmaker[Session],
    sender: NudgeSender,
    config: NudgeConfig,
    *,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], object] = time.sleep,
) -> Callable[[], RunReport | None]:
    """One scheduler tick: run what is due at `clock()`; an error is logged, never raised."""

    def tick() -> RunReport | None:
        now = clock()
        try:
            # The new week's company baseline (tools/crm/baseline.py), before anyone asks.
            refresh_baseline(sessions, now.date())
        except Exception:  # figures then store it on first use; nudges still go out
            log.exception("stage baseline: the scheduled refresh failed")
        try:
            return run_due(now, sessions, sender, config, sleep=sleep)
        except Exception:  # one bad minute must not stop the next ones
            log.exception("nudges: the scheduled run failed")
            return None

    return tick


def make_snapshot_tick(
    sessions: sessionmaker[Session],
    reporting_currency: str,
    *,
    clock: Callable[[], datetime] = utc_now,
) -> Callable[[], int]:
    """Recompute the kept analytics answers about to expire (tools/analytics/refresh.py)."""

    def tick() -> int:
        try:
            return refresh_due(sessions, clock, current_policy(), reporting_currency)
        except Exception:  # the answers are then computed live, as for a small scope
            log.exception("analytics snapshots: the scheduled refresh failed")
            return 0

    return tick


def start_nudge_scheduler(
    settings: Settings, sessions: sessionmaker[Session], client: WebClient
) -> BackgroundScheduler:
    """Start ticking against the real clock, sending through `client`; the caller shuts it down.
    The kept analytics answers are refreshed beside the nudges, in their own job, so a long
    refresh never holds a nudge back."""
    config = NudgeConfig.from_settings(settings)
    scheduler = build_scheduler(make_nudge_tick(sessions, SlackNudgeSender(client), config))
    if settings.analytics_snapshot_minutes > 0:
        scheduler.add_job(
            make_snapshot_tick(sessions, settings.reporting_currency),
            "interval",
            seconds=TICK_SECONDS,
            id=SNAPSHOT_JOB_ID,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=TICK_SECONDS,
        )
    scheduler.start()
    return scheduler
