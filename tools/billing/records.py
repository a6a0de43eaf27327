"""Billing objects as read from an export or the API, before they are stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class BillingFailed(Exception):
    """A billing file, value or server answer that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    stripe_id: str
    email: str | None
    name: str | None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    stripe_id: str
    number: str | None
    customer: str
    amount: Decimal
    amount_paid: Decimal
    currency: str
    status: str
    issued: date
    due: date | None
    paid: date | None
    charge: str | None = None
    customer_email: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionRecord:
    stripe_id: str
    customer: str
    plan: str | None
    mrr: Decimal
    currency: str
    status: str
    started: date
    renewal: date | None
    cancel_at: date | None
    canceled: date | None
    customer_email: str | None = None
    created: datetime | None = None


@dataclass
class BillingBatch:
    """Everything one import or sync read."""

    customers: list[CustomerRecord] = field(default_factory=list)
    invoices: list[InvoiceRecord] = field(default_factory=list)
    subscriptions: list[SubscriptionRecord] = field(default_factory=list)

    def extend(self, other: BillingBatch) -> None:
        self.customers += other.customers
        self.invoices += other.invoices
        self.subscriptions += other.subscriptions


def monthly(amount: Decimal, interval: str | None, count: int = 1) -> Decimal:
    """A recurring price per month: a yearly plan counts a twelfth each month."""
    per = {"day": Decimal("30"), "week": Decimal("52") / 12, "month": Decimal(1)}
    unit = (interval or "month").strip().lower()
    if unit == "year":
        return (amount / (12 * count)).quantize(Decimal("0.01"))
    if unit not in per:
        raise BillingFailed(f"unknown billing interval {interval!r}")
    return (amount * per[unit] / count).quantize(Decimal("0.01"))
