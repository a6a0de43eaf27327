"""Periods read from a question, and turned into words the tools understand.

The planner reads more than the tools do (bare years, halves, "recently", "since Monday",
"tomorrow"); `tool_period` turns each into a date range. Words that look like a period but
name none ("in spring") are kept as said, so the tool says it cannot read them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.agent.planner.textutil import cut
from tools.periods import MONTH_PATTERN, month_number

_UNIT = r"(days?|weeks?|months?)"
_DAYS_PER = {"day": 1, "week": 7, "month": 30}
_ISO = r"(\d{4}-\d{2}-\d{2})"
_YEAR = r"((?:19|20)\d{2})"
_MONTHS = tuple(date(2000, n, 1).strftime("%B").lower() for n in range(1, 13))
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_ISO + r"\s*(?:to|until|through|thru|-|and)\s*" + _ISO), "{0} to {1}"),
    (re.compile(rf"\b(?:last|past|previous)\s+(\d{{1,3}})\s+{_UNIT}"), "last {days} days"),
    (re.compile(rf"\b(?:next|coming|upcoming|within)\s+(\d{{1,3}})\s+{_UNIT}"), "next {days} days"),
    (re.compile(r"\bsince\s+(?:last\s+)?(" + "|".join(_WEEKDAYS) + r")\b"), "since {0}"),
    (re.compile(r"\b(?:this|current)\s+(quarter|month|week|year)\b"), "this {0}"),
    (re.compile(r"\b(?:next|coming|upcoming)\s+(quarter|month|week|year)\b"), "next {0}"),
    (re.compile(r"\b(?:last|previous|past|prior)\s+(quarter|month|week|year)\b"), "last {0}"),
    # A quarter or half of no plausible year ("Q1 0000"): passed on as said, so the tool names it
    # instead of the planner answering for this year's.
    (re.compile(r"\b([qh][1-4]\s*(?:of\s+)?(?!(?:19|20)\d{2}\b)\d{4})\b"), "{0}"),
    (re.compile(r"\b(?:the\s+)?(?:first|1st)\s+half(?:\s+(?:of\s+)?" + _YEAR + r")?"), "H1 {0}"),
    (re.compile(r"\b(?:the\s+)?(?:second|2nd)\s+half(?:\s+(?:of\s+)?" + _YEAR + r")?"), "H2 {0}"),
    (re.compile(r"\bh([12])(?:\s*(?:of\s+)?" + _YEAR + r")?\b"), "H{0} {1}"),
    (re.compile(r"\bq([1-4])(?:\s*(?:of\s+)?(?:fy\s*)?" + _YEAR + r")?\b"), "Q{0} {1}"),
    (re.compile(r"\b(?:ytd|year to date)\b"), "year to date"),
    (re.compile(r"\b(?:eoq|end of (?:the )?quarter|quarter end|the quarter)\b"), "this quarter"),
    (re.compile(r"\b(?:eom|end of (?:the )?month|month end|the month)\b"), "this month"),
    (re.compile(r"\b(?:eoy|end of (?:the )?year|year end|the year)\b"), "this year"),
    (re.compile(r"\btoday\b"), "today"),
    (re.compile(r"\btomorrow\b"), "tomorrow"),
    (re.compile(r"\b(?:recently|lately|of late|these days)\b"), "recently"),
    (re.compile(r"\b" + _ISO + r"\b"), "{0}"),
    (re.compile(r"(?<![-–])\b(?:in|for|during|of|from)?\s*" + _YEAR + r"\b(?!\s*-)"), "{0}"),
]
# Said like a period, but no calendar reading: passed on as said, so the tool names it.
_UNREADABLE = re.compile(
    r"\b(?:in|during|since|over|for)\s+(?:the\s+)?((?:spring|summer|fall|autumn|winter"
    r"|holidays?|fiscal\s+\w+|fy\s*\d+|(?:the\s+)?(?:offsite|launch|kickoff))(?:\s+\d{2,4})?)\b"
)
RECENT_DAYS = 30
_MONTH_YEAR = re.compile(rf"\b(?:in|for|during|of)?\s*{MONTH_PATTERN}\s+(?:of\s+)?{_YEAR}\b")
_MONTH_SHIFTED = re.compile(rf"\b(this|last|next|past|previous|coming)\s+{MONTH_PATTERN}\b")
_SINCE_MONTH = re.compile(rf"\bsince\s+(?:the\s+start\s+of\s+)?{MONTH_PATTERN}\b")
# A bare month needs a word before it: "may" alone is a verb, "march" a noun.
_MONTH_ALONE = re.compile(
    rf"\b(?:in|for|during|by|until|through|thru|before|of|closing|close|closes|due)\s+{MONTH_PATTERN}\b"
)
# What a bare month means depends on the question's tense: deals "won in March" were won in the
# last March, deals "closing in March" close in the next one.
_PAST = re.compile(
    r"\b(?:won|lost|closed|did|was|were|signed|booked|happened|had|got|came|made|sold)\b"
)


def extract_period(text: str) -> tuple[str | None, str]:
    """The period words of a question, in the planner's own spelling, and the rest."""
    if month := _month(text):
        return month
    for pattern, template in _PERIODS:
        if m := pattern.search(text):
            groups = [g or "" for g in m.groups()]
            days = int(groups[0]) * _DAYS_PER[groups[1].rstrip("s")] if "{days}" in template else 0
            return template.format(*groups, days=days).strip(), cut(text, m)
    if m := _UNREADABLE.search(text):
        return m[1], cut(text, m)
    return None, text


def _month(text: str) -> tuple[str, str] | None:
    """A named month: "december 2026", "last march", "since april", "closing in may"."""
    if m := _MONTH_YEAR.search(text):
        return f"{_full(m[1]).title()} {m[2]}", cut(text, m)
    if m := _SINCE_MONTH.search(text):
        return f"since {_full(m[1])}", cut(text, m)
    if m := _MONTH_SHIFTED.search(text):
        shift = {"past": "last", "previous": "last", "coming": "next"}.get(m[1], m[1])
        return f"{shift} {_full(m[2])}", cut(text, m)
    if m := _MONTH_ALONE.search(text):
        # The month word stays in the rest: "closing" still reads as closing.
        rest = text[: m.start(1)] + text[m.end(1) :]
        return f"{'last' if _PAST.search(text) else 'next'} {_full(m[1])}", rest
    return None


def _full(month: str) -> str:
    return date(2000, month_number(month), 1).strftime("%B").lower()


def _month_period(words: str, today: date) -> str | None:
    """ "last march" is the latest March up to this month, "next march" the earliest from it."""
    m = re.fullmatch(r"(this|last|next|since) (\w+)", words)
    if m is None or m[2] not in _MONTHS:
        return None
    month = _MONTHS.index(m[2]) + 1
    year = today.year
    if m[1] in ("last", "since") and month > today.month:
        year -= 1
    if m[1] == "next" and month < today.month:
        year += 1
    if m[1] == "since":
        return f"{date(year, month, 1).isoformat()} to {today.isoformat()}"
    return f"{m[2].title()} {year}"


def tool_period(words: str | None, today: date) -> str | None:
    """The planner's period in words every tool reads (dates for what only it knows)."""
    if words is None:
        return None
    if m := re.fullmatch(r"h([12])(?: (\d{4}))?", words, re.I):
        year = m[2] or str(today.year)
        start, end = ("01-01", "06-30") if m[1] == "1" else ("07-01", "12-31")
        return f"{year}-{start} to {year}-{end}"
    if words == "recently":
        return f"last {RECENT_DAYS} days"
    if month := _month_period(words, today):
        return month
    if words == "tomorrow":
        return (today + timedelta(days=1)).isoformat()
    if m := re.fullmatch(r"since (\w+)", words):
        back = (today.weekday() - _WEEKDAYS.index(m[1])) % 7 if m[1] in _WEEKDAYS else 7
        return f"{(today - timedelta(days=back)).isoformat()} to {today.isoformat()}"
    return words
