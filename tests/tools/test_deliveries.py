"""The nudge ledger's SQL: one winner per key across sessions, leases, tokens, retries, snoozes."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture

from tools.crm.deliveries import (
    MAX_ATTEMPTS,
    NudgePrefs,
    claim_delivery,
    get_delivery,
    holds_claim,
    last_channel_ids,
    list_active_snoozes,
    list_nudge_prefs,
    list_settled_keys,
    mark_failed,
    mark_sent,
    mark_skipped,
)
from tools.models import NudgeSettings, NudgeSnooze

T0 = datetime(2026, 11, 26, 13, 30, tzinfo=UTC)
DAY = date(2026, 11, 26)
KEY = (3, DAY, "daily_nudge")


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


def claim(sessions: sessionmaker[Session], at: datetime, token: str) -> bool:
    with sessions.begin() as s:
        return claim_delivery(s, *KEY, now=at, lease_seconds=300, token=token)


def test_one_of_many_concurrent_claims_wins(crm: sessionmaker[Session]) -> None:
    start = threading.Barrier(8)
    won: list[str] = []

    def contend(n: int) -> None:
        start.wait()
        if claim(crm, T0, f"t{n}"):
            won.append(f"t{n}")

    threads = [threading.Thread(target=contend, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    with crm() as s:
        assert holds_claim(s, *KEY, won[0])


def test_an_expired_claim_is_taken_over_once(crm: sessionmaker[Session]) -> None:
    assert claim(crm, T0, "dead")
    assert not claim(crm, T0 + timedelta(seconds=299), "early")
    later = T0 + timedelta(seconds=301)
    assert [claim(crm, later, "a"), claim(crm, later, "b")] == [True, False]
    with crm() as s:
        row = get_delivery(s, *KEY)
        assert row is not None and (row.claim_token, row.attempts) == ("a", 2)


def test_only_the_holder_settles_a_claim(crm: sessionmaker[Session]) -> None:
    assert claim(crm, T0, "mine")
    with crm.begin() as s:
        assert not mark_sent(
            s, *KEY, token="other", now=T0, channel_id="D1", message_ts="1.0", items=[]
        )
        assert mark_sent(
            s, *KEY, token="mine", now=T0, channel_id="D1", message_ts="1.0", items=[{"k": 1}]
        )
        assert not mark_skipped(s, *KEY, token="mine", reason="late")  # already settled
    assert not claim(crm, T0 + timedelta(days=1), "again")  # sent is final
    with crm() as s:
        assert list_settled_keys(s, [DAY], ["daily_nudge"]) == {KEY}
        assert last_channel_ids(s, [3, 4]) == {3: "D1"}


def test_a_failure_is_retried_until_attempts_run_out(crm: sessionmaker[Session]) -> None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert claim(crm, T0 + timedelta(minutes=attempt), f"try{attempt}")
        with crm() as s:
            assert list_settled_keys(s, [DAY], ["daily_nudge"]) == set()
        with crm.begin() as s:
            assert mark_failed(s, *KEY, token=f"try{attempt}", error="boom")
    assert not claim(crm, T0 + timedelta(hours=1), "one more")
    with crm() as s:
        assert list_settled_keys(s, [DAY], ["daily_nudge"]) == {KEY}


def test_prefs_default_and_snoozes_end_on_their_day(crm: sessionmaker[Session]) -> None:
    with crm.begin() as s:
        s.add(
            NudgeSettings(
                user_id=4, send_time="07:45", working_days="tue,mon", paused=False, updated_at=T0
            )
        )
        s.add(NudgeSnooze(user_id=3, item_key="task:1", until=date(2026, 11, 27), created_at=T0))
        s.add(NudgeSnooze(user_id=3, item_key="deal:2:quiet", until=DAY, created_at=T0))
    with crm() as s:
        assert list_nudge_prefs(s, [3, 4]) == {4: NudgePrefs("07:45", ("mon", "tue"), False)}
        assert list_active_snoozes(s, {3: DAY, 4: DAY}) == {3: {"task:1"}}
        assert list_active_snoozes(s, {3: date(2026, 11, 27)}) == {}
