"""The fixture CRM with the sample Stripe exports imported (and the EUR rate stored)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import EUR_USD, add_billing_contacts, write_exports

from tools.billing.store import store_batch
from tools.billing.stripe_csv import read_stripe_exports
from tools.currency_rates import set_rate


@pytest.fixture
def billing_crm(crm: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    paths = write_exports(tmp_path / "stripe")
    with crm.begin() as session:
        add_billing_contacts(session)
        set_rate(session, "EUR", "USD", EUR_USD)
    with crm.begin() as session:
        store_batch(session, read_stripe_exports(paths), tmp_path / "stripe" / "customer_map.csv")
    return crm
