"""Action, callback and block ids shared by the block builders and the listeners."""

from __future__ import annotations

# Buttons: listeners route on these with app.action(...).
SHOW_MORE_ACTION_ID = "show-more"
SHARE_ANSWER_ACTION_ID = "share-answer"
OPEN_DEAL_ACTION_ID = "open-deal"
HOME_REFRESH_ACTION_ID = "home-refresh"

# Blocks that listeners look up or replace.
ANSWER_ACTIONS_BLOCK_ID = "answer-actions"
SHARE_ACTIONS_BLOCK_ID = "share-actions"
HOME_ACTIONS_BLOCK_ID = "home-actions"
