"""@salesbot in a channel: answer in the thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.inbound import from_mention, should_ignore


def register(app: App, deps: SlackDeps) -> None:
    @app.event("app_mention")
    def handle_app_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if should_ignore(event, deps.bot_user_id):
            return
        inbound = from_mention(event, body.get("team_id"))
        deps.work.submit(
            lambda: deps.answerer.answer(client, inbound),
            on_error=lambda _exc, ref: deps.answerer.report_error(client, inbound, ref),
        )
