"""Billing records into the tables: upserts keyed by Stripe id, so a second load changes nothing.

Each row carries its customer's account (NULL while unmatched). After every load the rows of
all customers are re-tied to their customer's account, so a mapping added later takes effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from tools.billing.matching import Matcher, load_matcher
from tools.billing.records import BillingBatch, CustomerRecord, InvoiceRecord, SubscriptionRecord
from tools.models import Base, BillingCustomer, Invoice, Payment, Subscription, SubscriptionChange
from tools.portable_sql import upsert_insert

CHUNK = 2000


@dataclass
class LoadReport:
    """Rows read and newly stored per table, and the customers left without an account."""

    read: dict[str, int] = field(default_factory=dict)
    new: dict[str, int] = field(default_factory=dict)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    matched_by: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{t}: {self.read.get(t, 0)} read, {self.new.get(t, 0)} new" for t in self.read]
        return "; ".join(parts)


TABLES: dict[str, type[Base]] = {
    "customers": BillingCustomer,
    "invoices": Invoice,
    "payments": Payment,
    "subscriptions": Subscription,
}


def store_batch(
    session: Session, batch: BillingBatch, mapping: Path | None = None, today: date | None = None
) -> LoadReport:
    """Upsert everything in `batch`, match its customers, and say what was new or unmatched.

    A stored subscription whose MRR or plan the batch changes leaves a `subscription_changes`
    row dated `today` (the load's day), so upgrades and downgrades are not overwritten unseen.
    """
    matcher = load_matcher(session, mapping)
    before = {name: _count(session, model) for name, model in TABLES.items()}
    customers = _customers(session, batch)
    rows = {
        "customers": _customer_rows(customers, matcher),
        "invoices": [_invoice_row(i) for i in batch.invoices],
        "payments": [p for i in batch.invoices if (p := _payment_row(i)) is not None],
        "subscriptions": [_subscription_row(s) for s in batch.subscriptions],
    }
    changes = _changes(session, rows["subscriptions"], today or datetime.now(UTC).date())
    for name, model in TABLES.items():
        _upsert(session, model, rows[name])
    if changes:
        session.execute(insert(SubscriptionChange), changes)
    _retie(session)
    report = LoadReport(read={n: len(r) for n, r in rows.items()})
    report.new = {n: _count(session, m) - before[n] for n, m in TABLES.items()}
    report.unmatched = list_unmatched(session)
    report.matched_by = _matched_by(rows["customers"])
    return report


def _count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _customers(session: Session, batch: BillingBatch) -> list[CustomerRecord]:
    """The batch's customers plus those its invoices and subscriptions name by id only."""
    found = {c.stripe_id: c for c in batch.customers}
    stored = set(session.scalars(select(BillingCustomer.stripe_id)))
    items: list[InvoiceRecord | SubscriptionRecord] = [*batch.invoices, *batch.subscriptions]
    for item in items:
        if item.customer not in found and item.customer not in stored:
            found[item.customer] = CustomerRecord(item.customer, item.customer_email, None)
    return list(found.values())


def _customer_rows(customers: Iterable[CustomerRecord], matcher: Matcher) -> list[dict[str, Any]]:
    rows = []
    for c in customers:
        match = matcher.match(c.stripe_id, c.email)
        rows.append(
            {
                "stripe_id": c.stripe_id,
                "email": c.email,
                "name": c.name,
                "account_id": match.account_id,
                "matched_by": match.how,
                "created": c.created,
            }
        )
    return rows


def _invoice_row(i: Any) -> dict[str, Any]:
    return {
        "stripe_id": i.stripe_id,
        "number": i.number,
        "customer_stripe_id": i.customer,
        "amount": i.amount,
        "amount_paid": i.amount_paid,
        "currency": i.currency,
        "status": i.status,
        "issued": i.issued,
        "due": i.due,
        "paid": i.paid,
        "created": i.created,
    }


def _payment_row(i: Any) -> dict[str, Any] | None:
    if i.amount_paid <= 0:
        return None
    return {
        "stripe_id": i.charge or f"paid:{i.stripe_id}",
        "invoice_stripe_id": i.stripe_id,
        "customer_stripe_id": i.customer,
        "amount": i.amount_paid,
        "currency": i.currency,
        "paid": i.paid or i.issued,
    }


def _subscription_row(s: Any) -> dict[str, Any]:
    return {
        "stripe_id": s.stripe_id,
        "customer_stripe_id": s.customer,
        "plan": s.plan,
        "mrr": s.mrr,
        "currency": s.currency,
        "status": s.status,
        "started": s.started,
        "renewal": s.renewal,
        "cancel_at": s.cancel_at,
        "canceled": s.canceled,
        "created": s.created,
    }


def _upsert(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        stmt = upsert_insert(session, model).values(chunk)
        keep: dict[str, Any] = {k: stmt.excluded[k] for k in chunk[0] if k != "stripe_id"}
        if model is BillingCustomer:  # a load without the mapping keeps an earlier match
            keep["account_id"] = func.coalesce(stmt.excluded.account_id, model.account_id)
            keep["matched_by"] = func.coalesce(stmt.excluded.matched_by, model.matched_by)
        session.execute(stmt.on_conflict_do_update(index_elements=["stripe_id"], set_=keep))


def _changes(session: Session, subs: Sequence[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """A change row for each stored subscription whose MRR or plan `subs` changes."""
    found = []
    for start in range(0, len(subs), CHUNK):
        chunk = {r["stripe_id"]: r for r in subs[start : start + CHUNK]}
        s = Subscription
        stored = session.execute(
            select(s.stripe_id, s.customer_stripe_id, s.mrr, s.plan, s.currency).where(
                s.stripe_id.in_(list(chunk))
            )
        )
        for sid, customer, mrr, plan, currency in stored:
            new = chunk[sid]
            if Decimal(new["mrr"]) == Decimal(mrr) and new["plan"] == plan:
                continue
            found.append(
                {
                    "subscription_stripe_id": sid,
                    "customer_stripe_id": customer,
                    "changed_on": day,
                    "old_mrr": mrr,
                    "new_mrr": new["mrr"],
                    "currency": new["currency"] or currency,
                    "old_plan": plan,
                    "new_plan": new["plan"],
                }
            )
    return found


def _retie(session: Session) -> None:
    for model in (Invoice, Payment, Subscription, SubscriptionChange):
        account = (
            select(BillingCustomer.account_id)
            .where(BillingCustomer.stripe_id == model.customer_stripe_id)
            .scalar_subquery()
        )
        session.execute(update(model).values(account_id=account))


def list_unmatched(session: Session) -> list[dict[str, Any]]:
    """Customers with no account: listed for a mapping file, never guessed."""
    rows = session.execute(
        select(BillingCustomer.stripe_id, BillingCustomer.email, BillingCustomer.name)
        .where(BillingCustomer.account_id.is_(None))
        .order_by(BillingCustomer.stripe_id)
    )
    return [{"customer": s, "email": e, "name": n} for s, e, n in rows]


def _matched_by(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        how = row["matched_by"] or "unmatched"
        counts[how] = counts.get(how, 0) + 1
    return counts
