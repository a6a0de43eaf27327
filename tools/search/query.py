"""Read a search request's words: the topic, and the time, kind and order words around it.

"Did any customer mention a competitor recently?" searches for "competitor" in the last
RECENT_DAYS days, newest first; it never searches for the word "recently".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from tools.arguments import ArgumentError
from tools.models import ActivityKind
from tools.periods import Period, parse_period
from tools.search.lexicon import words_of

RECENT_DAYS = 30
_RECENT = re.compile(r"\b(?:recent(?:ly)?|lately|these days|of late)\b")
_LATEST = re.compile(r"\b(?:latest|newest|most recent|last time|last thing)\b")
_SINCE_EVENT = re.compile(
    r"\bsince (?:the |our |their |that |last )?(demo|call|meeting|kickoff|proposal|quote)\b"
)
_PERIOD = re.compile(
    r"\b(?:(?:this|last|past|previous|next) (?:week|month|quarter|year)|last \d+ days"
    r"|q[1-4](?: \d{4})?|ytd|year to date|today|\d{4}-\d{2}-\d{2})\b"
)
_KINDS = {
    "email": "email", "emails": "email", "e-mail": "email", "e-mails": "email",
    "mail": "email", "call": "call", "calls": "call", "phone": "call", "meeting": "meeting",
    "meetings": "meeting", "note": "note", "notes": "note", "linkedin": "linkedin",
    "inmail": "linkedin",
}  # fmt: skip
_KIND_PHRASE = re.compile(r"\b(e-?mails?|calls?|meetings?|notes?|linkedin|inmail)\b")
_STOPWORDS = """
write wrote writes written writing
a an the and or of to in on at for from with by about regarding re around any anything
something did does do done has have had was were is are be been being what which who whom
whose when where how why we our us they their them he she his her it its i me my you your
customer customers client clients prospect prospects account accounts deal deals say said
says saying tell told mention mentions mentioned mentioning raise raised raising bring
brought up talk talked talking discuss discussed discussing ask asked asking for news there
anyone someone ever latest recent recently lately status update updates let know show find
search give me please all interactions interaction history been any say concerns concern
concerned worried worry worries where are on stand send sent sends sending share shared
"""
STOPWORDS = frozenset(_STOPWORDS.split())


@dataclass(frozen=True, slots=True)
class Reading:
    """What a request's words ask for, besides its topic."""

    terms: list[str]
    since: date | None = None
    until: date | None = None
    newest_first: bool = False
    since_event: str | None = None  # "since the demo": the date of the latest demo, found later
    kind: str | None = None
    words_used: list[str] = field(default_factory=list)  # "recently", "last month": for the reply


def read_query(query: str, today: date) -> Reading:
    """The topic terms and the time, order and kind words of `query`."""
    text = " ".join(query.lower().split())
    used: list[str] = []
    start: date | None = None
    until: date | None = None
    newest = False
    if m := _RECENT.search(text):
        start, newest = today - timedelta(days=RECENT_DAYS), True
        used.append(m[0])
        text = _cut(text, m)
    if m := _LATEST.search(text):
        newest = True
        used.append(m[0])
        text = _cut(text, m)
    event = None
    if m := _SINCE_EVENT.search(text):
        event, newest = m[1], True
        used.append(m[0])
        text = _cut(text, m)
    if (m := _PERIOD.search(text)) and (period := _period(m[0], today)):
        start, until = period.start, min(period.end, today)
        used.append(period.label)
        text = _cut(text, m)
    kind = None
    if m := _KIND_PHRASE.search(text):
        kind = _KINDS.get(m[1].replace("e-", "e"))
    terms = [w for w in words_of(text) if w not in STOPWORDS]
    if kind:
        terms = [w for w in terms if _KINDS.get(w) != kind]
    return Reading(terms, start, until, newest, event, kind, used)


def kind_value(kind: str | None) -> str | None:
    """A kind argument ("emails", "Calls") as the stored value, or None when it names none."""
    if not kind:
        return None
    value = _KINDS.get(kind.strip().lower(), kind.strip().lower())
    return value if value in {k.value for k in ActivityKind} else None


def _cut(text: str, m: re.Match[str]) -> str:
    return (text[: m.start()] + " " + text[m.end() :]).strip()


def _period(words: str | None, today: date) -> Period | None:
    if not words or not words.strip():
        return None
    try:
        return parse_period(words, today)
    except ArgumentError:
        return None
