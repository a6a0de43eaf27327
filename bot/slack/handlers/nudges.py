"""What the nudge buttons do, as whoever clicked: nothing in a button's value is trusted.

Done completes the clicker's own task (or acknowledges a promise), Snooze hides the item for
a day or a week, Open shows the deal and Draft writes a follow-up, both scoped to the clicker.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, field_validator
from slack_bolt import Respond

from bot.slack.asker import principal_or_reply
from bot.slack.blocks import (
    build_draft_blocks,
    mark_nudge_item,
)
from bot.slack.deps import SlackDeps
from bot.slack.handlers.drafts import DealNotFoundError, draft_follow_up
from bot.slack.listeners.actions import show_all
from bot.slack.mrkdwn import escape
from tools.crm.nudge_actions import Outcome, complete_task, snooze_item
from tools.principal import Principal

log = logging.getLogger(__name__)
# A Done on a deal item names one promise (its activity), so a year is as good as forever.
ACKNOWLEDGE_DAYS = 365
NOT_YOURS = "Sorry, only the task's owner can mark it done."
NO_DEAL = "I couldn't find that deal. It may have been removed, or it isn't in your book."


class NudgeClick(BaseModel):
    """One nudge button press, from the signed payload; ids are hints, checked before use."""

    user_id: str
    action_ts: str
    key: str
    task_id: int | None = None
    deal_id: int | None = None
    blocks: list[dict[str, Any]] = []

    @field_validator("task_id", "deal_id", mode="before")
    @classmethod
    def _id_or_none(cls, value: object) -> int | None:
        text = str(value) if value is not None else ""
        return int(text) if text.isdigit() else None

    @property
    def request_key(self) -> str:
        """The same press delivered again has the same key; a second press has a new one."""
        return f"slack-action:{self.action_ts}:{self.user_id}"

    @classmethod
    def from_payload(cls, body: dict[str, Any], action: dict[str, Any]) -> NudgeClick:
        try:
            value = json.loads(action.get("value") or "{}")
        except json.JSONDecodeError:
            value = {}
        value = value if isinstance(value, dict) else {}
        return cls(
            user_id=body["user"]["id"],
            action_ts=str(action.get("action_ts") or body.get("trigger_id") or ""),
            key=str(value.get("key") or "")[:255],
            task_id=value.get("task_id"),
            deal_id=value.get("deal_id"),
            blocks=(body.get("message") or {}).get("blocks") or [],
        )


def press_done(deps: SlackDeps, click: NudgeClick, respond: Respond) -> None:
    """Complete the clicker's own task, or acknowledge a deal item; then redraw the message."""
    principal = _principal(deps, click, respond)
    if principal is None:
        return
    if click.task_id is None:
        until = local_today(deps, principal) + timedelta(days=ACKNOWLEDGE_DAYS)
        _snooze(deps, principal, click, until, action="nudge.acknowledge")
        _redraw(click, ":white_check_mark: *Done.* Noted; it leaves your list.", respond)
        return
    with deps.sessions.begin() as session:
        result = complete_task(
            session, principal, click.task_id, now=deps.clock(), request_key=click.request_key
        )
    if result.outcome is Outcome.REFUSED:
        _private(respond, NOT_YOURS)
        return
    _redraw(click, f":white_check_mark: *Done:* {escape(result.title or 'task')}", respond)


def press_snooze(deps: SlackDeps, click: NudgeClick, respond: Respond, *, days: int) -> None:
    """Hide the item from the clicker's nudges until `days` after their local today."""
    principal = _principal(deps, click, respond)
    if principal is None:
        return
    until = local_today(deps, principal) + timedelta(days=days)
    _snooze(deps, principal, click, until, action="nudge.snooze")
    _redraw(click, f":zzz: Snoozed until {until:%a} {until.day} {until:%b}.", respond)


def press_open(deps: SlackDeps, click: NudgeClick, respond: Respond) -> None:
    """The deal in detail, re-read as the clicker; out of scope reads as not found."""
    request = {"tool": "get_deal", "args": {"deal": str(click.deal_id or "")}}
    show_all(deps, click.user_id, json.dumps(request), respond)


def press_draft(deps: SlackDeps, click: NudgeClick, respond: Respond) -> None:
    """A follow-up email for the item's deal, shown only to the clicker."""
    principal = _principal(deps, click, respond)
    if principal is None:
        return
    try:
        if click.deal_id is None:
            raise DealNotFoundError(click.key)
        draft = draft_follow_up(deps, principal, click.deal_id)
    except DealNotFoundError:
        _private(respond, NO_DEAL)
        return
    respond(
        blocks=build_draft_blocks(draft),
        text="Draft follow-up",
        response_type="ephemeral",
        replace_original=False,
    )


def local_today(deps: SlackDeps, principal: Principal) -> date:
    return deps.clock().astimezone(ZoneInfo(principal.timezone)).date()


def _snooze(
    deps: SlackDeps, principal: Principal, click: NudgeClick, until: date, *, action: str
) -> None:
    if not click.key:
        return
    with deps.sessions.begin() as session:
        outcome = snooze_item(
            session,
            principal,
            click.key,
            until=until,
            now=deps.clock(),
            request_key=click.request_key,
            action=action,
        )
    log.info("%s %s for user %s: %s", action, click.key, principal.user_id, outcome)


def _principal(deps: SlackDeps, click: NudgeClick, respond: Respond) -> Principal | None:
    return principal_or_reply(deps.identity, click.user_id, respond)


def _redraw(click: NudgeClick, note: str, respond: Respond) -> None:
    """The nudge message again, this item's buttons replaced by `note`; or just the note."""
    if not click.blocks:
        _private(respond, note)
        return
    respond(
        blocks=mark_nudge_item(click.blocks, click.key, note),
        text="Your next actions",
        replace_original=True,
    )


def _private(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)
