"""App Home: the user's next actions and pipeline snapshot, refreshed each time it opens."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.blocks import (
    build_home_blocks,
    build_identity_unavailable_blocks,
    build_unmapped_user_blocks,
)
from bot.slack.deps import SlackDeps
from bot.slack.direct_tools import run_tool
from bot.slack.identity import IdentityUnavailableError
from bot.slack.ids import HOME_REFRESH_ACTION_ID
from tools.crm.nudge_actions import get_nudge_settings


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


def publish_home(deps: SlackDeps, client: WebClient, user_id: str) -> None:
    try:
        principal = deps.identity.resolve(user_id)
    except IdentityUnavailableError:
        client.views_publish(
            user_id=user_id, view={"type": "home", "blocks": build_identity_unavailable_blocks()}
        )
        return
    if principal is None:
        blocks = build_unmapped_user_blocks()
    else:
        actions = run_tool(deps, principal, "next_actions", {"limit": 5})
        pipeline = run_tool(deps, principal, "pipeline_summary", {"scope": "me"})
        with deps.sessions() as session:
            schedule = get_nudge_settings(session, principal.user_id)
        schedule["default_send_time"] = deps.nudge_time
        blocks = build_home_blocks(
            actions, pipeline, user_name=principal.name, nudge_settings=schedule
        )
    client.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks})
