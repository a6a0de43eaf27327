"""A rep's daily nudge settings: the modal that edits them and the App Home section showing them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack.blocks.kit import Block, button, context, header, plain, section
from bot.slack.ids import (
    NUDGE_SETTINGS_CALLBACK_ID,
    NUDGE_SETTINGS_DAYS_ACTION_ID,
    NUDGE_SETTINGS_DAYS_BLOCK_ID,
    NUDGE_SETTINGS_OPEN_ACTION_ID,
    NUDGE_SETTINGS_PAUSED_ACTION_ID,
    NUDGE_SETTINGS_PAUSED_BLOCK_ID,
    NUDGE_SETTINGS_TIME_ACTION_ID,
    NUDGE_SETTINGS_TIME_BLOCK_ID,
)
from bot.slack.mrkdwn import escape
from tools.crm.nudge_actions import WEEKDAYS, parse_days

FALLBACK_SEND_TIME = "09:00"
PAUSED_VALUE = "paused"
_FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_NAMES = dict(zip(WEEKDAYS, _FULL_NAMES, strict=True))


def build_nudge_settings_modal(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings modal, filled in with `settings`.

    Args:
        settings: `send_time` ("HH:MM" or None for the default), `working_days` (list or
            "mon,tue,..."), `paused`; optionally `default_send_time` and `timezone`.
    """
    days = _days(settings.get("working_days"))
    tz = settings.get("timezone")
    time_hint = f"Your local time ({tz})." if tz else "Your local time."
    paused_option = _option("Pause my daily nudges", PAUSED_VALUE)
    paused_box: Block = {"type": "checkboxes", "action_id": NUDGE_SETTINGS_PAUSED_ACTION_ID}
    paused_box["options"] = [paused_option]
    if settings.get("paused"):
        paused_box["initial_options"] = [paused_option]
    day_box: Block = {
        "type": "checkboxes",
        "action_id": NUDGE_SETTINGS_DAYS_ACTION_ID,
        "options": [_option(DAY_NAMES[d], d) for d in WEEKDAYS],
    }
    if days:
        day_box["initial_options"] = [_option(DAY_NAMES[d], d) for d in days]
    time_picker = {
        "type": "timepicker",
        "action_id": NUDGE_SETTINGS_TIME_ACTION_ID,
        "initial_time": send_time_of(settings),
    }
    return {
        "type": "modal",
        "callback_id": NUDGE_SETTINGS_CALLBACK_ID,
        "title": plain("Daily nudges", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            section("Each working day I send you a short list of what needs you next."),
            _input(NUDGE_SETTINGS_TIME_BLOCK_ID, "Send at", time_picker, hint=time_hint),
            _input(NUDGE_SETTINGS_DAYS_BLOCK_ID, "Working days", day_box),
            _input(NUDGE_SETTINGS_PAUSED_BLOCK_ID, "Pause", paused_box, optional=True),
        ],
    }


def build_nudge_settings_home_blocks(settings: dict[str, Any]) -> list[Block]:
    """App Home: when the daily nudges arrive, with a button that opens the settings modal."""
    if settings.get("paused"):
        summary = "Your daily nudges are *paused*."
    else:
        summary = (
            f"Every {_day_list(_days(settings.get('working_days')))} at "
            f"*{escape(send_time_of(settings))}*, your time."
        )
    change = button("Change", NUDGE_SETTINGS_OPEN_ACTION_ID, "open")
    return [
        header("Daily nudges"),
        section(summary, accessory=change),
        context("You can also type `/sales settings`."),
    ]


def send_time_of(settings: dict[str, Any]) -> str:
    return str(settings.get("send_time") or settings.get("default_send_time") or FALLBACK_SEND_TIME)


def _days(value: object) -> list[str]:
    if isinstance(value, str):
        return parse_days(value)
    return [d for d in WEEKDAYS if d in set(value or ())]  # type: ignore[call-overload]


def _day_list(days: Sequence[str]) -> str:
    if not days:
        return "day you pick"
    if list(days) == list(WEEKDAYS[:5]):
        return "weekday"
    names = [DAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _option(label: str, value: str) -> Block:
    return {"text": plain(label), "value": value}


def _input(
    block_id: str, label: str, element: Block, *, hint: str | None = None, optional: bool = False
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block
