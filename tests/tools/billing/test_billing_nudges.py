"""Renewals in the next 60/30 days and overdue invoices on an open deal's account reach the
rep's nudges, each with its evidence."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import TODAY

from tools.nudge_engine import compute_nudges

ROB, OTTO = 3, 6


def _items(crm: sessionmaker[Session], rep: int, day=TODAY):  # type: ignore[no-untyped-def]
    with crm() as session:
        return compute_nudges(session, {rep: day}, limit=50)[rep]


def test_overdue_invoices_come_before_an_upsell(billing_crm: sessionmaker[Session]) -> None:
    found = {n.key: n for n in _items(billing_crm, ROB) if n.kind == "overdue_invoice"}
    acme = found["deal:1:overdue_invoice"]
    assert acme.reason == "invoice A-0 is 98 days overdue (and 1 more unpaid)"
    assert acme.evidence == "invoice A-0: $900 due 2026-08-20, unpaid"
    assert acme.title.startswith("Settle Acme Corp's overdue invoice before pushing")
    assert found["deal:2:overdue_invoice"].evidence == "invoice U-2: $500 due 2026-05-10, unpaid"


def test_renewals_in_the_next_thirty_and_sixty_days(billing_crm: sessionmaker[Session]) -> None:
    renewals = {n.key: n for n in _items(billing_crm, ROB) if n.kind == "renewal_due"}
    assert set(renewals) == {
        f"subscription:{i}:renewal:{d}:30" for i, d in ((1, "2026-12-20"), (2, "2026-12-01"))
    }
    pro = renewals["subscription:1:renewal:2026-12-20:30"]
    assert pro.reason == "renews in 24 days" and "$2,000 a month" in pro.evidence
    earlier = _items(billing_crm, ROB, TODAY - timedelta(days=20))
    keys = {n.key for n in earlier if n.kind == "renewal_due"}
    assert "subscription:1:renewal:2026-12-20:60" in keys  # 44 days ahead: the 60-day nudge


def test_a_cancellation_scheduled_is_said_and_other_books_stay_out(
    billing_crm: sessionmaker[Session],
) -> None:
    otto = [n for n in _items(billing_crm, OTTO) if n.kind == "renewal_due"]
    assert [n.reason for n in otto] == ["renews in 5 days, and a cancellation is scheduled"]
    assert all("Initech" not in n.title for n in _items(billing_crm, ROB))
