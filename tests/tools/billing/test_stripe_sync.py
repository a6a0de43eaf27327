"""`sync_stripe` with the real `stripe` client against the local Stripe server: it pages
through every list, stores by Stripe id, asks only for what is new on the next run, and a
second sync changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.stripe_api import FakeStripeServer

from tools.billing.records import BillingFailed
from tools.billing.stripe_api import stripe_client, sync_stripe
from tools.models import BillingCustomer, Invoice, Payment, Subscription

T0 = 1_780_000_000  # 2026-05-28


def _invoice(n: int, customer: str, status: str = "paid") -> dict[str, Any]:
    paid = T0 + n * 86_400 if status == "paid" else None
    return {
        "id": f"in_{n:03d}", "number": f"N-{n}", "customer": customer,
        "customer_email": None, "amount_due": 12_345, "amount_paid": 12_345 if paid else 0,
        "currency": "usd", "status": status, "created": T0 + n * 3600,
        "due_date": T0 + n * 3600 + 30 * 86_400, "status_transitions": {"paid_at": paid},
        "charge": f"ch_{n:03d}" if paid else None,
    }  # fmt: skip


def _objects() -> dict[str, list[dict[str, Any]]]:
    customers = [
        {"id": "cus_a", "email": "buyer1@x.test", "name": "Acme", "created": T0},
        {"id": "cus_b", "email": "nobody@else.example", "name": "B", "created": T0 + 1},
    ]
    yearly = {"interval": "year", "interval_count": 1}
    price = {"currency": "eur", "unit_amount": 120_000, "nickname": "Annual",
             "product": "prod_1", "recurring": yearly}  # fmt: skip
    subs = [
        {"id": "sub_a", "customer": "cus_a", "status": "active", "created": T0,
         "start_date": T0, "cancel_at": None, "cancel_at_period_end": True, "ended_at": None,
         "items": {"object": "list", "data": [
             {"id": "si_1", "quantity": 3, "price": price, "current_period_end": T0 + 9_000_000}]}},
    ]  # fmt: skip
    invoices = [_invoice(n, "cus_a" if n % 2 else "cus_b") for n in range(1, 251)]
    return {"customers": customers, "invoices": invoices, "subscriptions": subs}


@pytest.fixture
def stripe_server() -> Iterator[FakeStripeServer]:
    with FakeStripeServer(_objects()) as server:
        yield server


def _sync(crm: sessionmaker[Session], server: FakeStripeServer, **kw: Any):  # type: ignore[no-untyped-def]
    with crm.begin() as session:
        return sync_stripe(session, stripe_client("sk_test_fake", server.url), **kw)


def test_sync_pages_through_and_stores_by_stripe_id(
    crm: sessionmaker[Session], stripe_server: FakeStripeServer
) -> None:
    report = _sync(crm, stripe_server)
    assert report.new == {"customers": 2, "invoices": 250, "payments": 250, "subscriptions": 1}
    pages = [q for p, q in stripe_server.requests if p == "/v1/invoices"]
    assert len(pages) == 3 and "created[gte]" not in pages[0]
    with crm() as session:
        sub = session.scalars(select(Subscription)).one()
        inv = session.scalars(select(Invoice).where(Invoice.stripe_id == "in_007")).one()
        acme = session.scalar(
            select(BillingCustomer.account_id).where(BillingCustomer.stripe_id == "cus_a")
        )
    assert Decimal(sub.mrr) == Decimal("300.00") and sub.currency == "EUR"  # 3 x 1,200 a year
    assert sub.cancel_at == sub.renewal and sub.plan == "Annual"
    assert Decimal(inv.amount) == Decimal("123.45") and inv.paid is not None
    assert acme == 1 and [u["customer"] for u in report.unmatched] == ["cus_b"]


def test_a_second_sync_is_incremental_and_changes_nothing(
    crm: sessionmaker[Session], stripe_server: FakeStripeServer
) -> None:
    _sync(crm, stripe_server)
    with crm() as session:
        before = session.scalar(select(func.count()).select_from(Payment))
    stripe_server.requests.clear()
    stripe_server.add("invoices", _invoice(251, "cus_a", "open"))
    report = _sync(crm, stripe_server)
    asked = {p: q for p, q in stripe_server.requests}
    assert int(asked["/v1/invoices"]["created[gte]"]) == T0 + 250 * 3600
    assert report.new == {"customers": 0, "invoices": 1, "payments": 0, "subscriptions": 0}
    again = _sync(crm, stripe_server)
    assert set(again.new.values()) == {0}
    with crm() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == before


def test_a_stripe_error_is_a_clear_failure(
    crm: sessionmaker[Session], stripe_server: FakeStripeServer
) -> None:
    stripe_server.fail_with = 401
    with pytest.raises(BillingFailed, match="Stripe refused"):
        _sync(crm, stripe_server)
