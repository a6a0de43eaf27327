"""The daily nudge's buttons: Done, Snooze 1 day / 1 week, Open and Draft follow-up."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.deps import SlackDeps
from bot.slack.handlers.nudges import NudgeClick, press_done, press_draft, press_open, press_snooze
from bot.slack.ids import (
    NUDGE_DONE_ACTION_ID,
    NUDGE_DRAFT_ACTION_ID,
    NUDGE_OPEN_ACTION_ID,
    NUDGE_SNOOZE_DAY_ACTION_ID,
    NUDGE_SNOOZE_WEEK_ACTION_ID,
)

Press = Callable[[SlackDeps, NudgeClick, Respond], None]
FAILED_TEXT = (
    "I couldn't save that because of an error on my side. Please press it again in a minute."
)
SNOOZE_DAYS = {NUDGE_SNOOZE_DAY_ACTION_ID: 1, NUDGE_SNOOZE_WEEK_ACTION_ID: 7}


def register(app: App, deps: SlackDeps) -> None:
    for action_id, press in _presses().items():
        app.action(action_id)(_handler(deps, press))


def _presses() -> dict[str, Press]:
    presses: dict[str, Press] = {
        NUDGE_DONE_ACTION_ID: press_done,
        NUDGE_OPEN_ACTION_ID: press_open,
        NUDGE_DRAFT_ACTION_ID: press_draft,
    }
    for action_id, days in SNOOZE_DAYS.items():
        presses[action_id] = partial(press_snooze, days=days)
    return presses


def _handler(deps: SlackDeps, press: Press) -> Callable[..., None]:
    def handle_nudge_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        click = NudgeClick.from_payload(body, action)
        deps.work.submit(
            lambda: press(deps, click, respond),
            on_error=lambda _exc, ref: _report_failure(respond, ref),
        )

    return handle_nudge_button


def _report_failure(respond: Respond, ref: str) -> None:
    """A press that failed (say the database restarting) is never silent: press it again.

    Every write behind a button is conditional and keyed, so a second press cannot apply twice.
    """
    respond(text=f"{FAILED_TEXT} (ref {ref})", response_type="ephemeral", replace_original=False)
