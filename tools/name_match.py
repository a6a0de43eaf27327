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
TIE_MARGIN = 3  # scores this close cannot tell two names apart


@dataclass(frozen=True, slots=True)
class Match:
    """The best candidate for a name, or none, with near misses to suggest."""

    id: int | None
    name: str | None
    suggestions: tuple[str, ...]


def best_match(
    query: str, candidates: Sequence[tuple[int, str]], tiers: Sequence[int] | None = None
) -> Match:
    """Pick the candidate whose name best matches `query` (case, typos and word order forgiven).

    Candidates come in order of preference: among equal scores of one name the earlier wins.
    Names the query cannot tell apart (within TIE_MARGIN; "Atlas Labs" for three Atlas Labs
    deals) are no match: they come back as the suggestions to choose from. `tiers` (lower is
    preferred, one per candidate) settles such a tie first: "the Acme deal" is its open one,
    not also the renewal it won last year.
    """
    q = utils.default_process(query)
    if not q or not candidates:
        return Match(None, None, ())
    names = [utils.default_process(name) for _, name in candidates]
    scores = [name_score(q, name) for name in names]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    if scores[best] >= MATCH_THRESHOLD:
        exact = [i for i, name in enumerate(names) if name == q]
        if len(exact) == 1:
            return Match(candidates[exact[0]][0], candidates[exact[0]][1], ())
        # "the Atlas deal" when Atlas has three: asking which beats answering about one.
        tied = [i for i in ranked if scores[i] >= scores[best] - TIE_MARGIN]
        if tiers is not None:
            top = min(tiers[i] for i in tied)
            tied = [i for i in tied if tiers[i] == top]
            best = tied[0]
        if len({names[i] for i in tied}) > 1:
            return Match(None, None, tuple(candidates[i][1] for i in tied[:3]))
        return Match(candidates[best][0], candidates[best][1], ())
    return Match(
        None, None, tuple(candidates[i][1] for i in ranked[:3] if scores[i] >= SUGGEST_THRESHOLD)
    )


def name_score(query: str, choice: str) -> float:
    """0-100: how well every word typed finds a word of the name, plus overall likeness."""
    words = choice.split()
    if not words:
        return 0.0
    per_word = [max(fuzz.ratio(token, word) for word in words) for token in query.split()]
    coverage = sum(per_word) / len(per_word)
    return 0.7 * coverage + 0.3 * fuzz.WRatio(query, choice)
