"""Add, change, deactivate and reactivate users; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from tools.audit import write_audit
from tools.crm.users import get_user, get_user_by_email
from tools.emails import normalize_email
from tools.models import AuditSurface, Role, User

CLEAR = ""  # a manager_email of "" removes the manager


class TeamError(ValueError):
    """A user change that cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Person:
    """What is known of one person; None leaves a field as it is (or the default, when new)."""

    email: str
    name: str | None = None
    role: Role | None = None
    manager_email: str | None = None
    timezone: str | None = None
    active: bool | None = None


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise TeamError(f"role {text!r} is not one of rep, manager, admin.") from None


def check_timezone(text: str) -> str:
    """An IANA zone name ("Europe/Paris", "America/Los_Angeles", "UTC")."""
    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise TeamError(
            f"timezone {text!r} is not an IANA zone name such as America/New_York or UTC."
        ) from None
    return text.strip()


def check_email(text: str) -> str:
    email = text.strip()
    if "@" not in email or " " in email or email.startswith("@") or email.endswith("@"):
        raise TeamError(f"{text!r} is not an email address.")
    return email


def snapshot(user: User) -> dict[str, Any]:
    manager = user.manager.email if user.manager else None
    role = user.role.value if user.role else None
    return {
        "email": user.email,
        "name": user.name,
        "role": role,
        "manager": manager,
        "timezone": user.timezone,
        "active": user.active,
    }


def add_user(
    session: Session, person: Person, *, now: datetime, actor_id: int | None = None
) -> User:
    """A new user; defaults: role rep, timezone UTC, active. TeamError if the email is taken."""
    email = check_email(person.email)
    if get_user_by_email(session, email) is not None:
        raise TeamError(f"{email} is already a salesbot user; use `salesbot users set`.")
    name = (person.name or "").strip() or email.split("@")[0]
    user = User(email=email, name=name, role=Role.REP, timezone="UTC", active=True)
    session.add(user)
    _apply(session, user, person)
    session.flush()
    _audit(session, "user.add", user, None, now, actor_id)
    return user


def update_user(
    session: Session, person: Person, *, now: datetime, actor_id: int | None = None
) -> tuple[User, bool]:
    """Change the fields `person` gives; (user, whether anything changed)."""
    user = find_user(session, person.email)
    before = snapshot(user)
    _apply(session, user, person)
    session.flush()
    changed = snapshot(user) != before
    if changed:
        action = "user.set" if person.active is None else _activity_action(person.active)
        _audit(session, action, user, before, now, actor_id)
    return user, changed


def find_user(session: Session, email: str) -> User:
    user = get_user_by_email(session, email)
    if user is None:
        raise TeamError(
            f"No salesbot user has the email {email!r}; add them with `salesbot users add`."
        )
    return user


def _activity_action(active: bool) -> str:
    return "user.activate" if active else "user.deactivate"


def _apply(session: Session, user: User, person: Person) -> None:
    if person.name is not None and person.name.strip():
        user.name = person.name.strip()
    if person.role is not None:
        user.role = person.role
    if person.timezone is not None:
        user.timezone = check_timezone(person.timezone)
    if person.active is not None:
        user.active = person.active
    if person.manager_email is not None:
        user.manager = _manager(session, user, person.manager_email)


def _manager(session: Session, user: User, email: str) -> User | None:
    if email.strip() == CLEAR:
        return None
    manager = get_user_by_email(session, email)
    if manager is None:
        raise TeamError(f"manager {email!r} is not a salesbot user; add them first.")
    seen: User | None = manager
    while seen is not None:  # a manager chain must never loop back to the user
        if seen is user or (user.id is not None and seen.id == user.id):
            raise TeamError(f"{manager.email} reports to {user.email}; they cannot manage them.")
        seen = get_user(session, seen.manager_id) if seen.manager_id else None
    return manager


def _audit(
    session: Session,
    action: str,
    user: User,
    before: dict[str, Any] | None,
    now: datetime,
    actor_id: int | None,
) -> None:
    write_audit(
        session,
        actor_id=actor_id,
        action=action,
        entity="user",
        entity_id=user.id,
        change=(before, snapshot(user)),
        now=now,
        surface=AuditSurface.CLI,
    )


def same_email(a: str, b: str) -> bool:
    return normalize_email(a) == normalize_email(b)
