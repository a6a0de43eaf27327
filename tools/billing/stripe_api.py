"""`salesbot sync stripe`: customers, invoices and subscriptions listed with the official
`stripe` client, incrementally by `created`, stored by Stripe id (tools/billing/store.py).

Each list asks only for objects created at or after the newest one already stored (`created
[gte]`: the boundary second is fetched again, and the upsert by id makes that harmless), so a
second sync reads almost nothing and changes nothing. Objects changed since (an invoice paid
later) are caught by `full=True`, which lists everything again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import stripe
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.billing.records import (
    BillingBatch,
    BillingFailed,
    CustomerRecord,
    InvoiceRecord,
    SubscriptionRecord,
    monthly,
)
from tools.billing.store import LoadReport, store_batch
from tools.models import BillingCustomer, Invoice, Subscription

PAGE = 100
# Currencies Stripe counts in whole units (no cents); every other amount is in cents.
ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
     "xaf", "xof", "xpf"}
)  # fmt: skip


def stripe_client(api_key: str, api_base: str | None = None) -> stripe.StripeClient:
    """The official client; `api_base` points it elsewhere (a test's local server)."""
    if api_base:
        return stripe.StripeClient(api_key, base_addresses={"api": api_base.rstrip("/")})
    return stripe.StripeClient(api_key)


def sync_stripe(
    session: Session,
    client: stripe.StripeClient,
    *,
    full: bool = False,
    mapping: Path | None = None,
) -> LoadReport:
    """List what is new since the last sync and store it; the caller commits."""
    since = {k: None if full else _newest(session, m) for k, m in _CURSORS.items()}
    try:
        batch = BillingBatch(
            customers=[_customer(c) for c in _list(client.v1.customers, since["customers"])],
            invoices=[_invoice(i) for i in _list(client.v1.invoices, since["invoices"])],
            subscriptions=[
                _subscription(s)
                for s in _list(client.v1.subscriptions, since["subscriptions"], status="all")
            ],
        )
    except stripe.StripeError as exc:
        raise BillingFailed(f"Stripe refused the request: {exc.user_message or exc}") from None
    return store_batch(session, batch, mapping)


_CURSORS: dict[str, Any] = {
    "customers": BillingCustomer,
    "invoices": Invoice,
    "subscriptions": Subscription,
}


def _newest(session: Session, model: Any) -> int | None:
    found = session.scalar(select(func.max(model.created)))
    if found is None:
        return None
    return int((found if found.tzinfo else found.replace(tzinfo=UTC)).timestamp())


def _list(service: Any, since: int | None, **extra: Any) -> Iterator[Any]:
    params: dict[str, Any] = {"limit": PAGE, **extra}
    if since is not None:
        params["created"] = {"gte": since}
    yield from service.list(params=params).auto_paging_iter()


def _money(amount: int | None, currency: str) -> Decimal:
    value = Decimal(amount or 0)
    return value if currency.lower() in ZERO_DECIMAL else value / 100


def _instant(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _day(value: int | None) -> date | None:
    found = _instant(value)
    return None if found is None else found.date()


def _customer(c: Any) -> CustomerRecord:
    return CustomerRecord(c["id"], c.get("email"), c.get("name"), _instant(c.get("created")))


def _invoice(i: Any) -> InvoiceRecord:
    currency = str(i["currency"])
    paid_at = (i.get("status_transitions") or {}).get("paid_at")
    customer = i["customer"] if isinstance(i["customer"], str) else i["customer"]["id"]
    return InvoiceRecord(
        stripe_id=i["id"],
        number=i.get("number"),
        customer=customer,
        amount=_money(i.get("amount_due"), currency),
        amount_paid=_money(i.get("amount_paid"), currency),
        currency=currency.upper(),
        status=str(i.get("status") or "open"),
        issued=_day(i["created"]) or date.min,
        due=_day(i.get("due_date")),
        paid=_day(paid_at),
        charge=i.get("charge") if isinstance(i.get("charge"), str) else None,
        customer_email=i.get("customer_email"),
        created=_instant(i["created"]),
    )


def _subscription(s: Any) -> SubscriptionRecord:
    items = (s.get("items") or {}).get("data") or []
    if not items:
        raise BillingFailed(f"subscription {s['id']} has no items to price")
    price = items[0]["price"]
    currency = str(price["currency"])
    mrr = sum(
        (
            monthly(
                _money(it["price"].get("unit_amount"), currency) * int(it.get("quantity") or 1),
                it["price"]["recurring"]["interval"],
                int(it["price"]["recurring"].get("interval_count") or 1),
            )
            for it in items
        ),
        Decimal(0),
    )
    period_end = s.get("current_period_end") or items[0].get("current_period_end")
    customer = s["customer"] if isinstance(s["customer"], str) else s["customer"]["id"]
    return SubscriptionRecord(
        stripe_id=s["id"],
        customer=customer,
        plan=_plan(price),
        mrr=mrr,
        currency=currency.upper(),
        status=str(s["status"]),
        started=_day(s.get("start_date") or s["created"]) or date.min,
        renewal=_day(period_end),
        cancel_at=_day(
            s.get("cancel_at") or (period_end if s.get("cancel_at_period_end") else None)
        ),
        canceled=_day(s.get("ended_at")),
        created=_instant(s["created"]),
    )


def _plan(price: Any) -> str | None:
    product = price.get("product")
    return price.get("nickname") or (product if isinstance(product, str) else None)
