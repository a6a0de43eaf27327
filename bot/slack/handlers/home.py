"""App Home: next actions, pipeline snapshot and captured items to review, as whoever opens it."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.blocks import (
    build_home_blocks,
    build_identity_unavailable_blocks,
    build_unmapped_user_blocks,
)
from bot.slack.blocks.capture_reviews import HOME_MAX_REVIEWS
from bot.slack.deps import SlackDeps
from bot.slack.direct_tools import run_tool
from bot.slack.identity import IdentityUnavailableError
from tools.capture.review import count_reviews, list_reviews
from tools.crm.nudge_actions import get_nudge_settings


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
            reviews = list_reviews(session, principal, limit=HOME_MAX_REVIEWS)
            review_total = count_reviews(session, principal)
        schedule["default_send_time"] = deps.nudge_time
        blocks = build_home_blocks(
            actions,
            pipeline,
            user_name=principal.name,
            nudge_settings=schedule,
            reviews=reviews,
            review_total=review_total,
        )
    client.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks})
