"""The proposal card's buttons, run as whoever clicked: Confirm, Edit, Cancel and Undo.

Only the write's id comes from the button; who may do what is decided in tools/writes by the
clicker's identity. The card is redrawn in place (chat.update, or the response URL for an
ephemeral card); a refusal is said privately and leaves the card as it was.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.slack.asker import principal_or_reply
from bot.slack.blocks.proposal_modal import build_write_edit_modal
from bot.slack.blocks.proposals import build_proposal_blocks, card_text
from bot.slack.deps import SlackDeps
from tools.models import AuditSurface
from tools.principal import Principal
from tools.writes.confirm import (
    MESSAGES,
    Outcome,
    WriteOutcome,
    cancel_write,
    confirm_write,
    get_write,
    undo_write,
)
from tools.writes.edit import editable_values

log = logging.getLogger(__name__)
# A repeat (Slack's retry, a double click) of something already done redraws the same card.
_REDRAW = {Outcome.ALREADY_APPLIED, Outcome.EXPIRED}


class WriteClick(BaseModel):
    """One press on a proposal card, from the signed payload."""

    user_id: str
    action_ts: str
    write_id: str
    channel_id: str | None = None
    message_ts: str | None = None
    ephemeral: bool = False
    trigger_id: str | None = None
    response_url: str | None = None

    @property
    def request_key(self) -> str:
        """The same press delivered again has the same key; a second press has a new one."""
        return f"slack-action:{self.action_ts}:{self.user_id}"

    @classmethod
    def from_payload(cls, body: dict[str, Any], action: dict[str, Any]) -> WriteClick:
        container = body.get("container") or {}
        return cls(
            user_id=body["user"]["id"],
            action_ts=str(action.get("action_ts") or body.get("trigger_id") or ""),
            write_id=str(action.get("value") or "")[:36],
            channel_id=(body.get("channel") or {}).get("id") or container.get("channel_id"),
            message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts"),
            ephemeral=bool(container.get("is_ephemeral")),
            trigger_id=body.get("trigger_id"),
            response_url=body.get("response_url"),
        )


def press_confirm(deps: SlackDeps, client: WebClient, click: WriteClick, respond: Respond) -> None:
    _decide(deps, client, click, respond, confirm_write)


def press_undo(deps: SlackDeps, client: WebClient, click: WriteClick, respond: Respond) -> None:
    _decide(deps, client, click, respond, undo_write)


def press_cancel(deps: SlackDeps, client: WebClient, click: WriteClick, respond: Respond) -> None:
    principal = _principal(deps, click, respond)
    if principal is None:
        return
    outcome = cancel_write(deps.sessions, click.write_id, principal, now=deps.clock())
    show_outcome(client, click, outcome, respond)


def _decide(
    deps: SlackDeps,
    client: WebClient,
    click: WriteClick,
    respond: Respond,
    decide: Callable[..., WriteOutcome],
) -> None:
    """Confirm or undo as the clicker, keyed by the click so a retried press counts once."""
    principal = _principal(deps, click, respond)
    if principal is None:
        return
    outcome = decide(
        deps.sessions,
        click.write_id,
        principal,
        click.request_key,
        now=deps.clock(),
        surface=AuditSurface.SLACK,
        index=deps.runner.index,
    )
    show_outcome(client, click, outcome, respond)


def press_edit(deps: SlackDeps, client: WebClient, click: WriteClick, respond: Respond) -> None:
    """Open the Edit modal filled in with the proposal, if it is the clicker's and still open."""
    principal = _principal(deps, click, respond)
    if principal is None:
        return
    row = get_write(deps.sessions, click.write_id, principal)
    if row is None or row.status != "proposed" or not click.trigger_id:
        refusal = MESSAGES[Outcome.NOT_YOURS] if row is None else MESSAGES[Outcome.CLOSED]
        _private(respond, refusal)
        return
    metadata = {
        "id": row.id,
        "channel": click.channel_id,
        "ts": click.message_ts,
        "ephemeral": click.ephemeral,
        "response_url": click.response_url,
    }
    view = build_write_edit_modal(row.action, editable_values(row), metadata)
    client.views_open(trigger_id=click.trigger_id, view=view)


def show_outcome(
    client: WebClient, click: WriteClick, outcome: WriteOutcome, respond: Respond
) -> None:
    """Redraw the card for what happened; say a refusal privately."""
    if outcome.artifact is not None and (outcome.ok or outcome.outcome in _REDRAW):
        redraw_card(
            client,
            outcome.artifact,
            respond,
            click.channel_id,
            click.message_ts,
            ephemeral=click.ephemeral,
        )
    if not outcome.ok and outcome.outcome is not Outcome.ALREADY_APPLIED:
        _private(respond, outcome.message or "That didn't work; nothing was changed.")
    for warning in outcome.warnings:
        _private(respond, warning)


def redraw_card(
    client: WebClient,
    artifact: Mapping[str, Any],
    respond: Respond | None,
    channel: str | None,
    ts: str | None,
    *,
    ephemeral: bool,
) -> None:
    """The message becomes the card as it now stands (its old words would be out of date)."""
    blocks, text = build_proposal_blocks(artifact), card_text(artifact)
    if channel and ts and not ephemeral:
        client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
    elif respond is not None:
        respond(blocks=blocks, text=text, replace_original=True)


def local_today(deps: SlackDeps, principal: Principal) -> date:
    return deps.clock().astimezone(ZoneInfo(principal.timezone)).date()


def load_metadata(text: str | None) -> dict[str, Any]:
    try:
        loaded = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _principal(deps: SlackDeps, click: WriteClick, respond: Respond) -> Principal | None:
    return principal_or_reply(deps.identity, click.user_id, respond)


def _private(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)
