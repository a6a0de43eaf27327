"""Pure Block Kit builders: artifacts and answers in, `list[dict]` out; no I/O, all text escaped."""

from bot.blocks.answer import build_answer_blocks, fallback_text
from bot.blocks.home import build_home_blocks
from bot.blocks.messages import (
    build_error_blocks,
    build_private_reason_blocks,
    build_share_button_blocks,
    build_unmapped_user_blocks,
)

__all__ = [
    "build_answer_blocks",
    "build_error_blocks",
    "build_home_blocks",
    "build_private_reason_blocks",
    "build_share_button_blocks",
    "build_unmapped_user_blocks",
    "fallback_text",
]
