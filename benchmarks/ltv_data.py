"""A SaaS billing history for the lifetime-value backtest: customers arriving over four years,
three segments churning at their own monthly rates, seats growing and shrinking, a few yearly
plans, invoices paid late or never. Deterministic for a seed.

The segments' churn differs on purpose: the method under test assumes one churn rate for the
whole book, as the real book never has.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tools.billing.records import BillingBatch, CustomerRecord, InvoiceRecord, SubscriptionRecord

YEARS = 4


@dataclass(frozen=True)
class Segment:
    name: str
    share: float
    monthly_churn: float
    seat_price: tuple[int, ...]
    seats: tuple[int, int]
    yearly: float  # share on a yearly plan


SEGMENTS = (
    Segment("smb", 0.6, 0.035, (29, 49, 99), (1, 5), 0.10),
    Segment("mid-market", 0.3, 0.015, (79, 99, 149), (5, 40), 0.20),
    Segment("enterprise", 0.1, 0.006, (99, 149, 199), (40, 300), 0.50),
)


def true_monthly_churn() -> float:
    """The customers' churn rate, averaged over the segments' shares."""
    return sum(s.share * s.monthly_churn for s in SEGMENTS)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def generate(customers: int, today: date, seed: int = 11, yearly: bool = True) -> BillingBatch:
    """`customers` customers, `ap@cN.example` each, billed up to `today` (`yearly=False`:
    every plan monthly)."""
    rng = random.Random(seed)
    batch = BillingBatch()
    first = add_months(today, -12 * YEARS)
    for n in range(customers):
        seg = rng.choices(SEGMENTS, weights=[s.share for s in SEGMENTS])[0]
        start = first + timedelta(days=rng.randrange((today - first).days))
        batch.customers.append(CustomerRecord(f"cus_{n:06d}", f"ap@c{n}.example", f"C{n}"))
        _bill(rng, batch, n, seg if yearly else replace(seg, yearly=0.0), start, today)
    return batch


def _bill(rng: random.Random, batch: BillingBatch, n: int, seg: Segment, start: date,
          today: date) -> None:  # fmt: skip
    """One subscription's invoices, period by period, until it churns or reaches `today`."""
    yearly = rng.random() < seg.yearly
    step = 12 if yearly else 1
    price = Decimal(rng.choice(seg.seat_price))
    seats = rng.randint(*seg.seats)
    churn_per_period = 1 - (1 - seg.monthly_churn) ** step
    period, ended = start, None
    while period < today:
        amount = price * seats * step
        _invoice(rng, batch, f"{n:06d}-{len(batch.invoices):07d}", n, amount, period, today)
        nxt = add_months(period, step)
        if rng.random() < churn_per_period:
            ended = nxt if nxt < today else None  # cancelled at the period's end
            break
        seats, period = _renewed_seats(rng, seats, step), nxt
    interval = "year" if yearly else "month"
    batch.subscriptions.append(
        SubscriptionRecord(
            stripe_id=f"sub_{n:06d}",
            customer=f"cus_{n:06d}",
            plan=f"{seg.name} ({interval}ly)",
            mrr=(price * seats).quantize(Decimal("0.01")),
            currency="USD",
            status="canceled" if ended else "active",
            started=start,
            renewal=None if ended else add_months(period, step),
            cancel_at=None,
            canceled=ended,
        )
    )


def _renewed_seats(rng: random.Random, seats: int, step: int) -> int:
    """About a tenth more or fewer seats now and then: up twice as often as down."""
    move, size = rng.random(), max(1, round(seats / 10))
    if move < 0.02 * step:
        return seats + size
    if move > 1 - 0.01 * step:
        return max(1, seats - size)
    return seats


def _invoice(rng: random.Random, batch: BillingBatch, key: str, n: int, amount: Decimal,
             issued: date, today: date) -> None:  # fmt: skip
    """Most invoices are paid within three weeks, some one to three months late, a few never."""
    luck = rng.random()
    late = rng.randint(0, 20) if luck < 0.93 else rng.randint(30, 90) if luck < 0.98 else None
    paid = None if late is None else issued + timedelta(days=late)
    if paid is not None and paid >= today:
        paid = None  # not paid yet
    status = "paid" if paid else "uncollectible" if late is None else "open"
    batch.invoices.append(
        InvoiceRecord(
            stripe_id=f"in_{key}",
            number=key,
            customer=f"cus_{n:06d}",
            amount=amount,
            amount_paid=amount if paid else Decimal(0),
            currency="USD",
            status=status,
            issued=issued,
            due=issued + timedelta(days=30),
            paid=paid,
            charge=f"ch_{key}" if paid else None,
            created=datetime.combine(issued, datetime.min.time(), UTC),
        )
    )
