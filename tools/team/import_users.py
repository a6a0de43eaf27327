"""`salesbot users import`: every person of a users file added or updated, managers last."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from tools.crm.users import get_user_by_email
from tools.team.people import Person, TeamError, add_user, update_user
from tools.team.user_files import UsersFile


@dataclass
class UsersImported:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.created)} added, {len(self.updated)} updated, {self.unchanged} unchanged"


def import_people(
    session: Session, found: UsersFile, *, now: datetime, actor_id: int | None = None
) -> UsersImported:
    """Add or update every person; managers are set once everyone exists, so order is free."""
    done = UsersImported()
    touched: set[str] = set()
    for person in found.people:
        try:
            _one(session, replace(person, manager_email=None), now, actor_id, done, touched)
        except TeamError as exc:
            done.problems.append(f"{person.email}: {exc}")
    for person in found.people:
        if person.manager_email is None or get_user_by_email(session, person.email) is None:
            continue
        try:
            _, changed = update_user(
                session,
                Person(person.email, manager_email=person.manager_email),
                now=now,
                actor_id=actor_id,
            )
        except TeamError as exc:
            done.problems.append(f"{person.email}: {exc}")
            continue
        if changed and person.email not in touched:
            touched.add(person.email)
            done.updated.append(person.email)
            done.unchanged -= 1
    return done


def _one(
    session: Session,
    person: Person,
    now: datetime,
    actor_id: int | None,
    done: UsersImported,
    touched: set[str],
) -> None:
    if get_user_by_email(session, person.email) is None:
        add_user(session, person, now=now, actor_id=actor_id)
        done.created.append(person.email)
        touched.add(person.email)
        return
    _, changed = update_user(session, person, now=now, actor_id=actor_id)
    if changed:
        done.updated.append(person.email)
        touched.add(person.email)
    else:
        done.unchanged += 1
