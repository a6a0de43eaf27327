"""Stripe dashboard exports load as they come: matched by mapping, email or domain, unmatched
customers listed, and a second load changes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import (
    ACCOUNT_OF,
    INVOICES,
    SUBS,
    add_billing_contacts,
    write_exports,
)

from tools.billing.records import BillingFailed
from tools.billing.store import store_batch
from tools.billing.stripe_csv import read_stripe_export, read_stripe_exports
from tools.models import BillingCustomer, Invoice, Payment, Subscription


def _load(crm: sessionmaker[Session], paths: list[Path], mapping: Path | None):  # type: ignore[no-untyped-def]
    with crm.begin() as session:
        return store_batch(session, read_stripe_exports(paths), mapping)


def test_customers_match_by_mapping_email_and_domain_never_guessed(
    crm: sessionmaker[Session], tmp_path: Path
) -> None:
    paths = write_exports(tmp_path)
    with crm.begin() as session:
        add_billing_contacts(session)
    report = _load(crm, paths, tmp_path / "customer_map.csv")
    with crm() as session:
        found = dict(
            session.execute(select(BillingCustomer.stripe_id, BillingCustomer.matched_by)).all()
        )
        accounts = dict(
            session.execute(select(BillingCustomer.stripe_id, BillingCustomer.account_id)).all()
        )
    assert found == {"cus_acme": "email", "cus_globex": "domain", "cus_init": "mapping",
                     "cus_umb": "email", "cus_anon": None}  # fmt: skip
    assert {k: v for k, v in accounts.items() if v is not None} == ACCOUNT_OF
    assert [u["customer"] for u in report.unmatched] == ["cus_anon"]


def test_a_domain_shared_by_two_accounts_matches_neither(
    crm: sessionmaker[Session], tmp_path: Path
) -> None:
    paths = write_exports(tmp_path)
    with crm.begin() as session:
        add_billing_contacts(session)
        session.add(BillingCustomer(stripe_id="cus_x", email="boss@shared.example"))
    _load(crm, paths, None)
    with crm() as session:
        account = session.scalar(
            select(BillingCustomer.account_id).where(BillingCustomer.stripe_id == "cus_init")
        )
    assert account is None  # ap@initech.example: no contact there, and no mapping given


def test_rows_and_amounts_are_stored_as_exported(billing_crm: sessionmaker[Session]) -> None:
    with billing_crm() as session:
        invoices = {i.stripe_id: i for i in session.scalars(select(Invoice))}
        subs = {s.stripe_id: s for s in session.scalars(select(Subscription))}
        payments = session.scalar(select(func.count()).select_from(Payment))
    assert len(invoices) == len(INVOICES) and len(subs) == len(SUBS)
    assert invoices["in_3"].currency == "EUR" and invoices["in_3"].account_id == 2
    assert Decimal(invoices["in_10"].amount_paid) == Decimal("600.00")
    assert str(invoices["in_1"].paid) == "2026-10-05"
    assert Decimal(subs["sub_acme"].mrr) == Decimal("2000.00")  # 2 seats x 1,000 a month
    assert Decimal(subs["sub_globex"].mrr) == Decimal("2000.00")  # 24,000 a year
    assert str(subs["sub_init"].cancel_at) == "2026-12-01"  # cancels at period end
    assert payments == sum(1 for r in INVOICES if Decimal(r[4]) > 0)


def test_importing_twice_changes_nothing(
    billing_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    paths = write_exports(tmp_path / "again")
    report = _load(billing_crm, paths, None)  # no mapping this time: the earlier match stays
    assert set(report.new.values()) == {0}
    with billing_crm() as session:
        init = session.scalar(
            select(BillingCustomer.account_id).where(BillingCustomer.stripe_id == "cus_init")
        )
        owned = session.scalar(select(func.count()).where(Invoice.account_id == 3))
    assert init == 3 and owned == 1


def test_a_file_that_is_no_stripe_export_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("id,Deal Name,Amount\n1,x,3\n")
    with pytest.raises(BillingFailed, match="not a Stripe"):
        read_stripe_export(path)


def test_a_bad_cell_names_its_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "invoices.csv"
    path.write_text("id,Customer,Amount Due,Currency,Date (UTC)\nin_1,cus_1,12x,usd,2026-01-01\n")
    with pytest.raises(BillingFailed, match=r"invoices.csv row 2: '12x' is not an amount"):
        read_stripe_export(path)
