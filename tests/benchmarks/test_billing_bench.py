"""The billing benchmark runs end to end at a tiny size on both backends (no timing asserted)."""

from __future__ import annotations

from benchmarks import billing


def test_billing_benchmark_on_a_tiny_dataset(db_url: str) -> None:
    report = billing.run(db_url, invoices=500, runs=2, log=lambda _: None)
    assert report["first_import"]["new"]["invoices"] == 500
    assert set(report["reimport"]["new"].values()) == {0}
    assert {r["tool"] for r in report["tools"]} == set(billing.CALLS)
    assert all(r["artifact"] != "notice" and r["p99_ms"] >= r["p50_ms"] for r in report["tools"])
