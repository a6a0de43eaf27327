"""Write the demo's Stripe dashboard exports, deterministically (same script, same bytes).

    python samples/stripe/make_samples.py

Writes invoices.csv, subscriptions.csv and unified_customers.csv beside this file, with the
dashboard's own column names, and customer_map.csv for the one customer no contact explains.
The customers are the demo CRM's (`salesbot seed-demo`, seed 7): most share an email or a domain
with a demo contact, Globex's pays from a holding company's domain (matched only through the
map), and a private buyer on gmail.com stays unmatched. Two years of monthly and yearly billing
end on LAST_DAY, a few days before the demo's README anchor (2026-11-27), so nothing is dated
after the demo's today. The exchange rates the EUR and GBP rows need are ../currency_rates.csv.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAST_DAY = date(2026, 11, 25)
NET_DAYS = 30  # send_invoice terms; card-charged invoices have no due date
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Customer:
    """One Stripe customer with one subscription, and how its invoices went."""

    name: str
    email: str
    plan: str
    price: str  # per seat and interval, major units
    seats: int
    currency: str
    interval: str
    start: date
    ended: date | None = None
    cancel_at_period_end: bool = False
    status: str = "active"
    card: bool = False
    # issue day -> the invoice's status when it is not simply paid ("void": re-issued, paid)
    unpaid: dict[str, str] = field(default_factory=dict)


CUSTOMERS = (
    Customer("Acme Corp", "mei.kowalski@acmecorp.example", "Pro", "400.00", 5, "usd", "month",
             date(2024, 12, 5), unpaid={"2026-10-05": "open", "2026-11-05": "open"}),
    Customer("Saltmarsh Retail", "ap@saltmarshretail.example", "Team", "250.00", 3, "usd",
             "month", date(2025, 2, 12), unpaid={"2026-06-12": "void"}),
    Customer("Prairie Systems", "grace.novak@prairiesystems.example", "Enterprise (annual)",
             "18000.00", 1, "usd", "year", date(2025, 3, 10)),
    Customer("Kestrel Analytics", "finance@kestrelanalytics.example", "Growth", "900.00", 1,
             "usd", "month", date(2025, 6, 15), cancel_at_period_end=True),
    Customer("Falcon Energy", "ines.abara@falconenergy.example", "Pro", "400.00", 2, "usd",
             "month", date(2025, 4, 20), unpaid={"2025-11-20": "void"}),
    Customer("Wayne Enterprises", "ap@wayneenterprises.example", "Enterprise", "300.00", 10,
             "usd", "month", date(2025, 1, 8), status="past_due",
             unpaid={"2026-08-08": "uncollectible", "2026-09-08": "open", "2026-10-08": "open",
                     "2026-11-08": "open"}),
    Customer("Ridgeway Construction GmbH", "buchhaltung@ridgewayconstruction.example", "Pro",
             "600.00", 4, "eur", "month", date(2025, 1, 20)),
    Customer("Lighthouse Security Ltd", "mei.park@lighthousesecurity.example", "Business",
             "1500.00", 1, "gbp", "month", date(2025, 5, 2),
             unpaid={"2026-09-02": "open", "2026-11-02": "open"}),
    Customer("Hooli", "emily.thompson@hooli.example", "Business", "1800.00", 1, "eur", "month",
             date(2024, 12, 18), ended=date(2026, 3, 18), status="canceled"),
    Customer("Pioneer Aerospace", "billing@pioneeraerospace.example", "Starter", "600.00", 1,
             "usd", "month", date(2024, 12, 1), ended=date(2025, 9, 1), status="canceled"),
    Customer("Globex Holdings", "treasury@globexholdings.com", "Pro", "400.00", 3, "usd", "month",
             date(2025, 8, 1)),
    Customer("Initech", "billing@initech.example", "Pro", "400.00", 3, "usd", "month",
             date(2026, 6, 3), card=True),
    Customer("Foxglove Aerospace", "victor.schmidt@foxgloveaerospace.example", "Team", "250.00",
             3, "gbp", "month", date(2026, 2, 16)),
    Customer("Jordan Reyes", "jordan.reyes@gmail.com", "Starter", "49.00", 1, "usd", "month",
             date(2025, 10, 9), card=True, unpaid={"2026-11-09": "open"}),
)  # fmt: skip
# The one customer no contact explains: its Stripe name -> the demo account it pays for.
MAPPING = [["customer", "account"], ["Globex Holdings", "Globex"]]

CUSTOMER_COLUMNS = ["id", "Description", "Email", "Name", "Created (UTC)", "Delinquent",
                    "Currency", "Invoice Prefix", "Tax Exempt"]  # fmt: skip
INVOICE_COLUMNS = ["id", "Number", "Customer", "Customer Email", "Customer Name", "Amount Due",
                   "Amount Paid", "Amount Remaining", "Subtotal", "Total", "Currency", "Status",
                   "Billing", "Billing Reason", "Date (UTC)", "Due Date (UTC)", "Paid At (UTC)",
                   "Period Start (UTC)", "Period End (UTC)", "Paid", "Attempted", "Charge",
                   "Subscription"]  # fmt: skip
SUBSCRIPTION_COLUMNS = ["id", "Customer ID", "Customer Email", "Plan", "Product", "Quantity",
                        "Currency", "Interval", "Amount", "Status", "Created (UTC)",
                        "Start (UTC)", "Current Period Start (UTC)", "Current Period End (UTC)",
                        "Canceled At (UTC)", "Cancel At Period End", "Ended At (UTC)"]  # fmt: skip


def stripe_id(rng: random.Random, prefix: str, size: int = 24) -> str:
    """An id shaped like Stripe's: `in_1P` then random letters and digits."""
    return prefix + "".join(rng.choice(ALPHABET) for _ in range(size))


def working_hour(rng: random.Random) -> time:
    return time(rng.randint(8, 18), rng.randint(0, 59))


def stamp(day: date | None, at: time) -> str:
    """The exports' UTC timestamp, "2026-11-03 14:02"."""
    return datetime.combine(day, at).strftime("%Y-%m-%d %H:%M") if day else ""


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def periods(c: Customer) -> list[date]:
    """The first day of every billing period begun by LAST_DAY (and before the end)."""
    step = 12 if c.interval == "year" else 1
    found, k = [], 0
    while (day := add_months(c.start, k * step)) <= LAST_DAY and (not c.ended or day < c.ended):
        found.append(day)
        k += 1
    return found


@dataclass(frozen=True)
class Billed:
    """A customer as Stripe knows it: ids, invoice number prefix, and its billing time of day
    (Stripe bills a subscription at the hour it started)."""

    c: Customer
    customer: str
    subscription: str
    prefix: str
    at: time


def billed(rng: random.Random) -> list[Billed]:
    return [
        Billed(c, stripe_id(rng, "cus_", 14), stripe_id(rng, "sub_1P", 22),
               "".join(rng.choice("0123456789ABCDEF") for _ in range(8)), working_hour(rng))
        for c in CUSTOMERS
    ]  # fmt: skip


def customer_row(b: Billed) -> list[str]:
    created = stamp(b.c.start - timedelta(days=3), b.at)
    return [b.customer, "", b.c.email, b.c.name, created, "false", b.c.currency, b.prefix, "none"]


def invoice_rows(rng: random.Random, b: Billed) -> list[list[str]]:
    rows: list[list[str]] = []
    for n, issued in enumerate(periods(b.c)):
        end = add_months(issued, 12 if b.c.interval == "year" else 1)
        status = b.c.unpaid.get(issued.isoformat(), "paid")
        reason = "subscription_create" if n == 0 else "subscription_cycle"
        if status == "void":  # sent with the wrong seats, voided, sent again two days later
            rows.append(invoice(rng, b, len(rows), "void", issued, end, reason))
            issued, reason, status = issued + timedelta(days=2), "manual", "paid"
        rows.append(invoice(rng, b, len(rows), status, issued, end, reason))
    return rows


def invoice(rng: random.Random, b: Billed, seq: int, status: str, issued: date, end: date,
            reason: str) -> list[str]:  # fmt: skip
    c = b.c
    due = None if c.card else issued + timedelta(days=NET_DAYS)
    paid_on = issued if c.card else issued + timedelta(days=rng.randint(3, 24))
    if status == "paid" and paid_on > LAST_DAY:
        status = "open"  # this period's invoice, not paid yet
    paid = status == "paid"
    paid_at = stamp(paid_on, working_hour(rng) if not c.card else b.at) if paid else ""
    amount = f"{Decimal(c.price) * c.seats:.2f}"
    left = "0.00" if paid or status == "void" else amount
    return [stripe_id(rng, "in_1P", 22), f"{b.prefix}-{seq + 1:04d}", b.customer, c.email,
            c.name, amount, amount if paid else "0.00", left, amount, amount, c.currency, status,
            "charge_automatically" if c.card else "send_invoice", reason, stamp(issued, b.at),
            stamp(due, b.at), paid_at, stamp(issued, b.at), stamp(end, b.at), str(paid).lower(),
            "true", stripe_id(rng, "ch_3P", 22) if paid else "", b.subscription]  # fmt: skip


def subscription_row(b: Billed) -> list[str]:
    c, begun = b.c, periods(b.c)
    period_end = c.ended or add_months(begun[-1], 12 if c.interval == "year" else 1)
    ended = stamp(c.ended, b.at)
    return [b.subscription, b.customer, c.email, c.plan, f"prod_{b.subscription[-14:]}",
            str(c.seats), c.currency, c.interval, c.price, c.status, stamp(c.start, b.at),
            stamp(c.start, b.at), stamp(begun[-1], b.at), stamp(period_end, b.at), ended,
            str(c.cancel_at_period_end).lower(), ended]  # fmt: skip


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(folder: Path = HERE) -> None:
    rng = random.Random(2026_11_27)
    everyone = billed(rng)
    invoices = [row for b in everyone for row in invoice_rows(rng, b)]
    invoices.sort(key=lambda r: (r[14], r[0]), reverse=True)  # the dashboard: newest first
    write(folder / "unified_customers.csv", CUSTOMER_COLUMNS, [customer_row(b) for b in everyone])
    write(folder / "invoices.csv", INVOICE_COLUMNS, invoices)
    write(
        folder / "subscriptions.csv", SUBSCRIPTION_COLUMNS, [subscription_row(b) for b in everyone]
    )
    ids = {b.c.name: b.customer for b in everyone}
    write(folder / "customer_map.csv", MAPPING[0], [[ids[n], a] for n, a in MAPPING[1:]])


if __name__ == "__main__":
    main()
