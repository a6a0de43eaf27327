"""Links between Slack user ids and CRM users: made, re-confirmed and removed on exact email keys.

A link is `users.slack_user_id`; `users.slack_verified_at` says when Slack last confirmed it.
Which Slack users may be linked at all is the Slack app's decision (bot/slack/workspace.py); this
module only stores the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tools.crm.users import (
    clear_slack_link,
    get_user_by_email,
    get_user_by_slack_id,
    unlink_slack_id,
    unverify_slack_id,
)
from tools.principal import Principal, principal_for_user


@dataclass(frozen=True, slots=True)
class SlackLink:
    principal: Principal
    verified_at: datetime | None


def find_link(session: Session, slack_user_id: str) -> SlackLink | None:
    """The CRM user this Slack id is linked to, with when the link was last confirmed."""
    user = get_user_by_slack_id(session, slack_user_id)
    if user is None:
        return None
    return SlackLink(principal_for_user(session, user), user.slack_verified_at)


def link_by_email(
    session: Session, slack_user_id: str, email: str, *, now: datetime
) -> Principal | None:
    """Link the Slack id to the user whose email key equals `email`'s, confirmed `now`.

    The Slack id is taken from whoever had it before; with no such user it ends up unlinked.
    """
    user = get_user_by_email(session, email)
    # Cleared before the new link is written: slack_user_id is unique.
    clear_slack_link(session, slack_user_id, keep_user_id=user.id if user is not None else None)
    if user is None:
        return None
    user.slack_user_id = slack_user_id
    user.slack_verified_at = now
    return principal_for_user(session, user)


def unlink(session: Session, slack_user_id: str) -> bool:
    """Remove the Slack id's link; True when there was one."""
    return unlink_slack_id(session, slack_user_id)


def mark_unverified(session: Session, slack_user_id: str) -> bool:
    """Keep the link but make it unusable until Slack confirms it again; True when linked."""
    return unverify_slack_id(session, slack_user_id)
