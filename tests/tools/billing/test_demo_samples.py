"""The committed sample Stripe exports load into the default demo through the documented
command, and the billing tools' figures on them equal sums made straight from the CSV rows."""

from __future__ import annotations

import json
import re
import runpy
from collections.abc import Iterator
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from support import demo_stripe as raw
from support.postgres import fresh_database
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.db import make_engine, session_factory, upgrade
from tools.demo import seed_demo
from tools.models import BillingCustomer, Invoice, Payment, Subscription, SubscriptionChange
from tools.principal import get_principal_by_email

EXPORTS = sorted(str(p) for p in raw.STRIPE.glob("*.csv"))  # as the shell expands *.csv
IMPORT = ["import", "stripe", *EXPORTS, "--customer-map", str(raw.MAP)]
TABLES = (BillingCustomer, Invoice, Payment, Subscription, SubscriptionChange)
NOON = datetime.combine(raw.DEMO_TODAY, time(12), UTC)
ADMIN, MORGAN = "admin@demo.salesbot.dev", "morgan@demo.salesbot.dev"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _use(url: str, folder: Path, mp: pytest.MonkeyPatch) -> None:
    mp.chdir(folder)  # away from any .env
    mp.setenv("DATABASE_URL", url)
    mp.setenv("CHROMA_PATH", str(folder / "chroma"))
    mp.setenv("COLUMNS", "160")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine, Result]]:
    """The default demo (seed 7, anchored on the README's day), the samples' rates and the
    samples imported once through the CLI; yields the URL, an engine and the import's output."""
    folder = tmp_path_factory.mktemp("demo-stripe")
    if request.param == "sqlite":
        url = f"sqlite:///{folder}/crm.db"
        yield from _seeded(url, folder)
        return
    with fresh_database(request.getfixturevalue("pg_admin")) as url:
        yield from _seeded(url, folder)


def _seeded(url: str, folder: Path) -> Iterator[tuple[str, Engine, Result]]:
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        seed_demo(session, today=raw.DEMO_TODAY)
    with pytest.MonkeyPatch.context() as mp:
        _use(url, folder, mp)
        rates = run("currency", "import", str(raw.RATES))
        assert rates.exit_code == 0, rates.output
        first = run(*IMPORT)
    yield url, engine, first
    engine.dispose()


@pytest.fixture
def sessions(demo: tuple[str, Engine, Result]) -> sessionmaker[Session]:
    return session_factory(demo[1])


@pytest.fixture
def account_of(demo: tuple[str, Engine, Result]) -> dict[str, int]:
    with demo[1].connect() as conn:
        return raw.accounts_of_customers(conn)


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            m.__tablename__: conn.scalar(select(func.count()).select_from(m)) or 0 for m in TABLES
        }


def call(sessions: sessionmaker[Session], email: str, name: str, **args: Any) -> dict[str, Any]:
    with sessions() as session:
        principal = get_principal_by_email(session, email)
    tools = {t.name: t for t in make_tools(ToolContext(principal, sessions, None, lambda: NOON))}
    result = tools[name].invoke({"type": "tool_call", "id": "1", "name": name, "args": args})
    return dict(result.artifact)


def summary(artifact: dict[str, Any]) -> dict[str, Decimal]:
    """The summary's money lines as exact amounts."""
    return {
        r["label"]: Decimal(r["value"]) for r in artifact["summary"] if r["money"] and r["value"]
    }


def test_the_samples_hold_what_the_demo_needs() -> None:
    invoices, subs = raw.read("invoices.csv"), raw.read("subscriptions.csv")
    customers = raw.read("unified_customers.csv")
    assert {"paid", "open", "void", "uncollectible"} <= {r["Status"] for r in invoices}
    assert {"usd", "eur", "gbp"} <= {r["Currency"] for r in invoices}
    assert [s["Interval"] for s in subs].count("year") == 1
    assert [s["Cancel At Period End"] for s in subs].count("true") == 1
    assert sum(c["Email"].endswith("@gmail.com") for c in customers) == 1
    assert all(re.fullmatch(r"in_1P\w{22}", r["id"]) for r in invoices)
    assert all(re.fullmatch(r"cus_\w{14}", c["id"]) for c in customers)
    assert all(re.fullmatch(r"ch_3P\w{22}", r["Charge"]) for r in invoices if r["Charge"])
    assert max(raw.day(r["Date (UTC)"]) for r in invoices) < raw.DEMO_TODAY
    overdue = [r for r in invoices if r["Status"] in raw.UNPAID and r["Due Date (UTC)"]]
    assert any(raw.day(r["Due Date (UTC)"]) < raw.DEMO_TODAY for r in overdue)


def test_the_committed_csvs_are_what_the_script_writes(tmp_path: Path) -> None:
    script = runpy.run_path(str(raw.STRIPE / "make_samples.py"), run_name="make_samples")
    script["main"](tmp_path)
    for path in raw.STRIPE.glob("*.csv"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_documented_import_loads_every_row_and_lists_the_gmail_buyer(
    demo: tuple[str, Engine, Result], account_of: dict[str, int]
) -> None:
    _, engine, first = demo
    assert first.exit_code == 0, first.output
    invoices = raw.read("invoices.csv")
    assert counts(engine) == {
        "billing_customers": len(raw.read("unified_customers.csv")),
        "invoices": len(invoices),
        "payments": sum(Decimal(r["Amount Paid"]) > 0 for r in invoices),
        "subscriptions": len(raw.read("subscriptions.csv")),
        "subscription_changes": 0,
    }
    said = " ".join(first.output.split())
    (gmail,) = [c for c in raw.read("unified_customers.csv") if "@gmail.com" in c["Email"]]
    assert "1 customer(s) match no account" in said
    assert f"{gmail['id']} {gmail['Email']}" in said
    assert "mapping: 1" in said and gmail["id"] not in account_of
    with engine.connect() as conn:
        stored = dict(
            conn.execute(select(BillingCustomer.stripe_id, BillingCustomer.account_id)).all()
        )
    assert {k: v for k, v in stored.items() if v is not None} == account_of


def test_a_second_import_changes_nothing(
    demo: tuple[str, Engine, Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, engine, _ = demo
    before = counts(engine)
    _use(url, tmp_path, monkeypatch)
    again = run(*IMPORT)
    assert again.exit_code == 0, again.output
    for table in ("customers", "invoices", "payments", "subscriptions"):
        assert re.search(rf"{table}\s+│\s+\d+\s+│\s+0\s+│", again.output), again.output
    assert counts(engine) == before


def test_the_map_file_alone_is_still_not_an_export(
    demo: tuple[str, Engine, Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(demo[0], tmp_path, monkeypatch)
    result = run("import", "stripe", str(raw.MAP))
    assert result.exit_code == 1 and "no `id` column" in result.stderr


@pytest.mark.parametrize("email", [ADMIN, MORGAN, "priya@demo.salesbot.dev"])
def test_unpaid_invoices_equal_the_csv_sums(
    demo: tuple[str, Engine, Result], sessions: sessionmaker[Session],
    account_of: dict[str, int], email: str,
) -> None:  # fmt: skip
    a = call(sessions, email, "unpaid_invoices")
    with demo[1].connect() as conn:
        seen = raw.visible_accounts(conn, email)
    expected = {k: v for k, v in raw.overdue(account_of, raw.DEMO_TODAY).items() if k in seen}
    got = {
        r["account_id"]: (Decimal(r["owed"]), r["invoices"], r["max_days_overdue"])
        for r in a["rows"]
    }
    assert got == expected and expected
    assert summary(a)["Overdue in all"] == sum(v[0] for v in expected.values())


def test_revenue_summary_equals_the_csv_sums(
    sessions: sessionmaker[Session], account_of: dict[str, int]
) -> None:
    a = call(sessions, ADMIN, "revenue_summary", period="this year")
    got = {r["month"]: Decimal(r["revenue"]) for r in a["rows"]}
    assert got == raw.revenue_by_month(account_of, raw.DEMO_TODAY.year)
    mrr = raw.mrr(account_of, raw.DEMO_TODAY)
    assert summary(a)["MRR"] == mrr and summary(a)["ARR"] == mrr * 12


@pytest.mark.parametrize("name", ["Lighthouse Security", "Ridgeway Construction", "Globex"])
def test_account_value_equals_the_csv_sums(
    demo: tuple[str, Engine, Result], sessions: sessionmaker[Session],
    account_of: dict[str, int], name: str,
) -> None:  # fmt: skip
    a = call(sessions, ADMIN, "account_value", account=name)
    account = a["account"]["id"]
    start, end = raw.last_year(raw.DEMO_TODAY)
    owed = raw.overdue(account_of, raw.DEMO_TODAY).get(account, (Decimal(0), 0, 0))[0]
    figures = summary(a)
    assert a["account"]["name"] == name
    assert figures["Paid to date"] == raw.paid(account_of, account, start.min, end)
    assert figures["Revenue, last 12 months"] == raw.paid(account_of, account, start, end)
    assert figures["MRR"] == raw.mrr(account_of, raw.DEMO_TODAY, account)
    assert figures["Overdue"] == owed


def test_ask_who_has_unpaid_invoices_as_of_the_demo_day(
    demo: tuple[str, Engine, Result], account_of: dict[str, int],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The README's last command, offline: the planner answers with the figures."""
    _use(demo[0], tmp_path, monkeypatch)
    question = "who has unpaid invoices?"
    result = run("ask", "--as", MORGAN, question, "--as-of", raw.DEMO_TODAY.isoformat(), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    (table,) = [a for a in answer["artifacts"] if a.get("kind") == "unpaid_invoices"]
    with demo[1].connect() as conn:
        seen = raw.visible_accounts(conn, MORGAN)
    expected = {k: v for k, v in raw.overdue(account_of, raw.DEMO_TODAY).items() if k in seen}
    got = {r["account_id"]: Decimal(r["owed"]) for r in table["rows"]}
    assert got == {k: v[0] for k, v in expected.items()} and got
    for row in table["rows"]:
        assert row["account"] in answer["text"]
