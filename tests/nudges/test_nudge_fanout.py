"""Fan-out at scale: 1,000 reps through 429s, and two scheduler processes on one PostgreSQL."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.slack_api import FakeSlackServer
from support.nudge_helpers import (
    BERLIN,
    CONFIG,
    LA,
    NY,
    OLD,
    SQLITE_ONLY,
    dms,
    local,
    make_client,
    tick,
)

from bot.nudges import NudgeConfig, SlackNudgeSender, run_due
from tools.db import make_engine, session_factory
from tools.models import NudgeDelivery, Role, Task, User

ZONES = (NY, BERLIN, LA)
DAY = "2026-11-26"


def add_reps(sessions: sessionmaker[Session], count: int) -> dict[str, dict[str, str]]:
    """`count` reps with a Slack id, a timezone and an overdue task; returns the Slack users."""
    ids = range(1000, 1000 + count)
    users = [
        {
            "id": i,
            "email": f"rep{i}@x.test",
            "name": f"Rep {i}",
            "role": Role.REP,
            "timezone": ZONES[i % len(ZONES)],
            "slack_user_id": f"UR{i}",
        }
        for i in ids
    ]
    tasks = [{"id": i, "owner_id": i, "title": f"Call back {i}", "due_date": OLD} for i in ids]
    with sessions.begin() as s:
        s.execute(insert(User), users)
        s.execute(insert(Task), tasks)
    return {f"UR{i}": {"name": f"rep{i}"} for i in ids}


def mornings() -> list[datetime]:
    """Every 30 minutes of the three zones' mornings, as one scheduler would tick them."""
    start, end = local(BERLIN, DAY, "08:00"), local(LA, DAY, "12:00")
    return [
        start + timedelta(minutes=30 * n)
        for n in range(int((end - start) / timedelta(minutes=30)) + 1)
    ]


def sent_rows(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        grouped = s.execute(
            select(NudgeDelivery.status, func.count()).group_by(NudgeDelivery.status)
        ).all()
    return {str(status): n for status, n in grouped}


@SQLITE_ONLY  # pacing and 429s are HTTP; the PostgreSQL test below races two processes
def test_a_thousand_reps_through_429s_each_get_one_dm(sessions: sessionmaker[Session]) -> None:
    slack_users = add_reps(sessions, 1000)
    waits: list[float] = []
    with FakeSlackServer(users=slack_users) as slack:
        slack.rate_limit(fraction=0.05, retry_after=1, seed=11)
        sender = SlackNudgeSender(make_client(slack, waits))
        for at in mornings():
            tick(at, sessions, sender)
        per_channel = dms(slack)
        limited = [c for c in slack.calls() if c.status == 429]
    assert len(per_channel) == 1000
    assert set(per_channel.values()) == {1}
    # Every 429 was waited out for its Retry-After (recorded, not slept) and then retried.
    assert len(limited) > 50 and waits == [1.0] * len(limited)
    assert sent_rows(sessions) == {"sent": 1000}


def _scheduler_process(
    db_url: str, slack_url: str, ticks: Sequence[datetime], barrier: Any, name: str
) -> None:
    """One `salesbot serve` worth of scheduler: its own engine and client, the same clock."""
    engine = make_engine(db_url)
    sessions = session_factory(engine)
    from slack_sdk import WebClient

    sender = SlackNudgeSender(WebClient(token="xoxb-test", base_url=slack_url))
    config = NudgeConfig(lease_seconds=CONFIG.lease_seconds, send_rate=CONFIG.send_rate)
    try:
        for at in ticks:
            barrier.wait(timeout=60)  # both processes reach each minute together
            run_due(at, sessions, sender, config, sleep=lambda _s: None, token=f"{name}-{at}")
    finally:
        engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_scheduler_processes_send_each_message_once(
    db_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    slack_users = add_reps(sessions, 120)
    ticks = [local(BERLIN, DAY, "08:00") + timedelta(minutes=10 * n) for n in range(6 * 13)]
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    with FakeSlackServer(users=slack_users) as slack:
        workers = [
            spawn.Process(target=_scheduler_process, args=(db_url, slack.url, ticks, barrier, n))
            for n in ("a", "b")
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=240)
        assert [w.exitcode for w in workers] == [0, 0]
        per_channel = dms(slack)
    assert len(per_channel) == 120
    assert set(per_channel.values()) == {1}
    assert sent_rows(sessions) == {"sent": 120}
