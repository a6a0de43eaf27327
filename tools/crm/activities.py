"""Activity queries for the search index: what to index, and which hits the asker may see."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.crm.rows import interaction_row, interaction_rows_query
from tools.models import Account, Activity, Deal
from tools.principal import Principal
from tools.scope import activity_visible

Owners = dict[int, tuple[int | None, int | None]]


def count_activities(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Activity)) or 0


def any_activity(session: Session) -> bool:
    return session.scalar(select(Activity.id).limit(1)) is not None


def existing_activity_ids(session: Session, ids: Sequence[int]) -> set[int]:
    """Those of `ids` that are activities in this database."""
    if not ids:
        return set()
    return set(session.scalars(select(Activity.id).where(Activity.id.in_(ids))))


def iter_activities_for_index(
    session: Session, *, batch_size: int = 256, ids: Sequence[int] | None = None
) -> Iterator[tuple[list[Activity], Owners]]:
    """Activities in id order with their deal and account owners, a batch at a time."""
    last_id = 0
    while True:
        query = (
            select(Activity, Deal.owner_id, Account.owner_id)
            .join(Account, Account.id == Activity.account_id)
            .outerjoin(Deal, Deal.id == Activity.deal_id)
            .where(Activity.id > last_id)
            .order_by(Activity.id)
            .limit(batch_size)
        )
        if ids is not None:
            query = query.where(Activity.id.in_(ids))
        rows = session.execute(query).all()
        if not rows:
            return
        last_id = rows[-1][0].id
        yield [r[0] for r in rows], {r[0].id: (r[1], r[2]) for r in rows}


def visible_interactions(
    session: Session, principal: Principal, activity_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Rows for the given activities that the principal may see, in the given order."""
    if not activity_ids:
        return []
    rows = session.execute(
        interaction_rows_query().where(Activity.id.in_(activity_ids), activity_visible(principal))
    ).all()
    by_id = {row[0].id: interaction_row(*row, zone=principal.timezone) for row in rows}
    return [by_id[i] for i in activity_ids if i in by_id]
