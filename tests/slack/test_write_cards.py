"""Proposal cards through signed requests to the real Bolt endpoint and the local Slack server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.signing import action_body, view_submission_body
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import SlackHarness, blocks_json, make_harness
from support.write_helpers import NOW, audit_rows, build_write_fixture, count

from bot.agent.runner import AgentRunner
from bot.slack.ids import (
    LOG_THREAD_CALLBACK_ID,
    WRITE_CANCEL_ACTION_ID,
    WRITE_CONFIRM_ACTION_ID,
    WRITE_EDIT_ACTION_ID,
    WRITE_EDIT_CALLBACK_ID,
    WRITE_UNDO_ACTION_ID,
)
from tools.models import Activity, Deal, PendingWrite

LOG_CALL = "log a call with Acme: they need the SOC 2 report, decision by March"


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_write_fixture(session)
    return sessions


@pytest.fixture
def harness(crm: sessionmaker[Session], slack: FakeSlackServer) -> Iterator[SlackHarness]:
    yield from make_harness(crm, slack, AgentRunner(crm, clock=lambda: NOW))


def ask_in_dm(harness: SlackHarness, user: str, text: str) -> dict[str, Any]:
    """`user` DMs the bot; returns the bot's stored message (its card included)."""
    channel = f"D{user[1:]}"
    ts = harness.slack.add_message(channel, text=text, user=user)
    event = {"type": "message", "channel": channel, "channel_type": "im", "user": user}
    harness.event({**event, "text": text, "ts": ts})
    return harness.slack.messages[channel][-1]


def write_id(message: dict[str, Any]) -> str:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []):
            if element.get("action_id") in (WRITE_CONFIRM_ACTION_ID, WRITE_UNDO_ACTION_ID):
                return str(element["value"])
    raise AssertionError(f"no card in {message}")


def press(
    harness: SlackHarness,
    user: str,
    action_id: str,
    message: dict[str, Any],
    value: str,
    action_ts: str = "1.1",
    *,
    channel: str | None = None,
    ephemeral: bool = False,
    retry_num: int | None = None,
) -> list[dict[str, Any]]:
    """Press a card button as `user`; returns what was sent to the response URL."""
    channel = channel or f"D{user[1:]}"
    before = len(harness.posted("response_url"))
    payload = {
        "user": {"id": user},
        "channel": {"id": channel},
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "message": message,
        "response_url": harness.slack.response_url,
        "actions": [
            {"action_id": action_id, "value": value, "type": "button", "action_ts": action_ts}
        ],
    }
    assert harness.send(action_body(payload), retry_num=retry_num)[0] == 200
    harness.deps.work.join()
    return harness.posted("response_url")[before:]


def test_confirm_writes_once_then_undo_removes_it(harness: SlackHarness) -> None:
    card = ask_in_dm(harness, "UROB", LOG_CALL)
    wid = write_id(card)
    assert "Confirm" in blocks_json(card) and "they need the SOC 2 report" in blocks_json(card)
    assert count(harness.sessions, Activity) == 6  # a proposal writes nothing
    press(harness, "UROB", WRITE_CONFIRM_ACTION_ID, card, wid, "5.5")
    press(harness, "UROB", WRITE_CONFIRM_ACTION_ID, card, wid, "5.5", retry_num=1)  # Slack retry
    replies = press(harness, "UROB", WRITE_CONFIRM_ACTION_ID, card, wid, "5.6")  # double click
    assert replies == []  # a repeat is not an error
    assert count(harness.sessions, Activity) == 7 and len(audit_rows(harness.sessions)) == 1
    saved = harness.slack.find_message("DROB", card["ts"])
    assert "Saved" in blocks_json(saved) and WRITE_UNDO_ACTION_ID in blocks_json(saved)
    [audit] = audit_rows(harness.sessions)
    assert (audit.action, audit.entity, audit.surface) == ("activity.log", "activity", "slack")
    press(harness, "UROB", WRITE_UNDO_ACTION_ID, saved, wid, "6.6")
    assert count(harness.sessions, Activity) == 6
    assert "Undone" in blocks_json(harness.slack.find_message("DROB", card["ts"]))
    assert [a.action for a in audit_rows(harness.sessions)] == ["activity.log", "activity.log.undo"]


def test_edit_opens_a_filled_modal_and_saving_redraws_the_card(harness: SlackHarness) -> None:
    card = ask_in_dm(harness, "UROB", "move the Acme platform deal to proposal")
    wid = write_id(card)
    press(harness, "UROB", WRITE_EDIT_ACTION_ID, card, wid)
    [opened] = harness.posted("views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert view["callback_id"] == WRITE_EDIT_CALLBACK_ID
    assert '"initial_date": "2026-12-15"' in json.dumps(view)  # the deal's own close date
    status, body = submit(harness, view, stage="proposal", amount="lots")
    errors = json.loads(body)["errors"]
    assert (
        list(errors) == ["write-field:amount"] and "not an amount" in errors["write-field:amount"]
    )
    status, body = submit(harness, view, stage="proposal", amount="130k")
    assert status == 200 and "errors" not in body
    edited = harness.slack.find_message("DROB", card["ts"])
    assert "$130,000" in blocks_json(edited) and "Proposal" in blocks_json(edited)
    press(harness, "UROB", WRITE_CONFIRM_ACTION_ID, edited, wid, "7.7")
    with harness.sessions() as session:
        deal = session.get(Deal, 1)
        assert deal is not None and (deal.stage, deal.amount) == ("proposal", 130000)
    # Ten minutes later, Undo is refused and the deal stays as saved.
    harness.deps.clock = lambda: NOW + timedelta(minutes=11)
    [refusal] = press(harness, "UROB", WRITE_UNDO_ACTION_ID, edited, wid, "8.8")
    assert refusal["response_type"] == "ephemeral" and "10 minutes" in refusal["text"]
    with harness.sessions() as session:
        assert session.get(Deal, 1).stage == "proposal"  # type: ignore[union-attr]


def submit(harness: SlackHarness, view: dict[str, Any], **values: str) -> tuple[int, str]:
    state = {}
    for name, value in values.items():
        element = (
            {"type": "static_select", "selected_option": {"value": value}}
            if name == "stage"
            else {"type": "plain_text_input", "value": value}
        )
        state[f"write-field:{name}"] = {"value": element}
    state["write-field:close_date"] = {
        "value": {"type": "datepicker", "selected_date": "2026-12-15"}
    }
    payload = {
        "user": {"id": "UROB"},
        "view": {
            "id": "VEDIT",
            "callback_id": WRITE_EDIT_CALLBACK_ID,
            "private_metadata": view["private_metadata"],
            "state": {"values": state},
        },
    }
    result = harness.send(view_submission_body(payload))
    harness.deps.work.join()
    return result


def test_only_the_proposer_may_confirm_and_cancel_closes_it(harness: SlackHarness) -> None:
    card = ask_in_dm(harness, "UROB", "remind me to send the contract Friday")
    wid = write_id(card)
    [refusal] = press(harness, "UMIA", WRITE_CONFIRM_ACTION_ID, card, wid, channel="DROB")
    assert "Only the person who asked" in refusal["text"]
    press(harness, "UROB", WRITE_CANCEL_ACTION_ID, card, wid, "2.2")
    assert "Cancelled" in blocks_json(harness.slack.find_message("DROB", card["ts"]))
    [closed] = press(harness, "UROB", WRITE_CONFIRM_ACTION_ID, card, wid, "3.3")
    assert "closed" in closed["text"]
    assert audit_rows(harness.sessions) == []
    with harness.sessions() as session:
        assert session.get(PendingWrite, wid).status == "cancelled"  # type: ignore[union-attr]


def test_a_changed_deal_and_an_old_proposal_are_refused_clearly(harness: SlackHarness) -> None:
    card = ask_in_dm(harness, "UROB", "set the Acme platform amount to 130k")
    with harness.sessions.begin() as session:
        session.get(Deal, 1).amount = 125000  # type: ignore[union-attr]
    [changed] = press(harness, "UROB", WRITE_CONFIRM_ACTION_ID, card, write_id(card), "4.4")
    assert "changed since" in changed["text"] and "Nothing was saved" in changed["text"]
    later = ask_in_dm(harness, "UROB", "remind me to send the contract Friday")
    harness.deps.clock = lambda: NOW + timedelta(hours=25)
    [expired] = press(harness, "UROB", WRITE_CONFIRM_ACTION_ID, later, write_id(later), "4.5")
    assert "expired" in expired["text"]
    assert "expired" in blocks_json(harness.slack.find_message("DROB", later["ts"]))
    assert audit_rows(harness.sessions) == []


def test_a_rep_cannot_propose_on_another_reps_deal(harness: SlackHarness) -> None:
    reply = ask_in_dm(harness, "UROB", "move Globex to negotiation")
    assert "couldn't find a deal" in blocks_json(reply)
    assert WRITE_CONFIRM_ACTION_ID not in blocks_json(reply)
    assert count(harness.sessions, PendingWrite) == 0


def test_log_this_thread_proposes_a_note_linked_to_the_thread(harness: SlackHarness) -> None:
    slack = harness.slack
    root = slack.add_message("CTEAM", text="Call notes from Acme Corp today", user="UROB")
    slack.add_message(
        "CTEAM", text="They need the SOC 2 report before legal signs.", user="UMIA", thread_ts=root
    )
    slack.add_message("CTEAM", text="ok thanks", user="UROB", thread_ts=root)
    payload = {
        "type": "message_action",
        "callback_id": LOG_THREAD_CALLBACK_ID,
        "user": {"id": "UROB"},
        "channel": {"id": "CTEAM"},
        "message": {"ts": root, "text": "Call notes from Acme Corp today", "user": "UROB"},
        "response_url": slack.response_url,
    }
    assert harness.send(action_body(payload))[0] == 200
    harness.deps.work.join()
    [shown] = harness.posted("chat.postEphemeral")
    assert shown["user"] == "UROB" and "SOC 2 report" in blocks_json(shown)
    assert f"p{root.replace('.', '')}" in blocks_json(shown)  # the permalink
    blocks = json.loads(shown["blocks"]) if isinstance(shown["blocks"], str) else shown["blocks"]
    message = {"ts": "9.9", "blocks": blocks}
    [saved] = press(
        harness,
        "UROB",
        WRITE_CONFIRM_ACTION_ID,
        message,
        write_id(message),
        channel="CTEAM",
        ephemeral=True,
    )
    assert saved["replace_original"] is True and "Saved" in blocks_json(saved)
    with harness.sessions() as session:
        [note] = session.query(Activity).filter(Activity.id > 6).all()
        assert note.kind == "note" and note.account_id == 1 and "fake.slack.com" in note.body
