"""Calendar periods in words ("this quarter", "next month", "Q3", "2026-01-01 to 2026-03-31")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from tools.arguments import ArgumentError

# Dates a period may span: beyond them the date arithmetic of the figures would overflow, and
# no CRM question needs them.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
HINT = (
    "try 'this quarter', 'next month', 'Q3 2026', 'March 2026', 'last 30 days' or "
    "'2026-01-01 to 2026-03-31'"
)


class PeriodError(ArgumentError):
    """Period words a tool cannot use; the message says why and what works."""


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of dates with the words that name it."""

    start: date
    end: date
    label: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def quarter_of(day: date) -> Period:
    """The calendar quarter holding `day`."""
    q = (day.month - 1) // 3
    start = date(day.year, 3 * q + 1, 1)
    end = start + relativedelta(months=3) - timedelta(days=1)
    return Period(start, end, f"Q{q + 1} {day.year}")


def month_of(day: date) -> Period:
    """The calendar month holding `day`."""
    start = day.replace(day=1)
    end = start + relativedelta(months=1) - timedelta(days=1)
    return Period(start, end, start.strftime("%B %Y"))


def month_number(name: str) -> int:
    """1-12 for a month's name or its usual short form ("sept", "Dec")."""
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
            "dec").index(name[:3].lower()) + 1  # fmt: skip


def week_of(day: date) -> Period:
    """The Monday-to-Sunday week holding `day`."""
    start = day - timedelta(days=day.weekday())
    return Period(start, start + timedelta(days=6), f"week of {start.isoformat()}")


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), str(day.year))


_ISO = r"(\d{4}-\d{2}-\d{2})"
_RELATIVE = re.compile(r"\b(this|current|next|last|previous|past)\s+(quarter|month|week|year)\b")
_QUARTER = re.compile(r"\bq([1-4])(?:\s*(?:of\s*)?(\d{4}))?\b")
_RANGE = re.compile(_ISO + r"\s*(?:to|until|through|-|–|and)\s*" + _ISO)
_LAST_N_DAYS = re.compile(r"\b(?:last|past)\s+(\d{1,4})\s+(days?|weeks?|months?)\b")
_NEXT_N_DAYS = re.compile(r"\b(?:next|coming)\s+(\d{1,4})\s+(days?|weeks?|months?)\b")
_OF = {"quarter": quarter_of, "month": month_of, "week": week_of, "year": year_of}
_STEP = {
    "quarter": relativedelta(months=3),
    "month": relativedelta(months=1),
    "week": relativedelta(weeks=1),
    "year": relativedelta(years=1),
}
# Month names as people type them; "may" only ever reaches here as a period argument.
MONTH_PATTERN = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH = re.compile(rf"\b{MONTH_PATTERN}(?:\s+(?:of\s+)?(\d{{4}}))?\b")
_SHIFT = {"this": 0, "current": 0, "next": 1, "last": -1, "previous": -1, "past": -1}


def parse_period(text: str, today: date) -> Period | None:
    """Find a period in free text, relative to `today`; None when the text names none.

    PeriodError when it names a day that does not exist or lies outside EARLIEST..LATEST.
    """
    period = _find_period(text.lower(), today)
    if period is not None and not (period.start >= EARLIEST and period.end <= LATEST):
        raise PeriodError(
            f"'{_shown(text)}' is outside the dates salesbot can use "
            f"({EARLIEST.year} to {LATEST.year}); {HINT}."
        )
    return period


def period_arg(text: str | None, today: date, default: str = "this quarter") -> Period:
    """A tool's period argument, `default` when blank (see optional_period)."""
    return optional_period(text, today) or resolve_period(default, today)


def optional_period(text: str | None, today: date) -> Period | None:
    """A tool's optional period argument: None when blank; words that name no period are
    refused, so a figure is never silently for another period than the one asked for."""
    if not (text or "").strip():
        return None
    period = parse_period(text or "", today)
    if period is None:
        raise PeriodError(f"I can't read '{_shown(text or '')}' as a period; {HINT}.")
    return period


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{text} is not a date; {HINT}.") from None


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def _unit(word: str, n: int) -> str:
    unit = word.rstrip("s")
    return unit if n == 1 else unit + "s"


def _span(n: int, unit: str) -> relativedelta:
    # "last 12 months" from 26 Nov is from 26 Nov a year ago: calendar months, not 30-day ones.
    unit = unit.rstrip("s")
    if unit == "month":
        return relativedelta(months=n)
    return relativedelta(days=n * (7 if unit == "week" else 1))


def _find_period(t: str, today: date) -> Period | None:
    if m := _RANGE.search(t):
        start, end = _day(m.group(1)), _day(m.group(2))
        return Period(min(start, end), max(start, end), f"{start} to {end}")
    if m := _LAST_N_DAYS.search(t):
        n, unit = int(m.group(1)), _unit(m.group(2), int(m.group(1)))
        return Period(today - _span(n, unit), today, f"last {n} {unit}")
    if m := _NEXT_N_DAYS.search(t):
        n, unit = int(m.group(1)), _unit(m.group(2), int(m.group(1)))
        return Period(today, today + _span(n, unit), f"next {n} {unit}")
    if m := _RELATIVE.search(t):
        unit = m.group(2)
        anchor = today + _STEP[unit] * _SHIFT[m.group(1)]
        return _OF[unit](anchor)
    if m := _QUARTER.search(t):
        year = int(m.group(2)) if m.group(2) else today.year
        if not EARLIEST.year <= year <= LATEST.year:
            raise PeriodError(f"Q{m.group(1)} {m.group(2)} is not a quarter I can use; {HINT}.")
        return quarter_of(date(year, 3 * (int(m.group(1)) - 1) + 1, 1))
    if m := re.fullmatch(r"\s*(?:in\s+)?(\d{4})\s*", t):  # "2016": the calendar year
        year = int(m.group(1))
        if not EARLIEST.year <= year <= LATEST.year:
            raise PeriodError(f"{year} is not a year I can use; {HINT}.")
        return year_of(date(year, 1, 1))
    if m := _MONTH.search(t):
        year = int(m.group(2)) if m.group(2) else today.year
        if not EARLIEST.year <= year <= LATEST.year:
            raise PeriodError(f"{m.group(0)} is not a month I can use; {HINT}.")
        return month_of(date(year, month_number(m.group(1)), 1))
    if re.search(r"\b(ytd|year to date)\b", t):
        return Period(date(today.year, 1, 1), today, f"{today.year} to date")
    if re.search(r"\btoday\b", t):
        return Period(today, today, "today")
    if m := re.search(_ISO, t):
        day = _day(m.group(1))
        return Period(day, day, day.isoformat())
    return None


def resolve_period(text: str | None, today: date, default: str = "this quarter") -> Period:
    """Parse `text`, falling back to the default period words."""
    period = parse_period(text or "", today)
    if period is None:
        period = parse_period(default, today)
    assert period is not None
    return period
