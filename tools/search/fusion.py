"""Reciprocal rank fusion of the lexical and semantic lists, the relevance cut-off, and folding
of near-duplicates. Pure functions: tested without a database or a model."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

RRF_K = 60  # the constant of Cormack et al.; ranks past ~60 barely count


@dataclass(frozen=True, slots=True)
class CutOff:
    """When a candidate is relevant enough to show.

    Lexical: its full-text score is at least `lexical_ratio` of the best one. Semantic: its
    cosine distance is at most `max_distance` and within `margin` of the best one. Either is
    enough; a candidate neither half vouches for is padding and is dropped.
    """

    lexical_ratio: float = 0.5
    max_distance: float = 0.55
    margin: float = 0.12


@dataclass(frozen=True, slots=True)
class Candidate:
    activity_id: int
    score: float  # the fused score
    lexical: float | None = None  # full-text score, higher better
    distance: float | None = None  # cosine distance, lower better


def fuse(
    lexical: Sequence[tuple[int, float]], semantic: Sequence[tuple[int, float]], k: int = RRF_K
) -> list[Candidate]:
    """Both lists ranked best first, fused by sum of 1 / (k + rank); best first, ties by id."""
    lex = {i: (rank, s) for rank, (i, s) in enumerate(lexical, 1)}
    sem = {i: (rank, d) for rank, (i, d) in enumerate(semantic, 1)}
    fused = []
    for i in lex.keys() | sem.keys():
        score = sum(1 / (k + r) for r, _ in (x for x in (lex.get(i), sem.get(i)) if x))
        fused.append(
            Candidate(i, score, lex[i][1] if i in lex else None, sem[i][1] if i in sem else None)
        )
    return sorted(fused, key=lambda c: (-c.score, c.activity_id))


DEFAULT_CUT_OFF = CutOff()


def cut(
    candidates: Sequence[Candidate],
    rule: CutOff = DEFAULT_CUT_OFF,
    exact: Set[int] = frozenset(),
) -> list[Candidate]:
    """Only the candidates one half vouches for, in their fused order; `exact` holds rows that
    contain every word the asker typed ("Re: pricing budget"), always kept."""
    best_lex = max((c.lexical for c in candidates if c.lexical is not None), default=None)
    best_dist = min((c.distance for c in candidates if c.distance is not None), default=None)

    def vouched(c: Candidate) -> bool:
        if c.activity_id in exact:
            return True
        lexical_ok = c.lexical is not None and best_lex is not None
        if lexical_ok and c.lexical >= rule.lexical_ratio * best_lex:  # type: ignore[operator]
            return True
        if c.distance is None or best_dist is None:
            return False
        return c.distance <= min(rule.max_distance, best_dist + rule.margin)

    return [c for c in candidates if vouched(c)]


_WORD = re.compile(r"[a-z0-9]+")


def near_duplicate(a: str, b: str, threshold: float = 0.9) -> bool:
    """Word sets overlapping by `threshold` (Jaccard): the same note logged twice, a reply
    quoting the whole thread."""
    wa, wb = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    if not wa or not wb:
        return a == b
    return len(wa & wb) / len(wa | wb) >= threshold


def fold(items: Sequence[tuple[int, str, str]]) -> list[tuple[int, list[int]]]:
    """(id, group key, text) best first -> (kept id, ids folded into it); a later item that
    nearly repeats a kept one of the same group (an account) is folded into it."""
    kept: list[tuple[int, str, str, list[int]]] = []
    for i, group, text in items:
        twin = next((k for k in kept if k[1] == group and near_duplicate(k[2], text)), None)
        if twin is None:
            kept.append((i, group, text, []))
        else:
            twin[3].append(i)
    return [(i, folded) for i, _, _, folded in kept]
