"""The date phrases people use for due and close dates, read in the user's own today."""

from __future__ import annotations

from datetime import date

import pytest

from tools.writes.dates import add_months, find_date_phrase, parse_when

THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("Thursday", date(2026, 12, 3)),  # due "Thursday" on a Thursday: next week's
        ("next Friday", date(2026, 12, 4)),
        ("this Friday", date(2026, 11, 27)),
        ("in two weeks", date(2026, 12, 10)),
        ("in 3 days", date(2026, 11, 29)),
        ("in a month", date(2026, 12, 26)),
        ("end of month", date(2026, 11, 30)),
        ("by the end of the month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("end of quarter", date(2026, 12, 31)),
        ("end of week", date(2026, 11, 27)),
        ("eom", date(2026, 11, 30)),
        ("next month", date(2026, 12, 1)),
        ("next week", date(2026, 11, 30)),
        ("tomorrow", date(2026, 11, 27)),
        ("today", THURSDAY),
        ("2026-12-05", date(2026, 12, 5)),
        ("Dec 5", date(2026, 12, 5)),
        ("5th of December", date(2026, 12, 5)),
        ("March 3rd, 2027", date(2027, 3, 3)),
        ("by March", date(2027, 3, 31)),
        ("January 10", date(2027, 1, 10)),  # a day already past this year: next year's
    ],
)
def test_due_dates(text: str, expected: date) -> None:
    assert parse_when(text, THURSDAY) == expected


def test_next_month_pushes_a_close_date_by_one_month() -> None:
    assert parse_when("next month", THURSDAY, base=date(2026, 12, 20)) == date(2027, 1, 20)
    assert parse_when("next month", THURSDAY, base=date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_when("next quarter", THURSDAY, base=date(2026, 12, 20)) == date(2027, 3, 20)


def test_past_dates_for_logged_interactions() -> None:
    assert parse_when("Monday", THURSDAY, past=True) == date(2026, 11, 23)
    assert parse_when("Thursday", THURSDAY, past=True) == THURSDAY
    assert parse_when("yesterday", THURSDAY, past=True) == date(2026, 11, 25)
    assert parse_when("2 days ago", THURSDAY, past=True) == date(2026, 11, 24)
    assert parse_when("last Friday", THURSDAY, past=True) == date(2026, 11, 20)
    assert parse_when("Dec 5", THURSDAY, past=True) == date(2025, 12, 5)


@pytest.mark.parametrize("text", ["", "soon", "someday", "February 31", "may", "2026-13-01"])
def test_unreadable_dates_are_none(text: str) -> None:
    assert parse_when(text, THURSDAY) is None


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("remind me to send the contract friday", "friday"),
        ("push the initech close date to next month", "to next month"),
        ("log a call with acme yesterday", "yesterday"),
        ("follow up in two weeks", "in two weeks"),
        ("they may sign", None),
    ],
)
def test_date_phrases_are_found_in_sentences(sentence: str, phrase: str | None) -> None:
    found = find_date_phrase(sentence)
    assert (found.group(0) if found else None) == phrase
