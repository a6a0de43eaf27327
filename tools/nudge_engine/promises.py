"""Follow-ups promised in an interaction: find the promise, its deadline, and the action."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

_VERBS = (
    r"send|share|get back|get you|follow up|circle back|come back|provide|deliver|confirm|"
    r"set up|schedule|book|arrange|prepare|put together|draft|review|check|loop in|introduce|"
    r"update|forward|email|call|reach out"
)
# "I'll", "we will", "I am going to", or a bare "will" ("Will get back to you") that is not
# somebody else's ("they will send").
_MODAL = (
    r"\b(?:i|we)(?:['’]ll|\s+will|\s+shall|['’]m\s+going\s+to|\s+am\s+going\s+to|"
    r"['’]re\s+going\s+to|\s+are\s+going\s+to)"
    r"|(?<!they\s)(?<!\bhe\s)(?<!she\s)(?<!\bit\s)(?<!who\s)\bwill"
)
PROMISE = re.compile(
    rf"(?:(?:{_MODAL})\s+|\blet\s+me\s+)(?P<act>(?:{_VERBS})\b[^.!?\n]*)"
    r"|\bpromised\b[^.!?\n]*",
    re.IGNORECASE,
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july"),
    *("august", "september", "october", "november", "december"),
)
_MONTH = "(?:" + "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
DEADLINE = re.compile(
    r"\s*(?:\b(?:by|before|until|on)\s+)?(?:(?P<iso>\d{4}-\d{2}-\d{2})"
    rf"|(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{_MONTH})"
    r"|(?:next\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|(?P<rel>tomorrow|today|tonight|next\s+week|this\s+week|"
    r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week|month)|eod|eow))\b",
    re.IGNORECASE,
)
_TO = ("send", "provide", "deliver", "forward", "introduce", "come back", "reach out", "get back")
_FOR = ("prepare", "put together", "draft", "review", "update", "email", "call", "get you")


@dataclass(frozen=True, slots=True)
class Promise:
    """What was promised (the sentence), the action it names, and when it is due."""

    said: str
    action: str | None
    due: date | None


def find_promise(body: str, said_on: date) -> Promise | None:
    """The last promise made in `body`, or None."""
    matches = list(PROMISE.finditer(body or ""))
    if not matches:
        return None
    match = matches[-1]
    said = " ".join(match.group(0).split())
    act = match.group("act")
    return Promise(said, " ".join(act.split()) if act else None, promised_by(said, said_on))


def promised_by(text: str, said_on: date) -> date | None:
    """The deadline named in `text` ("by Friday", "by 2026-12-01", "next week"), if any."""
    m = DEADLINE.search(text)
    if m is None:
        return None
    if m["iso"]:
        try:
            return date.fromisoformat(m["iso"])
        except ValueError:
            return None
    if m["month"] or m["month2"]:
        return _month_day(m["month"] or m["month2"], int(m["day"] or m["day2"]), said_on)
    if m["weekday"]:
        ahead = (_WEEKDAYS.index(m["weekday"].lower()) - said_on.weekday() - 1) % 7 + 1
        return said_on + timedelta(days=ahead)
    return _relative(" ".join(m["rel"].lower().split()), said_on)


def _month_day(name: str, day: int, said_on: date) -> date | None:
    month = next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name[:3].lower()))
    for year in (said_on.year, said_on.year + 1):
        try:
            when = date(year, month, day)
        except ValueError:
            return None
        if when >= said_on:
            return when
    return None


def _relative(words: str, said_on: date) -> date:
    friday = said_on + timedelta(days=(4 - said_on.weekday()) % 7)
    if words in ("today", "tonight", "eod") or words.endswith("end of day"):
        return said_on
    if words == "tomorrow":
        return said_on + timedelta(days=1)
    if words == "next week":
        return friday + timedelta(days=7)
    if words.endswith("month"):
        return said_on + relativedelta(day=31)
    return friday


def action_title(action: str, account: str) -> str:
    """ "send the revised quote by Friday" -> "Send the revised quote to Acme Corp"."""
    phrase = DEADLINE.sub("", action).strip(" ,;:-")
    # A function, not the name: a backslash in a name ("\1", "Acme\") is not a template.
    phrase = re.sub(r"\byou(?:r team)?\b", lambda _: account, phrase)
    if account not in phrase:
        lower = phrase.lower()
        joint = "to" if lower.startswith(_TO) else "for" if lower.startswith(_FOR) else "with"
        phrase = f"{phrase} {joint} {account}"
    return phrase[:1].upper() + phrase[1:]
