"""Lifetime value and churn, from the scope's own billing history.

Realised lifetime value is the money an account has paid to date. Expected lifetime value adds
what it should still pay: its monthly recurring revenue today (each running subscription at the
MRR it bills, a yearly plan as a twelfth, in the reporting currency) times its expected
remaining lifetime. Not the average paid per month so far: a yearly plan paid up front two
months ago would read as six times its run rate (the first backtest overestimated by 57% so).

The remaining lifetime comes from the team's own logo churn: of the accounts billing a year
ago, the share not billing today is the annual churn `C`; the monthly churn is
`c = 1 - (1 - C) ** (1/12)` and a billing account's expected remaining lifetime `1 / c` months
(the mean of a geometric lifetime), capped at `MAX_LIFETIME_MONTHS` when nobody churned. An
account no longer billing expects nothing more. `backtest` replays the method a year ago (each
subscription at the MRR it had that day) and compares its next-12-months revenue with what was
really paid.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.billing.figures import running_on
from tools.billing.movement import mrr_rows
from tools.billing.scoping import BillingScope
from tools.crm.money import money, to_decimal
from tools.models import Account, Payment, Subscription

MAX_LIFETIME_MONTHS = Decimal(60)
DAYS_PER_MONTH = Decimal("30.4375")


def billing_accounts(session: Session, bs: BillingScope, day: date) -> set[int]:
    """The accounts in scope with a subscription billing on `day`."""
    return set(
        session.scalars(
            select(Subscription.account_id)
            .join(Account, Account.id == Subscription.account_id)
            .where(bs.accounts, running_on(day))
            .distinct()
        )
    )


def churn(session: Session, bs: BillingScope, today: date) -> dict[str, Any]:
    """The scope's annual and monthly logo churn over the year to `today`."""
    then = billing_accounts(session, bs, today - timedelta(days=365))
    now = billing_accounts(session, bs, today)
    lost = len(then - now)
    if not then:
        return {
            "accounts_year_ago": 0,
            "churned": 0,
            "annual_pct": None,
            "monthly": None,
            "expected_lifetime_months": None,
        }
    annual = Decimal(lost) / len(then)
    monthly = 1 - (1 - annual) ** (Decimal(1) / 12) if annual < 1 else Decimal(1)
    months = MAX_LIFETIME_MONTHS if monthly == 0 else min(MAX_LIFETIME_MONTHS, 1 / monthly)
    return {
        "accounts_year_ago": len(then),
        "churned": lost,
        "annual_pct": str((annual * 100).quantize(Decimal("0.1"))),
        "monthly": monthly,
        "expected_lifetime_months": months.quantize(Decimal("0.1")),
    }


def paid_by_account(
    session: Session, bs: BillingScope, before: date, account_id: int | None = None
) -> list[tuple[int, str, Decimal, date]]:
    """(account id, name, paid to date, first payment) for accounts that paid before `before`."""
    total = func.sum(bs.amount(Payment, "amount", Payment.paid))
    where = [bs.accounts, Payment.paid < before]
    if account_id is not None:
        where.append(Account.id == account_id)
    rows = session.execute(
        select(Account.id, Account.name, total, func.min(Payment.paid))
        .join(Account, Account.id == Payment.account_id)
        .where(*where)
        .group_by(Account.id, Account.name)
    )
    return [(i, n, to_decimal(t), f) for i, n, t, f in rows]


def monthly_revenue(paid: Decimal, first: date, today: date) -> Decimal:
    """Paid to date over the months since the first payment (at least one): the history's
    average, shown beside the run rate."""
    months = max(Decimal(1), Decimal((today - first).days) / DAYS_PER_MONTH)
    return paid / months


def mrr_by_account(session: Session, bs: BillingScope, day: date) -> dict[int, Decimal]:
    """Each account's MRR on `day` in the reporting currency, at the MRR its subscriptions
    billed that day (the recorded plan changes), converted at that day's rate."""
    out: dict[int, Decimal] = {}
    for row in mrr_rows(session, bs.accounts, bs.money, day, day):
        out[row.account_id] = out.get(row.account_id, Decimal(0)) + row.then
    return out


def lifetime_values(
    session: Session, bs: BillingScope, today: date, account_id: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each account's realised and expected lifetime value, the largest expected first."""
    basis = churn(session, bs, today)
    running = billing_accounts(session, bs, today)
    run_rate = mrr_by_account(session, bs, today)
    rows = []
    for acc, name, paid, first in paid_by_account(
        session, bs, today + timedelta(days=1), account_id
    ):
        mrr = run_rate.get(acc, Decimal(0)) if acc in running else Decimal(0)
        remaining = basis["expected_lifetime_months"] if acc in running else Decimal(0)
        expected = None if remaining is None else paid + mrr * remaining
        rows.append(
            {
                "account_id": acc,
                "account": name,
                "realised": money(paid),
                "avg_monthly": money(monthly_revenue(paid, first, today)),
                "mrr": money(mrr),
                "expected": None if expected is None else money(expected),
                "billing": acc in running,
                "first_paid": first.isoformat(),
            }
        )
    rows.sort(key=lambda r: (-to_decimal(r["expected"] or r["realised"]), r["account_id"]))
    return rows, {k: (str(v) if isinstance(v, Decimal) else v) for k, v in basis.items()}


def backtest(session: Session, bs: BillingScope, today: date) -> dict[str, Any]:
    """The method run a year ago: its next-12-months revenue against what was really paid."""
    cutoff = today - timedelta(days=365)
    basis = churn(session, bs, cutoff)
    if basis["monthly"] is None:
        return {"cutoff": cutoff.isoformat(), "predicted": None, "actual": None, "error_pct": None}
    keep = 1 - basis["monthly"]
    months = sum((keep**k for k in range(12)), Decimal(0))  # expected billed months of 12
    running = billing_accounts(session, bs, cutoff)
    run_rate = mrr_by_account(session, bs, cutoff)
    predicted = sum((run_rate.get(a, Decimal(0)) * months for a in running), Decimal(0))
    actual = to_decimal(
        session.scalar(
            select(func.sum(bs.amount(Payment, "amount", Payment.paid)))
            .join(Account, Account.id == Payment.account_id)
            .where(
                bs.accounts,
                Payment.account_id.in_(running or {-1}),
                Payment.paid >= cutoff,
                Payment.paid < today,
            )
        )
    )
    error = None if actual == 0 else ((predicted - actual) / actual * 100).quantize(Decimal("0.1"))
    return {
        "cutoff": cutoff.isoformat(),
        "predicted": money(predicted),
        "actual": money(actual),
        "error_pct": None if error is None else str(error),
    }
