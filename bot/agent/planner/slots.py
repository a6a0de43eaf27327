"""Slots the offline planner reads from free text: amounts, periods, stages, inactivity, kinds."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
}  # fmt: skip
_UNIT_TYPOS = {
    "quater": "quarter", "quartr": "quarter", "qtr": "quarter", "quarer": "quarter",
    "quarters": "quarter", "mnth": "month", "mth": "month", "wk": "week", "wks": "weeks",
    "yr": "year", "yrs": "years",
}  # fmt: skip
_DAYS_PER = {"day": 1, "week": 7, "month": 30}
_UNIT = r"(days?|weeks?|months?)"
_COUNTED = re.compile(
    r"\b("
    + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
    + r")\s+"
    + _UNIT
    + r"\b"
)


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


# Words that never name an account, deal or person on their own, and fillers around topics.
STOPWORDS = word_set(
    """a about account accounts activity active all am an and any anything are as at be been big
    biggest by call calls can close closes closing company contact contacts could customer
    customers day days deal deals did do does doing down during each email emails everyone for
    from global going gone good got had has have how i in info information is it its know large
    largest last latest list look many me meeting meetings mention mine month months more most
    much my need new next no not note notes now of on one open opp opportunities opportunity opps
    or our out over overview pipeline please quarter quiet recent said say see should show since
    so some stage status stuff team tell than that the their them there they things this to
    today todo top up update us was we week weeks were what when where which who whole why will
    with year you your"""
)


def normalize(text: str) -> str:
    """Lowercase, drop possessives and punctuation, spell out units, keep numbers intact."""
    t = fold_marks(text.lower()).replace("’", "'").replace("–", "-").replace("—", "-")
    t = re.sub(r"\bwon't\b", "will not", t)  # else "won" would read as a stage
    t = re.sub(r"(\w)'s\b", r"\1", t)
    t = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", t)
    t = re.sub(r"[^\w$.,'\-+%>= ]|_", " ", t)  # letters of any script: "شركة", "Müller"
    t = " ".join(_UNIT_TYPOS.get(w, w) for w in t.split())
    return _COUNTED.sub(lambda m: f"{_NUMBER_WORDS[m[1]]} {m[2]}", t).strip()


def fold_marks(text: str) -> str:
    """Accents and other combining marks dropped, so "émoji" matches "emoji" (and "أ" "ا")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cut(text: str, match: re.Match[str]) -> str:
    """`text` with the matched span blanked, so later slots never re-read it."""
    return f"{text[: match.start()]} {text[match.end() :]}"


def _days(number: str, unit: str) -> int:
    return int(number) * _DAYS_PER[unit.rstrip("s")]


_AMOUNT_NUMBER = (
    r"\$?\s*(\d{1,3}(?:[ ,]\d{3})+|\d+)(\.\d+)?\s*(k|mm|m|million|mil|thousand|bn|b|billion)?\b"
)
_NOT_TIME = r"(?!\s*(?:days?|weeks?|months?|years?|%))"
_AMOUNT_BEFORE = re.compile(
    r"(?:over|above|more than|greater than|bigger than|larger than|at least|exceeding|north of|"
    r"upwards of|minimum of|min|>=|>|worth over|worth more than)\s*" + _AMOUNT_NUMBER + _NOT_TIME
)
_AMOUNT_AFTER = re.compile(_AMOUNT_NUMBER + r"\s*(?:\+|or more|and up|and above|plus)")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mil": 1e6, "million": 1e6}
_SCALE |= {"b": 1e9, "bn": 1e9, "billion": 1e9}


def extract_amount(text: str) -> tuple[float | None, str]:
    """A minimum amount ("over 50k", "above $100,000", "1.5m+") and the text without it."""
    for pattern in (_AMOUNT_BEFORE, _AMOUNT_AFTER):
        if m := pattern.search(text):
            whole = re.sub(r"[ ,]", "", m[1]) + (m[2] or "")
            return float(whole) * _SCALE.get(m[3] or "", 1.0), cut(text, m)
    return None, text


_QUIET = re.compile(
    r"\b(?:no (?:recent )?(?:activity|activities|contact|touch(?:es)?|touchpoints?|updates?|"
    r"movement|engagement|interactions?|response|replies|calls|emails|meetings|follow ?ups?)|"
    r"not (?:been )?touched|untouched|haven'?t (?:been )?touched|nobody (?:has )?touched|"
    r"haven'?t heard|not heard|quiet|silent|inactive|idle|dormant|stale|stalled|stalling|"
    r"stuck|neglected|gone dark|went dark|going dark|without (?:any )?activity)\b"
)
_QUIET_SPAN = re.compile(
    rf"(?<!next )(?<!coming )(?:(?:in|for|over|within|during)\s+)?(?:the\s+)?(?:last|past)?\s*"
    rf"(\d{{1,3}})\+?\s*{_UNIT}\b"
)
DEFAULT_QUIET_DAYS = 14


def extract_inactive_days(text: str) -> tuple[int | None, str]:
    """Days without activity ("no activity in 30 days", "quiet for 3 weeks", "stalled")."""
    quiet = _QUIET.search(text)
    if quiet is None:
        return None, text
    text = cut(text, quiet)
    if m := _QUIET_SPAN.search(text):
        return _days(m[1], m[2]), cut(text, m)
    return DEFAULT_QUIET_DAYS, text


_ISO = r"(\d{4}-\d{2}-\d{2})"
_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_ISO + r"\s*(?:to|until|through|thru|-|and)\s*" + _ISO), "{0} to {1}"),
    (re.compile(rf"\b(?:last|past|previous)\s+(\d{{1,3}})\s+{_UNIT}"), "last {days} days"),
    (re.compile(rf"\b(?:next|coming|upcoming|within)\s+(\d{{1,3}})\s+{_UNIT}"), "next {days} days"),
    (re.compile(r"\b(?:this|current)\s+(quarter|month|week|year)\b"), "this {0}"),
    (re.compile(r"\b(?:next|coming|upcoming)\s+(quarter|month|week|year)\b"), "next {0}"),
    (re.compile(r"\b(?:last|previous|past|prior)\s+(quarter|month|week|year)\b"), "last {0}"),
    (re.compile(r"\bq([1-4])(?:\s*(?:of\s+)?(?:fy\s*)?(\d{4}))?\b"), "Q{0} {1}"),
    (re.compile(r"\b(?:ytd|year to date)\b"), "year to date"),
    (re.compile(r"\b(?:eoq|end of (?:the )?quarter|quarter end|the quarter)\b"), "this quarter"),
    (re.compile(r"\b(?:eom|end of (?:the )?month|month end|the month)\b"), "this month"),
    (re.compile(r"\b(?:eoy|end of (?:the )?year|year end|the year)\b"), "this year"),
    (re.compile(r"\btoday\b"), "today"),
    (re.compile(r"\b" + _ISO + r"\b"), "{0}"),
]


def extract_period(text: str) -> tuple[str | None, str]:
    """Period words the tools understand ("next month", "last 14 days", "Q3") and the rest."""
    for pattern, template in _PERIODS:
        if m := pattern.search(text):
            groups = [g or "" for g in m.groups()]
            days = _days(groups[0], groups[1]) if "{days}" in template else 0
            return template.format(*groups, days=days).strip(), cut(text, m)
    return None, text


_STAGE_PHRASES = [
    (re.compile(r"\bclosed?[\s_-]*won\b|\bwon\b|\bwins?\b"), "closed_won"),
    (re.compile(r"\bclosed?[\s_-]*lost\b|\blost\b|\blosses\b"), "closed_lost"),
    (re.compile(r"\bclosed\b"), "closed"),
    (re.compile(r"\b(?:open|active|live)\b"), "open"),
]
_STAGE_WORDS = {
    "prospecting": "prospecting", "prospect": "prospecting", "prospects": "prospecting",
    "qualification": "qualification", "qualified": "qualification", "qualifying":
    "qualification", "discovery": "qualification", "proposal": "proposal",
    "proposals": "proposal", "negotiation": "negotiation", "negotiations": "negotiation",
    "negotiating": "negotiation", "negotiate": "negotiation",
}  # fmt: skip


def extract_stage(text: str) -> str | None:
    """A stage, or "open"/"closed"; a named stage wins ("open deals in proposal": proposal)."""
    for word in text.split():
        if stage := _STAGE_WORDS.get(word):
            return stage
        if len(word) >= 7:
            for key, stage in _STAGE_WORDS.items():
                if len(key) >= 7 and fuzz.ratio(word, key) >= 85:
                    return stage
    return next((stage for rx, stage in _STAGE_PHRASES if rx.search(text)), None)


_KINDS = {
    "email": "email", "emails": "email", "e-mail": "email", "e-mails": "email",
    "mail": "email", "inbox": "email", "call": "call", "calls": "call", "phone": "call",
    "meeting": "meeting", "meetings": "meeting", "note": "note", "notes": "note",
    "linkedin": "linkedin", "inmail": "linkedin",
}  # fmt: skip


def extract_kind(text: str) -> str | None:
    """The interaction kind named in the text (email, call, meeting, note, linkedin)."""
    return next((_KINDS[w] for w in text.split() if w in _KINDS), None)


_LIMIT = re.compile(
    r"\b(?:top|first|best|biggest|largest)\s+(\d{1,2})\b|\b(\d{1,2})\s+(?:biggest|largest)\b"
)


def extract_limit(text: str) -> tuple[int | None, str]:
    """How many rows were asked for ("top 5", "10 biggest")."""
    if m := _LIMIT.search(text):
        return int(m[1] or m[2]), cut(text, m)
    return None, text
