"""Check a generated draft against the CRM facts it was written from.

Every number (amounts, percentages, days of the month, years), every month and weekday name and
every relative deadline in the draft must also appear in the facts; otherwise the draft states
something the CRM does not, and it is not shown.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)(?:\s*([kKmM])\b)?")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# English on purpose: `calendar`'s names follow the process locale.
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ABBR = [m[:3] for m in MONTHS]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WORD = re.compile(r"[a-z]+")
_SHORT = "|".join([*_MONTH_ABBR, "sept"])
# "may" and "mar" are ordinary words too: a short month counts only when a day stands next to it.
_SHORT_MONTH_DAY = re.compile(
    rf"\b(?:({_SHORT})\.?\s+\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?({_SHORT})\b)"
)
_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000)}
# Deadlines and quantities spelled in words: a draft may only use them if the CRM does.
_TIME_WORDS = (
    "tomorrow",
    "tonight",
    "today",
    "next week",
    "this week",
    "next month",
    "this month",
    "end of the week",
    "end of the month",
    "end of the quarter",
    "end of the year",
    "eod",
    "eow",
    "eom",
    "eoq",
    "hundred",
    "thousand",
    "million",
    "billion",
    "percent",
    "discount",
)


def unsupported_facts(draft: str, facts: str) -> list[str]:
    """The numbers, dates and deadlines in `draft` that `facts` does not contain."""
    known_numbers = _numbers(facts) | _iso_date_parts(facts)
    known_words = _calendar_words(facts)
    draft_lower = draft.lower()
    facts_lower = facts.lower()
    missing = [n for n in sorted(_numbers(draft)) if n not in known_numbers]
    missing += [w for w in sorted(_calendar_names(draft_lower)) if w not in known_words]
    missing += [w for w in _TIME_WORDS if _has_phrase(draft_lower, w)]
    return [m for m in missing if not _has_phrase(facts_lower, m)]


def _numbers(text: str) -> set[str]:
    found = set()
    for match in _NUMBER.finditer(text):
        value = _decimal(match.group(1))
        if value is None:
            continue
        if match.group(2):
            value *= _MULTIPLIERS[match.group(2).lower()]
        found.add(format(value.normalize(), "f"))
    return found


def _decimal(text: str) -> Decimal | None:
    # "120,000.50" is thousands with cents; a lone comma before three digits is thousands too.
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _iso_date_parts(text: str) -> set[str]:
    """Day and month numbers of ISO dates, without leading zeros ("2026-11-05" gives 11, 5)."""
    return {str(int(part)) for match in _ISO_DATE.finditer(text) for part in match.groups()}


def _calendar_words(facts: str) -> set[str]:
    """Month and weekday names the facts mention, in words or through an ISO date."""
    words = _calendar_names(facts.lower())
    for match in _ISO_DATE.finditer(facts):
        try:
            day = date(*(int(p) for p in match.groups()))
        except ValueError:
            continue
        words |= {MONTHS[day.month - 1], _WEEKDAYS[day.weekday()]}
    return words


def _calendar_names(text: str) -> set[str]:
    """Full month and weekday names, and short or ambiguous month names written next to a day."""
    names = {w for w in _WORD.findall(text) if w in _WEEKDAYS or (w in MONTHS and w != "may")}
    for match in _SHORT_MONTH_DAY.finditer(text):
        short = (match.group(1) or match.group(2))[:3]
        names.add(MONTHS[_MONTH_ABBR.index(short)])
    return names


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text) is not None
