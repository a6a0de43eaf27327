"""A rep's nudge settings: the App Home button opens the modal, and its submission is saved."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.handlers.nudge_settings import open_settings, parse_submission, save_settings
from bot.slack.ids import NUDGE_SETTINGS_CALLBACK_ID, NUDGE_SETTINGS_OPEN_ACTION_ID
from bot.slack.listeners.home import publish_home


def register(app: App, deps: SlackDeps) -> None:
    @app.action(NUDGE_SETTINGS_OPEN_ACTION_ID)
    def handle_nudge_settings_open(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id, trigger_id = body["user"]["id"], body["trigger_id"]
        # Only linked users see the Home button: an unlinked one has nothing to be told here.
        deps.work.submit(lambda: _open(deps, client, user_id, trigger_id))

    @app.view(NUDGE_SETTINGS_CALLBACK_ID)
    def handle_nudge_settings_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        settings, errors = parse_submission((view.get("state") or {}).get("values") or {})
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        user_id = body["user"]["id"]
        key = f"slack-view:{view.get('id')}:{user_id}"
        deps.work.submit(lambda: _save(deps, client, user_id, settings, key))


def _open(deps: SlackDeps, client: WebClient, user_id: str, trigger_id: str) -> None:
    open_settings(deps, client, user_id, trigger_id)


def _save(
    deps: SlackDeps, client: WebClient, user_id: str, settings: dict[str, Any], key: str
) -> None:
    save_settings(deps, user_id, settings, request_key=key)
    # The Home tab shows the schedule: republish so it never contradicts what was just saved.
    publish_home(deps, client, user_id)
