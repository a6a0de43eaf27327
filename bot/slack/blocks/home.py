"""The App Home tab: next actions, this quarter's pipeline, captured items to review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack.blocks.capture_reviews import build_capture_review_home_blocks
from bot.slack.blocks.figures import next_action_blocks, pipeline_blocks
from bot.slack.blocks.kit import Block, actions, button, context, divider, header, section
from bot.slack.blocks.limits import MAX_HOME_BLOCKS
from bot.slack.blocks.nudge_settings import build_nudge_settings_home_blocks
from bot.slack.blocks.text import esc
from bot.slack.blocks.views import showing_note
from bot.slack.ids import HOME_ACTIONS_BLOCK_ID, HOME_REFRESH_ACTION_ID
from bot.slack.mrkdwn import escape
from tools.artifacts import ArtifactType
from tools.capture.review import ReviewRow

HOME_MAX_ACTIONS = 15


def build_home_blocks(
    next_actions: dict[str, Any] | None,
    pipeline: dict[str, Any] | None,
    *,
    user_name: str,
    nudge_settings: dict[str, Any] | None = None,
    reviews: Sequence[ReviewRow] = (),
    review_total: int = 0,
) -> list[Block]:
    """Home view blocks (at most 100); a None artifact shows that it could not be loaded.

    `nudge_settings` (the user's schedule plus `default_send_time`) adds the Daily nudges
    section with its Change button; `review_total` > 0 adds the captured items waiting for
    review (the first of `reviews`) with their buttons.
    """
    refresh = button("Refresh", HOME_REFRESH_ACTION_ID, "refresh")
    blocks = [
        header(f"Hi {escape(user_name)}"),
        context("Your sales at a glance. Ask me anything in a DM or mention me in a channel."),
        actions([refresh], block_id=HOME_ACTIONS_BLOCK_ID),
        divider(),
        header("Your next actions"),
        *_next_actions(next_actions),
        divider(),
        header("Your pipeline this quarter"),
        *_pipeline(pipeline),
    ]
    # Last, so the cap on Home blocks trims long lists above rather than the controls.
    tail: list[Block] = []
    if review_total:
        tail += [divider(), *build_capture_review_home_blocks(reviews, review_total)]
    if nudge_settings is not None:
        tail += [divider(), *build_nudge_settings_home_blocks(nudge_settings)]
    return blocks[: MAX_HOME_BLOCKS - len(tail)] + tail


def _next_actions(artifact: dict[str, Any] | None) -> list[Block]:
    if artifact is None:
        return [section("_Your next actions could not be loaded. Try Refresh._")]
    items = artifact.get("items", [])
    if not items:
        return [section("Nothing due right now. You're all caught up.")]
    shown = next_action_blocks(items[:HOME_MAX_ACTIONS])
    if len(items) > len(shown):
        shown.append(showing_note(len(shown), len(items), more=False))
    return shown


def _pipeline(artifact: dict[str, Any] | None) -> list[Block]:
    if artifact is None:
        return [section("_Your pipeline could not be loaded. Try Refresh._")]
    # e.g. deals in several currencies: no single total
    if artifact.get("type") == ArtifactType.NOTICE:
        return [section(esc(artifact.get("text")))]
    return pipeline_blocks(artifact)
