"""Daily nudges go out once: at the local time, on working days, across DST, crashes, retries.

Each test drives the scheduler's tick with the clock frozen (time_machine) at chosen instants;
messages go through the real Slack client to the local fake Web API.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.slack_api import FakeSlackServer
from support.nudge_helpers import (
    BERLIN,
    LA,
    NY,
    SQLITE_ONLY,
    dms,
    local,
    sender_for,
    set_prefs,
    tick,
)

from bot.nudges import Due, NudgeConfig, NudgeMessage, Sent, SlackNudgeSender, run_due
from bot.nudges.run import Pacer
from tools.models import Deal, DeliveryStatus, NudgeDelivery, Stage, Task, User

ROB, RITA, OTTO = "DUROB", "DURITA", "DUOTTO"  # their DM channels with the app
THURSDAY, SATURDAY, MONDAY = "2026-11-26", "2026-11-28", "2026-11-30"


class Crash(BaseException):
    """A process dying mid-run: not an error the run may catch and record."""


def rows(sessions: sessionmaker[Session], user_id: int) -> list[NudgeDelivery]:
    with sessions() as s:
        return list(s.scalars(select(NudgeDelivery).where(NudgeDelivery.user_id == user_id)))


def test_sent_at_0830_local_once(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    sender = sender_for(nudge_slack)
    tick(local(NY, THURSDAY, "08:29"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 0
    report = tick(local(NY, THURSDAY, "08:30"), nudge_crm, sender)
    assert report.sent == [f"3:{THURSDAY}:daily_nudge"]
    for later in ("08:31", "09:00", "11:59"):
        tick(local(NY, THURSDAY, later), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 1
    [row] = rows(nudge_crm, 3)
    assert (row.status, row.local_date, row.channel_id) == ("sent", date(2026, 11, 26), ROB)
    assert row.items and row.items[0]["title"]


def test_each_rep_at_their_own_0830(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    sender = sender_for(nudge_slack)
    tick(local(BERLIN, THURSDAY, "08:30"), nudge_crm, sender)
    assert dms(nudge_slack) == {RITA: 1}
    tick(local(NY, THURSDAY, "08:30"), nudge_crm, sender)
    assert dms(nudge_slack) == {RITA: 1, ROB: 1}
    tick(local(LA, THURSDAY, "08:30"), nudge_crm, sender)
    assert dms(nudge_slack) == {RITA: 1, ROB: 1, OTTO: 1}


@SQLITE_ONLY
def test_weekend_sends_nothing(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    sender = sender_for(nudge_slack)
    start = local(BERLIN, SATURDAY, "00:00")
    for n in range(0, 48 * 4):  # Saturday and Sunday in every fixture zone, every 15 minutes
        tick(start + timedelta(minutes=15 * n), nudge_crm, sender)
    assert dms(nudge_slack) == {}


@SQLITE_ONLY
@pytest.mark.parametrize(("first", "sent"), [("11:59", 1), ("12:00", 0), ("15:00", 0)])
def test_down_at_0830_sends_on_restart_until_the_cutoff(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer, first: str, sent: int
) -> None:
    sender = sender_for(nudge_slack)
    tick(local(NY, THURSDAY, first), nudge_crm, sender)
    tick(local(NY, THURSDAY, "23:59"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == sent


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("zone", "day", "odd_time"),
    [
        (NY, "2026-03-08", "02:30"),  # spring forward: 02:30 never happens
        (NY, "2026-11-01", "01:30"),  # fall back: 01:30 happens twice
        (BERLIN, "2026-03-29", "02:30"),
        (BERLIN, "2026-10-25", "02:30"),
    ],
)
@pytest.mark.parametrize("odd", [False, True], ids=["08:30", "odd-time"])
def test_daylight_saving_days_give_exactly_one_message(
    nudge_crm: sessionmaker[Session],
    nudge_slack: FakeSlackServer,
    zone: str,
    day: str,
    odd_time: str,
    odd: bool,
) -> None:
    # The change days are Sundays, so every day of the week is switched on here.
    rep, channel = (3, ROB) if zone == NY else (4, RITA)
    send_time = odd_time if odd else "08:30"
    set_prefs(nudge_crm, rep, send_time=send_time, days="mon,tue,wed,thu,fri,sat,sun")
    sender = sender_for(nudge_slack)
    start = local(zone, day, "00:00") - timedelta(hours=1)
    for n in range(0, 26 * 4 + 1):  # every 15 minutes over the whole (23 or 25 hour) day
        tick(start + timedelta(minutes=15 * n), nudge_crm, sender)
    keys = Counter(m["metadata"]["event_payload"]["key"] for m in nudge_slack.messages[channel])
    assert keys[f"{rep}:{day}:daily_nudge"] == 1
    assert set(keys.values()) == {1}  # the neighbouring days got one each, if ticked
    assert [r.local_date for r in rows(nudge_crm, rep)].count(date.fromisoformat(day)) == 1


def test_paused_rep_gets_nothing(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    set_prefs(nudge_crm, 3, paused=True)
    sender = sender_for(nudge_slack)
    for hhmm in ("08:30", "10:00"):
        tick(local(NY, THURSDAY, hhmm), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 0
    assert rows(nudge_crm, 3) == []


def test_custom_time_and_days(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    set_prefs(nudge_crm, 3, send_time="10:15", days="tue,thu,sat")
    sender = sender_for(nudge_slack)
    tick(local(NY, THURSDAY, "08:30"), nudge_crm, sender)
    tick(local(NY, THURSDAY, "10:14"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 0
    tick(local(NY, THURSDAY, "10:15"), nudge_crm, sender)
    tick(local(NY, "2026-11-27", "10:15"), nudge_crm, sender)  # Friday: not one of the days
    assert dms(nudge_slack)[ROB] == 1
    tick(local(NY, SATURDAY, "10:30"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 2


@SQLITE_ONLY
def test_send_time_past_the_cutoff_still_gets_an_hour(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    set_prefs(nudge_crm, 3, send_time="17:00")
    sender = sender_for(nudge_slack)
    tick(local(NY, THURSDAY, "18:00"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 0
    tick(local(NY, "2026-11-27", "17:59"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 1


class CrashBeforeSend(SlackNudgeSender):
    def send(self, due: Due, message: NudgeMessage, channel_id: str | None) -> Sent:
        raise Crash


class CrashAfterSend(SlackNudgeSender):
    def send(self, due: Due, message: NudgeMessage, channel_id: str | None) -> Sent:
        super().send(due, message, channel_id)
        raise Crash


def test_crash_between_claim_and_send_is_sent_after_the_lease(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    set_prefs(nudge_crm, 4, paused=True)  # only Rob is due at 08:30 New York time
    crashing = CrashBeforeSend(sender_for(nudge_slack).client)
    with pytest.raises(Crash):
        tick(local(NY, THURSDAY, "08:30"), nudge_crm, crashing)
    sender = sender_for(nudge_slack)
    tick(local(NY, THURSDAY, "08:34"), nudge_crm, sender)  # the dead claim still holds
    assert dms(nudge_slack)[ROB] == 0
    assert rows(nudge_crm, 3)[0].status == DeliveryStatus.CLAIMED
    report = tick(local(NY, THURSDAY, "08:36"), nudge_crm, sender)  # lease of 300 s is over
    assert report.sent == [f"3:{THURSDAY}:daily_nudge"]
    tick(local(NY, THURSDAY, "08:50"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 1
    [row] = rows(nudge_crm, 3)
    assert (row.status, row.attempts) == ("sent", 2)


def test_crash_between_send_and_mark_finds_the_message_instead_of_resending(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    crashing = CrashAfterSend(sender_for(nudge_slack).client)
    with pytest.raises(Crash):
        tick(local(NY, THURSDAY, "08:30"), nudge_crm, crashing)
    assert dms(nudge_slack)[ROB] == 1
    report = tick(local(NY, THURSDAY, "08:40"), nudge_crm, sender_for(nudge_slack))
    assert report.recovered == [f"3:{THURSDAY}:daily_nudge"]
    assert dms(nudge_slack)[ROB] == 1
    [row] = rows(nudge_crm, 3)
    assert (row.status, row.channel_id) == ("sent", ROB)
    [history] = nudge_slack.calls("conversations.history")
    assert history.params["include_all_metadata"] in ("1", "true", True)
    [message] = nudge_slack.messages[ROB]
    assert message["metadata"] == {
        "event_type": "salesbot_nudge",
        "event_payload": {"key": f"3:{THURSDAY}:daily_nudge"},
    }


def test_a_failed_send_is_recorded_retried_and_given_up(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    sender = sender_for(nudge_slack)
    nudge_slack.fail_next("chat.postMessage", error="internal_error", status=200)
    report = tick(local(NY, THURSDAY, "08:30"), nudge_crm, sender)
    assert "internal_error" in report.failed[f"3:{THURSDAY}:daily_nudge"]
    assert rows(nudge_crm, 3)[0].status == DeliveryStatus.FAILED
    tick(local(NY, THURSDAY, "08:31"), nudge_crm, sender)
    assert dms(nudge_slack)[ROB] == 1
    assert (rows(nudge_crm, 3)[0].status, rows(nudge_crm, 3)[0].attempts) == ("sent", 2)

    for _ in range(3):
        nudge_slack.fail_next("chat.postMessage", error="internal_error", status=200)
    for hhmm in ("08:30", "08:31", "08:32", "08:33", "08:34"):
        tick(local(NY, "2026-11-27", hhmm), nudge_crm, sender)
    friday = [r for r in rows(nudge_crm, 3) if r.local_date == date(2026, 11, 27)]
    assert (friday[0].status, friday[0].attempts) == ("failed", 3)
    assert dms(nudge_slack)[ROB] == 1


def test_nothing_to_do_and_no_slack_user_are_skipped_with_a_reason(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    with nudge_crm.begin() as s:
        s.execute(update(User).where(User.id == 6).values(slack_user_id=None))
    sender = sender_for(nudge_slack)
    tick(local(LA, THURSDAY, "08:30"), nudge_crm, sender)
    [otto] = rows(nudge_crm, 6)
    assert otto.status == "skipped" and "no linked Slack user" in (otto.error or "")
    assert dms(nudge_slack)[OTTO] == 0
    assert not [c for c in nudge_slack.calls() if "UOTTO" in str(c.params)]

    with nudge_crm.begin() as s:  # Rita with every task done and no open deal
        s.execute(update(Task).where(Task.owner_id == 4).values(completed_at=datetime.now(UTC)))
        s.execute(update(Deal).where(Deal.owner_id == 4).values(stage=Stage.CLOSED_LOST))
    tick(local(BERLIN, THURSDAY, "08:30"), nudge_crm, sender)
    [rita] = rows(nudge_crm, 4)
    assert (rita.status, rita.error) == ("skipped", "nothing to do")
    assert dms(nudge_slack)[RITA] == 0


def test_manager_digest_monday_0800_manager_time_once(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    sender = sender_for(nudge_slack)
    for hhmm in ("07:59", "08:00", "08:15", "09:00", "11:00"):
        tick(local(NY, MONDAY, hhmm), nudge_crm, sender)
    tick(local(NY, "2026-12-01", "08:00"), nudge_crm, sender)  # Tuesday
    tick(local(NY, THURSDAY, "08:00"), nudge_crm, sender)
    assert dms(nudge_slack)["DUMIA"] == 1
    assert dms(nudge_slack)["DUMAX"] == 0  # London's Monday 08:00 has not been ticked
    tick(local("Europe/London", MONDAY, "08:00"), nudge_crm, sender)
    assert dms(nudge_slack)["DUMAX"] == 1
    [digest] = [r for r in rows(nudge_crm, 2) if r.kind == "manager_digest"]
    assert digest.local_date == date(2026, 11, 30)
    [message] = nudge_slack.messages["DUMIA"]
    text = str(message["blocks"])
    assert "Team pipeline this quarter" in text and "Top risks" in text
    assert message["metadata"]["event_payload"]["key"] == f"2:{MONDAY}:manager_digest"


def test_manager_digest_respects_pause(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    set_prefs(nudge_crm, 2, paused=True)
    tick(local(NY, MONDAY, "08:00"), nudge_crm, sender_for(nudge_slack))
    assert dms(nudge_slack)["DUMIA"] == 0


def test_the_message_carries_the_nudge_blocks(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    tick(local(NY, THURSDAY, "08:30"), nudge_crm, sender_for(nudge_slack))
    [message] = nudge_slack.messages[ROB]
    assert "Rob" in str(message["blocks"][0])
    assert "Send revised quote to Acme" in str(message["blocks"])
    assert message["text"]


@SQLITE_ONLY
def test_pacing_spaces_sends_at_the_configured_rate(
    nudge_crm: sessionmaker[Session], nudge_slack: FakeSlackServer
) -> None:
    slept: list[float] = []
    config = NudgeConfig(send_rate=2.0)
    at = datetime(2026, 11, 26, 16, 45, tzinfo=UTC)  # 08:45 in LA, 11:45 in New York
    report = run_due(at, nudge_crm, sender_for(nudge_slack), config, sleep=slept.append)
    assert len(report.sent) == 2
    assert len(slept) == 1 and 0 < slept[0] <= 0.5


def test_pacer_keeps_to_the_rate_counting_time_already_spent() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(4.0, sleep, clock=lambda: now[0])
    pacer.wait()
    pacer.wait()
    now[0] += 0.1  # the send itself took 0.1 s
    pacer.wait()
    now[0] += 1.0  # a Retry-After wait already spaced this one out
    pacer.wait()
    assert slept == pytest.approx([0.25, 0.15])
