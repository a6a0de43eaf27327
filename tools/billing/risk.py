"""Churn signals from billing, each with its evidence: a cancellation scheduled, a subscription
past due, a payment that failed (an uncollectible invoice), an invoice long overdue, a
downgrade (MRR down by 5% or more in 90 days while still billing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.billing.figures import overdue_invoices, running_on
from tools.billing.movement import mrr_movements
from tools.billing.scoping import BillingScope
from tools.crm.money import format_money
from tools.models import Account, Invoice, Subscription

LONG_OVERDUE_DAYS = 30


def churn_risks(session: Session, bs: BillingScope, today: date) -> list[dict[str, Any]]:
    """Accounts with at least one churn signal, the most signals first."""
    found: dict[int, dict[str, Any]] = {}

    def add(account_id: int, name: str, signal: str, evidence: str) -> None:
        row = found.setdefault(
            account_id, {"account_id": account_id, "account": name, "signals": [], "evidence": []}
        )
        row["signals"].append(signal)
        row["evidence"].append(evidence)

    s = Subscription
    subs = session.execute(
        select(Account.id, Account.name, s.plan, s.status, s.cancel_at)
        .join(Account, Account.id == s.account_id)
        .where(bs.accounts, running_on(today))
        .order_by(s.id)
    )
    for acc, name, plan, status, cancel_at in subs:
        if cancel_at is not None:
            add(
                acc,
                name,
                "cancellation_scheduled",
                f"{plan or 'subscription'} cancels on {cancel_at}",
            )
        if status in ("past_due", "unpaid"):
            add(acc, name, "past_due", f"{plan or 'subscription'} is {status.replace('_', ' ')}")
    failed = session.execute(
        select(Account.id, Account.name, Invoice.number, Invoice.stripe_id)
        .join(Account, Account.id == Invoice.account_id)
        .where(bs.accounts, Invoice.status == "uncollectible")
        .order_by(Invoice.id)
    )
    for acc, name, number, sid in failed:
        add(acc, name, "failed_payment", f"invoice {number or sid} uncollectible")
    for inv in overdue_invoices(session, bs, today):
        if inv["days_overdue"] > LONG_OVERDUE_DAYS:
            owed = format_money(inv["owed"], bs.money.currency)
            add(
                inv["account_id"],
                inv["account"],
                "long_overdue",
                f"invoice {inv['invoice']}: {owed} {inv['days_overdue']} days overdue",
            )
    for move in mrr_movements(session, bs, today):
        if move["kind"] == "downgrade":
            add(move["account_id"], move["account"], "downgrade", move["evidence"])
    return sorted(found.values(), key=lambda r: (-len(r["signals"]), r["account_id"]))
