"""Captured items on App Home, as whoever clicked: File under… (a modal) and Dismiss.

Only the item's id comes from the button and only ids come from the modal; the tool layer
(tools/capture/review.py) decides whose item it is and which accounts and deals are in scope.
Home has no thread to answer in, so anything to say is said in a small modal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, field_validator
from slack_sdk import WebClient

from bot.slack.answering import UNMAPPED_TEXT
from bot.slack.blocks.capture_reviews import (
    build_capture_file_modal,
    build_notice_modal,
    build_select_options,
)
from bot.slack.deps import SlackDeps
from bot.slack.handlers.home import publish_home
from bot.slack.identity import UNAVAILABLE_TEXT, IdentityUnavailableError
from bot.slack.ids import (
    CAPTURE_ACCOUNT_ACTION_ID,
    CAPTURE_ACCOUNT_BLOCK_ID,
    CAPTURE_DEAL_ACTION_ID,
    CAPTURE_DEAL_BLOCK_ID,
)
from tools.capture.choices import list_account_choices, list_deal_choices
from tools.capture.items import CaptureError
from tools.capture.review import OPEN, dismiss_review, file_review, get_review, review_status
from tools.models import AuditSurface
from tools.principal import Principal
from tools.writes.search_index import index_activity

log = logging.getLogger(__name__)
NOT_YOURS = (
    "That captured item isn't one of yours, so only the person who captured it can act on it."
)
PICK_ACCOUNT = "Pick the account to file it under."


def _id_or_none(value: object) -> int | None:
    text = str(value) if value is not None else ""
    return int(text) if text.isdigit() else None


class ReviewClick(BaseModel):
    """One press of File under… or Dismiss, from the signed payload; the id is only a hint."""

    user_id: str
    action_ts: str
    review_id: int | None = None
    trigger_id: str | None = None

    @field_validator("review_id", mode="before")
    @classmethod
    def _review_id(cls, value: object) -> int | None:
        return _id_or_none(value)

    @property
    def request_key(self) -> str:
        """The same press delivered again has the same key; a second press has a new one."""
        return f"slack-action:{self.action_ts}:{self.user_id}"

    @classmethod
    def from_payload(cls, body: dict[str, Any], action: dict[str, Any]) -> ReviewClick:
        return cls(
            user_id=body["user"]["id"],
            action_ts=str(action.get("action_ts") or body.get("trigger_id") or ""),
            review_id=action.get("value"),
            trigger_id=body.get("trigger_id"),
        )


def press_dismiss(deps: SlackDeps, client: WebClient, click: ReviewClick) -> None:
    """Dismiss the clicker's item once; a repeat just redraws Home, anyone else is told no."""
    principal = _principal(deps, client, click)
    if principal is None or click.review_id is None:
        return
    try:
        with deps.sessions.begin() as session:
            dismiss_review(
                session,
                principal,
                click.review_id,
                now=deps.clock(),
                surface=AuditSurface.SLACK,
                request_key=click.request_key,
            )
    except CaptureError:
        if not _decided(deps, principal, click.review_id):
            _notice(client, click.trigger_id, NOT_YOURS)
            return
    publish_home(deps, client, click.user_id)


def press_file(deps: SlackDeps, client: WebClient, click: ReviewClick) -> None:
    """Open the File under… modal for the clicker's own open item."""
    principal = _principal(deps, client, click)
    if principal is None or click.review_id is None or not click.trigger_id:
        return
    with deps.sessions() as session:
        row = get_review(session, principal, click.review_id)
    if row is not None:
        client.views_open(trigger_id=click.trigger_id, view=build_capture_file_modal(row))
    elif _decided(deps, principal, click.review_id):
        publish_home(deps, client, click.user_id)  # a stale Home: show it as it now is
    else:
        _notice(client, click.trigger_id, NOT_YOURS)


@dataclass(frozen=True, slots=True)
class Filing:
    """What a modal submission came to: input errors to show, or the new activity (if any)."""

    errors: dict[str, str] | None = None
    activity_id: int | None = None


def submit_filing(deps: SlackDeps, user_id: str, view: dict[str, Any]) -> Filing:
    """File the modal's item under the chosen account and deal, as the submitter."""
    values = (view.get("state") or {}).get("values") or {}
    review_id = _id_or_none(view.get("private_metadata"))
    account_id = _selected(values, CAPTURE_ACCOUNT_BLOCK_ID, CAPTURE_ACCOUNT_ACTION_ID)
    deal_id = _selected(values, CAPTURE_DEAL_BLOCK_ID, CAPTURE_DEAL_ACTION_ID)
    if account_id is None or review_id is None:
        return Filing(errors={CAPTURE_ACCOUNT_BLOCK_ID: PICK_ACCOUNT})
    try:
        principal = deps.identity.resolve(user_id)
    except IdentityUnavailableError:
        return Filing(errors={CAPTURE_ACCOUNT_BLOCK_ID: UNAVAILABLE_TEXT})
    if principal is None:
        return Filing(errors={CAPTURE_ACCOUNT_BLOCK_ID: "You are not linked to the CRM."})
    try:
        with deps.sessions.begin() as session:
            activity_id = file_review(
                session,
                principal,
                review_id,
                account_id=account_id,
                deal_id=deal_id,
                now=deps.clock(),
                surface=AuditSurface.SLACK,
                request_key=f"slack-view:{view.get('id')}:{user_id}",
            )
    except CaptureError as exc:
        if _decided(deps, principal, review_id):
            return Filing()  # Slack's retry of a submission already filed: just close
        return Filing(errors={_field_of(str(exc)): str(exc)})
    return Filing(activity_id=activity_id)


def after_filing(deps: SlackDeps, client: WebClient, user_id: str, activity_id: int) -> None:
    """Make the filed item searchable now, as the CLI does, and redraw Home without it."""
    if deps.runner.index is not None:
        index_activity(deps.sessions, deps.runner.index, activity_id)
    publish_home(deps, client, user_id)


def account_options(deps: SlackDeps, user_id: str, query: str) -> list[dict[str, Any]]:
    """The account select's options: visible accounts matching what was typed."""
    principal = _quiet_principal(deps, user_id)
    if principal is None:
        return []
    with deps.sessions() as session:
        return build_select_options(list_account_choices(session, principal, query))


def deal_options(
    deps: SlackDeps, user_id: str, query: str, view: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The deal select's options: visible open deals, of the account already picked if any."""
    principal = _quiet_principal(deps, user_id)
    if principal is None:
        return []
    values = ((view or {}).get("state") or {}).get("values") or {}
    account_id = _selected(values, CAPTURE_ACCOUNT_BLOCK_ID, CAPTURE_ACCOUNT_ACTION_ID)
    with deps.sessions() as session:
        choices = list_deal_choices(session, principal, query, account_id=account_id)
    return build_select_options(choices)


def _principal(deps: SlackDeps, client: WebClient, click: ReviewClick) -> Principal | None:
    try:
        principal = deps.identity.resolve(click.user_id)
    except IdentityUnavailableError:
        _notice(client, click.trigger_id, UNAVAILABLE_TEXT)
        return None
    if principal is None:
        _notice(client, click.trigger_id, UNMAPPED_TEXT)
    return principal


def _quiet_principal(deps: SlackDeps, user_id: str) -> Principal | None:
    # A select's options have nowhere to say why: an empty list, and the submit says the rest.
    try:
        return deps.identity.resolve(user_id)
    except IdentityUnavailableError:
        return None


def _decided(deps: SlackDeps, principal: Principal, review_id: int) -> bool:
    with deps.sessions() as session:
        status = review_status(session, principal, review_id)
    return status is not None and status != OPEN


def _notice(client: WebClient, trigger_id: str | None, text: str) -> None:
    if trigger_id:
        client.views_open(trigger_id=trigger_id, view=build_notice_modal(text))
    else:
        log.info("capture review notice not shown (no trigger id): %s", text)


def _selected(values: dict[str, Any], block_id: str, action_id: str) -> int | None:
    state = (values.get(block_id) or {}).get(action_id) or {}
    option = state.get("selected_option") if isinstance(state, dict) else None
    return _id_or_none(option.get("value")) if isinstance(option, dict) else None


def _field_of(message: str) -> str:
    """The input a refusal is about: the deal's when it names a deal, else the account's."""
    return CAPTURE_DEAL_BLOCK_ID if "deal" in message.lower() else CAPTURE_ACCOUNT_BLOCK_ID
