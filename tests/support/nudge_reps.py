"""Reps whose daily nudge is due whenever a test runs: UTC, every day, from midnight."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from support.fakes.slack_api import FakeSlackServer
from tools.models import NudgeSettings, Role, Task, User

FIRST_ID = 100
EVERY_DAY = "mon,tue,wed,thu,fri,sat,sun"
# Settings for `salesbot serve` so these reps are due now, whatever the real clock says.
DUE_ALL_DAY = {"NUDGE_TIME": "00:00", "NUDGE_CUTOFF": "23:59"}


def add_due_reps(sessions: sessionmaker[Session], count: int) -> dict[str, dict[str, str]]:
    """`count` linked reps with an overdue task each; returns them as Slack users for the fake."""
    ids = range(FIRST_ID, FIRST_ID + count)
    overdue = date.today() - timedelta(days=3)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    with sessions.begin() as s:
        # Explicit ids: the fixture inserted its own, so PostgreSQL's sequences never moved.
        s.execute(
            insert(User),
            [
                {
                    "id": i,
                    "email": f"due{i}@x.test",
                    "name": f"Due Rep {i}",
                    "role": Role.REP,
                    "timezone": "UTC",
                    "slack_user_id": f"UDUE{i}",
                }
                for i in ids
            ],
        )
        s.execute(
            insert(Task),
            [
                {"id": 20_000 + i, "owner_id": i, "title": f"Call {i}", "due_date": overdue}
                for i in ids
            ],
        )
        s.execute(
            insert(NudgeSettings),
            [
                {"user_id": i, "send_time": "00:00", "working_days": EVERY_DAY, "updated_at": stamp}
                for i in ids
            ],
        )
    return {f"UDUE{i}": {"name": f"due{i}"} for i in ids}


def nudge_dms(slack: FakeSlackServer, slack_ids: set[str]) -> Counter[str]:
    """Accepted posts per recipient among `slack_ids` (DM channels are opened per user)."""
    opened = {
        c.response["channel"]["id"]: c.params.get("users")
        for c in slack.calls("conversations.open")
        if isinstance(c.response, dict) and c.response.get("ok")
    }
    posted = Counter()
    for call in slack.calls("chat.postMessage"):
        channel = call.params.get("channel")
        who = opened.get(channel, channel)
        if who in slack_ids and isinstance(call.response, dict) and call.response.get("ok"):
            posted[who] += 1
    return posted
