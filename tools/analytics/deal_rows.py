"""Deal rows for analytics artifacts, fetched in one query for a set of ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from tools.crm.rows import deal_row, deal_rows_query
from tools.models import Deal
from tools.nudges.sql import in_ids


def deal_rows(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The standard deal row (id, name, account, owner, stage, amount...) by deal id."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(deal_rows_query().where(in_ids(Deal.id, wanted))).all()
    return {deal.id: deal_row(deal, account, owner, last) for deal, account, owner, last in rows}


def by_amount(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Largest first, then by name, so lists read the same on every backend."""
    return sorted(rows, key=lambda r: (-float(r["amount"]), r["name"], r["id"]))
