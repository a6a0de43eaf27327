"""The ack never waits on the database: events are claimed after the ack, answered once.

Another connection holds a write lock while events arrive. Each delivery is acked while the lock
is still held (asserted causally: the response is in hand before the lock is released), nothing
is answered yet, and once the lock goes the event is answered exactly once, with no error shown,
whatever Slack's retries did meanwhile. On both backends.
"""

from __future__ import annotations

import time

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.db_locks import write_lock
from support.fakes.signing import event_body
from support.slack_harness import SlackHarness

from bot.slack.event_claims import Claim, EventClaims


def _dm(ts: str) -> dict[str, str]:
    return {
        "type": "message",
        "channel": "DROB",
        "channel_type": "im",
        "user": "UROB",
        "text": "what should I do today?",
        "ts": ts,
    }


def answers_in(harness: SlackHarness, ts: str) -> list[dict[str, object]]:
    calls = harness.posted() + harness.posted("chat.postEphemeral")
    return [c for c in calls if c.get("thread_ts") == ts or c.get("ts") == ts]


def test_an_event_is_acked_under_a_write_lock_and_answered_once_after(
    harness: SlackHarness,
) -> None:
    body = event_body(_dm("50.0"), "EvLocked1")
    with write_lock(harness.sessions):
        acks = [harness.send(body, retry_num=retry)[0] for retry in (None, 1, 2)]
        # Still inside the lock: every delivery was acked, and nothing could be answered yet.
        assert acks == [200, 200, 200]
        assert harness.posted() == [] and harness.posted("chat.postEphemeral") == []
    assert harness.deps.work.join(timeout=120)
    [answer] = harness.posted()
    assert "Send revised quote to Acme" in str(answer["blocks"])
    assert harness.posted("chat.postEphemeral") == []  # no "something went wrong", ever


def test_a_retry_after_the_answer_is_dropped_without_the_database(harness: SlackHarness) -> None:
    body = event_body(_dm("51.0"), "EvLocked2")
    assert harness.send(body)[0] == 200
    assert harness.deps.work.join(timeout=120)
    with write_lock(harness.sessions):  # the retry needs no database at all
        assert harness.send(body, retry_num=1)[0] == 200
        assert harness.deps.work.pending == 0  # dropped on the ack path: nothing was queued
    assert len(harness.posted()) == 1


def test_a_lock_longer_than_the_bounded_wait_means_answering_once_unrecorded(
    crm: sessionmaker[Session],
) -> None:
    claims = EventClaims(crm, lambda: NOW, wait_seconds=1.0)
    with write_lock(crm):
        # One try, bounded by the database's own lock wait, outlasts the 1 s: answer anyway.
        assert claims.claim("slack:EvBounded") is Claim.UNRECORDED
    assert claims.claim("slack:EvBounded") is Claim.FIRST  # the lock gone: recorded as usual
    assert claims.claim("slack:EvBounded") is Claim.REPEAT


def test_a_database_that_is_down_is_retried_with_backoff_then_given_up_on() -> None:
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")  # refuses at once
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    claims = EventClaims(sessionmaker(engine), lambda: NOW, wait_seconds=1.0, sleep=sleep)
    assert claims.claim("slack:EvDown") is Claim.UNRECORDED
    assert waits == [0.25, 0.5]  # backing off, and never past the bound
