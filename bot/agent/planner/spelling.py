"""Typos in the words that carry a question's meaning, corrected before anything reads them.

"whats my total pipline" and "whats closng this month" must mean what they say; names are
matched separately (names.py), so only the planner's own domain words are corrected here.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.agent.planner.vocab import DOMAIN_WORDS, NOT_TYPOS, STOPWORDS

_KNOWN = DOMAIN_WORDS | STOPWORDS | NOT_TYPOS
_BY_START: dict[str, tuple[str, ...]] = {}
for _word in sorted(DOMAIN_WORDS):
    _BY_START[_word[0]] = (*_BY_START.get(_word[0], ()), _word)


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """The domain word `word` was meant to be, or `word` itself.

    One edit (a swap of neighbours counts as one) is forgiven from four letters, two from
    eight; the first letter must agree, so "talking" stays itself rather than "tracking".
    """
    if len(word) < 4 or word in _KNOWN or not word.isalpha():
        return word
    budget = 1 if len(word) < 8 else 2
    best, best_distance = word, budget + 1
    for candidate in _BY_START.get(word[0], ()):
        if abs(len(candidate) - len(word)) > budget:
            continue
        distance = OSA.distance(word, candidate)
        if distance < best_distance or (distance == best_distance and _swap(word, candidate)):
            best, best_distance = candidate, distance
    return best if best_distance <= budget else word


def _swap(word: str, candidate: str) -> bool:
    return sorted(word) == sorted(candidate)


def correct(text: str, keep: frozenset[str] = frozenset()) -> str:
    """`text` with each misspelled domain word corrected; words in `keep` (names) untouched."""
    return " ".join(w if w in keep else correct_word(w) for w in text.split())
