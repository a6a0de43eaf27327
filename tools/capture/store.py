"""The capture's writes: activities for matched items, review rows for the rest, their keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tools.capture.items import Item
from tools.capture.match import Matched, Unmatched
from tools.models import Activity, CapturedMessage, CaptureReview


def known_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Those of `keys` captured before (as activities or review rows)."""
    if not keys:
        return set()
    return set(session.scalars(select(CapturedMessage.key).where(CapturedMessage.key.in_(keys))))


def activity_row(item: Item, match: Matched, user_id: int) -> dict[str, object]:
    return {
        "account_id": match.account_id,
        "deal_id": match.deal_id,
        "contact_id": match.contact_id,
        "user_id": user_id,
        "kind": item.kind,
        "occurred_at": item.occurred_at,
        "subject": item.short_subject(),
        "body": item.body,
        "external_id": item.external_id(),
    }


def write_activities(
    session: Session, matched: list[tuple[Item, Matched]], *, user_id: int, now: datetime
) -> list[int]:
    """Insert the matched items as activities and remember their keys; returns the new ids."""
    if not matched:
        return []
    rows = [activity_row(item, m, user_id) for item, m in matched]
    result = session.execute(
        insert(Activity).returning(Activity.id, Activity.external_id, sort_by_parameter_order=True),
        rows,
    )
    ids = [row_id for row_id, _ in result]
    _remember(
        session,
        [(i.stored_key(), i.kind.value, a, None) for (i, _), a in zip(matched, ids, strict=True)],
        now,
    )
    return ids


def write_reviews(
    session: Session, waiting: list[tuple[Item, Unmatched]], *, user_id: int, now: datetime
) -> list[int]:
    """Put the unmatched items on the review list, keys remembered; returns the review ids."""
    if not waiting:
        return []
    rows = [
        {
            "kind": item.kind,
            "captured_by_id": user_id,
            "occurred_at": item.occurred_at,
            "subject": item.short_subject(),
            "body": item.body,
            "addresses": list(item.addresses),
            "reason": u.reason,
            "source": item.source[:300],
            "status": "open",
            "activity_id": None,
            "created_at": now,
            "decided_at": None,
        }
        for item, u in waiting
    ]
    result = session.execute(
        insert(CaptureReview).returning(CaptureReview.id, sort_by_parameter_order=True), rows
    )
    ids = list(result.scalars())
    _remember(
        session,
        [(i.stored_key(), i.kind.value, None, r) for (i, _), r in zip(waiting, ids, strict=True)],
        now,
    )
    return ids


def _remember(
    session: Session, keys: list[tuple[str, str, int | None, int | None]], now: datetime
) -> None:
    session.execute(
        insert(CapturedMessage),
        [
            {"key": k, "kind": kind, "activity_id": a, "review_id": r, "captured_at": now}
            for k, kind, a, r in keys
        ],
    )
