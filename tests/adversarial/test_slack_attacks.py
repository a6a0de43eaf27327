"""Attacks through the Slack app: signed events, /sales, and buttons whose values are forged.

Every message the app sent is checked against the scope of each person who can read it: the
asker for DMs and private replies, the named user for ephemerals and App Home, every member of a
channel for a public post.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from support.adversarial.cases import Case, by_surface
from support.adversarial.checks import assert_safe, attacker_words, sent
from support.adversarial.oracle import changed_tables, crm_fingerprint, leaks_in, record
from support.fakes.signing import action_body, signed_headers
from support.fakes.slack_api import BOT_USER_ID
from support.slack_harness import MEMBERS, USERS, SlackHarness

from tools.models import NudgeSnooze, Task

SLACK_IDS = {
    "rob@x.test": "UROB",
    "rita@x.test": "URITA",
    "mia@x.test": "UMIA",
    "otto@x.test": "UOTTO",
}
RAW_MARKUP = ("<!channel>", "<!here>", "<@U123>", "|bank.com>")


def email_of(slack_id: str) -> str | None:
    return (USERS.get(slack_id) or {}).get("email", "").lower() or None


def recipients(call: dict[str, Any], asker: str) -> list[str]:
    """Who reads a message the app sent: a channel's members, one user, or the asker."""
    channel = str(call.get("channel") or call.get("channel_id") or "")
    public = ("chat.postMessage", "files.completeUploadExternal")
    if call["method"] in public and channel.startswith("C"):
        members = [email_of(m) for m in MEMBERS.get(channel, []) if m != BOT_USER_ID]
        return [m for m in members if m and m in SLACK_IDS]
    if call["method"] == "chat.postEphemeral":
        return [email_of(str(call["user"])) or "nobody"]
    if call["method"] == "views.publish":
        return [email_of(str(call["user_id"])) or "nobody"]
    return [asker]  # DMs, response_url replies and updates go to whoever asked or clicked


def slack_leaks(case: Case, calls: list[dict[str, Any]]) -> list[str]:
    """Each message checked against the scope of every person who can read it."""
    found = []
    for call in calls:
        for reader in recipients(call, case.asker):
            found += [f"{reader}: {x}" for x in leaks_in(reader, attacker_words(case), call)]
    return found


def assert_slack_safe(case: Case, harness: SlackHarness, before: dict[str, str]) -> None:
    calls = sent(harness)
    assert any(case.asker in recipients(c, case.asker) for c in calls), f"{case.id}: no reply"
    dump = json.dumps(calls, ensure_ascii=False)
    assert "Traceback" not in dump
    assert "nothing to add" not in dump, f"{case.id}: no clear message"
    assert not [m for m in RAW_MARKUP if m in dump], f"{case.id}: CRM markup not escaped"
    # A chart is an image the oracle cannot read: it may go to a channel only beside an answer
    # that was itself posted there (and so passed every member's check above).
    answered = {c["channel"] for c in calls if c["method"] == "chat.postMessage"}
    shared = {c.get("channel_id") for c in calls if c["method"] == "files.completeUploadExternal"}
    assert {c for c in shared if str(c).startswith("C")} <= answered, f"{case.id}: chart leaked"
    after = crm_fingerprint(harness.sessions)
    assert_safe(case, before, after, calls, leaks=slack_leaks(case, calls))


def ask(harness: SlackHarness, case: Case) -> None:
    user, how, channel = SLACK_IDS[case.asker], case.extra["how"], case.extra["in"]
    if how == "mention":
        harness.mention(user, channel, case.message)
    elif how == "command":
        assert harness.command(user, channel, case.message)[0] == 200
    elif how == "home":
        harness.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    elif how == "thread":
        # Someone else opens the thread with orders for the bot; the asker follows up in it.
        first_user, first_text = case.extra["first"]
        ts = harness.mention(first_user, channel, first_text)
        reply = harness.slack.add_message(channel, text=case.message, user=user, thread_ts=ts)
        event = {"type": "message", "channel": channel, "channel_type": "channel", "user": user}
        harness.event({**event, "text": case.message, "ts": reply, "thread_ts": ts})
    else:
        event = {"type": "message", "channel": channel, "channel_type": "im", "user": user}
        harness.event({**event, "text": case.message, "ts": harness.slack.next_ts()})


@pytest.mark.parametrize("case", by_surface("slack"), ids=lambda c: c.id)
def test_slack_surfaces_resist(harness: SlackHarness, case: Case) -> None:
    harness.slack.clear_calls()
    before = crm_fingerprint(harness.sessions)
    ask(harness, case)
    assert_slack_safe(case, harness, before)


def press(harness: SlackHarness, case: Case, action_ts: str = "1700000001.000100") -> int:
    user = SLACK_IDS[case.asker]
    payload = {
        "user": {"id": user},
        "channel": {"id": case.extra.get("channel", f"D{user}")},
        "container": {"type": "message", "message_ts": "1700000000.000100"},
        "response_url": harness.slack.response_url,
        "actions": [
            {
                "action_id": case.extra["action"],
                "block_id": "b",
                "value": case.message,
                "type": "button",
                "action_ts": action_ts,
            }
        ],
    }
    status = harness.send(action_body(payload))[0]
    harness.deps.work.join()
    return status


def snoozes_and_task_5(harness: SlackHarness) -> tuple[set[int], object]:
    with harness.sessions() as session:
        snoozers = set(session.scalars(select(NudgeSnooze.user_id)).all())
        done = session.scalar(select(Task.completed_at).where(Task.id == 5))
    return snoozers, done


@pytest.mark.parametrize("case", by_surface("button"), ids=lambda c: c.id)
def test_forged_buttons_resist(harness: SlackHarness, case: Case) -> None:
    harness.slack.clear_calls()
    before = crm_fingerprint(harness.sessions)
    assert press(harness, case) == 200
    if case.extra["action"].startswith("nudge-snooze"):
        # Snoozing is the clicker's own preference: it may hide "task:5" from Rob's own list,
        # and must touch nothing of Otto's.
        after = crm_fingerprint(harness.sessions)
        assert set(changed_tables(before, after)) <= {"nudge_snoozes", "audit_log"}
        snoozers, done = snoozes_and_task_5(harness)
        assert snoozers <= {3} and done is None
        before = after
    assert_slack_safe(case, harness, before)
    assert snoozes_and_task_5(harness)[1] is None  # Otto's task stays open


def test_bad_signature_is_refused_and_nothing_runs(harness: SlackHarness) -> None:
    harness.slack.clear_calls()
    before = crm_fingerprint(harness.sessions)
    payload = {
        "user": {"id": "UOTTO"},
        "channel": {"id": "CMIXED"},
        "response_url": harness.slack.response_url,
        "actions": [
            {
                "action_id": "nudge-done",
                "block_id": "b",
                "value": json.dumps({"key": "task:1", "task_id": 1}),
                "type": "button",
                "action_ts": "9.9",
            }
        ],
    }
    body = action_body(payload)
    status, _ = harness.send(body, headers=signed_headers("not-the-secret", body))
    harness.deps.work.join()
    writes = changed_tables(before, crm_fingerprint(harness.sessions))
    record([], writes)
    assert status == 401 and sent(harness) == [] and writes == []
