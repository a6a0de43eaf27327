"""Lifetime value's backtest on a generated SaaS book with churn: the method run a year ago
(tools/billing/lifetime.py `backtest`) predicts the next 12 months' revenue of the accounts
billing then; this prints that prediction, what those accounts really paid, the error, the
number of accounts and the churn the method used, and saves them to
benchmarks/results/ltv_backtest.json (one entry per backend). It runs twice: on the book as
generated (some plans yearly) and on the same customers with every plan monthly.

    python benchmarks/ltv_backtest.py [--customers 1500] [--url EMPTY_DB_URL --url EMPTY_DB_URL]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.ltv_data import SEGMENTS, generate, true_monthly_churn  # noqa: E402
from tools.billing.lifetime import backtest, billing_accounts, churn  # noqa: E402
from tools.billing.scoping import billing_scope  # noqa: E402
from tools.billing.store import store_batch  # noqa: E402
from tools.db import make_engine, session_factory, upgrade  # noqa: E402
from tools.models import Account, Contact, Role, User  # noqa: E402
from tools.principal import get_principal_by_email  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "ltv_backtest.json"
TODAY = date(2026, 12, 5)
ADMIN = "admin@bench.test"


def add_crm(sessions: Any, customers: int) -> None:
    """An admin and one account per customer, whose contact shares the customer's domain."""
    with sessions.begin() as s:
        s.add(User(id=1, name="Admin", email=ADMIN, role=Role.ADMIN))
        s.flush()
        created = datetime(2022, 1, 1, tzinfo=UTC)
        s.add_all(
            Account(id=n + 1, name=f"Account {n + 1:05d}", owner_id=1, created_at=created)
            for n in range(customers)
        )
        s.flush()
        s.add_all(
            Contact(account_id=n + 1, name="AP", email=f"billing@c{n}.example")
            for n in range(customers)
        )


def measure(sessions: Any) -> dict[str, Any]:
    """The backtest as the admin sees it (every account), with the churn it used and the
    churn that then really happened among the accounts it predicted for."""
    cutoff = TODAY - timedelta(days=365)
    with sessions() as s:
        bs = billing_scope(s, get_principal_by_email(s, ADMIN), None, "USD", everything=True)
        assert bs is not None
        test = backtest(s, bs, TODAY)
        basis = churn(s, bs, cutoff)
        then, now = billing_accounts(s, bs, cutoff), billing_accounts(s, bs, TODAY)
    lost = len(then - now)
    return {
        **test,
        "accounts_predicted_for": len(then),
        "churn_used_annual_pct": basis["annual_pct"],
        "churn_used_monthly_pct": f"{basis['monthly'] * 100:.2f}",
        "churn_used_from_accounts": basis["accounts_year_ago"],
        "churn_then_seen_annual_pct": f"{lost / len(then) * 100:.1f}" if then else None,
    }


def run(
    url: str, customers: int, yearly: bool = True, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Load a fresh book into the EMPTY database at `url` and backtest it."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    add_crm(sessions, customers)
    batch = generate(customers, TODAY, yearly=yearly)
    started = time.perf_counter()
    with sessions.begin() as session:
        store_batch(session, batch, today=TODAY)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    found = measure(sessions)
    report = {
        "today": TODAY.isoformat(),
        "backend": engine.dialect.name,
        "machine": platform.machine(),
        "plans": "monthly and yearly" if yearly else "monthly only",
        "customers": customers,
        "invoices": len(batch.invoices),
        "segments": {
            s.name: {"share": s.share, "monthly_churn": s.monthly_churn} for s in SEGMENTS
        },
        "true_monthly_churn_pct": f"{true_monthly_churn() * 100:.2f}",
        **found,
        "load_seconds": round(loaded, 1),
        "backtest_seconds": round(time.perf_counter() - started, 2),
    }
    engine.dispose()
    log(
        f"{report['backend']}, plans {report['plans']}: {customers:,} customers, "
        f"{len(batch.invoices):,} invoices; "
        f"backtest from {found['cutoff']}: predicted {found['predicted']}, actual "
        f"{found['actual']}, error {found['error_pct']}% over "
        f"{found['accounts_predicted_for']:,} accounts; churn used "
        f"{found['churn_used_annual_pct']}% a year ({found['churn_used_monthly_pct']}% a month), "
        f"then seen {found['churn_then_seen_annual_pct']}%"
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1500)
    parser.add_argument(
        "--url", action="append", help="An EMPTY database, once per book (default: temp SQLite)"
    )
    args = parser.parse_args()
    reports = []
    # The same book twice: as generated, then with every plan monthly, because a yearly plan's
    # upfront payment is what a method reading the average paid per month got wrong (+57%).
    with tempfile.TemporaryDirectory(prefix="ltv-db-") as folder:
        urls = args.url or [f"sqlite:///{folder}/mixed.db", f"sqlite:///{folder}/monthly.db"]
        for url, yearly in zip(urls, (True, False), strict=True):
            reports.append(run(url, args.customers, yearly))
    # One entry per backend, so a PostgreSQL run keeps the SQLite figures beside it.
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved[reports[0]["backend"]] = reports
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")


if __name__ == "__main__":
    main()
