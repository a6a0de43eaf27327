"""Proposal cards (Confirm, Edit, Cancel, Undo), the Edit modal, and "Log this thread"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.handlers.log_thread import log_thread
from bot.slack.handlers.write_edits import submit_edit
from bot.slack.handlers.writes import (
    WriteClick,
    press_cancel,
    press_confirm,
    press_edit,
    press_undo,
)
from bot.slack.ids import (
    LOG_THREAD_CALLBACK_ID,
    WRITE_CANCEL_ACTION_ID,
    WRITE_CONFIRM_ACTION_ID,
    WRITE_EDIT_ACTION_ID,
    WRITE_EDIT_CALLBACK_ID,
    WRITE_UNDO_ACTION_ID,
)

Press = Callable[[SlackDeps, WebClient, WriteClick, Respond], None]
PRESSES: dict[str, Press] = {
    WRITE_CONFIRM_ACTION_ID: press_confirm,
    WRITE_EDIT_ACTION_ID: press_edit,
    WRITE_CANCEL_ACTION_ID: press_cancel,
    WRITE_UNDO_ACTION_ID: press_undo,
}


def register(app: App, deps: SlackDeps) -> None:
    for action_id, press in PRESSES.items():
        app.action(action_id)(_handler(deps, press))

    @app.view(WRITE_EDIT_CALLBACK_ID)
    def handle_write_edit_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        # Checked before acking: a wrong value is shown on its input and the modal stays open.
        errors = submit_edit(deps, client, body["user"]["id"], view)
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    @app.shortcut(LOG_THREAD_CALLBACK_ID)
    def handle_log_thread(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.work.submit(lambda: log_thread(deps, client, body))


def _handler(deps: SlackDeps, press: Press) -> Callable[..., None]:
    def handle_write_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        click = WriteClick.from_payload(body, action)
        deps.work.submit(lambda: press(deps, client, click, respond))

    return handle_write_button
