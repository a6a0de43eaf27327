"""Deal rows for analytics artifacts, fetched in one query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from tools.crm.rows import deal_row, deal_rows_query
from tools.models import Activity, Deal
from tools.portable_sql import in_ids


def deal_rows_where(session: Session, *where: ColumnElement[bool]) -> dict[int, dict[str, Any]]:
    """The standard deal row (id, name, account, owner, stage, amount...) of matching deals.

    The last-activity aggregate covers the matching deals only, not the whole activity table.
    """
    wanted = select(Deal.id).where(*where)
    last = (
        select(Activity.deal_id, func.max(Activity.occurred_at).label("last_at"))
        .where(Activity.deal_id.in_(wanted))
        .group_by(Activity.deal_id)
        .subquery()
    )
    rows = session.execute(deal_rows_query(last).where(*where)).all()
    return {deal.id: deal_row(deal, account, owner, at) for deal, account, owner, at in rows}


def deal_rows(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The standard deal rows of the deals with these ids (a short list: the changes)."""
    wanted = set(ids)
    return deal_rows_where(session, in_ids(Deal.id, wanted)) if wanted else {}


def by_amount(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Largest first, then by name, so lists read the same on every backend."""
    return sorted(rows, key=lambda r: (-float(r["amount"]), r["name"], r["id"]))
