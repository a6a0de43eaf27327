"""Block builders: Slack's limits, exact figures, and CRM or model text that cannot ping anyone."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.agent.answer import Answer
from bot.slack.blocks import (
    build_answer_blocks,
    build_error_blocks,
    build_home_blocks,
    build_private_reason_blocks,
    build_share_button_blocks,
    build_unmapped_user_blocks,
    fallback_text,
)
from bot.slack.ids import (
    HOME_REFRESH_ACTION_ID,
    OPEN_DEAL_ACTION_ID,
    SHARE_ANSWER_ACTION_ID,
    SHOW_MORE_ACTION_ID,
)
from bot.slack.mrkdwn import markdown_to_mrkdwn

HOSTILE = "<!channel> Acme & Co <@U1>"
BLOCK_TYPES = {"section", "context", "actions", "header", "divider"}


def deal(i: int, **over: Any) -> dict[str, Any]:
    row = {
        "id": i,
        "name": f"Deal {i}",
        "account": f"Account {i}",
        "owner": "Dana Rep",
        "owner_id": 1,
        "stage": "proposal",
        "amount": "125000.50",
        "currency": "USD",
        "close_date": "2026-12-15",
        "last_activity": "2026-11-20",
    }
    return row | over


def deals(rows: list[dict[str, Any]], total: int | None = None, **over: Any) -> dict[str, Any]:
    return {
        "type": "deals",
        "title": "Open deals",
        "currency": "USD",
        "data_owner_ids": [1],
        "total_count": len(rows) if total is None else total,
        "total_amount": "1234567.50",
        "rows": rows,
        "truncated": False,
    } | over


PIPELINE = {
    "type": "pipeline",
    "scope_label": "you",
    "currency": "USD",
    "period": {"start": "2026-10-01", "end": "2026-12-31", "label": "Q4 2026"},
    "by_stage": [
        {
            "stage": s,
            "count": 2,
            "amount": "1234567.00",
            "weighted_amount": "123456.70",
            "win_rate": "0.1000",
        }
        for s in ("prospecting", "qualification", "proposal", "negotiation")
    ],
    "open_count": 8,
    "open_amount": "4938268.00",
    "weighted_amount": "493826.80",
    "won_count": 3,
    "won_amount": "300000.00",
    "quota": "1000000.00",
    "attainment_pct": "30.0",
    "note": None,
}


def next_actions(n: int) -> dict[str, Any]:
    items = [
        {
            "kind": "quiet_deal",
            "title": f"Re-engage Account {i}",
            "reason": "Open proposal deal, no activity for 20 days",
            "deal": f"Deal {i}",
            "account": f"Account {i}",
            "due_date": None,
            "score": 60,
            "deal_id": i,
        }
        for i in range(n)
    ]
    return {"type": "next_actions", "today": "2026-11-26", "items": items}


def walk(node: Any) -> list[dict[str, Any]]:
    """Every dict in the payload."""
    if isinstance(node, dict):
        return [node, *(d for v in node.values() for d in walk(v))]
    if isinstance(node, list):
        return [d for v in node for d in walk(v)]
    return []


def assert_valid(blocks: list[dict[str, Any]], max_blocks: int = 50) -> None:
    assert 0 < len(blocks) <= max_blocks
    for block in blocks:
        assert block["type"] in BLOCK_TYPES
        if block["type"] == "section":
            assert "text" in block or "fields" in block
            assert len(block.get("fields", [])) <= 10
            assert all(len(f["text"]) <= 2000 for f in block.get("fields", []))
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text" and len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
        if block["type"] == "actions":
            assert all(e["type"] == "button" and e["action_id"] for e in block["elements"])
    for node in walk(blocks):
        if node.get("type") in {"mrkdwn", "plain_text"}:
            assert isinstance(node["text"], str) and 0 < len(node["text"]) <= 3000
        if "text" in node and isinstance(node["text"], dict):
            assert node["text"]["type"] in {"mrkdwn", "plain_text"}


def texts(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(n["text"] for n in walk(blocks) if n.get("type") in {"mrkdwn", "plain_text"})


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n for n in walk(blocks) if n.get("type") == "button"]


def test_two_hundred_deal_rows_fit_with_a_show_all_button() -> None:
    answer = Answer("You have 200 open deals.", [deals([deal(i) for i in range(200)])])
    blocks = build_answer_blocks(answer, more_key="k-123")
    assert_valid(blocks)
    assert "Showing 10 of 200 — " in texts(blocks)
    show_all = [b for b in buttons(blocks) if b["action_id"] == SHOW_MORE_ACTION_ID]
    assert [b["value"] for b in show_all] == ["k-123"]


def test_rows_still_fit_when_max_rows_is_huge() -> None:
    artifacts = [deals([deal(i) for i in range(200)]), next_actions(25), PIPELINE]
    blocks = build_answer_blocks(Answer("x", artifacts), max_rows=1000, more_key="k")
    assert_valid(blocks)
    assert any(b["action_id"] == SHOW_MORE_ACTION_ID for b in buttons(blocks))


def test_reserved_blocks_leave_room_for_the_share_button() -> None:
    answer = Answer("x" * 200_000, [deals([deal(i) for i in range(200)])])
    blocks = build_answer_blocks(answer, more_key="k", reserve=1) + build_share_button_blocks("s")
    assert_valid(blocks)


def test_no_show_all_button_without_a_key() -> None:
    blocks = build_answer_blocks(Answer("x", [deals([deal(i) for i in range(30)])]))
    assert not any(b["action_id"] == SHOW_MORE_ACTION_ID for b in buttons(blocks))
    assert "Showing 10 of 30 — " in texts(blocks)


def test_rows_left_out_by_the_tool_are_counted() -> None:
    blocks = build_answer_blocks(Answer("x", [deals([deal(i) for i in range(5)], total=80)]))
    assert "Showing 5 of 80 — " in texts(blocks)


def test_a_short_list_is_shown_whole() -> None:
    blocks = build_answer_blocks(Answer("x", [deals([deal(1), deal(2)])]), more_key="k")
    assert "Showing" not in texts(blocks)
    assert not any(b["action_id"] == SHOW_MORE_ACTION_ID for b in buttons(blocks))


def test_long_answer_text_is_split_into_sections_that_keep_every_word() -> None:
    paragraph = " ".join(f"word{i} R&D <b>" for i in range(120))
    text = "\n\n".join(f"Paragraph {p}. {paragraph}" for p in range(20))
    assert len(text) > 20_000
    blocks = build_answer_blocks(Answer(text))
    assert_valid(blocks)
    pieces = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(pieces) >= 7 and all(len(p) <= 3000 for p in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", markdown_to_mrkdwn(text))


def test_text_is_never_cut_inside_an_escape_sequence() -> None:
    blocks = build_answer_blocks(Answer("&" * 20_000))
    for block in blocks:
        if block["type"] == "section":
            assert re.fullmatch(r"(&amp;)+", block["text"]["text"])


def test_one_huge_line_is_split_too() -> None:
    blocks = build_answer_blocks(Answer("x" * 7_000 + " <!here>"))
    assert_valid(blocks)
    assert "<!here>" not in json.dumps(blocks)


def test_exact_figures_are_copied_from_the_artifact() -> None:
    rows = [deal(1, amount="1234567.50"), deal(2, amount="1234567.00")]
    shown = texts(build_answer_blocks(Answer("", [deals(rows)])))
    assert "$1,234,567.50" in shown
    assert "$1,234,567 " in shown or "$1,234,567*" in shown
    assert "Open deals: 2 deals, $1,234,567.50" in shown


def test_pipeline_shows_each_stage_totals_and_attainment() -> None:
    blocks = build_answer_blocks(Answer("Your pipeline.", [PIPELINE]))
    assert_valid(blocks)
    shown = texts(blocks)
    assert shown.count("2 deals · $1,234,567") == 4
    assert "weighted $123,456.70 at 10%" in shown
    assert "$4,938,268" in shown and "$493,826.80" in shown
    assert "$1,000,000" in shown and "30.0%" in shown
    assert "2026-10-01 to 2026-12-31" in shown


def test_crm_text_is_escaped_everywhere() -> None:
    hit = {
        "activity_id": 1,
        "date": "2026-11-02",
        "account": HOSTILE,
        "deal": HOSTILE,
        "kind": "email",
        "subject": HOSTILE,
        "snippet": f"please ping {HOSTILE}",
        "owner_id": 1,
    }
    artifacts = [
        deals([deal(1, name=HOSTILE, account=HOSTILE, owner=HOSTILE)], title=HOSTILE),
        {"type": "interactions", "query": HOSTILE, "hits": [hit]},
        next_actions(1) | {"items": [next_actions(1)["items"][0] | {"title": HOSTILE}]},
        {
            "type": "deal",
            "deal": deal(1, name=HOSTILE, next_step=HOSTILE, days_in_stage=3),
            "contacts": [{"name": HOSTILE, "title": HOSTILE, "email": "a@b.c"}],
            "interactions": [hit],
            "tasks": [{"id": 1, "title": HOSTILE, "due_date": "2026-11-01", "overdue": True}],
        },
        {
            "type": "account",
            "account": {"id": 1, "name": HOSTILE, "industry": HOSTILE, "owner": HOSTILE},
            "open_deals": [deal(1, name=HOSTILE)],
            "closed_deals": [deal(2, stage="closed_won", name=HOSTILE)],
            "contacts": [{"name": HOSTILE, "title": None, "email": None}],
            "interactions": [hit],
        },
        PIPELINE | {"scope_label": HOSTILE, "note": HOSTILE},
    ]
    answer = Answer(f"Model says {HOSTILE}", artifacts, notice=HOSTILE)
    blocks = build_answer_blocks(answer, more_key="k")
    assert_valid(blocks)
    dumped = json.dumps(blocks) + fallback_text(answer)
    assert "<!channel>" not in dumped and "<@U1>" not in dumped
    assert "&lt;!channel&gt;" in dumped
    assert texts(blocks).count("Acme &amp; Co") >= 15


def test_deal_rows_carry_a_details_button() -> None:
    blocks = build_answer_blocks(Answer("x", [deals([deal(42)])]))
    assert [b["value"] for b in buttons(blocks)] == ["42"]
    assert buttons(blocks)[0]["action_id"] == OPEN_DEAL_ACTION_ID


@pytest.mark.parametrize("kind", ["not_found", "notice"])
def test_text_only_artifacts_add_nothing(kind: str) -> None:
    blocks = build_answer_blocks(Answer("I couldn't find Zork.", [{"type": kind, "text": "x"}]))
    assert len(blocks) == 1 and blocks[0]["text"]["text"] == "I couldn't find Zork."


def test_notice_and_as_of_footer() -> None:
    now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    answer = Answer("Hi", notice="Answered offline.")
    blocks = build_answer_blocks(answer, timezone="Europe/Paris", now=now)
    assert_valid(blocks)
    assert "Answered offline." in blocks[0]["elements"][0]["text"]
    assert blocks[-1]["elements"][0]["text"] == "As of 16:00 Europe/Paris"
    assert all(b["type"] != "context" or "As of" not in texts([b]) for b in blocks[:-1])


def test_fallback_text_is_plain_escaped_and_bounded() -> None:
    assert fallback_text(Answer("**Acme** & <!here>")) == "Acme &amp; &lt;!here&gt;"
    assert len(fallback_text(Answer("y" * 10_000))) <= 3000
    only_figures = Answer("", [deals([deal(1)])])
    assert fallback_text(only_figures) == "Open deals: 1 deal, $1,234,567.50"


def test_small_messages_are_valid() -> None:
    share = build_share_button_blocks("s-1")
    assert buttons(share)[0]["action_id"] == SHARE_ANSWER_ACTION_ID
    assert buttons(share)[0]["value"] == "s-1"
    error = build_error_blocks("The CRM did not answer <!channel>.", "abc123")
    assert "(ref abc123)" in texts(error) and "<!channel>" not in json.dumps(error)
    unmapped = build_unmapped_user_blocks()
    assert "Slack email" in texts(unmapped) and "admin" in texts(unmapped)
    private = build_private_reason_blocks("It shows <@U2>'s deals.")
    for blocks in (share, error, unmapped, private):
        assert_valid(blocks)
    assert "<@U2>" not in json.dumps(private)


def test_home_blocks_stay_within_the_home_limit() -> None:
    blocks = build_home_blocks(next_actions(25), PIPELINE, user_name=HOSTILE)
    assert_valid(blocks, max_blocks=100)
    assert any(b["action_id"] == HOME_REFRESH_ACTION_ID for b in buttons(blocks))
    assert "Your next actions" in texts(blocks) and "Your pipeline this quarter" in texts(blocks)
    assert "Showing 15 of 25" in texts(blocks)
    assert "<!channel>" not in json.dumps(blocks)


def test_home_blocks_without_data() -> None:
    blocks = build_home_blocks(None, None, user_name="Dana")
    assert_valid(blocks, max_blocks=100)
    assert "could not be loaded" in texts(blocks)
    empty = build_home_blocks(next_actions(0), PIPELINE, user_name="Dana")
    assert "all caught up" in texts(empty)
