"""Fuzzy matching of a typed name against candidates: case, typos and word order forgiven.

Pure Python, no SQL: the queries that fetch candidates (tools/crm/names.py for accounts and
deals, tools/crm/users.py for people) call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

MATCH_THRESHOLD = 72
SUGGEST_THRESHOLD = 60


@dataclass(frozen=True, slots=True)
class Match:
    """The best candidate for a name, or none, with near misses to suggest."""

    id: int | None
    name: str | None
    suggestions: tuple[str, ...]


def best_match(query: str, candidates: Sequence[tuple[int, str]]) -> Match:
    """Pick the candidate whose name best matches `query` (case, typos and word order forgiven).

    Candidates come in order of preference: among equal scores the earlier one wins.
    """
    q = utils.default_process(query)
    if not q or not candidates:
        return Match(None, None, ())
    scores = [name_score(q, utils.default_process(name)) for _, name in candidates]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    if scores[best] >= MATCH_THRESHOLD:
        return Match(candidates[best][0], candidates[best][1], ())
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])[:3]
    return Match(
        None, None, tuple(candidates[i][1] for i in ranked if scores[i] >= SUGGEST_THRESHOLD)
    )


def name_score(query: str, choice: str) -> float:
    """0-100: how well every word typed finds a word of the name, plus overall likeness."""
    words = choice.split()
    if not words:
        return 0.0
    per_word = [max(fuzz.ratio(token, word) for word in words) for token in query.split()]
    coverage = sum(per_word) / len(per_word)
    return 0.7 * coverage + 0.3 * fuzz.WRatio(query, choice)
