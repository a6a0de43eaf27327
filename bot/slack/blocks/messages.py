"""Small messages: share button, why an answer stayed private, errors, unknown users."""

from __future__ import annotations

from bot.slack.blocks.kit import Block, actions, button, context, section
from bot.slack.ids import SHARE_ACTIONS_BLOCK_ID, SHARE_ANSWER_ACTION_ID
from bot.slack.mrkdwn import escape


def build_share_button_blocks(share_key: str) -> list[Block]:
    """A "Share in channel" button carrying `share_key`."""
    share = button("Share in channel", SHARE_ANSWER_ACTION_ID, share_key, style="primary")
    return [actions([share], block_id=SHARE_ACTIONS_BLOCK_ID)]


def build_private_reason_blocks(reason: str) -> list[Block]:
    """One context line saying why the answer was sent only to the asker."""
    return [context(f":lock: {escape(reason)}")]


def build_error_blocks(message: str, correlation_id: str) -> list[Block]:
    """What went wrong, the reference to quote, and what to do next."""
    ref = escape(correlation_id)
    return [
        section(f":warning: *Something went wrong* (ref {ref}). {escape(message)}"),
        context(
            "Try again in a minute. If it keeps happening, send your admin "
            f"the reference {ref} so they can find it in the logs."
        ),
    ]


def build_unmapped_user_blocks() -> list[Block]:
    """The asker's Slack email matches no CRM user, so nothing can be shown to them."""
    return [
        section(
            ":wave: *I can't find you in the CRM yet.* Your Slack email isn't linked to a "
            "CRM user, so I can't show you any deals or figures."
        ),
        context(
            "Ask an admin to add you to the CRM, or check that the email in your Slack "
            "profile matches your CRM email exactly."
        ),
    ]


def build_identity_unavailable_blocks() -> list[Block]:
    """Slack could not confirm who is asking just now: not "unknown", just "try again"."""
    return [
        section(
            ":hourglass: *I couldn't check who you are with Slack just now.* Slack didn't "
            "answer, so I can't show you any data yet."
        ),
        context("Please try again in a minute."),
    ]
