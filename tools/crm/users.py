"""Every query on the users table: lookups, listings, the reporting tree and Slack link columns.

Scoped lookups take the owner ids a principal may see (None: everyone) rather than the
principal, so this module sits below tools/scope.py and tools/principal.py, which call it.
Queries that only join users for a name (deal rows, KPIs, the audit log) stay with their feature.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, Row, func, select, true, update
from sqlalchemy.orm import Session, aliased

from tools.emails import normalize_email
from tools.models import Role, User
from tools.name_match import Match, best_match

OwnerIds = frozenset[int] | None  # None: every user
Recipient = Row[int, str, Role, str, str | None]  # id, name, role, timezone, slack_user_id


def users_among(owner_ids: OwnerIds) -> ColumnElement[bool]:
    """The SQL filter on users for a set of ids (None: everyone)."""
    return true() if owner_ids is None else User.id.in_(owner_ids)


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    """Exact on the normalized key (tools/emails.py), never a pattern."""
    return session.scalar(select(User).where(User.email_key == normalize_email(email)))


def get_user_by_slack_id(session: Session, slack_user_id: str) -> User | None:
    return session.scalar(select(User).where(User.slack_user_id == slack_user_id))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def list_user_ids(session: Session) -> list[int]:
    """Every user's id, in the database's order."""
    return list(session.scalars(select(User.id)).all())


def list_report_ids(session: Session, manager_id: int) -> set[int]:
    """Everyone reporting to the manager, directly or indirectly."""
    found: set[int] = set()
    frontier = {manager_id}
    while frontier:
        rows = session.scalars(select(User.id).where(User.manager_id.in_(frontier))).all()
        frontier = set(rows) - found - {manager_id}
        found |= frontier
    return found


def list_users_with_managers(session: Session) -> list[tuple[User, str | None]]:
    """Every user with their manager's name, by role then name (`salesbot users`)."""
    manager = aliased(User)
    rows = session.execute(
        select(User, manager.name)
        .outerjoin(manager, manager.id == User.manager_id)
        .order_by(User.role, User.name)
    ).all()
    return [(user, manager_name) for user, manager_name in rows]


def list_nudge_recipients(session: Session) -> Sequence[Recipient]:
    """Reps and managers (id, name, role, timezone, slack_user_id), by id: who may get nudges."""
    return session.execute(
        select(User.id, User.name, User.role, User.timezone, User.slack_user_id)
        .where(User.role.in_([Role.REP, Role.MANAGER]), User.active.is_(True))
        .order_by(User.id)
    ).all()


def names_by_slack_id(session: Session, slack_user_ids: Collection[str]) -> dict[str, str]:
    """The CRM names of the linked Slack ids among `slack_user_ids`."""
    rows = session.execute(
        select(User.slack_user_id, User.name).where(User.slack_user_id.in_(slack_user_ids))
    ).all()
    return {str(slack_id): name for slack_id, name in rows}


def match_user(session: Session, owner_ids: OwnerIds, query: str) -> Match:
    """A person among `owner_ids` by full or first name (exact, then fuzzy) or email."""
    rows = session.execute(select(User.id, User.name, User.email).where(users_among(owner_ids)))
    candidates: list[tuple[int, str]] = []
    q = query.strip().lower()
    for uid, name, email in rows:
        if q in {email.lower(), name.lower(), name.split()[0].lower()}:
            return Match(uid, name, ())
        candidates.append((uid, name))
    return best_match(query, candidates)


def list_other_names(session: Session, owner_ids: OwnerIds, user_id: int) -> list[str]:
    """The names of the people among `owner_ids` other than `user_id`."""
    return list(
        session.scalars(select(User.name).where(users_among(owner_ids), User.id != user_id)).all()
    )


def clear_slack_link(session: Session, slack_user_id: str, *, keep_user_id: int | None) -> None:
    """Take the Slack id (and its confirmation) from every user but `keep_user_id`."""
    others = User.slack_user_id == slack_user_id
    if keep_user_id is not None:
        others &= User.id != keep_user_id
    session.execute(update(User).where(others).values(slack_user_id=None, slack_verified_at=None))


def unlink_slack_id(session: Session, slack_user_id: str) -> bool:
    """Remove the Slack id's link; True when there was one."""
    done = session.execute(
        update(User)
        .where(User.slack_user_id == slack_user_id)
        .values(slack_user_id=None, slack_verified_at=None)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def unverify_slack_id(session: Session, slack_user_id: str) -> bool:
    """Drop the link's confirmation, keeping the link; True when the id was linked."""
    done = session.execute(
        update(User).where(User.slack_user_id == slack_user_id).values(slack_verified_at=None)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]
