"""The nudge message and the settings views: Slack's limits, escaping, the right buttons."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bot.slack.blocks import (
    build_draft_blocks,
    build_nudge_blocks,
    build_nudge_settings_home_blocks,
    build_nudge_settings_modal,
    mark_nudge_item,
    nudge_fallback_text,
)
from bot.slack.ids import (
    NUDGE_DONE_ACTION_ID,
    NUDGE_DRAFT_ACTION_ID,
    NUDGE_OPEN_ACTION_ID,
    NUDGE_SETTINGS_CALLBACK_ID,
    NUDGE_SETTINGS_DAYS_BLOCK_ID,
    NUDGE_SETTINGS_OPEN_ACTION_ID,
    NUDGE_SETTINGS_PAUSED_BLOCK_ID,
    NUDGE_SETTINGS_TIME_BLOCK_ID,
    NUDGE_SNOOZE_DAY_ACTION_ID,
    NUDGE_SNOOZE_WEEK_ACTION_ID,
)

HOSTILE = "<!channel> wire money <https://evil.example|bank.com> & <@U1>"
TODAY = date(2026, 11, 26)
SNOOZES = [NUDGE_SNOOZE_DAY_ACTION_ID, NUDGE_SNOOZE_WEEK_ACTION_ID]


def item(key: str, kind: str, **over: Any) -> dict[str, Any]:
    row = {
        "key": key,
        "kind": kind,
        "title": f"Title of {key}",
        "reason": "Because it matters",
        "evidence_date": "2026-11-20",
        "evidence": "I'll send the revised quote by Friday.",
        "score": 1.0,
        "user_id": 3,
        "deal_id": None,
        "task_id": None,
        "deal": None,
        "account": None,
        "amount": None,
        "currency": "USD",
    }
    return row | over


def buttons(blocks: list[dict[str, Any]], key: str) -> list[str]:
    [block] = [b for b in blocks if b.get("block_id") == f"nudge-actions:{key}"]
    return [e["action_id"] for e in block["elements"]]


def test_each_item_gets_the_buttons_its_kind_allows() -> None:
    items = [
        item("task:1", "overdue_task", task_id=1, deal_id=1, deal="Acme", amount="120000.00"),
        item("task:9", "due_today", task_id=9),
        item("deal:1:promise:6", "promised_follow_up", deal_id=1),
        item("deal:2:quiet", "quiet_deal", deal_id=2),
    ]
    blocks = build_nudge_blocks(items, user_name="Rob Rep", local_date=TODAY)
    deal_buttons = [NUDGE_OPEN_ACTION_ID, NUDGE_DRAFT_ACTION_ID]
    assert buttons(blocks, "task:1") == [NUDGE_DONE_ACTION_ID, *SNOOZES, *deal_buttons]
    assert buttons(blocks, "task:9") == [NUDGE_DONE_ACTION_ID, *SNOOZES]
    assert buttons(blocks, "deal:1:promise:6") == [NUDGE_DONE_ACTION_ID, *SNOOZES, *deal_buttons]
    assert buttons(blocks, "deal:2:quiet") == [*SNOOZES, *deal_buttons]


def test_button_value_is_compact_json_with_the_ids() -> None:
    blocks = build_nudge_blocks(
        [item("task:1", "overdue_task", task_id=1, deal_id=4)], user_name="Rob", local_date=TODAY
    )
    [done] = [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == NUDGE_DONE_ACTION_ID
    ]
    assert done["value"] == '{"key":"task:1","task_id":1,"deal_id":4}'


def test_crm_text_cannot_ping_or_disguise_links() -> None:
    hostile = item(
        "deal:1:quiet", "quiet_deal", deal_id=1, title=HOSTILE, evidence=HOSTILE, deal=HOSTILE
    )
    blocks = build_nudge_blocks([hostile], user_name=HOSTILE, local_date=TODAY)
    dumped = json.dumps(blocks)
    assert "<!channel>" not in dumped and "<@U1>" not in dumped and "|bank.com>" not in dumped
    assert "&lt;!channel&gt;" in dumped
    assert "<!channel>" not in nudge_fallback_text([hostile], local_date=TODAY)


def test_evidence_line_shows_its_date_and_the_exact_amount() -> None:
    row = item("task:1", "overdue_task", task_id=1, deal="Acme", amount="45000.50")
    blocks = build_nudge_blocks([row], user_name="Rob", local_date=TODAY)
    evidence = blocks[2]["elements"][0]["text"]
    assert "Fri 20 Nov" in evidence and "$45,000.50" in evidence and "revised quote" in evidence


@pytest.mark.parametrize("count", [0, 1, 5, 12, 40])
def test_never_more_than_fifty_blocks(count: int) -> None:
    items = [item(f"task:{i}", "overdue_task", task_id=i, deal_id=i) for i in range(count)]
    blocks = build_nudge_blocks(items, user_name="Rob", local_date=TODAY, max_items=count)
    assert len(blocks) <= 50
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids))


def test_five_items_by_default_and_the_rest_counted() -> None:
    items = [item(f"task:{i}", "overdue_task", task_id=i) for i in range(8)]
    blocks = build_nudge_blocks(items, user_name="Rob", local_date=TODAY)
    assert len([b for b in blocks if b["type"] == "actions"]) == 5
    assert "3 more items" in json.dumps(blocks[-1])


def test_repeated_keys_are_shown_once() -> None:
    twice = [item("task:1", "overdue_task", task_id=1)] * 2
    blocks = build_nudge_blocks(twice, user_name="Rob", local_date=TODAY)
    assert len([b for b in blocks if b["type"] == "actions"]) == 1


def test_marking_an_item_replaces_only_its_buttons() -> None:
    items = [item("task:1", "overdue_task", task_id=1), item("task:2", "due_today", task_id=2)]
    blocks = build_nudge_blocks(items, user_name="Rob", local_date=TODAY)
    marked = mark_nudge_item(blocks, "task:1", "Done")
    assert buttons(marked, "task:2") == [NUDGE_DONE_ACTION_ID, *SNOOZES]
    [note] = [b for b in marked if b.get("block_id") == "nudge-actions:task:1"]
    assert note["type"] == "context" and note["elements"][0]["text"] == "Done"


def test_draft_is_escaped_in_a_code_block() -> None:
    blocks = build_draft_blocks(f"Hi {HOSTILE}\n```oops```")
    dumped = json.dumps(blocks)
    assert "<!channel>" not in dumped and "```\\nHi &lt;!channel&gt;" in dumped
    assert blocks[1]["text"]["text"].count("```") == 2


def test_settings_modal_is_filled_in() -> None:
    view = build_nudge_settings_modal(
        {"send_time": "07:45", "working_days": "mon,wed", "paused": True, "timezone": "UTC"}
    )
    assert view["type"] == "modal" and view["callback_id"] == NUDGE_SETTINGS_CALLBACK_ID
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs[NUDGE_SETTINGS_TIME_BLOCK_ID]["initial_time"] == "07:45"
    days = inputs[NUDGE_SETTINGS_DAYS_BLOCK_ID]
    assert [o["value"] for o in days["initial_options"]] == ["mon", "wed"]
    assert len(days["options"]) == 7
    assert inputs[NUDGE_SETTINGS_PAUSED_BLOCK_ID]["initial_options"][0]["value"] == "paused"


def test_settings_modal_defaults_to_the_configured_time() -> None:
    view = build_nudge_settings_modal(
        {"send_time": None, "working_days": [], "paused": False, "default_send_time": "08:30"}
    )
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs[NUDGE_SETTINGS_TIME_BLOCK_ID]["initial_time"] == "08:30"
    assert "initial_options" not in inputs[NUDGE_SETTINGS_DAYS_BLOCK_ID]
    assert "initial_options" not in inputs[NUDGE_SETTINGS_PAUSED_BLOCK_ID]


def test_home_section_summarises_and_opens_the_modal() -> None:
    blocks = build_nudge_settings_home_blocks(
        {"send_time": "09:15", "working_days": ["mon", "tue", "wed", "thu", "fri"]}
    )
    dumped = json.dumps(blocks)
    assert "weekday" in dumped and "09:15" in dumped and NUDGE_SETTINGS_OPEN_ACTION_ID in dumped
    paused = build_nudge_settings_home_blocks({"paused": True, "working_days": "mon"})
    assert "paused" in json.dumps(paused)
