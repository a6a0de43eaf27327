"""Billing: Stripe import rows per second and the billing tools' p50/p99, at 100,000 invoices.

Writes Stripe dashboard exports for `--invoices` invoices (one customer per 50 invoices, each
matched to its own account by a contact's domain, one subscription each), imports them into a
fresh database (first import, then the same files again: everything unchanged), then runs each
billing tool `--runs` times as an admin (every account) and as a manager (half the reps).
Prints one line per figure and saves them to benchmarks/results/billing.json, one entry per
backend.

    python benchmarks/billing.py [--invoices 100000] [--runs 20] [--url DATABASE_URL]
"""

from __future__ import annotations

import argparse
import csv
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
from tools.billing.store import store_batch  # noqa: E402
from tools.billing.stripe_csv import read_stripe_exports  # noqa: E402
from tools.context import ToolContext  # noqa: E402
from tools.crm_tools import make_tools  # noqa: E402
from tools.db import make_engine, session_factory, upgrade  # noqa: E402
from tools.models import Account, Contact, Role, User  # noqa: E402
from tools.principal import get_principal_by_email  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "billing.json"
TODAY = date(2026, 11, 26)
PER_CUSTOMER = 50
REPS = 10
CALLS: dict[str, dict[str, Any]] = {
    "account_value": {"account": "Account 00001"},
    "top_accounts_by_value": {"scope": "team"},
    "unpaid_invoices": {"scope": "team"},
    "upcoming_renewals": {"scope": "team"},
    "churn_risk": {"scope": "team"},
    "revenue_summary": {"scope": "team"},
}


def percentile(values: list[float], pct: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def write_exports(folder: Path, invoices: int) -> list[Path]:
    customers = max(1, invoices // PER_CUSTOMER)
    with (folder / "customers.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "Description", "Email", "Name", "Created (UTC)"])
        for c in range(customers):
            w.writerow([f"cus_{c:06d}", "", f"ap@c{c}.example", f"C{c}", "2024-01-01 00:00"])
    with (folder / "subscriptions.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "Customer ID", "Plan", "Quantity", "Currency", "Interval", "Amount",
                    "Status", "Start (UTC)", "Current Period End (UTC)", "Cancel At Period End",
                    "Ended At (UTC)"])  # fmt: skip
        for c in range(customers):
            ended = f"{TODAY - timedelta(days=c % 400)} 00:00" if c % 7 == 0 else ""
            renew = TODAY + timedelta(days=c % 120)
            w.writerow([f"sub_{c:06d}", f"cus_{c:06d}", "Pro", 1 + c % 5, "usd", "month",
                        f"{100 + c % 900}.00", "canceled" if ended else "active",
                        "2024-01-01 00:00", f"{renew} 00:00", str(c % 11 == 0).lower(),
                        ended])  # fmt: skip
    with (folder / "invoices.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "Number", "Customer", "Amount Due", "Amount Paid", "Currency", "Status",
                    "Date (UTC)", "Due Date (UTC)", "Paid At (UTC)", "Charge"])  # fmt: skip
        for i in range(invoices):
            issued = TODAY - timedelta(days=(i * 7) % 700)
            unpaid = i % 13 == 0
            amount = f"{100 + i % 5000}.00"
            w.writerow([f"in_{i:07d}", f"N-{i}", f"cus_{i % customers:06d}", amount,
                        "0.00" if unpaid else amount, "usd", "open" if unpaid else "paid",
                        f"{issued} 08:00", f"{issued + timedelta(days=30)} 00:00",
                        "" if unpaid else f"{issued + timedelta(days=3)} 09:00",
                        "" if unpaid else f"ch_{i:07d}"])  # fmt: skip
    return [folder / n for n in ("customers.csv", "subscriptions.csv", "invoices.csv")]


def add_crm(sessions: Any, customers: int) -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    with sessions.begin() as s:
        s.add(User(id=1, name="Admin", email="admin@bench.test", role=Role.ADMIN))
        s.add(User(id=2, name="Manager", email="manager@bench.test", role=Role.MANAGER))
        for r in range(REPS):
            boss = 2 if r < REPS // 2 else None
            s.add(User(id=10 + r, name=f"Rep {r}", email=f"rep{r}@bench.test", manager_id=boss))
        s.flush()
        s.add_all(
            Account(id=c + 1, name=f"Account {c + 1:05d}", owner_id=10 + c % REPS, created_at=now)
            for c in range(customers)
        )
        s.flush()
        s.add_all(
            Contact(account_id=c + 1, name="AP", email=f"billing@c{c}.example")
            for c in range(customers)
        )


def run(url: str, invoices: int, runs: int, log: Callable[[str], None] = print) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    customers = max(1, invoices // PER_CUSTOMER)
    add_crm(sessions, customers)
    report: dict[str, Any] = {"invoices": invoices, "customers": customers, "backend":
                              engine.dialect.name, "machine": platform.machine()}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="billing-bench-") as folder:
        paths = write_exports(Path(folder), invoices)
        for label in ("first_import", "reimport"):
            started = time.perf_counter()
            with sessions.begin() as session:
                loaded = store_batch(session, read_stripe_exports(paths))
            seconds = time.perf_counter() - started
            rows = sum(loaded.read.values())
            report[label] = {"rows": rows, "seconds": round(seconds, 2),
                             "rows_per_s": round(rows / seconds), "new": loaded.new}  # fmt: skip
            log(f"{label}: {rows:,} rows in {seconds:.1f}s = {rows / seconds:,.0f} rows/s")
    report["tools"] = []
    for email in ("admin@bench.test", "manager@bench.test"):
        with sessions() as session:
            principal = get_principal_by_email(session, email)
        ctx = ToolContext(principal, sessions, None, lambda: datetime(2026, 11, 26, 17, tzinfo=UTC))
        tools = {t.name: t for t in make_tools(ctx)}
        for name, args in CALLS.items():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                out = tools[name].invoke(
                    {"type": "tool_call", "id": "b", "name": name, "args": args}
                )
                times.append((time.perf_counter() - started) * 1000)
            row = {
                "tool": name,
                "as": email.split("@")[0],
                "p50_ms": round(percentile(times, 50), 1),
                "p99_ms": round(percentile(times, 99), 1),
                "artifact": out.artifact["type"],
            }
            report["tools"].append(row)
            log(f"{name} as {row['as']}: p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms")
    engine.dispose()
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--url", default=None, help="An EMPTY database (default: a temp SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="billing-db-") as folder:
        url = args.url or f"sqlite:///{folder}/crm.db"
        report = run(url, args.invoices, args.runs)
    # One entry per backend, so a PostgreSQL run keeps the SQLite figures beside it.
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved[report["backend"]] = report
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")


if __name__ == "__main__":
    main()
