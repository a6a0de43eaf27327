"""`salesbot import stripe`: the exports load as they come, unmatched customers are listed,
a second run changes nothing, and a wrong file is one line on stderr."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import INVOICES, add_billing_contacts, write_exports
from support.fakes.stripe_api import FakeStripeServer
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.models import Invoice


@pytest.fixture
def cli_db(
    crm: sessionmaker[Session], db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> sessionmaker[Session]:
    monkeypatch.chdir(tmp_path)  # away from any .env
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "160")
    with crm.begin() as session:
        add_billing_contacts(session)
    return crm


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_import_stripe_twice(cli_db: sessionmaker[Session], tmp_path: Path) -> None:
    paths = [str(p) for p in write_exports(tmp_path / "exports")]
    mapping = str(tmp_path / "exports" / "customer_map.csv")
    first = run("import", "stripe", *paths, "--customer-map", mapping)
    assert first.exit_code == 0, first.output
    out = " ".join(first.output.split())
    assert "1 customer(s) match no account" in out and "cus_anon joe@gmail.com" in out
    assert "domain: 1" in out and "mapping: 1" in out and "email: 2" in out
    again = run("import", "stripe", *paths)
    assert again.exit_code == 0, again.output
    assert re.search(rf"invoices\s+│\s+{len(INVOICES)}\s+│\s+0\s+│", again.output)
    with cli_db() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == len(INVOICES)


def test_a_file_that_is_not_a_stripe_export_is_one_line(
    cli_db: sessionmaker[Session], tmp_path: Path
) -> None:
    bad = tmp_path / "deals.csv"
    bad.write_text("id,Deal Name\n1,x\n")
    result = run("import", "stripe", str(bad))
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert "not a Stripe invoices, subscriptions or customers export" in line


def test_sync_stripe_against_the_local_server_twice(
    cli_db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = {"id": "cus_a", "email": "buyer1@x.test", "name": "Acme", "created": 1_780_000_000}
    invoice = {"id": "in_1", "number": "N-1", "customer": "cus_a", "amount_due": 5000,
               "amount_paid": 0, "currency": "usd", "status": "open", "created": 1_780_000_000,
               "due_date": 1_780_000_000, "status_transitions": {"paid_at": None}}  # fmt: skip
    with FakeStripeServer({"customers": [customer], "invoices": [invoice]}) as server:
        monkeypatch.setenv("STRIPE_API_KEY", "sk_test_fake")
        monkeypatch.setenv("STRIPE_API_BASE", server.url)
        first, second = run("sync", "stripe"), run("sync", "stripe")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert re.search(r"invoices\s+│\s+1\s+│\s+1\s+│", first.output)
    assert re.search(r"invoices\s+│\s+1\s+│\s+0\s+│", second.output)
    assert "email: 1" in " ".join(first.output.split())


def test_sync_stripe_without_a_key_is_one_line(cli_db: sessionmaker[Session]) -> None:
    result = run("sync", "stripe")
    assert result.exit_code == 1 and "STRIPE_API_KEY is not set" in result.stderr
