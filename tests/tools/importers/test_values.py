"""Export cell formats read exactly; anything else is a clear ValueProblem, never a crash."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tools.importers.values import (
    ValueProblem,
    email_in,
    parse_amount,
    parse_date,
    parse_datetime,
    plain_text,
)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("12/15/2026", date(2026, 12, 15)),
        ("15/12/2026", date(2026, 12, 15)),  # the first number cannot be a month
        ("2026-12-15 00:00", date(2026, 12, 15)),
        ("2026-12-15T10:00:00.000+0000", date(2026, 12, 15)),
        ("12/15/2026 10:00 AM", date(2026, 12, 15)),
    ],
)
def test_dates(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text",
    ["2026-12-15T10:00:00.000+0000", "2026-12-15T10:00:00Z", "2026-12-15 10:00",
     "12/15/2026 10:00 AM", "1797328800000"],
)  # fmt: skip
def test_timestamps_are_utc(text: str) -> None:
    assert parse_datetime(text) == datetime(2026, 12, 15, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["someday", "2026-13-45xyz", "2026-02-30", "31/31/2026"])
def test_bad_dates_are_value_problems(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_date(text)
    with pytest.raises(ValueProblem):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("$120,000.00", "120000.00"), ("1.234,50", "1234.50"), ("1,234", "1234.00"),
     ("12,5", "12.50"), ("€ 99", "99.00"), ("-10", "-10.00")],
)  # fmt: skip
def test_amounts(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["lots", "1e400", "", "--", "12k", "1.2.3x"])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_amount(text)


def test_owner_emails_and_html() -> None:
    assert email_in("Dana Lee (Dana@X.com)") == "dana@x.com"
    assert email_in("Dana Lee") is None
    assert plain_text("<p>Price is <b>too high</b>&nbsp;now</p><p>Next</p>") == (
        "Price is too high now\nNext"
    )
    assert plain_text("a < b and c > d") == "a < b and c > d"


@pytest.mark.parametrize(
    ("text", "amount"), [("USD 1,000", "1000.00"), ("1 000,50 EUR", "1000.50")]
)
def test_amounts_with_currency_codes(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)
