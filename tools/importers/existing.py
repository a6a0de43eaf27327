"""Rows already in the CRM, fetched by external id in batches (never one SELECT per row)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.importers.specs import Entity
from tools.models import Account, Activity, Base, Contact, Deal, Task, User

BATCH = 500  # well under SQLite's bound-parameter limit
T = TypeVar("T")

MODELS: dict[Entity, type[Base]] = {
    Entity.ACCOUNT: Account,
    Entity.CONTACT: Contact,
    Entity.DEAL: Deal,
    Entity.ACTIVITY: Activity,
    Entity.TASK: Task,
}

# The columns an import may set, per record type.
COLUMNS: dict[Entity, tuple[str, ...]] = {
    Entity.ACCOUNT: ("name", "industry", "owner_id", "created_at"),
    Entity.CONTACT: ("account_id", "name", "email", "title"),
    Entity.DEAL: (
        "name",
        "account_id",
        "owner_id",
        "stage",
        "amount",
        "currency",
        "close_date",
        "next_step",
        "created_at",
        "closed_at",
    ),
    Entity.ACTIVITY: (
        "account_id",
        "deal_id",
        "contact_id",
        "user_id",
        "kind",
        "occurred_at",
        "subject",
        "body",
    ),
    Entity.TASK: ("owner_id", "deal_id", "title", "due_date", "completed_at", "created_at"),
}


def chunks(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_existing(
    session: Session, entity: Entity, external_ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """External id -> the stored row (id plus every importable column)."""
    model: Any = MODELS[entity]
    columns = [model.id, model.external_id, *(getattr(model, c) for c in COLUMNS[entity])]
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunks(sorted(set(external_ids))):
        for row in session.execute(select(*columns).where(model.external_id.in_(chunk))):
            found[row.external_id] = dict(row._mapping)
    return found


def accounts_by_name(session: Session, names: Iterable[str]) -> dict[str, list[int]]:
    """Lower-cased account name -> ids, for deals that name their company but give no id."""
    found: dict[str, list[int]] = {}
    for chunk in chunks(sorted({n.lower() for n in names})):
        query = select(Account.id, func.lower(Account.name)).where(
            func.lower(Account.name).in_(chunk)
        )
        for account_id, name in session.execute(query):
            found.setdefault(name, []).append(account_id)
    return found


def all_users(session: Session) -> list[tuple[int, str, str]]:
    """(id, email, name) of every user: a CRM has a few hundred at most."""
    rows = session.execute(select(User.id, User.email, User.name))
    return [(r[0], r[1], r[2]) for r in rows]
