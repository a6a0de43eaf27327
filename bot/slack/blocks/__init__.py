"""Pure Block Kit builders: artifacts and answers in, `list[dict]` out; no I/O, all text escaped."""

from bot.slack.blocks.answer import build_answer_blocks, fallback_text
from bot.slack.blocks.choices import build_choice_blocks
from bot.slack.blocks.home import build_home_blocks
from bot.slack.blocks.messages import (
    build_error_blocks,
    build_identity_unavailable_blocks,
    build_private_reason_blocks,
    build_share_button_blocks,
    build_unmapped_user_blocks,
)
from bot.slack.blocks.nudge_settings import (
    build_nudge_settings_home_blocks,
    build_nudge_settings_modal,
)
from bot.slack.blocks.nudges import (
    build_draft_blocks,
    build_nudge_blocks,
    mark_nudge_item,
    nudge_fallback_text,
)

__all__ = [
    "build_answer_blocks",
    "build_choice_blocks",
    "build_draft_blocks",
    "build_error_blocks",
    "build_home_blocks",
    "build_identity_unavailable_blocks",
    "build_nudge_blocks",
    "build_nudge_settings_home_blocks",
    "build_nudge_settings_modal",
    "build_private_reason_blocks",
    "build_share_button_blocks",
    "build_unmapped_user_blocks",
    "fallback_text",
    "mark_nudge_item",
    "nudge_fallback_text",
]
