"""One account's billing in brief, for the account and deal answers: MRR, what is overdue and
the next renewal, so a rep sees an unpaid invoice before pushing an upsell.

The same SQL figures as `account_value` (tools/billing/figures.py), for one account that the
caller has already found in the asker's scope.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from tools.artifacts import AccountBilling
from tools.billing import figures as fig
from tools.billing.scoping import BillingScope
from tools.crm.currency import load_conversion
from tools.crm.money import format_money, money
from tools.models import Account, Invoice, Payment, Subscription

RENEWAL_HORIZON_DAYS = 366
BILLED = (Invoice, Payment, Subscription)


def account_billing(
    session: Session, account_id: int, today: date, reporting: str
) -> AccountBilling | None:
    """The account's billing brief; None when billing has nothing on it (no Stripe data, or no
    rate to put its currencies into one figure: `account_value` says which rate is missing)."""
    currencies = union(
        *(select(m.currency).where(m.account_id == account_id) for m in BILLED)
    ).subquery()
    found = session.scalars(select(currencies.c[0])).all()
    if not found:
        return None
    conv = load_conversion(session, found, reporting)
    if conv.blocked:
        return None
    bs = BillingScope(Account.id == account_id, conv, "", [])
    late = fig.overdue_by_account(fig.overdue_invoices(session, bs, today, account_id))
    renew = fig.renewals(
        session, bs, today, today + timedelta(days=RENEWAL_HORIZON_DAYS), account_id
    )
    return {
        "currency": conv.currency,
        "mrr": money(fig.mrr_on(session, bs, today, account_id)),
        "overdue": late[0]["owed"] if late else "0.00",
        "overdue_invoices": late[0]["invoices"] if late else 0,
        "oldest_overdue_days": late[0]["max_days_overdue"] if late else None,
        "next_renewal": renew[0]["renewal"] if renew else None,
        "cancellation_scheduled": bool(renew and renew[0]["cancellation_scheduled"]),
    }


def billing_sentence(b: AccountBilling) -> str:
    """'Billing: MRR $2,000.00 · $4,500.00 overdue on 2 invoices, the oldest 45 days · renewal
    2027-01-15.' The one wording every surface shows."""
    parts = [f"MRR {format_money(b['mrr'], b['currency'])}"]
    if b["overdue_invoices"]:
        count = b["overdue_invoices"]
        invoices = "1 invoice" if count == 1 else f"{count} invoices"
        oldest = b["oldest_overdue_days"]
        parts.append(
            f"{format_money(b['overdue'], b['currency'])} overdue on {invoices}"
            + (f", the oldest {oldest} days" if count > 1 else f", {oldest} days")
        )
    else:
        parts.append("nothing overdue")
    if b["next_renewal"]:
        cancel = " (cancellation scheduled)" if b["cancellation_scheduled"] else ""
        parts.append(f"renewal {b['next_renewal']}{cancel}")
    return "Billing: " + " · ".join(parts) + "."
