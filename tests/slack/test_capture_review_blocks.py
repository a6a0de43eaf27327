"""Captured items on App Home and the filing modal: within Block Kit's limits, all text escaped."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from test_blocks import HOSTILE, PIPELINE, assert_valid, buttons, next_actions, texts

from bot.slack.blocks import build_home_blocks
from bot.slack.blocks.capture_reviews import (
    build_capture_file_modal,
    build_capture_review_home_blocks,
    build_notice_modal,
)
from bot.slack.ids import (
    CAPTURE_ACCOUNT_BLOCK_ID,
    CAPTURE_DEAL_BLOCK_ID,
    CAPTURE_DISMISS_ACTION_ID,
    CAPTURE_FILE_ACTION_ID,
    CAPTURE_FILE_CALLBACK_ID,
    NUDGE_SETTINGS_OPEN_ACTION_ID,
)
from tools.capture.review import ReviewRow

SETTINGS = {"send_time": None, "working_days": "mon,tue,wed,thu,fri", "paused": False}


def row(i: int, subject: str = "Pricing question") -> ReviewRow:
    addresses = [f"person{n}@unknown{i}.example" for n in range(6)]
    when = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    return ReviewRow(i, "email", when, subject, addresses, "no account matched", "takeout.mbox")


def test_each_item_shows_kind_date_subject_people_and_source_with_two_buttons() -> None:
    blocks = build_capture_review_home_blocks([row(7)], 1)
    assert_valid(blocks)
    shown = texts(blocks)
    assert "Captured items waiting for you (1)" in shown
    assert "Email · 24 Nov 2026 10:30 UTC" in shown and "Pricing question" in shown
    assert "person0@unknown7.example" in shown and "+2" in shown and "takeout.mbox" in shown
    found = [(b["action_id"], b["value"]) for b in buttons(blocks)]
    assert found == [(CAPTURE_FILE_ACTION_ID, "7"), (CAPTURE_DISMISS_ACTION_ID, "7")]


def test_at_most_ten_items_then_how_many_more_and_the_cli() -> None:
    blocks = build_capture_review_home_blocks([row(i) for i in range(12)], 37)
    assert_valid(blocks)
    assert len(buttons(blocks)) == 20
    assert "and 27 more: `salesbot capture review`" in texts(blocks)


def test_crm_text_in_an_item_is_escaped() -> None:
    blocks = build_capture_review_home_blocks([row(1, subject=HOSTILE)], 1)
    assert "<!channel>" not in json.dumps(blocks) and "&lt;!channel&gt;" in texts(blocks)


def test_home_keeps_items_and_settings_under_100_blocks_when_lists_are_long() -> None:
    reviews = [row(i) for i in range(10)]
    blocks = build_home_blocks(
        next_actions(60),
        PIPELINE,
        user_name="Rob",
        nudge_settings=SETTINGS,
        reviews=reviews,
        review_total=15,
    )
    assert_valid(blocks, max_blocks=100)
    ids = [b["action_id"] for b in buttons(blocks)]
    assert ids.count(CAPTURE_DISMISS_ACTION_ID) == 10 and NUDGE_SETTINGS_OPEN_ACTION_ID in ids
    assert "and 5 more" in texts(blocks)


def test_no_items_no_section() -> None:
    blocks = build_home_blocks(next_actions(3), PIPELINE, user_name="Rob", review_total=0)
    assert "Captured items" not in texts(blocks)


def test_file_modal_searches_accounts_and_deals_and_remembers_the_item() -> None:
    modal = build_capture_file_modal(row(42, subject=HOSTILE))
    assert modal["callback_id"] == CAPTURE_FILE_CALLBACK_ID and modal["private_metadata"] == "42"
    assert all(len(modal[k]["text"]) <= 24 for k in ("title", "submit", "close"))
    inputs = {b["block_id"]: b for b in modal["blocks"] if b["type"] == "input"}
    assert inputs[CAPTURE_ACCOUNT_BLOCK_ID]["optional"] is False
    assert inputs[CAPTURE_DEAL_BLOCK_ID]["optional"] is True
    assert {b["element"]["type"] for b in inputs.values()} == {"external_select"}
    assert "<!channel>" not in json.dumps(modal)
    notice = build_notice_modal(HOSTILE)
    assert "<!channel>" not in json.dumps(notice) and "submit" not in notice
