"""The sentence before the list: how many interactions matched, and who said what, when.

Extractive: every word of it comes from the rows (names, dates, and of a body the sentence that
speaks of the topic, else its first).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from tools.search.lexicon import mentions_all, words_of

QUOTED = 3  # matches quoted in the sentence; the list shows the rest
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_PLURAL = {"email": "emails", "call": "calls", "meeting": "meetings", "note": "notes"}


def summarize(hits: list[dict[str, Any]], topic: str, searched: str) -> str:
    """The sentence: '2 calls mention pricing: Patrick Lee (Acme) on 12 Nov 2026 said "…"; …',
    or what was searched when nothing matched."""
    if not hits:
        return f"No interactions mention {topic} in {searched}."
    quotes = "; ".join(_quote(h, words_of(topic)) for h in hits[:QUOTED])
    more = f"; and {len(hits) - QUOTED} more" if len(hits) > QUOTED else ""
    verb = "mentions" if len(hits) == 1 else "mention"
    return f"{_count(hits)} {verb} {topic}: {quotes}{more}."


def _count(hits: list[dict[str, Any]]) -> str:
    kinds = Counter(str(h.get("kind")) for h in hits)
    n = len(hits)
    if len(kinds) == 1:
        kind = next(iter(kinds))
        noun = kind if n == 1 else _PLURAL.get(kind, f"{kind} messages")
        return f"{n} {noun}"
    return f"{n} interaction" + ("" if n == 1 else "s")


def _quote(hit: dict[str, Any], topic: list[str]) -> str:
    account = hit.get("account")
    who = f"{hit['contact']} ({account})" if hit.get("contact") else account
    when = _day(hit.get("date"))
    sentences = _SENTENCE.split(str(hit.get("snippet") or hit.get("subject") or "").strip())
    # "Cold intro to Mei. They are on a cheaper competitor today.": quote what was asked about.
    first = next((s for s in sentences if mentions_all(topic, s)), sentences[0])
    first = first.rstrip("…").rstrip(".")
    said = "noted" if hit.get("kind") == "note" else "said"
    return f'{who} on {when} {said} "{first}"'


def _day(iso: str | None) -> str:
    if not iso:
        return "an unknown day"
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b} {day.year}"
