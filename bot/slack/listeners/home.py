"""App Home: refreshed each time it opens or its button is clicked (handlers/home draws it)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.handlers.home import publish_home
from bot.slack.ids import HOME_REFRESH_ACTION_ID


def register(app: App, deps: SlackDeps) -> None:
    @app.event("app_home_opened")
    def handle_app_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        deps.work.submit(lambda: publish_home(deps, client, user_id))

    @app.action(HOME_REFRESH_ACTION_ID)
    def handle_home_refresh(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        deps.work.submit(lambda: publish_home(deps, client, user_id))
