"""Slots the offline planner reads from free text: amounts, stages, inactivity, kinds, counts."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.agent.planner.textutil import cut

_DAYS_PER = {"day": 1, "week": 7, "month": 30}
_UNIT = r"(days?|weeks?|months?)"


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


_COUNT = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20,
}  # fmt: skip
_N = r"(\d{1,2}|" + "|".join(_COUNT) + r")"
_LIMIT = re.compile(
    rf"\b(?:top|first|best|biggest|largest|smallest|oldest)\s+{_N}\b"
    rf"|\b{_N}\s+(?:biggest|largest|smallest|oldest|newest|top|most|deals|opps)\b"
)


def extract_limit(text: str) -> tuple[int | None, str]:
    """How many rows were asked for ("top 5", "10 biggest", "my three biggest deals")."""
    if m := _LIMIT.search(text):
        said = m[1] or m[2]
        return int(_COUNT.get(said, said)), cut(text, m)
    return None, text
