from __future__ import annotations

from datetime import date

import pytest

from tools.periods import parse_period, resolve_period

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("this quarter", "2026-10-01", "2026-12-31"),
        ("deals closing NEXT quarter", "2027-01-01", "2027-03-31"),
        ("last quarter", "2026-07-01", "2026-09-30"),
        ("next month", "2026-12-01", "2026-12-31"),
        ("this month", "2026-11-01", "2026-11-30"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("this week", "2026-11-23", "2026-11-29"),
        ("this year", "2026-01-01", "2026-12-31"),
        ("Q1", "2026-01-01", "2026-03-31"),
        ("q3 2025", "2025-07-01", "2025-09-30"),
        ("last 30 days", "2026-10-27", "2026-11-26"),
        ("next 14 days", "2026-11-26", "2026-12-10"),
        ("last 12 months", "2025-11-26", "2026-11-26"),
        ("past 2 weeks", "2026-11-12", "2026-11-26"),
        ("next 3 months", "2026-11-26", "2027-02-26"),
        ("2026-01-05 to 2026-02-01", "2026-01-05", "2026-02-01"),
        ("ytd", "2026-01-01", "2026-11-26"),
        ("December 2026", "2026-12-01", "2026-12-31"),
        ("feb 2028", "2028-02-01", "2028-02-29"),
        ("March", "2026-03-01", "2026-03-31"),
        ("2016", "2016-01-01", "2016-12-31"),
    ],
)
def test_parse_period(words: str, start: str, end: str) -> None:
    period = parse_period(words, TODAY)
    assert period is not None
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_no_period_falls_back_to_default() -> None:
    assert parse_period("how are my deals", TODAY) is None
    assert resolve_period(None, TODAY).label == "Q4 2026"
