"""Captured items waiting for review: the App Home section, the "File under…" modal, a notice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack.blocks.kit import Block, actions, button, context, header, plain, section
from bot.slack.blocks.text import esc
from bot.slack.ids import (
    CAPTURE_ACCOUNT_ACTION_ID,
    CAPTURE_ACCOUNT_BLOCK_ID,
    CAPTURE_DEAL_ACTION_ID,
    CAPTURE_DEAL_BLOCK_ID,
    CAPTURE_DISMISS_ACTION_ID,
    CAPTURE_FILE_ACTION_ID,
    CAPTURE_FILE_CALLBACK_ID,
    CAPTURE_REVIEW_BLOCK_PREFIX,
)
from tools.capture.review import ReviewRow
from tools.display import label

HOME_MAX_REVIEWS = 10
SHOWN_ADDRESSES = 4
MODAL_TITLE_CHARS = 24  # Slack's limit on a modal's title and buttons


def build_capture_review_home_blocks(rows: Sequence[ReviewRow], total: int) -> list[Block]:
    """App Home: up to ten items, each with File under… and Dismiss, then how many more wait.

    Two blocks an item plus three: at most 23 of Home's 100.
    """
    shown = list(rows[:HOME_MAX_REVIEWS])
    blocks = [
        header(f"Captured items waiting for you ({total})"),
        context("No account matched these without guessing. File each one, or dismiss it."),
    ]
    for row in shown:
        blocks += [section(review_text(row)), _buttons(row.id)]
    if total > len(shown):
        blocks.append(context(f"and {total - len(shown)} more: `salesbot capture review`"))
    return blocks


def review_text(row: ReviewRow) -> str:
    """Kind and date, the subject, the participants and where it came from, all escaped."""
    when = row.occurred_at.strftime("%d %b %Y %H:%M")
    people = ", ".join(esc(a) for a in row.addresses[:SHOWN_ADDRESSES]) or "no addresses"
    if len(row.addresses) > SHOWN_ADDRESSES:
        people += f" +{len(row.addresses) - SHOWN_ADDRESSES}"
    return (
        f"*{esc(label(row.kind))} · {when} UTC* — {esc(row.subject, '(no subject)')}\n"
        f"{people}\n_{esc(row.source)} · {esc(row.reason)}_"
    )


def _buttons(review_id: int) -> Block:
    value = str(review_id)
    return actions(
        [
            button("File under…", CAPTURE_FILE_ACTION_ID, value, style="primary"),
            button("Dismiss", CAPTURE_DISMISS_ACTION_ID, value),
        ],
        block_id=f"{CAPTURE_REVIEW_BLOCK_PREFIX}{review_id}",
    )


def build_capture_file_modal(row: ReviewRow) -> dict[str, Any]:
    """Pick the account (and optionally a deal) to file `row` under; both searched as you type."""
    return {
        "type": "modal",
        "callback_id": CAPTURE_FILE_CALLBACK_ID,
        "private_metadata": str(row.id),
        "title": plain("File captured item", MODAL_TITLE_CHARS),
        "submit": plain("File", MODAL_TITLE_CHARS),
        "close": plain("Cancel", MODAL_TITLE_CHARS),
        "blocks": [
            section(review_text(row)),
            _search_input(CAPTURE_ACCOUNT_BLOCK_ID, CAPTURE_ACCOUNT_ACTION_ID, "Account"),
            _search_input(
                CAPTURE_DEAL_BLOCK_ID,
                CAPTURE_DEAL_ACTION_ID,
                "Deal",
                optional=True,
                hint="Leave empty to use the account's one open deal, if it has one.",
            ),
        ],
    }


def _search_input(
    block_id: str, action_id: str, name: str, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(name),
        "optional": optional,
        "element": {
            "type": "external_select",
            "action_id": action_id,
            "placeholder": plain(f"Search your {name.lower()}s"),
            "min_query_length": 0,
        },
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def build_select_options(choices: Sequence[tuple[int, str]]) -> list[Block]:
    """Options for an external select: the id as the value, the name as the text (75 max)."""
    return [{"text": plain(name, 75), "value": str(choice_id)} for choice_id, name in choices]


def build_notice_modal(text: str) -> dict[str, Any]:
    """A modal that only says something: Home has no thread to answer in."""
    return {
        "type": "modal",
        "title": plain("Captured items", MODAL_TITLE_CHARS),
        "close": plain("OK", MODAL_TITLE_CHARS),
        "blocks": [section(esc(text))],
    }
