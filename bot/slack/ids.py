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

# Daily nudges: one actions block per item; a button's value is compact JSON (key, task, deal).
NUDGE_DONE_ACTION_ID = "nudge-done"
NUDGE_SNOOZE_DAY_ACTION_ID = "nudge-snooze-day"
NUDGE_SNOOZE_WEEK_ACTION_ID = "nudge-snooze-week"
NUDGE_OPEN_ACTION_ID = "nudge-open"
NUDGE_DRAFT_ACTION_ID = "nudge-draft"
NUDGE_ITEM_BLOCK_PREFIX = "nudge-item:"
NUDGE_ACTIONS_BLOCK_PREFIX = "nudge-actions:"

# A rep's nudge settings: the modal, its inputs, and the App Home button that opens it.
NUDGE_SETTINGS_OPEN_ACTION_ID = "nudge-settings-open"
NUDGE_SETTINGS_CALLBACK_ID = "nudge-settings"
NUDGE_SETTINGS_TIME_BLOCK_ID = "nudge-settings-time"
NUDGE_SETTINGS_TIME_ACTION_ID = "nudge-settings-time-input"
NUDGE_SETTINGS_DAYS_BLOCK_ID = "nudge-settings-days"
NUDGE_SETTINGS_DAYS_ACTION_ID = "nudge-settings-days-input"
NUDGE_SETTINGS_PAUSED_BLOCK_ID = "nudge-settings-paused"
NUDGE_SETTINGS_PAUSED_ACTION_ID = "nudge-settings-paused-input"

# Write-back: a proposal card's buttons (value: the pending write's id), its Edit modal,
# and the "Log this thread" message shortcut.
WRITE_CONFIRM_ACTION_ID = "write-confirm"
WRITE_EDIT_ACTION_ID = "write-edit"
WRITE_CANCEL_ACTION_ID = "write-cancel"
WRITE_UNDO_ACTION_ID = "write-undo"
WRITE_CARD_BLOCK_PREFIX = "write-card:"
WRITE_EDIT_CALLBACK_ID = "write-edit"
WRITE_FIELD_BLOCK_PREFIX = "write-field:"
WRITE_FIELD_ACTION_ID = "value"
LOG_THREAD_CALLBACK_ID = "log_thread"

# An answer that asks the user to choose: one button per choice (action id "choose-N").
CHOICE_ACTION_PREFIX = "choose-"
CHOICE_BLOCK_ID = "answer-choices"

# Captured items waiting for review, on App Home: a button's value is the review item's id
# (re-checked as the clicker), and the "File under…" modal with its account and deal selects.
CAPTURE_FILE_ACTION_ID = "capture-file"
CAPTURE_DISMISS_ACTION_ID = "capture-dismiss"
CAPTURE_REVIEW_BLOCK_PREFIX = "capture-review:"
CAPTURE_FILE_CALLBACK_ID = "capture-file"
CAPTURE_ACCOUNT_BLOCK_ID = "capture-account"
CAPTURE_ACCOUNT_ACTION_ID = "capture-account-input"
CAPTURE_DEAL_BLOCK_ID = "capture-deal"
CAPTURE_DEAL_ACTION_ID = "capture-deal-input"
