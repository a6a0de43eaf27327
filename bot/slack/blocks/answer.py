"""An agent `Answer` as a Slack message: the words, then each artifact, within Slack's limits."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.agent.answer import Answer
from bot.slack.blocks.kit import Block, actions, button, context, section
from bot.slack.blocks.limits import MAX_FALLBACK_CHARS, MAX_MESSAGE_BLOCKS, split_text, truncate
from bot.slack.blocks.tables import deals_headline, render_artifact
from bot.slack.blocks.views import fit_views
from bot.slack.ids import ANSWER_ACTIONS_BLOCK_ID, SHOW_MORE_ACTION_ID
from bot.slack.mrkdwn import escape, markdown_to_mrkdwn, markdown_to_plain
from tools.artifacts import ArtifactType

_SHORTENED = "_The answer was shortened to fit in one Slack message._"


def build_answer_blocks(
    answer: Answer,
    *,
    timezone: str = "UTC",
    max_rows: int = 10,
    more_key: str | None = None,
    now: datetime | None = None,
    reserve: int = 0,
) -> list[Block]:
    """The answer's blocks: at most 50, rows past `max_rows` behind a "Show all" button.

    Args:
        answer: what the agent said and the artifacts holding the exact figures.
        timezone: IANA name used for the "as of" time when `now` is given.
        max_rows: rows shown per list before the rest are left out on purpose.
        more_key: value of the "Show all" button; no button when None.
        now: when the answer was made; adds an "as of HH:MM" footer when given.
        reserve: blocks the caller will append (e.g. the share button), kept free.
    """
    footer = _footer(now, timezone)
    room = MAX_MESSAGE_BLOCKS - reserve - len(footer) - 1  # one kept for the Show all button
    head = _head(answer, room - 1)
    views = [view for artifact in answer.artifacts for view in render_artifact(artifact)]
    fitted = fit_views(views, room - len(head), max_rows=max_rows, more=more_key is not None)
    blocks = (head + fitted.blocks) or [section("_I have nothing to add._")]
    if fitted.cut and more_key is not None:
        show_all = button("Show all", SHOW_MORE_ACTION_ID, more_key)
        blocks.append(actions([show_all], block_id=ANSWER_ACTIONS_BLOCK_ID))
    return blocks + footer


def _head(answer: Answer, room: int) -> list[Block]:
    """The notice and the answer's words, split into sections; at most `room` blocks."""
    notice = [context(f":information_source: {escape(answer.notice)}")] if answer.notice else []
    sections = [section(piece) for piece in split_text(markdown_to_mrkdwn(answer.text))]
    head = notice + sections
    if len(head) > room:
        head = [*head[: room - 1], context(_SHORTENED)]
    return head


def _footer(now: datetime | None, timezone: str) -> list[Block]:
    if now is None:
        return []
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone, timezone = ZoneInfo("UTC"), "UTC"
    return [context(f"As of {now.astimezone(zone):%H:%M} {escape(timezone)}")]


def fallback_text(answer: Answer) -> str:
    """Plain escaped text for notifications (chat.postMessage `text`), at most 3,000 chars."""
    parts = [markdown_to_plain(p) for p in (answer.notice, answer.text) if p and p.strip()]
    if not answer.text.strip():
        parts += [h for h in map(_headline, answer.artifacts) if h]
    text = "\n".join(parts) or "Here is what I found."
    return truncate(text, MAX_FALLBACK_CHARS)


def _headline(artifact: dict[str, Any]) -> str | None:
    return deals_headline(artifact) if artifact.get("type") == ArtifactType.DEALS else None
