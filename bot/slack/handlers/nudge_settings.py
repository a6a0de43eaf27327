"""A rep's own nudge schedule: open the modal filled in, check a submission, save it audited."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk import WebClient

from bot.slack.blocks import build_nudge_settings_modal
from bot.slack.deps import SlackDeps
from bot.slack.identity import IdentityUnavailableError
from bot.slack.ids import (
    NUDGE_SETTINGS_DAYS_ACTION_ID,
    NUDGE_SETTINGS_DAYS_BLOCK_ID,
    NUDGE_SETTINGS_PAUSED_ACTION_ID,
    NUDGE_SETTINGS_PAUSED_BLOCK_ID,
    NUDGE_SETTINGS_TIME_ACTION_ID,
    NUDGE_SETTINGS_TIME_BLOCK_ID,
)
from tools.crm.nudge_actions import WEEKDAYS, get_nudge_settings, save_nudge_settings

log = logging.getLogger(__name__)
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
BAD_TIME = "Pick a time as HH:MM, for example 08:30."
NO_DAYS = "Pick at least one working day."
SETTINGS_WORDS = frozenset({"settings"})


def is_settings_request(text: str | None) -> bool:
    """`/sales settings` opens the modal instead of asking the agent."""
    return (text or "").strip().lower() in SETTINGS_WORDS


def open_settings(deps: SlackDeps, client: WebClient, user_id: str, trigger_id: str) -> bool:
    """Open the modal with the user's current settings; False when they are not in the CRM.

    Raises IdentityUnavailableError when Slack could not say who they are just now.
    """
    principal = deps.identity.resolve(user_id)
    if principal is None:
        return False
    with deps.sessions() as session:
        settings = get_nudge_settings(session, principal.user_id)
    settings |= {"timezone": principal.timezone, "default_send_time": deps.nudge_time}
    client.views_open(trigger_id=trigger_id, view=build_nudge_settings_modal(settings))
    return True


def parse_submission(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings in a modal's state, and an error message per input block that is wrong."""
    time = _state(values, NUDGE_SETTINGS_TIME_BLOCK_ID, NUDGE_SETTINGS_TIME_ACTION_ID)
    send_time = str(time.get("selected_time") or "").strip()
    days = _selected(values, NUDGE_SETTINGS_DAYS_BLOCK_ID, NUDGE_SETTINGS_DAYS_ACTION_ID)
    paused = _selected(values, NUDGE_SETTINGS_PAUSED_BLOCK_ID, NUDGE_SETTINGS_PAUSED_ACTION_ID)
    errors = {}
    if not HHMM.match(send_time):
        errors[NUDGE_SETTINGS_TIME_BLOCK_ID] = BAD_TIME
    working_days = [d for d in WEEKDAYS if d in days]
    if not working_days:
        errors[NUDGE_SETTINGS_DAYS_BLOCK_ID] = NO_DAYS
    settings = {"send_time": send_time, "working_days": working_days, "paused": bool(paused)}
    return settings, errors


def save_settings(
    deps: SlackDeps, user_id: str, settings: dict[str, Any], *, request_key: str
) -> None:
    """Store the submitting user's settings (never anyone else's), with an audit row."""
    try:
        principal = deps.identity.resolve(user_id)
    except IdentityUnavailableError:
        log.warning("nudge settings from %s not saved: Slack did not confirm who they are", user_id)
        return
    if principal is None:
        log.warning("nudge settings from unmapped Slack user %s were not saved", user_id)
        return
    with deps.sessions.begin() as session:
        outcome = save_nudge_settings(
            session, principal, settings, now=deps.clock(), request_key=request_key
        )
    log.info("nudge settings for user %s: %s", principal.user_id, outcome)


def _state(values: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    state = (values.get(block_id) or {}).get(action_id)
    return state if isinstance(state, dict) else {}


def _selected(values: dict[str, Any], block_id: str, action_id: str) -> set[str]:
    options = _state(values, block_id, action_id).get("selected_options") or []
    return {str(o.get("value")) for o in options if isinstance(o, dict)}
