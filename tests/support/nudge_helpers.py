"""Shared by the nudge tests: the fixture CRM linked to Slack, a fake clock and DM counting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryState
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from sqlalchemy import insert, update
from sqlalchemy.orm import Session, sessionmaker

from bot.nudges import NudgeConfig, NudgeSender, RunReport, SlackNudgeSender
from bot.nudges.scheduler import make_nudge_tick
from support.fakes.slack_api import FakeSlackServer
from tools.models import NudgeSettings, Task, User

# Fixture users (tests/support/crm_fixture.py): 2 Mia (manager, New York), 3 Rob (rep, New York),
# 4 Rita (rep, Berlin), 5 Max (manager, London), 6 Otto (rep, Los Angeles), 1 Ada (admin).
SLACK_IDS = {2: "UMIA", 3: "UROB", 4: "URITA", 5: "UMAX", 6: "UOTTO"}
REPS = (3, 4, 6)
NY, BERLIN, LA = "America/New_York", "Europe/Berlin", "America/Los_Angeles"
OLD = date(2026, 1, 5)
# For tests of what is plain Python or HTTP: the ledger's SQL is what needs both backends.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
CONFIG = NudgeConfig(lease_seconds=300, send_rate=1000.0)


def slack_users(ids: dict[int, str] = SLACK_IDS) -> dict[str, dict[str, str]]:
    return {slack_id: {"name": f"user{uid}"} for uid, slack_id in ids.items()}


def link_slack(sessions: sessionmaker[Session], ids: dict[int, str] = SLACK_IDS) -> None:
    with sessions.begin() as s:
        for uid, slack_id in ids.items():
            s.execute(update(User).where(User.id == uid).values(slack_user_id=slack_id))


def give_everyone_work(sessions: sessionmaker[Session], user_ids: Iterable[int]) -> None:
    """An old open task each, so every rep has something to do on any day."""
    with sessions.begin() as s:
        # Explicit ids: the fixture inserted its own, so PostgreSQL's sequence never moved.
        rows = [
            {"id": 10_000 + uid, "owner_id": uid, "title": f"Old task {uid}", "due_date": OLD}
            for uid in user_ids
        ]
        s.execute(insert(Task), rows)


def set_prefs(
    sessions: sessionmaker[Session],
    user_id: int,
    *,
    send_time: str | None = None,
    days: str = "mon,tue,wed,thu,fri",
    paused: bool = False,
) -> None:
    with sessions.begin() as s:
        s.merge(
            NudgeSettings(
                user_id=user_id,
                send_time=send_time,
                working_days=days,
                paused=paused,
                updated_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )


def local(tz: str, day: str, hhmm: str, *, fold: int = 0) -> datetime:
    """A wall-clock time in `tz` as an aware UTC datetime."""
    naive = datetime.fromisoformat(f"{day}T{hhmm}")
    return naive.replace(tzinfo=ZoneInfo(tz), fold=fold).astimezone(UTC)


def make_client(slack: FakeSlackServer, waits: list[float] | None = None) -> WebClient:
    """The production client setup against the fake, with 429 waits recorded, not slept."""
    client = WebClient(token="xoxb-test", base_url=slack.url)
    client.retry_handlers.append(RecordingRetryHandler(waits, max_retry_count=3))
    return client


class RecordingRetryHandler(RateLimitErrorRetryHandler):
    """Honours Retry-After like slack_sdk's handler, but records the wait instead of sleeping."""

    def __init__(self, waits: list[float] | None, **kwargs: int) -> None:
        super().__init__(**kwargs)
        self.waits = waits if waits is not None else []

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        assert response is not None
        headers = {k.lower(): v for k, v in response.headers.items()}
        self.waits.append(float(headers["retry-after"][0]))
        state.next_attempt_requested = True
        state.increment_current_attempt()


def tick(
    at: datetime,
    sessions: sessionmaker[Session],
    sender: NudgeSender,
    config: NudgeConfig = CONFIG,
) -> RunReport:
    """One scheduler tick with the clock frozen at `at` (no sleeping anywhere)."""
    with time_machine.travel(at, tick=False):
        report = make_nudge_tick(sessions, sender, config, sleep=lambda _s: None)()
    assert report is not None
    return report


def dms(slack: FakeSlackServer) -> Counter[str]:
    """Messages posted per channel, counting only the calls Slack accepted."""
    return Counter(
        c.params["channel"]
        for c in slack.calls("chat.postMessage")
        if c.status == 200 and isinstance(c.response, dict) and c.response.get("ok")
    )


def sender_for(slack: FakeSlackServer) -> SlackNudgeSender:
    return SlackNudgeSender(make_client(slack))
