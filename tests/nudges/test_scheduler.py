"""The APScheduler wiring: one job, ticking at once and then every minute, never overlapping."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import time_machine
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.slack_api import FakeSlackServer
from support.nudge_helpers import NY, SQLITE_ONLY, dms, local, sender_for, tick

from bot.nudges.scheduler import JOB_ID, build_scheduler, start_nudge_scheduler
from bot.settings import Settings
from tools.crm.baseline import load_baseline


def test_the_job_ticks_at_once_every_minute_without_overlap() -> None:
    ran = threading.Event()
    scheduler = build_scheduler(ran.set)
    scheduler.start()
    try:
        assert ran.wait(timeout=10)  # a restart sends what is overdue without waiting a minute
        job = scheduler.get_job(JOB_ID)
        assert job.trigger.interval.total_seconds() == 60
        assert (job.coalesce, job.max_instances) == (True, 1)
    finally:
        scheduler.shutdown(wait=False)


@SQLITE_ONLY
def test_serve_s_scheduler_sends_what_is_due_on_start(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    settings = Settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=nudge_slack.url)
    client = WebClient(token="xoxb-test", base_url=nudge_slack.url)
    with time_machine.travel(local(NY, "2026-11-26", "08:30"), tick=False):
        scheduler = start_nudge_scheduler(settings, nudge_crm, client)
        try:
            assert _eventually(lambda: dms(nudge_slack) == {"DUROB": 1})
        finally:
            scheduler.shutdown(wait=True)
    assert not scheduler.running


def _eventually(check: Callable[[], bool], timeout: float = 10) -> bool:
    """A bounded wait for the scheduler's own thread; not a timing assertion."""
    done = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if check():
            return True
        done.wait(0.02)
    return check()


def test_a_tick_stores_the_weeks_stage_baseline_before_anyone_asks(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    with nudge_crm() as session:
        assert load_baseline(session, date(2026, 11, 23)) is None
    tick(local(NY, "2026-11-26", "08:30"), nudge_crm, sender_for(nudge_slack))
    with nudge_crm() as session:
        stored = load_baseline(session, date(2026, 11, 23))  # that Thursday's Monday
    assert stored is not None and stored.as_of == date(2026, 11, 23)
