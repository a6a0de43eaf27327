"""The review list: captured items no account matched, until a person files or dismisses them.

A user sees the items they captured (an admin sees all); filing one names an account the user
can see, exactly as a logged interaction would (tools/writes/resolve.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, insert, select, true, update
from sqlalchemy.orm import Session

from tools.capture.items import CaptureError, capture_external_id
from tools.models import Activity, CapturedMessage, CaptureReview
from tools.principal import Principal
from tools.writes.resolve import NotFoundError, account_deal, resolve_account, resolve_deal

OPEN, RESOLVED, DISMISSED = "open", "resolved", "dismissed"


@dataclass(frozen=True, slots=True)
class ReviewRow:
    id: int
    kind: str
    occurred_at: datetime
    subject: str
    addresses: list[str]
    reason: str
    source: str


def _mine(principal: Principal) -> ColumnElement[bool]:
    return true() if principal.is_admin else CaptureReview.captured_by_id == principal.user_id


def list_reviews(session: Session, principal: Principal, *, limit: int = 50) -> list[ReviewRow]:
    """Open review items the principal captured (all of them for an admin), oldest first."""
    rows = session.scalars(
        select(CaptureReview)
        .where(CaptureReview.status == OPEN, _mine(principal))
        .order_by(CaptureReview.occurred_at, CaptureReview.id)
        .limit(limit)
    )
    return [
        ReviewRow(r.id, r.kind.value, r.occurred_at, r.subject, r.addresses, r.reason, r.source)
        for r in rows
    ]


def count_reviews(session: Session, principal: Principal) -> int:
    """How many items wait for the principal's review."""
    found = session.scalar(
        select(func.count()).where(CaptureReview.status == OPEN, _mine(principal))
    )
    return found or 0


def _open_review(session: Session, principal: Principal, review_id: int) -> CaptureReview:
    review = session.scalar(
        select(CaptureReview).where(
            CaptureReview.id == review_id, CaptureReview.status == OPEN, _mine(principal)
        )
    )
    if review is None:
        raise CaptureError(f"No open review item #{review_id} of yours.")
    return review


def resolve_review(
    session: Session,
    principal: Principal,
    review_id: int,
    *,
    account: str,
    deal: str | None,
    now: datetime,
) -> int:
    """File review item `review_id` under `account` (and `deal`); returns the activity id."""
    review = _open_review(session, principal, review_id)
    try:
        target = resolve_account(session, principal, account)
        chosen = resolve_deal(session, principal, deal) if deal else None
    except NotFoundError as exc:
        hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise CaptureError(f"No {exc.what} {exc.query!r} that you can see.{hint}") from exc
    if chosen is not None and chosen.account_id != target.id:
        raise CaptureError(f"{chosen.name} is not a deal of {target.name}.")
    deal_id = chosen.id if chosen else _one_deal(session, principal, target.id)
    key = session.scalar(select(CapturedMessage.key).where(CapturedMessage.review_id == review.id))
    activity_id = session.scalar(
        insert(Activity)
        .values(
            account_id=target.id,
            deal_id=deal_id,
            user_id=review.captured_by_id,
            kind=review.kind,
            occurred_at=review.occurred_at,
            subject=review.subject,
            body=review.body,
            external_id=capture_external_id(key or f"review:{review.id}"),
        )
        .returning(Activity.id)
    )
    assert activity_id is not None
    _decide(session, review.id, RESOLVED, now, activity_id)
    session.execute(
        update(CapturedMessage)
        .where(CapturedMessage.review_id == review.id)
        .values(activity_id=activity_id)
    )
    return activity_id


def _one_deal(session: Session, principal: Principal, account_id: int) -> int | None:
    found = account_deal(session, principal, account_id)
    return found.id if found else None


def dismiss_review(
    session: Session, principal: Principal, review_id: int, *, now: datetime
) -> None:
    """Take an item off the review list without filing it (it stays captured: never again)."""
    review = _open_review(session, principal, review_id)
    _decide(session, review.id, DISMISSED, now, None)


def _decide(
    session: Session, review_id: int, status: str, now: datetime, activity_id: int | None
) -> None:
    # Conditional on "open": the same item filed twice at once is filed once.
    done = session.execute(
        update(CaptureReview)
        .where(CaptureReview.id == review_id, CaptureReview.status == OPEN)
        .values(status=status, decided_at=now, activity_id=activity_id)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        raise CaptureError(f"Review item #{review_id} was decided meanwhile.")
