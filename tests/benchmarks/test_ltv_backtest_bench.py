"""The lifetime-value backtest benchmark runs end to end at a tiny size on both backends, and
its `actual` is what the generated invoices say those accounts paid that year."""

from __future__ import annotations

import json
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


def test_the_readme_quotes_the_saved_backtest() -> None:
    readme = (ltv_backtest.ROOT / "README.md").read_text()
    saved = json.loads(ltv_backtest.RESULTS.read_text())
    for book in saved["sqlite"]:
        predicted, actual = Decimal(book["predicted"]), Decimal(book["actual"])
        for figure in (
            f"${predicted:,.0f}",
            f"${actual:,.0f}",
            f"{book['error_pct'].lstrip('-')}%",
        ):
            assert figure in readme, figure
    assert saved["sqlite"] == [
        {**b, "backend": "sqlite", "load_seconds": s["load_seconds"],
         "backtest_seconds": s["backtest_seconds"]}
        for b, s in zip(saved["postgresql"], saved["sqlite"], strict=True)
    ]  # fmt: skip
