"""Block Kit pieces that enforce Slack's limits. Text passed in is already escaped mrkdwn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack.blocks.limits import (
    MAX_BUTTON_CHARS,
    MAX_CONTEXT_ELEMENTS,
    MAX_FIELD_CHARS,
    MAX_FIELDS,
    MAX_HEADER_CHARS,
    MAX_SECTION_CHARS,
    truncate,
)

Block = dict[str, Any]
_EMPTY = "—"  # Slack rejects empty text objects


def mrkdwn(text: str, limit: int = MAX_SECTION_CHARS) -> Block:
    # verbatim: Slack must not turn plain words into links or mentions; links are written out.
    return {"type": "mrkdwn", "text": truncate(text.strip() or _EMPTY, limit), "verbatim": True}


def plain(text: str, limit: int = MAX_SECTION_CHARS) -> Block:
    return {"type": "plain_text", "text": truncate(text.strip() or _EMPTY, limit), "emoji": True}


def section(
    text: str | None = None, fields: Sequence[str] = (), accessory: Block | None = None
) -> Block:
    """A section with text and/or at most ten fields (callers split longer field lists)."""
    block: Block = {"type": "section"}
    if text is not None or not fields:
        block["text"] = mrkdwn(text or "")
    if fields:
        block["fields"] = [mrkdwn(f, MAX_FIELD_CHARS) for f in fields[:MAX_FIELDS]]
    if accessory is not None:
        block["accessory"] = accessory
    return block


def field_sections(fields: Sequence[str]) -> list[Block]:
    """As many sections as ten-field rows need."""
    return [section(fields=fields[i : i + MAX_FIELDS]) for i in range(0, len(fields), MAX_FIELDS)]


def context(*texts: str) -> Block:
    elements = [mrkdwn(t) for t in texts[:MAX_CONTEXT_ELEMENTS]]
    return {"type": "context", "elements": elements}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER_CHARS)}


def divider() -> Block:
    return {"type": "divider"}


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(label, MAX_BUTTON_CHARS),
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        element["style"] = style
    return element


def actions(elements: Sequence[Block], *, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block
