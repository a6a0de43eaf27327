"""Slack payloads turned into one typed carrier at the edge, and the rules for ignoring them."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel

Surface = Literal["mention", "dm", "thread", "assistant", "command", "share"]
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
# Edits, deletions, joins and the like are not questions; answering them risks loops.
IGNORED_SUBTYPES = {
    "bot_message",
    "message_changed",
    "message_deleted",
    "message_replied",
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "thread_broadcast",
    "assistant_app_thread",
    "ekm_access_denied",
    "me_message",
}


class Inbound(BaseModel):
    """A question from Slack, whatever surface it came through."""

    user_id: str
    channel_id: str
    text: str
    surface: Surface
    thread_ts: str | None = None
    ts: str | None = None
    team_id: str | None = None
    response_url: str | None = None

    @property
    def in_shared_channel(self) -> bool:
        """Mentions and thread follow-ups are seen by the channel; DMs only by the asker."""
        return self.surface in {"mention", "thread", "share"}


def question_text(text: str) -> str:
    """The words of a message without the bot's @mention."""
    return " ".join(MENTION.sub(" ", text or "").split())


def is_from_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile")) or (
        bot_user_id is not None and event.get("user") == bot_user_id
    )


def should_ignore(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """True for bots (salesbot included), edits, deletions and other non-questions."""
    return (
        is_from_bot(event, bot_user_id)
        or event.get("subtype") in IGNORED_SUBTYPES
        or not event.get("user")
        or "hidden" in event
    )


def from_mention(event: dict[str, Any], team_id: str | None) -> Inbound:
    return Inbound(
        user_id=event["user"],
        channel_id=event["channel"],
        text=question_text(event.get("text", "")),
        surface="mention",
        thread_ts=event.get("thread_ts") or event.get("ts"),
        ts=event.get("ts"),
        team_id=team_id,
    )


def from_message(event: dict[str, Any], team_id: str | None, surface: Surface) -> Inbound:
    return Inbound(
        user_id=event["user"],
        channel_id=event["channel"],
        text=question_text(event.get("text", "")),
        surface=surface,
        thread_ts=event.get("thread_ts"),
        ts=event.get("ts"),
        team_id=team_id,
    )


def from_command(body: dict[str, Any]) -> Inbound:
    return Inbound(
        user_id=body["user_id"],
        channel_id=body["channel_id"],
        text=(body.get("text") or "").strip(),
        surface="command",
        team_id=body.get("team_id"),
        response_url=body.get("response_url"),
    )
