"""`salesbot users link-slack`: link CRM users to workspace members with the same email."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.users import clear_slack_link
from tools.emails import normalize_email
from tools.models import User


@dataclass(frozen=True)
class Member:
    """A workspace member as users.list gives them (bots and deleted members left out)."""

    slack_user_id: str
    email: str


@dataclass
class Linked:
    linked: list[str] = field(default_factory=list)
    already: int = 0
    unmatched: list[str] = field(default_factory=list)  # CRM users with no member of their email


def link_members(session: Session, members: list[Member], *, now: datetime) -> Linked:
    """Link every active user whose email a member has; a Slack id moves from anyone else."""
    by_email = {normalize_email(m.email): m.slack_user_id for m in members if m.email}
    done = Linked()
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.email))
    for user in users:
        slack_id = by_email.get(user.email_key or normalize_email(user.email))
        if slack_id is None:
            done.unmatched.append(user.email)
        elif user.slack_user_id == slack_id:
            done.already += 1
            user.slack_verified_at = now
        else:
            clear_slack_link(session, slack_id, keep_user_id=user.id)
            session.flush()
            user.slack_user_id, user.slack_verified_at = slack_id, now
            session.flush()
            done.linked.append(user.email)
    return done
