"""Posting nudges as DMs from the app, stamped so a restart can tell what already went out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.nudges.config import Due
from bot.nudges.content import NudgeMessage
from bot.slack.chart_upload import Destination, upload_charts

log = logging.getLogger(__name__)
EVENT_TYPE = "salesbot_nudge"
HISTORY_LIMIT = 100
# Errors that retrying will not cure: the user cannot receive a DM from the app.
UNREACHABLE_ERRORS = frozenset(
    {"user_not_found", "user_disabled", "account_inactive", "cannot_dm_bot", "user_not_visible"}
)


class UnreachableError(Exception):
    """The user cannot be sent a message; the reason is recorded and nothing is retried."""


@dataclass(frozen=True)
class Sent:
    channel_id: str
    ts: str


class SlackNudgeSender:
    """Sends to each user's DM with the app through the given client (which retries 429s)."""

    def __init__(self, client: WebClient, *, history_limit: int = HISTORY_LIMIT) -> None:
        self.client = client
        self.history_limit = history_limit

    def check(self, due: Due) -> None:
        """Raise UnreachableError when `due` cannot be delivered at all."""
        if not due.slack_user_id:
            raise UnreachableError("no linked Slack user (users.slack_user_id is empty)")

    def find_sent(self, due: Due, channel_id: str | None) -> Sent | None:
        """The message for `due.key` if it is already in the DM (sent before a crash)."""
        channel = self._channel(due, channel_id)
        reply = self._call(
            self.client.conversations_history,
            channel=channel,
            limit=self.history_limit,
            include_all_metadata=True,
        )
        for message in reply.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == due.key:
                return Sent(channel, message["ts"])
        return None

    def send(self, due: Due, message: NudgeMessage, channel_id: str | None) -> Sent:
        """Post `message` to the user's DM, stamped with the delivery key."""
        channel = self._channel(due, channel_id)
        reply = self._call(
            self.client.chat_postMessage,
            channel=channel,
            text=message.text,
            blocks=message.blocks,
            metadata={"event_type": EVENT_TYPE, "event_payload": {"key": due.key}},
            unfurl_links=False,
            unfurl_media=False,
        )
        sent = Sent(reply["channel"], reply["ts"])
        self._upload_charts(due, message, sent)
        return sent

    def _upload_charts(self, due: Due, message: NudgeMessage, sent: Sent) -> None:
        """Charts go into the message's thread. The message is out, so a failed upload is only
        logged: failing the delivery would not resend it (the retry finds it already sent)."""
        if not message.charts:
            return
        try:
            where = Destination(sent.channel_id, sent.ts)
            upload_charts(self.client, message.charts, sent.channel_id, where)
        except Exception:
            log.exception("uploading the charts of %s failed", due.key)

    def _channel(self, due: Due, known: str | None) -> str:
        self.check(due)
        if known:
            return known
        reply = self._call(self.client.conversations_open, users=due.slack_user_id)
        return str(reply["channel"]["id"])

    @staticmethod
    def _call(method: Callable[..., SlackResponse], **kwargs: Any) -> dict[str, Any]:
        try:
            return dict(method(**kwargs).data)  # type: ignore[arg-type]
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            if error in UNREACHABLE_ERRORS:
                raise UnreachableError(f"Slack: {error}") from exc
            raise
