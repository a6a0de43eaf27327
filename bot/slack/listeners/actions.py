"""Buttons on answers: "Show all", "Open deal", "Share" and the choices an answer offers;
the work is in handlers/answers and handlers/choices."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.handlers.answers import share, show_all
from bot.slack.handlers.choices import choose, report_failure
from bot.slack.ids import (
    CHOICE_ACTION_PREFIX,
    OPEN_DEAL_ACTION_ID,
    SHARE_ANSWER_ACTION_ID,
    SHOW_MORE_ACTION_ID,
)


def register(app: App, deps: SlackDeps) -> None:
    @app.action(SHOW_MORE_ACTION_ID)
    def handle_show_more(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        deps.work.submit(lambda: show_all(deps, body["user"]["id"], action.get("value"), respond))

    @app.action(OPEN_DEAL_ACTION_ID)
    def handle_open_deal(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        value = json.dumps({"tool": "get_deal", "args": {"deal": str(action.get("value", ""))}})
        deps.work.submit(lambda: show_all(deps, body["user"]["id"], value, respond))

    @app.action(SHARE_ANSWER_ACTION_ID)
    def handle_share(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        deps.work.submit(lambda: share(deps, client, body, action.get("value"), respond))

    @app.action(re.compile(rf"^{CHOICE_ACTION_PREFIX}\d$"))
    def handle_choice(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        deps.work.submit(
            lambda: choose(deps, client, body, action.get("value"), respond),
            on_error=lambda _exc, ref: report_failure(respond, ref),
        )
