"""Two `salesbot serve` processes behind one load balancer, sharing one PostgreSQL database.

Slack may deliver an event to either instance, and again (X-Slack-Retry-Num) when an ack is
late: exactly one answer must be posted. Both instances run the nudge scheduler: each nudge
goes out once. Processes start one after the other (the machine is shared); the waits for
them are bounded waits, never timing assertions.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.signing import event_body, post, signed_headers
from support.fakes.slack_api import FakeSlackServer
from support.nudge_reps import DUE_ALL_DAY, add_due_reps, nudge_dms
from support.serve_process import Served, eventually, replies, serve_env
from support.slack_harness import SECRET, mention_event

from tools.models import DeliveryStatus, NudgeDelivery, ProcessedEvent

NUDGE_REPS = 30


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_instances_answer_a_repeated_event_once_and_send_each_nudge_once(
    db_url: str, crm: sessionmaker[Session], slack: FakeSlackServer, tmp_path: Path
) -> None:
    due = add_due_reps(crm, NUDGE_REPS)
    slack.users.update(due)
    env = serve_env(db_url, tmp_path / "chroma", slack) | DUE_ALL_DAY
    env |= {"SLACK_SIGNING_SECRET": SECRET, "SCHEDULER_ENABLED": "true"}
    # Paced sends in small batches (lease x rate / 2 = 10 claims each) keep the first instance's
    # run going while the second one starts, so both schedulers claim from the same queue.
    env |= {"NUDGE_SEND_RATE": "2", "NUDGE_LEASE_SECONDS": "10"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with Served(env, tmp_path / "a") as a, Served(env, tmp_path / "b") as b:
        urls = [f"{a.wait_listening()}/slack/events", f"{b.wait_listening()}/slack/events"]
        event = mention_event(slack, "UROB", "CTEAM", "what should I do today?")
        body = event_body(event, "EvTwoInstances1")
        # The same delivery to both at once, then Slack's retries of it to each.
        deliveries = [(urls[0], None), (urls[1], None), (urls[0], 1), (urls[1], 2)]
        with ThreadPoolExecutor(len(deliveries)) as pool:
            statuses = list(
                pool.map(
                    lambda d: post(d[0], body, signed_headers(SECRET, body), d[1])[0], deliveries
                )
            )
        assert statuses == [200] * len(deliveries)
        assert eventually(lambda: bool(replies(slack, event))), a.text + b.text
        assert eventually(lambda: _settled(crm) == NUDGE_REPS, timeout=90), a.text + b.text
        assert a.terminate() == 0 and b.terminate() == 0
    assert len(replies(slack, event)) == 1
    with crm() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) >= 1
    posted = nudge_dms(slack, set(due))
    assert len(posted) == NUDGE_REPS and set(posted.values()) == {1}
    assert "Traceback" not in a.text + b.text
    _print_claims(crm)


def _settled(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(NudgeDelivery)
                .where(NudgeDelivery.user_id >= 100, NudgeDelivery.status == DeliveryStatus.SENT)
            )
            or 0
        )


def _print_claims(sessions: sessionmaker[Session]) -> None:
    """Which instance sent how many: a figure for the log, not an assertion (it is a race)."""
    with sessions() as s:
        rows = s.execute(
            select(NudgeDelivery.claim_token, func.count())
            .where(NudgeDelivery.user_id >= 100)
            .group_by(NudgeDelivery.claim_token)
        ).all()
    print("nudge claims per scheduler run:", sorted(n for _t, n in rows))
