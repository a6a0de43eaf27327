"""benchmarks/capture.py runs end to end at a tiny size on both backends (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

from support.index_helpers import WordVectors

from benchmarks import capture


def test_capture_benchmark_reports_every_figure(db_url: str, tmp_path: Path) -> None:
    figures = capture.bench(db_url, tmp_path, 60, 10, WordVectors())
    mbox, ics = figures["mbox"], figures["ics"]
    # Every 20th mail is from a stranger and every 20th between colleagues.
    assert mbox["counts"] == {"captured": 54, "review": 3, "internal": 3}
    assert ics["counts"]["captured"] == 10
    assert mbox["to_index"]["items"] == 54 and mbox["again"]["items"] == 60
