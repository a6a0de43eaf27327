# ruff: noqa: E501  (the sample rows read best one to a line, as in the export)
"""Stripe dashboard exports for the fixture CRM, as Stripe writes them, and the same facts as
plain Python data for the independent computations the tests compare against."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from tools.models import Contact

TODAY = date(2026, 11, 26)
EUR_USD = Decimal("1.10")

CUSTOMERS_HEADER = ["id", "Description", "Email", "Name", "Created (UTC)", "Card ID"]
CUSTOMERS = [
    ["cus_acme", "", "buyer1@x.test", "Acme Corp", "2025-05-20 10:00", "card_1"],  # contact email
    ["cus_globex", "", "billing@globex.example", "Globex GmbH", "2025-02-20 10:00", ""],  # domain
    ["cus_init", "", "ap@initech.example", "Initech", "2026-01-15 09:00", ""],  # mapping file
    ["cus_umb", "", "buyer4@x.test", "Umbrella", "2025-01-05 09:00", ""],
    ["cus_anon", "", "joe@gmail.com", "Joe", "2026-01-01 09:00", ""],  # never matched
]
INVOICES_HEADER = [
    "id", "Number", "Customer", "Customer Email", "Customer Name", "Amount Due", "Amount Paid",
    "Amount Remaining", "Currency", "Status", "Date (UTC)", "Due Date (UTC)", "Paid At (UTC)",
    "Charge", "Subscription",
]  # fmt: skip
# id, number, customer, due amount, paid amount, currency, status, issued, due, paid at, charge
INVOICES = [
    ("in_1", "A-1", "cus_acme", "2000.00", "2000.00", "usd", "paid", "2026-10-01", "2026-10-31", "2026-10-05", "ch_1"),
    ("in_2", "A-2", "cus_acme", "2000.00", "0.00", "usd", "open", "2026-09-01", "2026-10-01", "", ""),
    ("in_9", "A-3", "cus_acme", "2000.00", "0.00", "usd", "open", "2026-11-01", "2026-12-01", "", ""),
    ("in_3", "G-1", "cus_globex", "24000.00", "24000.00", "eur", "paid", "2026-03-01", "2026-03-31", "2026-03-03", ""),
    ("in_4", "G-0", "cus_globex", "24000.00", "24000.00", "eur", "paid", "2025-03-01", "2025-03-31", "2025-03-10", "ch_4"),
    ("in_5", "U-1", "cus_umb", "500.00", "500.00", "usd", "paid", "2025-02-10", "2025-02-10", "2025-02-10", "ch_5"),
    ("in_6", "U-2", "cus_umb", "500.00", "0.00", "usd", "uncollectible", "2026-04-10", "2026-05-10", "", ""),
    ("in_7", "I-1", "cus_init", "800.00", "800.00", "usd", "paid", "2026-11-01", "2026-11-01", "2026-11-01", "ch_7"),
    ("in_8", "J-1", "cus_anon", "99.00", "99.00", "usd", "paid", "2026-11-02", "2026-11-02", "2026-11-02", "ch_8"),
    ("in_10", "A-0", "cus_acme", "1500.00", "600.00", "usd", "open", "2026-08-01", "2026-08-20", "", ""),
]  # fmt: skip
SUBS_HEADER = [
    "id", "Customer ID", "Customer Email", "Plan", "Product", "Quantity", "Currency", "Interval",
    "Amount", "Status", "Created (UTC)", "Start (UTC)", "Current Period Start (UTC)",
    "Current Period End (UTC)", "Canceled At (UTC)", "Cancel At Period End", "Ended At (UTC)",
]  # fmt: skip
# id, customer, plan, quantity, currency, interval, amount, status, start, period end,
# cancel at period end, ended at
SUBS = [
    ("sub_acme", "cus_acme", "Pro", "2", "usd", "month", "1000.00", "active", "2025-06-01", "2026-12-20", "false", ""),
    ("sub_addon", "cus_acme", "Add-on", "1", "usd", "month", "100.00", "past_due", "2026-09-01", "2026-12-01", "false", ""),
    ("sub_globex", "cus_globex", "Enterprise", "1", "eur", "year", "24000.00", "active", "2025-03-01", "2027-03-01", "false", ""),
    ("sub_umb", "cus_umb", "Starter", "1", "usd", "month", "500.00", "canceled", "2025-01-10", "2026-05-10", "false", "2026-05-10"),
    ("sub_init", "cus_init", "Pro", "1", "usd", "month", "800.00", "active", "2026-02-01", "2026-12-01", "true", ""),
]  # fmt: skip
MAPPING = "customer,account\ncus_init,Initech\n"


def write_exports(folder: Path) -> list[Path]:
    """The three exports and the mapping file, written the way the dashboard writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    customers = _write(folder / "unified_customers.csv", CUSTOMERS_HEADER, CUSTOMERS)
    invoices = _write(folder / "invoices.csv", INVOICES_HEADER, [_invoice(r) for r in INVOICES])
    subs = _write(folder / "subscriptions.csv", SUBS_HEADER, [_sub(r) for r in SUBS])
    (folder / "customer_map.csv").write_text(MAPPING)
    return [invoices, subs, customers]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _invoice(r: tuple[str, ...]) -> list[str]:
    sid, number, cus, due_amt, paid_amt, cur, status, issued, due, paid, charge = r
    email = next(c[2] for c in CUSTOMERS if c[0] == cus)
    remaining = str(Decimal(due_amt) - Decimal(paid_amt))
    when = f"{paid} 12:00" if paid else ""
    return [sid, number, cus, email, "", due_amt, paid_amt, remaining, cur, status,
            f"{issued} 08:00", f"{due} 00:00", when, charge, ""]  # fmt: skip


def _sub(r: tuple[str, ...]) -> list[str]:
    sid, cus, plan, qty, cur, interval, amount, status, start, end, at_end, ended = r
    email = next(c[2] for c in CUSTOMERS if c[0] == cus)
    return [sid, cus, email, plan, "", qty, cur, interval, amount, status, f"{start} 00:00",
            f"{start} 00:00", "", f"{end} 00:00", f"{ended} 00:00" if ended else "", at_end,
            f"{ended} 00:00" if ended else ""]  # fmt: skip


def add_billing_contacts(session: Session) -> None:
    """Globex's accounts-payable address: the only contact at globex.example, so its domain
    matches; Initech gets one too, at a domain it shares with Umbrella (never matched)."""
    session.add(Contact(account_id=2, name="Globex AP", email="ap@globex.example"))
    session.add(Contact(account_id=3, name="Initech AP", email="x@shared.example"))
    session.add(Contact(account_id=4, name="Umbrella AP", email="y@shared.example"))


ACCOUNT_OF = {"cus_acme": 1, "cus_globex": 2, "cus_init": 3, "cus_umb": 4}


def usd(amount: str, currency: str) -> Decimal:
    value = Decimal(amount) * (EUR_USD if currency.lower() == "eur" else 1)
    return value.quantize(Decimal("0.01"))
