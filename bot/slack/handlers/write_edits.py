"""The Edit modal's submission: check the new values, store them, redraw the card."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.slack.blocks.proposal_modal import field_block_id, read_submission
from bot.slack.blocks.proposals import build_proposal_blocks, card_text
from bot.slack.deps import SlackDeps
from bot.slack.handlers.writes import load_metadata, local_today, redraw_card
from bot.slack.identity import UNAVAILABLE_TEXT, IdentityUnavailableError
from tools.writes.confirm import MESSAGES, Outcome
from tools.writes.edit import edit_write

log = logging.getLogger(__name__)
# Which input an error message is about, by the words it uses.
_ERROR_FIELDS = (
    ("amount", "amount"),
    ("stage", "stage"),
    ("date", "close_date"),
    ("past", "due_date"),
    ("date", "due_date"),
    ("happened", "occurred_on"),
    ("date", "occurred_on"),
    ("kind", "kind"),
    ("task", "title"),
    ("next step", "next_step"),
    ("text", "text"),
)


def submit_edit(
    deps: SlackDeps, client: WebClient, user_id: str, view: dict[str, Any]
) -> dict[str, str] | None:
    """Save the edit; returns input errors for the modal, or None when it may close."""
    values = read_submission((view.get("state") or {}).get("values") or {})
    metadata = load_metadata(view.get("private_metadata"))
    first = field_block_id(next(iter(values), "text"))
    try:
        principal = deps.identity.resolve(user_id)
    except IdentityUnavailableError:
        return {first: UNAVAILABLE_TEXT}
    if principal is None:
        return {first: "You are not linked to the CRM."}
    outcome = edit_write(
        deps.sessions,
        str(metadata.get("id") or ""),
        principal,
        values,
        today=local_today(deps, principal),
    )
    if outcome.outcome is Outcome.INVALID:
        return {field_block_id(_field_of(outcome.message or "", values)): outcome.message or ""}
    if not outcome.ok or outcome.artifact is None:
        return {
            field_block_id(next(iter(values), "text")): outcome.message or MESSAGES[Outcome.CLOSED]
        }
    _redraw(client, outcome.artifact, metadata)
    return None


def _field_of(message: str, values: dict[str, Any]) -> str:
    low = message.lower()
    for word, name in _ERROR_FIELDS:
        if word in low and name in values:
            return name
    return next(iter(values), "text")


def _redraw(client: WebClient, artifact: Mapping[str, Any], metadata: dict[str, Any]) -> None:
    channel, ts = metadata.get("channel"), metadata.get("ts")
    if metadata.get("ephemeral") or not (channel and ts):
        url = metadata.get("response_url")
        if url:
            blocks, text = build_proposal_blocks(artifact), card_text(artifact)
            WebhookClient(url).send(blocks=blocks, text=text, replace_original=True)
        return
    redraw_card(client, artifact, None, channel, ts, ephemeral=False)
