"""A proposed write as a card: before/after fields, then Confirm / Edit / Cancel, or its fate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.agent.planner.compose_writes import show
from bot.slack.blocks.kit import Block, actions, button, context, field_sections, section
from bot.slack.blocks.text import esc
from bot.slack.blocks.views import View
from bot.slack.ids import (
    WRITE_CANCEL_ACTION_ID,
    WRITE_CARD_BLOCK_PREFIX,
    WRITE_CONFIRM_ACTION_ID,
    WRITE_EDIT_ACTION_ID,
    WRITE_UNDO_ACTION_ID,
)

Artifact = Mapping[str, Any]
_FATES = {
    "cancelled": ":no_entry_sign: Cancelled. Nothing was saved.",
    "undone": ":leftwards_arrow_with_hook: Undone. Everything is back as it was.",
    "expired": ":hourglass: This proposal expired. Nothing was saved.",
}


def render_proposal(artifact: Artifact) -> list[View]:
    return [View(build_proposal_blocks(artifact))]


def build_proposal_blocks(artifact: Artifact) -> list[Block]:
    """The card; every block id starts with the write's, so the card can be found and replaced."""
    write_id = str(artifact.get("id", ""))
    blocks = [section(f"*{esc(artifact.get('title'), 'Proposed change')}*")]
    blocks += field_sections([_field(f) for f in artifact.get("fields", [])])
    blocks += _footer(artifact, write_id)
    for i, block in enumerate(blocks):
        block["block_id"] = f"{WRITE_CARD_BLOCK_PREFIX}{write_id}:{i}"
    return blocks


def card_text(artifact: Artifact) -> str:
    """The notification text for a card (chat.update and chat.postMessage need one)."""
    status = {"proposed": "To confirm", "applied": "Saved"}.get(str(artifact.get("status")))
    return f"{status or str(artifact.get('status', '')).capitalize()}: {artifact.get('title', '')}"


def _field(f: Artifact) -> str:
    after = esc(show(f["field"], f.get("after")))
    if f.get("before") is None:
        return f"*{esc(f.get('label'))}*\n{after}"
    return f"*{esc(f.get('label'))}*\n~{esc(show(f['field'], f['before']))}~ → *{after}*"


def _footer(artifact: Artifact, write_id: str) -> list[Block]:
    status = str(artifact.get("status"))
    if status == "proposed":
        buttons = [
            button("Confirm", WRITE_CONFIRM_ACTION_ID, write_id, style="primary"),
            button("Edit", WRITE_EDIT_ACTION_ID, write_id),
            button("Cancel", WRITE_CANCEL_ACTION_ID, write_id, style="danger"),
        ]
        return [context("Nothing is saved until you press *Confirm*."), actions(buttons)]
    if status == "applied":
        undo = button("Undo", WRITE_UNDO_ACTION_ID, write_id)
        return [
            context(":white_check_mark: *Saved.* You can undo it for 10 minutes."),
            actions([undo]),
        ]
    return [context(_FATES.get(status, esc(status)))]
