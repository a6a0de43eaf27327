"""Who is asking: the identity every tool runs as, resolved by code, never by the model."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tools.crm.users import get_user_by_email, get_user_by_slack_id, list_report_ids
from tools.models import Role, User


class UnknownUserError(LookupError):
    """No CRM user matches the identity given."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The asking user and the owners whose records they may see.

    `visible_owner_ids` is None for an admin (everything), else the user plus, for a manager,
    everyone who reports to them directly or indirectly.
    """

    user_id: int
    email: str
    name: str
    role: Role
    timezone: str
    visible_owner_ids: frozenset[int] | None

    @property
    def is_admin(self) -> bool:
        return self.visible_owner_ids is None

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    def can_see_owner(self, owner_id: int | None) -> bool:
        """True when records owned by `owner_id` are in this principal's scope."""
        if self.visible_owner_ids is None:
            return True
        return owner_id is not None and owner_id in self.visible_owner_ids


def principal_for_user(session: Session, user: User) -> Principal:
    """Build the principal for a CRM user, expanding a manager's reporting tree."""
    visible: frozenset[int] | None
    if user.role == Role.ADMIN:
        visible = None
    elif user.role == Role.MANAGER:
        visible = frozenset({user.id, *list_report_ids(session, user.id)})
    else:
        visible = frozenset({user.id})
    return Principal(user.id, user.email, user.name, user.role, user.timezone, visible)


def get_principal_by_email(session: Session, email: str) -> Principal:
    """Resolve an email to a principal, or raise UnknownUserError.

    Exact on the normalized key (tools/emails.py): only ASCII letter case and surrounding
    spaces are ignored, so "%@x.test" or "admİn@x.test" names nobody.
    """
    user = get_user_by_email(session, email)
    if user is None:
        raise UnknownUserError(f"No salesbot user has the email {email!r}.")
    return principal_for_user(session, _active(user))


def get_principal_by_slack_id(session: Session, slack_user_id: str) -> Principal:
    """Resolve a Slack user id already linked to a CRM user."""
    user = get_user_by_slack_id(session, slack_user_id)
    if user is None:
        raise UnknownUserError(f"Slack user {slack_user_id} is not linked to a salesbot user.")
    return principal_for_user(session, _active(user))


def _active(user: User) -> User:
    if not user.active:
        raise UnknownUserError(
            f"{user.email} is deactivated in salesbot; an admin can run "
            "`salesbot users activate` to let them in again."
        )
    return user
