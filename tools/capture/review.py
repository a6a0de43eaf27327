"""The review list: captured items no account matched, until a person files or dismisses them.

A user sees the items they captured (an admin sees all); filing one names an account the user
can see, exactly as a logged interaction would (tools/writes/resolve.py). Every decision is
conditional on the item still being open and is audited, from the CLI and Slack alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, insert, select, true, update
from sqlalchemy.orm import Session

from tools.audit import record_audit
from tools.capture.items import CaptureError, capture_external_id
from tools.models import Account, Activity, AuditSurface, CapturedMessage, CaptureReview, Deal
from tools.principal import Principal
from tools.scope import account_visible, deal_visible
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
    return [_row(r) for r in rows]


def get_review(session: Session, principal: Principal, review_id: int) -> ReviewRow | None:
    """The principal's open item `review_id` (anyone's for an admin), or None."""
    review = session.scalar(_open_item(principal, review_id))
    return _row(review) if review is not None else None


def _open_item(principal: Principal, review_id: int) -> Select[CaptureReview]:
    return select(CaptureReview).where(
        CaptureReview.id == review_id, CaptureReview.status == OPEN, _mine(principal)
    )


def _row(r: CaptureReview) -> ReviewRow:
    return ReviewRow(r.id, r.kind.value, r.occurred_at, r.subject, r.addresses, r.reason, r.source)


def count_reviews(session: Session, principal: Principal) -> int:
    """How many items wait for the principal's review."""
    found = session.scalar(
        select(func.count()).where(CaptureReview.status == OPEN, _mine(principal))
    )
    return found or 0


def _open_review(session: Session, principal: Principal, review_id: int) -> CaptureReview:
    review = session.scalar(_open_item(principal, review_id))
    if review is None:
        raise CaptureError(f"No open review item #{review_id} of yours.")
    return review


def review_status(session: Session, principal: Principal, review_id: int) -> str | None:
    """The status of the principal's item `review_id` (any item for an admin); None if not theirs.

    Tells a repeated click on an item already decided apart from a click on someone else's.
    """
    return session.scalar(
        select(CaptureReview.status).where(CaptureReview.id == review_id, _mine(principal))
    )


def resolve_review(
    session: Session,
    principal: Principal,
    review_id: int,
    *,
    account: str,
    deal: str | None,
    now: datetime,
    surface: AuditSurface = AuditSurface.CLI,
    request_key: str | None = None,
) -> int:
    """File review item `review_id` under `account` (and `deal`), named; returns the activity id."""
    _open_review(session, principal, review_id)
    try:
        target = resolve_account(session, principal, account)
        chosen = resolve_deal(session, principal, deal) if deal else None
    except NotFoundError as exc:
        hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise CaptureError(f"No {exc.what} {exc.query!r} that you can see.{hint}") from exc
    return file_review(
        session,
        principal,
        review_id,
        account_id=target.id,
        deal_id=chosen.id if chosen else None,
        now=now,
        surface=surface,
        request_key=request_key,
    )


def file_review(
    session: Session,
    principal: Principal,
    review_id: int,
    *,
    account_id: int,
    deal_id: int | None,
    now: datetime,
    surface: AuditSurface,
    request_key: str | None = None,
) -> int:
    """File review item `review_id` under an account (and deal) by id; returns the activity id.

    The ids may come from a form, so both are checked against the principal's scope here.
    """
    review = _open_review(session, principal, review_id)
    target = session.scalar(
        select(Account).where(Account.id == account_id, account_visible(principal))
    )
    if target is None:
        raise CaptureError("That account is not one you can see.")
    deal_id = _checked_deal(session, principal, target, deal_id)
    # Claimed first: a second filing at the same moment finds it decided and writes nothing.
    _decide(session, review.id, RESOLVED, now, None)
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
    session.execute(
        update(CaptureReview).where(CaptureReview.id == review.id).values(activity_id=activity_id)
    )
    session.execute(
        update(CapturedMessage)
        .where(CapturedMessage.review_id == review.id)
        .values(activity_id=activity_id)
    )
    after = {"status": RESOLVED, "account_id": target.id, "deal_id": deal_id}
    after["activity_id"] = activity_id
    _audit(session, principal, review.id, after, now, surface, request_key)
    return activity_id


def _checked_deal(
    session: Session, principal: Principal, account: Account, deal_id: int | None
) -> int | None:
    """The chosen deal if it is visible and the account's; with none chosen, its one open deal."""
    if deal_id is None:
        return _one_deal(session, principal, account.id)
    deal = session.scalar(select(Deal).where(Deal.id == deal_id, deal_visible(principal)))
    if deal is None:
        raise CaptureError("That deal is not one you can see.")
    if deal.account_id != account.id:
        raise CaptureError(f"{deal.name} is not a deal of {account.name}.")
    return deal.id


def _one_deal(session: Session, principal: Principal, account_id: int) -> int | None:
    found = account_deal(session, principal, account_id)
    return found.id if found else None


def dismiss_review(
    session: Session,
    principal: Principal,
    review_id: int,
    *,
    now: datetime,
    surface: AuditSurface = AuditSurface.CLI,
    request_key: str | None = None,
) -> None:
    """Take an item off the review list without filing it (it stays captured: never again)."""
    review = _open_review(session, principal, review_id)
    _decide(session, review.id, DISMISSED, now, None)
    _audit(session, principal, review.id, {"status": DISMISSED}, now, surface, request_key)


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


def _audit(
    session: Session,
    principal: Principal,
    review_id: int,
    after: dict[str, object],
    now: datetime,
    surface: AuditSurface,
    request_key: str | None,
) -> None:
    record_audit(
        session,
        principal,
        action=f"capture_review.{'resolve' if after['status'] == RESOLVED else 'dismiss'}",
        entity="capture_review",
        entity_id=review_id,
        change=({"status": OPEN}, after),
        now=now,
        request_key=request_key,
        surface=surface,
    )
