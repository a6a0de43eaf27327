"""The lifetime-value backtest benchmark runs end to end at a tiny size on both backends, and
its `actual` is what the generated invoices say those accounts paid that year."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from benchmarks import ltv_backtest
from benchmarks.ltv_data import generate

CUSTOMERS = 60


def test_the_backtest_benchmark_on_a_tiny_book(db_url: str) -> None:
    report = ltv_backtest.run(db_url, CUSTOMERS, log=lambda _: None)
    today = ltv_backtest.TODAY
    cutoff = today - timedelta(days=365)
    batch = generate(CUSTOMERS, today)
    running = {
        s.customer
        for s in batch.subscriptions
        if s.started <= cutoff and (s.canceled is None or s.canceled > cutoff)
    }
    actual = sum(
        (i.amount_paid for i in batch.invoices
         if i.customer in running and i.paid and cutoff <= i.paid < today),
        Decimal(0),
    )  # fmt: skip
    assert Decimal(report["actual"]) == actual > 0
    assert report["accounts_predicted_for"] == len(running)
    assert Decimal(report["predicted"]) > 0 and report["error_pct"] is not None
    assert report["invoices"] == len(batch.invoices)
