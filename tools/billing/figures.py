"""Revenue figures in SQL, in the reporting currency: revenue by account and month, MRR and
ARR, net revenue retention, overdue invoices, renewals.

Revenue is money received (`payments`, on the day paid). MRR on a day adds the monthly price
of every subscription running that day (started, not yet ended, not a trial). Net revenue
retention over a year: today's MRR of the accounts that paid MRR a year ago, over their MRR
then (expansion, contraction and churn included; new accounts not).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, extract, func, literal, or_, select
from sqlalchemy.orm import Session

from tools.billing.scoping import BillingScope
from tools.crm.money import money, to_decimal
from tools.models import Account, Invoice, Payment, Subscription

NOT_BILLED = ("trialing", "incomplete", "incomplete_expired")
UNPAID = ("open", "uncollectible")


def revenue_by_account(
    session: Session, bs: BillingScope, start: date, end: date, limit: int = 50
) -> list[dict[str, Any]]:
    """Money received per account from `start` up to (not including) `end`, largest first."""
    total = func.sum(bs.amount(Payment, "amount", Payment.paid))
    rows = session.execute(
        select(Account.id, Account.name, total, func.count())
        .join(Account, Account.id == Payment.account_id)
        .where(bs.accounts, Payment.paid >= start, Payment.paid < end)
        .group_by(Account.id, Account.name)
        .order_by(total.desc(), Account.id)
        .limit(limit)
    )
    return [
        {"account_id": i, "account": n, "revenue": money(t), "payments": int(c)}
        for i, n, t, c in rows
    ]


def revenue_by_month(
    session: Session, bs: BillingScope, start: date, end: date
) -> list[dict[str, Any]]:
    """Money received per calendar month from `start` up to `end`, oldest first."""
    year, month = extract("year", Payment.paid), extract("month", Payment.paid)
    rows = session.execute(
        select(year, month, func.sum(bs.amount(Payment, "amount", Payment.paid)))
        .join(Account, Account.id == Payment.account_id)
        .where(bs.accounts, Payment.paid >= start, Payment.paid < end)
        .group_by(year, month)
        .order_by(year, month)
    )
    return [{"month": f"{int(y):04d}-{int(m):02d}", "revenue": money(t)} for y, m, t in rows]


def running_on(day: date) -> ColumnElement[bool]:
    """SQL: the subscription was billing on `day`."""
    s = Subscription
    ended = or_(s.canceled.is_(None), s.canceled > day)
    return and_(s.started <= day, ended, s.status.not_in(NOT_BILLED))


def mrr_on(session: Session, bs: BillingScope, day: date, account_id: int | None = None) -> Decimal:
    """Monthly recurring revenue on `day` (of one account, or of the scope)."""
    where = [bs.accounts, running_on(day)]
    if account_id is not None:
        where.append(Account.id == account_id)
    value = session.scalar(
        select(func.sum(bs.amount(Subscription, "mrr", literal(day))))
        .join(Account, Account.id == Subscription.account_id)
        .where(*where)
    )
    return to_decimal(value)


def net_revenue_retention(session: Session, bs: BillingScope, today: date) -> dict[str, Any]:
    """Today's MRR of the accounts billing a year ago, over their MRR then."""
    then = today - timedelta(days=365)
    cohort = select(Subscription.account_id).where(running_on(then))
    base = mrr_on_cohort(session, bs, then, cohort)
    now = mrr_on_cohort(session, bs, today, cohort)
    pct = None if base == 0 else str((now / base * 100).quantize(Decimal("0.1")))
    return {
        "since": then.isoformat(),
        "mrr_then": money(base),
        "mrr_now": money(now),
        "nrr_pct": pct,
    }


def mrr_on_cohort(session: Session, bs: BillingScope, day: date, cohort: Any) -> Decimal:
    value = session.scalar(
        select(func.sum(bs.amount(Subscription, "mrr", literal(day))))
        .join(Account, Account.id == Subscription.account_id)
        .where(bs.accounts, running_on(day), Subscription.account_id.in_(cohort))
    )
    return to_decimal(value)


def overdue_invoices(
    session: Session, bs: BillingScope, today: date, account_id: int | None = None
) -> list[dict[str, Any]]:
    """Unpaid invoices past their due date, the oldest first, with what is still owed."""
    owed = bs.money.amount(Invoice.amount - Invoice.amount_paid, Invoice.currency, Invoice.issued)
    where = [bs.accounts, Invoice.status.in_(UNPAID), Invoice.due < today]
    if account_id is not None:
        where.append(Account.id == account_id)
    rows = session.execute(
        select(Account.id, Account.name, Invoice.number, Invoice.stripe_id, owed, Invoice.due)
        .join(Account, Account.id == Invoice.account_id)
        .where(*where)
        .order_by(Invoice.due, Invoice.id)
    )
    return [
        {
            "account_id": a,
            "account": n,
            "invoice": num or sid,
            "owed": money(o),
            "due": d.isoformat(),
            "days_overdue": (today - d).days,
        }
        for a, n, num, sid, o, d in rows
    ]


def overdue_by_account(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The overdue invoices summed per account: amount, count, oldest days; largest first."""
    found: dict[int, dict[str, Any]] = {}
    for r in rows:
        acc = found.setdefault(
            r["account_id"],
            {
                "account_id": r["account_id"],
                "account": r["account"],
                "owed": Decimal(0),
                "invoices": 0,
                "max_days_overdue": 0,
            },
        )
        acc["owed"] += to_decimal(r["owed"])
        acc["invoices"] += 1
        acc["max_days_overdue"] = max(acc["max_days_overdue"], r["days_overdue"])
    out = sorted(found.values(), key=lambda a: (-a["owed"], a["account_id"]))
    return [{**a, "owed": money(a["owed"])} for a in out]


def renewals(
    session: Session, bs: BillingScope, start: date, end: date, account_id: int | None = None
) -> list[dict[str, Any]]:
    """Running subscriptions renewing from `start` to `end` (inclusive), the soonest first."""
    s = Subscription
    where = [bs.accounts, running_on(start), s.renewal >= start, s.renewal <= end]
    if account_id is not None:
        where.append(Account.id == account_id)
    rows = session.execute(
        select(
            Account.id,
            Account.name,
            s.plan,
            bs.amount(s, "mrr", literal(start)),
            s.renewal,
            s.cancel_at,
        )
        .join(Account, Account.id == s.account_id)
        .where(*where)
        .order_by(s.renewal, s.id)
    )
    return [
        {
            "account_id": a,
            "account": n,
            "plan": p,
            "mrr": money(m),
            "renewal": r.isoformat(),
            "days_to_renewal": (r - start).days,
            "cancellation_scheduled": c is not None,
        }
        for a, n, p, m, r, c in rows
    ]
