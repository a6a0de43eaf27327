"""/sales <question>: answered privately, with a button to share it in the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.inbound import from_command
from bot.slack_deps import SlackDeps

ACK_TEXT = "Looking that up…"


def register(app: App, deps: SlackDeps) -> None:
    @app.command("/sales")
    def handle_sales_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack(response_type="ephemeral", text=ACK_TEXT)
        inbound = from_command(body)
        deps.work.submit(
            lambda: deps.answerer.answer(client, inbound),
            on_error=lambda _exc, ref: deps.answerer.report_error(client, inbound, ref),
        )
