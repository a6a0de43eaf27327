"""Stripe dashboard exports (invoices, customers, subscriptions) read as they come.

The kind of file is told by its header: "Amount Due" is an invoices export, "Current Period End
(UTC)" or "Interval" a subscriptions export, "Email" without either a customers export. Amounts
in these exports are in major units ("120.00"), dates "2026-11-03 14:02" in UTC.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tools.billing.records import (
    BillingBatch,
    BillingFailed,
    CustomerRecord,
    InvoiceRecord,
    SubscriptionRecord,
    monthly,
)

Row = dict[str, str]


def read_stripe_exports(paths: list[Path]) -> BillingBatch:
    """Every file read whole; the first bad cell stops everything with its file and row."""
    batch = BillingBatch()
    for path in paths:
        batch.extend(read_stripe_export(path))
    return batch


def read_stripe_export(path: Path) -> BillingBatch:
    rows, header = _table(path)
    reader = _reader_for(path, header)
    batch = BillingBatch()
    for number, row in enumerate(rows, start=2):
        try:
            reader(row, batch)
        except (BillingFailed, ValueError, InvalidOperation) as exc:
            raise BillingFailed(f"{path.name} row {number}: {exc}") from None
    return batch


def _table(path: Path) -> tuple[list[Row], list[str]]:
    if not path.is_file():
        raise BillingFailed(f"{path} does not exist or is not a file.")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]
    return rows, header


def _reader_for(path: Path, header: list[str]) -> Callable[[Row, BillingBatch], None]:
    names = set(header)
    if "id" not in names:
        raise BillingFailed(f"{path.name}: no `id` column; is this a Stripe export?")
    if "Amount Due" in names:
        return _invoice
    if "Current Period End (UTC)" in names or "Interval" in names:
        return _subscription
    if "Email" in names:
        return _customer
    raise BillingFailed(
        f"{path.name}: not a Stripe invoices, subscriptions or customers export "
        f"(columns: {', '.join(header[:8])})."
    )


def _customer(row: Row, batch: BillingBatch) -> None:
    batch.customers.append(
        CustomerRecord(
            stripe_id=_need(row, "id"),
            email=row.get("Email") or None,
            name=row.get("Name") or row.get("Description") or None,
            created=_instant(row.get("Created (UTC)")),
        )
    )


def _invoice(row: Row, batch: BillingBatch) -> None:
    batch.invoices.append(
        InvoiceRecord(
            stripe_id=_need(row, "id"),
            number=row.get("Number") or None,
            customer=_first(row, "Customer", "Customer ID"),
            amount=_amount(row.get("Amount Due") or row.get("Total") or "0"),
            amount_paid=_amount(row.get("Amount Paid") or "0"),
            currency=_currency(row.get("Currency")),
            status=(row.get("Status") or "open").lower(),
            issued=_day(_first(row, "Date (UTC)", "Created (UTC)")),
            due=_optional_day(row.get("Due Date (UTC)")),
            paid=_optional_day(row.get("Paid At (UTC)")),
            charge=row.get("Charge") or None,
            customer_email=row.get("Customer Email") or None,
            created=_instant(row.get("Date (UTC)")),
        )
    )


def _subscription(row: Row, batch: BillingBatch) -> None:
    quantity = Decimal(row.get("Quantity") or "1")
    price = _amount(row.get("Amount") or "0") * quantity
    count = int(row.get("Interval Count") or "1")
    batch.subscriptions.append(
        SubscriptionRecord(
            stripe_id=_need(row, "id"),
            customer=_first(row, "Customer ID", "Customer"),
            plan=row.get("Plan") or row.get("Product") or None,
            mrr=monthly(price, row.get("Interval"), count),
            currency=_currency(row.get("Currency")),
            status=(row.get("Status") or "active").lower(),
            started=_day(_first(row, "Start (UTC)", "Start Date (UTC)", "Created (UTC)")),
            renewal=_optional_day(row.get("Current Period End (UTC)")),
            cancel_at=_cancel_at(row),
            canceled=_optional_day(row.get("Ended At (UTC)") or row.get("Canceled At (UTC)")),
            customer_email=row.get("Customer Email") or None,
            created=_instant(row.get("Created (UTC)")),
        )
    )


def _cancel_at(row: Row) -> date | None:
    if (row.get("Cancel At Period End") or "").lower() in {"true", "yes", "1"}:
        return _optional_day(row.get("Current Period End (UTC)"))
    return _optional_day(row.get("Cancel At (UTC)"))


def _need(row: Row, key: str) -> str:
    value = row.get(key, "")
    if not value:
        raise BillingFailed(f"`{key}` is empty")
    return value


def _first(row: Row, *keys: str) -> str:
    for key in keys:
        if row.get(key):
            return row[key]
    raise BillingFailed(f"`{keys[0]}` is empty")


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise BillingFailed(f"{text!r} is not an amount") from None


def _currency(text: str | None) -> str:
    code = (text or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise BillingFailed(f"currency {text!r} is not a three-letter code")
    return code


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("/", "-"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(text: str) -> date:
    found = _instant(text)
    if found is None:
        raise BillingFailed("a date is empty")
    return found.date()


def _optional_day(text: Any) -> date | None:
    return _day(text) if text else None
