"""Dates people say ("Friday", "in two weeks", "end of month") as calendar dates, purely.

Every function takes `today` in the user's own timezone, so "tomorrow" is their tomorrow.
A bare weekday means the next one after today for things due, and the latest one up to today
for things that happened; "next Friday" is the Friday of next week.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS |= {"sept": 9}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3,
}  # fmt: skip
_WD = "|".join(WEEKDAYS)
# "may" alone is a verb far more often than a month: it needs a day number to count.
_MONTH = "|".join(sorted((m for m in MONTHS if m != "may"), key=len, reverse=True))
_ANY_MONTH = _MONTH + "|may"
_NUM = r"\d{1,3}|" + "|".join(sorted(map(re.escape, NUMBERS), key=len, reverse=True))
_UNIT = r"(day|week|month|year)s?"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    ("relative", r"(today|tonight|tomorrow|yesterday)"),
    ("in", rf"in\s+({_NUM})\s+{_UNIT}"),
    ("ago", rf"({_NUM})\s+{_UNIT}\s+ago"),
    ("end", r"(?:the\s+)?end\s+of\s+(?:the\s+)?(this\s+|next\s+)?(week|month|quarter|year)"),
    ("eo", r"eo(w|m|q|y)"),
    ("next", rf"(next|this|last|coming)\s+(week|month|quarter|year|{_WD})"),
    ("month_day", rf"({_ANY_MONTH})\.?\s+{_ORD}(?:,?\s+(\d{{4}}))?"),
    ("day_month", rf"{_ORD}\s+(?:of\s+)?({_ANY_MONTH})\.?(?:,?\s+(\d{{4}}))?"),
    ("weekday", rf"({_WD})"),
    ("month", rf"({_MONTH})"),
)
_PREFIX = re.compile(r"^(?:(?:by|on|due|before|until|till|for|to|at|from|around)\s+)+")
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _PATTERNS)
# For finding a date inside a sentence; a bare month only after a preposition ("by March").
DATE_PHRASE = re.compile(
    r"\b(?:(?:by|on|due|before|until|till|for|to)\s+)?(?:"
    + "|".join(f"(?:{p})" for kind, p in _PATTERNS if kind != "month")
    + rf"|(?:(?:by|in|to|for)\s+(?:{_MONTH})))\b"
)


def parse_when(
    text: str, today: date, *, past: bool = False, base: date | None = None
) -> date | None:
    """The date `text` names, or None when it names none.

    Args:
        text: "Friday", "next Friday", "in two weeks", "end of month", "tomorrow", "2026-12-05".
        today: the user's local date.
        past: read a bare weekday as the latest one up to today (when a call happened).
        base: a date being pushed (a close date): "next month" then moves it by one month.
    """
    phrase = _PREFIX.sub("", " ".join(text.lower().replace(",", " ").split()))
    for kind, pattern in _COMPILED:
        m = pattern.fullmatch(phrase)
        if m:
            try:
                return _READERS[kind](m, today, past, base)
            except ValueError:  # e.g. "February 31"
                return None
    return None


def find_date_phrase(text: str) -> re.Match[str] | None:
    """The last date phrase in a sentence (lowercase), for the planner to lift out."""
    found = list(DATE_PHRASE.finditer(text.lower()))
    return found[-1] if found else None


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word]


def _shift(today: date, count: int, unit: str) -> date:
    if unit == "day":
        return today + timedelta(days=count)
    if unit == "week":
        return today + timedelta(weeks=count)
    return add_months(today, count * (12 if unit == "year" else 1))


def _iso(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    return date(int(m[1]), int(m[2]), int(m[3]))


def _relative(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    offsets = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}
    return today + timedelta(days=offsets[m[1]])


def _in(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    return _shift(today, _number(m[1]), m[2])


def _ago(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    return _shift(today, -_number(m[1]), m[2])


def _end(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    ahead = 1 if (m[1] or "").strip() == "next" else 0
    return _period_end(today, m[2], ahead)


def _eo(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    unit = {"w": "week", "m": "month", "q": "quarter", "y": "year"}[m[1]]
    return _period_end(today, unit, 0)


def _period_end(today: date, unit: str, ahead: int) -> date:
    if unit == "week":  # the working week: Friday
        return today + timedelta(days=4 - today.weekday() + 7 * ahead)
    if unit == "month":
        return end_of_month(add_months(today.replace(day=1), ahead))
    if unit == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return add_months(first, 3 * (ahead + 1)) - timedelta(days=1)
    return date(today.year + ahead, 12, 31)


def _next(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    which, unit = m[1], m[2]
    if unit in WEEKDAYS:
        return _weekday_in_week(today, WEEKDAYS.index(unit), which, past)
    step = {"next": 1, "coming": 1, "this": 0, "last": -1}[which]
    if base is not None and step:  # pushing a date: by one whole unit
        return _shift(base, step * (3 if unit == "quarter" else 1), _unit_of(unit))
    return _period_start(today, unit, step)


def _unit_of(unit: str) -> str:
    return "month" if unit == "quarter" else unit


def _period_start(today: date, unit: str, step: int) -> date:
    if unit == "week":
        return today - timedelta(days=today.weekday()) + timedelta(weeks=step)
    if unit == "month":
        return add_months(today.replace(day=1), step)
    if unit == "quarter":
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return add_months(first, 3 * step)
    return date(today.year + step, 1, 1)


def _weekday_in_week(today: date, weekday: int, which: str, past: bool) -> date:
    monday = today - timedelta(days=today.weekday())
    if which == "next":
        return monday + timedelta(weeks=1, days=weekday)
    if which == "last":
        return monday - timedelta(weeks=1) + timedelta(days=weekday)
    if which == "this":
        return monday + timedelta(days=weekday)
    return _nearest_weekday(today, weekday, past)


def _nearest_weekday(today: date, weekday: int, past: bool) -> date:
    if past:
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _weekday(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    return _nearest_weekday(today, WEEKDAYS.index(m[1]), past)


def _month_day(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    return _dated(today, MONTHS[m[1]], int(m[2]), m[3], past)


def _day_month(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    return _dated(today, MONTHS[m[2]], int(m[1]), m[3], past)


def _month(m: re.Match[str], today: date, past: bool, base: date | None) -> date:
    """A month alone means its last day ("decision by March"), the next such month ahead."""
    month = MONTHS[m[1]]
    year = today.year + (1 if month < today.month and not past else 0)
    return end_of_month(date(year, month, 1))


def _dated(today: date, month: int, day: int, year: str | None, past: bool) -> date:
    if year:
        return date(int(year), month, day)
    found = date(today.year, month, day)
    if not past and found < today:
        return date(today.year + 1, month, day)
    if past and found > today:
        return date(today.year - 1, month, day)
    return found


_READERS = {
    "iso": _iso,
    "relative": _relative,
    "in": _in,
    "ago": _ago,
    "end": _end,
    "eo": _eo,
    "next": _next,
    "month_day": _month_day,
    "day_month": _day_month,
    "weekday": _weekday,
    "month": _month,
}
