"""The demo's sample Stripe exports (samples/stripe/) read with csv and Decimal alone, so the
billing figures can be checked against sums that share no code with tools/billing/."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
STRIPE = SAMPLES / "stripe"
RATES = SAMPLES / "currency_rates.csv"
MAP = STRIPE / "customer_map.csv"
DEMO_TODAY = date(2026, 11, 27)  # the README's demo anchor; the samples end two days before
UNPAID = ("open", "uncollectible")

Row = dict[str, str]


def read(name: str, folder: Path = STRIPE) -> list[Row]:
    with (folder / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def day(stamp: str) -> date:
    return date.fromisoformat(stamp[:10])


def rates() -> dict[str, Decimal]:
    """Each currency's worth in USD, as samples/currency_rates.csv gives it."""
    found = {"USD": Decimal(1)}
    for r in read(RATES.name, SAMPLES):
        assert r["to"] == "USD"
        found[r["from"]] = Decimal(r["rate"])
    return found


def usd(amount: str | Decimal, currency: str) -> Decimal:
    return (Decimal(amount) * rates()[currency.upper()]).quantize(Decimal("0.01"))


def accounts_of_customers(conn: Connection) -> dict[str, int]:
    """Stripe customer -> demo account: the map file, else a contact's email, else the one
    account whose contacts use that domain."""
    names: dict[str, int] = dict(conn.execute(text("SELECT lower(name), id FROM accounts")).all())
    emails: dict[str, set[int]] = defaultdict(set)
    domains: dict[str, set[int]] = defaultdict(set)
    for email, account in conn.execute(text("SELECT lower(email), account_id FROM contacts")):
        emails[email].add(account)
        domains[email.split("@")[1]].add(account)
    mapped = {r["customer"]: names[r["account"].lower()] for r in read(MAP.name)}
    found = {}
    for c in read("unified_customers.csv"):
        email = c["Email"].lower()
        for candidates in ({mapped[c["id"]]} if c["id"] in mapped else set(), emails[email],
                           domains[email.split("@")[1]]):  # fmt: skip
            if len(candidates) == 1:
                found[c["id"]] = next(iter(candidates))
                break
    return found


def overdue(account_of: dict[str, int], today: date) -> dict[int, tuple[Decimal, int, int]]:
    """Per account: owed in USD, invoices, the oldest's days past due."""
    found: dict[int, tuple[Decimal, int, int]] = {}
    for r in read("invoices.csv"):
        account = account_of.get(r["Customer"])
        due = r["Due Date (UTC)"]
        if account is None or r["Status"] not in UNPAID or not due or day(due) >= today:
            continue
        owed = usd(Decimal(r["Amount Due"]) - Decimal(r["Amount Paid"]), r["Currency"])
        total, count, oldest = found.get(account, (Decimal(0), 0, 0))
        found[account] = (total + owed, count + 1, max(oldest, (today - day(due)).days))
    return found


def payments(account_of: dict[str, int]) -> list[tuple[int, date, Decimal]]:
    """(account, day paid, USD) for every invoice with money paid on it, of matched customers."""
    return [
        (account_of[r["Customer"]], day(r["Paid At (UTC)"] or r["Date (UTC)"]),
         usd(r["Amount Paid"], r["Currency"]))
        for r in read("invoices.csv")
        if Decimal(r["Amount Paid"]) > 0 and r["Customer"] in account_of
    ]  # fmt: skip


def revenue_by_month(account_of: dict[str, int], year: int) -> dict[str, Decimal]:
    found: dict[str, Decimal] = defaultdict(Decimal)
    for _, paid, amount in payments(account_of):
        if paid.year == year:
            found[paid.strftime("%Y-%m")] += amount
    return dict(found)


def paid(account_of: dict[str, int], account: int, start: date, end: date) -> Decimal:
    """Paid by `account` from `start` up to, not including, `end`."""
    return sum((a for acc, d, a in payments(account_of) if acc == account and start <= d < end),
               Decimal(0))  # fmt: skip


def mrr(account_of: dict[str, int], on: date, account: int | None = None) -> Decimal:
    """Monthly recurring revenue in USD on `on`: subscriptions begun and not yet ended."""
    total = Decimal(0)
    for s in read("subscriptions.csv"):
        owner = account_of.get(s["Customer ID"])
        ended = s["Ended At (UTC)"]
        if owner is None or (account is not None and owner != account):
            continue
        if day(s["Start (UTC)"]) > on or (ended and day(ended) <= on):
            continue
        price = Decimal(s["Amount"]) * int(s["Quantity"])
        monthly = price / 12 if s["Interval"] == "year" else price
        total += usd(monthly.quantize(Decimal("0.01")), s["Currency"])
    return total


def last_year(today: date) -> tuple[date, date]:
    return today - timedelta(days=365), today + timedelta(days=1)


def visible_accounts(conn: Connection, email: str) -> set[int]:
    """The accounts a demo user sees: all for the admin; else those they or their reports own
    or have a deal on."""
    me, role = conn.execute(text("SELECT id, role FROM users WHERE email = :e"), {"e": email}).one()
    if str(role).lower().endswith("admin"):
        return set(conn.scalars(text("SELECT id FROM accounts")))
    team = text(
        "SELECT a.id FROM accounts a WHERE a.owner_id IN (SELECT id FROM users WHERE id = :me"
        " OR manager_id = :me) OR EXISTS (SELECT 1 FROM deals d WHERE d.account_id = a.id AND"
        " d.owner_id IN (SELECT id FROM users WHERE id = :me OR manager_id = :me))"
    )
    return set(conn.scalars(team, {"me": me}))
