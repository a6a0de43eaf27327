"""Upgrades and downgrades survive the next load (subscription_changes), and become an
expansion nudge for the rep and a downgrade churn signal, each with its evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import EUR_USD, TODAY, write_exports
from test_billing_tools import call

from tools.billing.store import store_batch
from tools.billing.stripe_csv import read_stripe_exports
from tools.crm.money import format_money
from tools.models import SubscriptionChange
from tools.nudge_engine import compute_nudges

ROB = 3
SINCE = TODAY - timedelta(days=90)  # 2026-08-28


def reload(crm: sessionmaker[Session], folder: Path, day, **mrr: Decimal) -> None:  # type: ignore[no-untyped-def]
    """The same exports again on `day`, with the named subscriptions at a new MRR."""
    batch = read_stripe_exports(write_exports(folder))
    batch.subscriptions = [
        replace(s, mrr=mrr[s.stripe_id]) if s.stripe_id in mrr else s for s in batch.subscriptions
    ]
    with crm.begin() as session:
        store_batch(session, batch, folder / "customer_map.csv", today=day)


@pytest.fixture
def moved(billing_crm: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    # Acme's Pro goes from 2 to 3 seats a month ago; Globex halves its yearly plan 10 days ago.
    reload(billing_crm, tmp_path / "a", TODAY - timedelta(days=30), sub_acme=Decimal("3000"))
    later = {"sub_acme": Decimal("3000"), "sub_globex": Decimal("1000")}
    reload(billing_crm, tmp_path / "b", TODAY - timedelta(days=10), **later)
    return billing_crm


def test_a_load_records_what_it_changes_and_nothing_else(
    billing_crm: sessionmaker[Session], tmp_path: Path
) -> None:
    reload(billing_crm, tmp_path / "same", TODAY)  # nothing changed
    with billing_crm() as session:
        assert session.scalars(select(SubscriptionChange)).all() == []
    reload(billing_crm, tmp_path / "up", TODAY, sub_acme=Decimal("3000"))
    with billing_crm() as session:
        [change] = session.scalars(select(SubscriptionChange)).all()
    assert (change.subscription_stripe_id, change.account_id) == ("sub_acme", 1)
    assert (change.old_mrr, change.new_mrr, change.changed_on) == (2000, 3000, TODAY)


def test_an_account_paying_more_is_an_expansion_nudge(moved: sessionmaker[Session]) -> None:
    with moved() as session:
        items = compute_nudges(session, {ROB: TODAY}, limit=50)[ROB]
    [grown] = [n for n in items if n.kind == "expansion_signal"]
    # Then: Pro at 2 x $1,000 (the add-on started 2026-09-01). Now: 3 x $1,000 and the add-on.
    then, now = Decimal("2000"), Decimal("3100")
    pct = int((now - then) / then * 100)
    assert grown.title == "Talk expansion with Acme Corp"
    assert grown.reason.startswith(f"their MRR grew {pct}% in 90 days")
    assert grown.evidence == (
        f"MRR up from {format_money(then)} to {format_money(now)} a month since {SINCE}"
    )
    assert grown.key == "account:1:expansion:USD:3100.00"


def test_a_downgrade_is_a_churn_signal_with_its_evidence(moved: sessionmaker[Session]) -> None:
    risks = call(moved, "mia@x.test", "churn_risk", scope="team")
    [globex] = [r for r in risks["rows"] if r["account"] == "Globex"]
    then = Decimal("24000") / 12 * EUR_USD  # converted at today's rate at both ends
    now = Decimal("12000") / 12 * EUR_USD
    assert "downgrade" in globex["signals"]
    assert f"MRR down from {format_money(then)} to {format_money(now)} a month" in globex["why"]
    # Acme grew: no downgrade there, and a rep sees no other book's moves.
    acme = [r for r in risks["rows"] if r["account"] == "Acme Corp"]
    assert all("downgrade" not in r["signals"] for r in acme)
    with moved() as session:
        items = compute_nudges(session, {ROB: TODAY}, limit=50)[ROB]
    assert all("Globex" not in n.title for n in items)


def test_without_changes_a_currency_move_is_no_signal(billing_crm: sessionmaker[Session]) -> None:
    risks = call(billing_crm, "mia@x.test", "churn_risk", scope="team")
    assert all("downgrade" not in r["signals"] for r in risks["rows"])
