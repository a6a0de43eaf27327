"""The clicker of a button, as a principal; or a private word saying why there is none."""

from __future__ import annotations

from slack_bolt import Respond

from bot.slack.answering import UNMAPPED_TEXT
from bot.slack.blocks import build_identity_unavailable_blocks, build_unmapped_user_blocks
from bot.slack.identity import UNAVAILABLE_TEXT, IdentityResolver, IdentityUnavailableError
from tools.principal import Principal


def principal_or_reply(
    identity: IdentityResolver, slack_user_id: str, respond: Respond
) -> Principal | None:
    """Not in the CRM and "Slack didn't answer, try again" are told apart, never silent."""
    try:
        principal = identity.resolve(slack_user_id)
    except IdentityUnavailableError:
        _private(respond, build_identity_unavailable_blocks(), UNAVAILABLE_TEXT)
        return None
    if principal is None:
        _private(respond, build_unmapped_user_blocks(), UNMAPPED_TEXT)
    return principal


def _private(respond: Respond, blocks: list[dict[str, object]], text: str) -> None:
    respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=False)
