"""/sales <question>: answered privately, with a button to share it in the channel.

`/sales settings` opens the rep's nudge settings instead of asking the agent.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks import build_identity_unavailable_blocks, build_unmapped_user_blocks
from bot.slack.deps import SlackDeps
from bot.slack.handlers.nudge_settings import is_settings_request, open_settings
from bot.slack.identity import IdentityUnavailableError
from bot.slack.inbound import from_command

ACK_TEXT = "Looking that up…"


def register(app: App, deps: SlackDeps) -> None:
    @app.command("/sales")
    def handle_sales_command(
        ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        if is_settings_request(body.get("text")):
            ack()
            deps.work.submit(lambda: open_settings_or_explain(deps, client, body, respond))
            return
        ack(response_type="ephemeral", text=ACK_TEXT)
        inbound = from_command(body)
        deps.work.submit(
            lambda: deps.answerer.answer(client, inbound),
            on_error=lambda _exc, ref: deps.answerer.report_error(client, inbound, ref),
        )


def open_settings_or_explain(
    deps: SlackDeps, client: WebClient, body: dict[str, Any], respond: Respond
) -> None:
    try:
        opened = open_settings(deps, client, body["user_id"], body["trigger_id"])
    except IdentityUnavailableError:
        blocks = build_identity_unavailable_blocks()
        respond(blocks=blocks, response_type="ephemeral", replace_original=False)
        return
    if not opened:
        respond(
            blocks=build_unmapped_user_blocks(), response_type="ephemeral", replace_original=False
        )
