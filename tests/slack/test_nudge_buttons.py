"""The nudge buttons and the settings modal, through signed requests to the real Bolt endpoint."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.fakes.openai_api import FakeOpenAIServer, Reply
from support.fakes.signing import action_body, view_submission_body
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import SlackHarness, blocks_json, make_harness

from bot.agent.llm import build_llm
from bot.agent.runner import AgentRunner
from bot.settings import Settings
from bot.slack.blocks import build_nudge_blocks
from bot.slack.ids import (
    NUDGE_DONE_ACTION_ID,
    NUDGE_DRAFT_ACTION_ID,
    NUDGE_OPEN_ACTION_ID,
    NUDGE_SETTINGS_CALLBACK_ID,
    NUDGE_SETTINGS_DAYS_ACTION_ID,
    NUDGE_SETTINGS_DAYS_BLOCK_ID,
    NUDGE_SETTINGS_OPEN_ACTION_ID,
    NUDGE_SETTINGS_PAUSED_ACTION_ID,
    NUDGE_SETTINGS_PAUSED_BLOCK_ID,
    NUDGE_SETTINGS_TIME_ACTION_ID,
    NUDGE_SETTINGS_TIME_BLOCK_ID,
    NUDGE_SNOOZE_DAY_ACTION_ID,
    NUDGE_SNOOZE_WEEK_ACTION_ID,
)
from tools.crm.deliveries import list_active_snoozes
from tools.models import AuditLog, NudgeSettings, NudgeSnooze, Task
from tools.nudge_engine import compute_nudges

ROB_ID = 3
ROB_TODAY = date(2026, 11, 26)  # NOW is 10:00 in New York
PRICE = "$99,999"


def rob_items(sessions: sessionmaker[Session], day: date = ROB_TODAY) -> list[dict[str, Any]]:
    with sessions() as session:
        snoozed = list_active_snoozes(session, {ROB_ID: day})
        found = compute_nudges(session, {ROB_ID: day}, limit=50, snoozed=snoozed)
    return [n.to_dict() for n in found[ROB_ID]]


def rob_keys(sessions: sessionmaker[Session], day: date = ROB_TODAY) -> set[str]:
    return {item["key"] for item in rob_items(sessions, day)}


def click(
    harness: SlackHarness,
    user: str,
    action_id: str,
    value: dict[str, Any],
    action_ts: str = "1700000001.000100",
    *,
    retry_num: int | None = None,
) -> list[dict[str, Any]]:
    """Press a button on Rob's nudge message as `user`; what was sent to response_url."""
    blocks = build_nudge_blocks(
        rob_items(harness.sessions), user_name="Rob Rep", local_date=ROB_TODAY
    )
    before = len(harness.posted("response_url"))
    payload = {
        "user": {"id": user},
        "channel": {"id": f"D{user}"},
        "container": {"type": "message", "message_ts": "1700000000.000100"},
        "message": {"ts": "1700000000.000100", "blocks": blocks},
        "response_url": harness.slack.response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": f"nudge-actions:{value.get('key')}",
                "value": json.dumps(value),
                "type": "button",
                "action_ts": action_ts,
            }
        ],
    }
    assert harness.send(action_body(payload), retry_num=retry_num)[0] == 200
    harness.deps.work.join()
    return harness.posted("response_url")[before:]


def audit_rows(sessions: sessionmaker[Session], **where: Any) -> list[AuditLog]:
    with sessions() as session:
        query = select(AuditLog).filter_by(**where).order_by(AuditLog.id)
        return list(session.scalars(query).all())


def completed_at(sessions: sessionmaker[Session], task_id: int) -> datetime | None:
    with sessions() as session:
        value = session.scalar(select(Task.completed_at).where(Task.id == task_id))
    return value.replace(tzinfo=value.tzinfo or UTC) if value else None


TASK_1 = {"key": "task:1", "task_id": 1, "deal_id": 1}


def test_done_completes_the_task_once(harness: SlackHarness) -> None:
    [reply] = click(harness, "UROB", NUDGE_DONE_ACTION_ID, TASK_1, action_ts="1.1")
    assert completed_at(harness.sessions, 1) == NOW
    # The same delivery again, then a second press an hour later: nothing more is written.
    click(harness, "UROB", NUDGE_DONE_ACTION_ID, TASK_1, action_ts="1.1", retry_num=1)
    harness.deps.clock = lambda: NOW + timedelta(hours=1)
    click(harness, "UROB", NUDGE_DONE_ACTION_ID, TASK_1, action_ts="2.2")
    assert completed_at(harness.sessions, 1) == NOW
    [audit] = audit_rows(harness.sessions, entity="task", entity_id="1")
    assert audit.action == "task.complete" and audit.actor_id == ROB_ID
    assert audit.surface == "slack" and audit.request_key == "slack-action:1.1:UROB"
    assert audit.before == {"completed_at": None} and audit.after is not None
    # The message is redrawn: this item is done, the others keep their buttons.
    assert reply["replace_original"] is True
    dumped = blocks_json(reply)
    assert "Done:* Send revised quote to Acme" in dumped
    assert '"nudge-actions:task:2"' in dumped and NUDGE_DONE_ACTION_ID in dumped


@pytest.mark.parametrize("action_id", [NUDGE_DONE_ACTION_ID, NUDGE_SNOOZE_WEEK_ACTION_ID])
def test_simultaneous_presses_change_once(harness: SlackHarness, action_id: str) -> None:
    presses = [
        threading.Thread(target=click, args=(harness, "UROB", action_id, TASK_1, f"{i}.5"))
        for i in range(6)
    ]
    for press in presses:
        press.start()
    for press in presses:
        press.join()
    harness.deps.work.join()
    assert len(audit_rows(harness.sessions)) == 1


@pytest.mark.parametrize("user", ["URITA", "UMIA", "UOTTO"])
def test_done_on_robs_task_by_anyone_else_is_refused(harness: SlackHarness, user: str) -> None:
    [reply] = click(harness, user, NUDGE_DONE_ACTION_ID, TASK_1)
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert "only the task's owner" in reply["text"]
    assert completed_at(harness.sessions, 1) is None
    assert audit_rows(harness.sessions) == []


def test_unmapped_user_changes_nothing(harness: SlackHarness) -> None:
    [reply] = click(harness, "UNOBODY", NUDGE_DONE_ACTION_ID, TASK_1)
    assert "CRM" in blocks_json(reply) and "Acme" not in blocks_json(reply)
    assert completed_at(harness.sessions, 1) is None and audit_rows(harness.sessions) == []


def test_snooze_a_day_hides_the_item_until_tomorrow(harness: SlackHarness) -> None:
    key = "deal:7:quiet"
    assert key in rob_keys(harness.sessions)
    value = {"key": key, "task_id": None, "deal_id": 7}
    [reply] = click(harness, "UROB", NUDGE_SNOOZE_DAY_ACTION_ID, value, action_ts="1.1")
    click(harness, "UROB", NUDGE_SNOOZE_DAY_ACTION_ID, value, action_ts="1.1", retry_num=1)
    click(harness, "UROB", NUDGE_SNOOZE_DAY_ACTION_ID, value, action_ts="2.2")
    assert key not in rob_keys(harness.sessions)
    assert key in rob_keys(harness.sessions, ROB_TODAY + timedelta(days=1))
    [audit] = audit_rows(harness.sessions, entity="nudge")
    assert audit.action == "nudge.snooze" and audit.after == {"until": "2026-11-27"}
    assert "Snoozed until Fri 27 Nov" in blocks_json(reply)


def test_snooze_a_week_hides_the_item_for_seven_days(harness: SlackHarness) -> None:
    value = {"key": "task:1", "task_id": 1, "deal_id": 1}
    click(harness, "UROB", NUDGE_SNOOZE_WEEK_ACTION_ID, value)
    for days in (0, 6):
        assert "task:1" not in rob_keys(harness.sessions, ROB_TODAY + timedelta(days=days))
    assert "task:1" in rob_keys(harness.sessions, ROB_TODAY + timedelta(days=7))
    with harness.sessions() as session:
        [snooze] = session.scalars(select(NudgeSnooze)).all()
    assert (snooze.user_id, snooze.until) == (ROB_ID, date(2026, 12, 3))
    assert completed_at(harness.sessions, 1) is None  # a snooze is not a completion


def test_done_on_a_promise_acknowledges_it(harness: SlackHarness) -> None:
    key = "deal:1:promise:1"
    assert key in rob_keys(harness.sessions)
    click(harness, "UROB", NUDGE_DONE_ACTION_ID, {"key": key, "task_id": None, "deal_id": 1})
    assert key not in rob_keys(harness.sessions, ROB_TODAY + timedelta(days=7))
    [audit] = audit_rows(harness.sessions)
    assert (audit.action, audit.entity, audit.entity_id) == ("nudge.acknowledge", "nudge", key)


@pytest.mark.parametrize(("user", "sees"), [("UROB", True), ("UMIA", True), ("UOTTO", False)])
def test_open_shows_the_deal_only_to_who_may_see_it(
    harness: SlackHarness, user: str, sees: bool
) -> None:
    [reply] = click(harness, user, NUDGE_OPEN_ACTION_ID, TASK_1)
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    dumped = blocks_json(reply)
    assert ("Platform Expansion" in dumped) is sees
    assert ("$120,000" in dumped) is sees


def draft_text(reply: dict[str, Any]) -> str:
    [code] = [
        b["text"]["text"] for b in reply["blocks"] if "```" in b.get("text", {}).get("text", "")
    ]
    return code


def test_draft_offline_uses_only_crm_facts(harness: SlackHarness) -> None:
    [reply] = click(harness, "UROB", NUDGE_DRAFT_ACTION_ID, TASK_1)
    assert reply["response_type"] == "ephemeral"
    draft = draft_text(reply)
    assert "Pricing discussion" in draft and "November 20" in draft
    crm_numbers = {"2026", "11", "20", "10", "120000", "12", "15"}
    assert set(re.findall(r"\d+", draft)) <= crm_numbers
    assert "$" not in draft and "Initech" not in draft


def test_draft_for_a_deal_out_of_scope_says_not_found(harness: SlackHarness) -> None:
    [reply] = click(harness, "UOTTO", NUDGE_DRAFT_ACTION_ID, TASK_1)
    assert "couldn't find that deal" in reply["text"]
    assert "Pricing" not in json.dumps(reply)


@pytest.fixture
def llm_server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def llm_harness(
    crm: sessionmaker[Session], slack: FakeSlackServer, llm_server: FakeOpenAIServer
) -> Iterator[SlackHarness]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=llm_server.url + "/v1",
        LLM_TIMEOUT_SECONDS=5,
        LLM_MAX_RETRIES=0,
    )
    runner = AgentRunner(crm, llm=build_llm(settings), clock=lambda: NOW)
    yield from make_harness(crm, slack, runner)


def test_llm_draft_with_an_invented_price_is_replaced_by_the_template(
    llm_harness: SlackHarness, llm_server: FakeOpenAIServer
) -> None:
    invented = f"Subject: Offer\n\nHi Acme,\n\nWe can do {PRICE} this week.\n\nBest,\nRob Rep"
    llm_server.script = [Reply(invented)]
    [reply] = click(llm_harness, "UROB", NUDGE_DRAFT_ACTION_ID, TASK_1)
    draft = draft_text(reply)
    assert "99,999" not in draft and "Following up: Pricing discussion" in draft
    [request] = llm_server.requests
    assert "Pricing discussion" in json.dumps(request) and "Initech" not in json.dumps(request)


def test_sales_settings_opens_the_modal(harness: SlackHarness) -> None:
    status, body = harness.command("UROB", "DROB", "settings")
    assert status == 200 and "Looking that up" not in body
    [opened] = harness.posted("views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert opened["trigger_id"] and view["callback_id"] == NUDGE_SETTINGS_CALLBACK_ID
    assert "08:30" in json.dumps(view)  # the configured NUDGE_TIME: Rob never chose one
    assert harness.posted() == [] and harness.posted("response_url") == []


def test_home_button_opens_the_modal(harness: SlackHarness) -> None:
    payload = {
        "user": {"id": "UROB"},
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home"},
        "actions": [
            {
                "action_id": NUDGE_SETTINGS_OPEN_ACTION_ID,
                "block_id": "b",
                "value": "open",
                "type": "button",
                "action_ts": "1.1",
            }
        ],
    }
    assert harness.send(action_body(payload))[0] == 200
    harness.deps.work.join()
    [opened] = harness.posted("views.open")
    assert NUDGE_SETTINGS_CALLBACK_ID in json.dumps(opened)


def submit_settings(
    harness: SlackHarness, send_time: str, days: list[str], *, paused: bool = False
) -> tuple[int, str]:
    def picked(values: list[str]) -> dict[str, Any]:
        options = [{"value": v, "text": {"type": "plain_text", "text": v}} for v in values]
        return {"type": "checkboxes", "selected_options": options}

    values = {
        NUDGE_SETTINGS_TIME_BLOCK_ID: {
            NUDGE_SETTINGS_TIME_ACTION_ID: {"type": "timepicker", "selected_time": send_time}
        },
        NUDGE_SETTINGS_DAYS_BLOCK_ID: {NUDGE_SETTINGS_DAYS_ACTION_ID: picked(days)},
        NUDGE_SETTINGS_PAUSED_BLOCK_ID: {
            NUDGE_SETTINGS_PAUSED_ACTION_ID: picked(["paused"] if paused else [])
        },
    }
    body = view_submission_body(
        {
            "user": {"id": "UROB"},
            "view": {
                "id": "V42",
                "callback_id": NUDGE_SETTINGS_CALLBACK_ID,
                "state": {"values": values},
            },
        }
    )
    result = harness.send(body)
    harness.deps.work.join()
    return result


def test_settings_submission_saves_for_the_submitter(harness: SlackHarness) -> None:
    status, body = submit_settings(harness, "07:45", ["wed", "mon"], paused=True)
    assert status == 200 and "errors" not in body
    with harness.sessions() as session:
        [row] = session.scalars(select(NudgeSettings)).all()
    assert (row.user_id, row.send_time, row.working_days, row.paused) == (
        ROB_ID,
        "07:45",
        "mon,wed",
        True,
    )
    [audit] = audit_rows(harness.sessions, entity="nudge_settings")
    assert audit.actor_id == ROB_ID and audit.after == {
        "send_time": "07:45",
        "working_days": ["mon", "wed"],
        "paused": True,
    }
    # The Home tab is republished so it shows what was just saved.
    [home] = harness.posted("views.publish")
    assert home["user_id"] == "UROB" and "paused" in json.dumps(home["view"])
    submit_settings(harness, "07:45", ["mon", "wed"], paused=True)  # resubmitted unchanged
    assert len(audit_rows(harness.sessions, entity="nudge_settings")) == 1


@pytest.mark.parametrize(
    ("send_time", "days", "field"),
    [
        ("25:99", ["mon"], NUDGE_SETTINGS_TIME_BLOCK_ID),
        ("", ["mon"], NUDGE_SETTINGS_TIME_BLOCK_ID),
        ("08:00", [], NUDGE_SETTINGS_DAYS_BLOCK_ID),
    ],
)
def test_invalid_settings_return_errors_and_save_nothing(
    harness: SlackHarness, send_time: str, days: list[str], field: str
) -> None:
    status, body = submit_settings(harness, send_time, days)
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors"
    assert list(answer["errors"]) == [field] and answer["errors"][field]
    with harness.sessions() as session:
        assert session.scalar(select(func.count()).select_from(NudgeSettings)) == 0
    assert audit_rows(harness.sessions) == []
