"""Fuzzy matching of the account, deal and rep names a question uses, typos forgiven."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.agent.planner.textutil import normalize
from bot.agent.planner.vocab import STOPWORDS, word_set

# Suffixes shared by many company names; alone they identify nothing.
_GENERIC_NAME_WORDS = word_set(
    """corp corporation inc llc ltd co company group holdings industries enterprises health
    foods food technologies tech systems solutions labs partners international services
    software bank capital the and of"""
)


@dataclass(frozen=True)
class NameHit:
    """A vocabulary name found at tokens [start, end) of the question."""

    name: str
    start: int
    end: int
    score: float


def similarity(gram: str, alias: str) -> float:
    """0-100 likeness of typed words to a name, 0 below the bar that keeps common words out.

    Short words must match exactly ("sam" is not "same"); one or two typos are forgiven in
    longer names only when the first letters agree ("initek", "globx"), so "start" stays
    away from "Stark".
    """
    if gram == alias:
        return 100.0
    if min(len(gram), len(alias)) < 4 or gram[0] != alias[0]:
        return 0.0
    score = fuzz.ratio(gram, alias)
    if score >= 85:
        return score
    same_start = len(gram) >= 5 and gram[:5] == alias[:5]
    return 80.0 if same_start and Levenshtein.distance(gram, alias) <= 2 else 0.0


@lru_cache(maxsize=64)
def name_aliases(names: tuple[str, ...], any_word: bool = False) -> dict[str, str]:
    """Normalized full names, plus the shorter forms that belong to exactly one name.

    Companies are shortened to their leading words ("umbrella" for Umbrella Health), since
    trailing words ("Health", "Security", "Analytics") also describe what people talk about;
    people (`any_word`) go by any of their names ("dana", "whitfield").
    """
    aliases = {normalize(name): name for name in names}
    owners: dict[str, set[str]] = {}
    for name in names:
        words = normalize(name).split()
        shorts = words if any_word else [" ".join(words[:n]) for n in range(1, len(words))]
        for short in shorts:
            if len(short) >= 3 and short.split()[-1] not in _GENERIC_NAME_WORDS | STOPWORDS:
                owners.setdefault(short, set()).add(name)
    for short, named in owners.items():
        if len(named) == 1:
            aliases.setdefault(short, next(iter(named)))
    return aliases


def _spans(tokens: Sequence[str], longest: int = 4) -> list[tuple[int, int, bool]]:
    """Spans worth comparing to names, and whether typos may be forgiven in each.

    A span starting or ending on a filler word may only be a name spelled out in full
    ("open road media"), and never on its own ("open").
    """
    spans = []
    for start, first in enumerate(tokens):
        for end in range(start + 1, min(start + longest, len(tokens)) + 1):
            last = tokens[end - 1]
            plain = first not in STOPWORDS and last not in STOPWORDS and not last.isdigit()
            if plain or end - start > 1:
                spans.append((start, end, plain))
    return spans


def find_name(tokens: Sequence[str], aliases: dict[str, str]) -> NameHit | None:
    """The best-scoring vocabulary name in the tokens; longer spans win ties."""
    keys = list(aliases)
    best: NameHit | None = None
    for start, end, fuzzy in _spans(tokens):
        score, name = _best_alias(" ".join(tokens[start:end]), aliases, keys, fuzzy)
        if score and (best is None or (score, end - start) > (best.score, best.end - best.start)):
            best = NameHit(name, start, end, score)
    return best


def _best_alias(
    gram: str, aliases: dict[str, str], keys: list[str], fuzzy: bool
) -> tuple[float, str]:
    if gram in aliases:
        return 100.0, aliases[gram]
    if not fuzzy:
        return 0.0, ""
    # rapidfuzz shortlists in C, so a book of thousands of names stays fast.
    near = process.extract(gram, keys, scorer=fuzz.ratio, score_cutoff=70, limit=3)
    return max(((similarity(gram, alias), aliases[alias]) for alias, _, _ in near), default=(0, ""))


def deal_account(deal: str) -> str:
    """The account part of a deal name ("Acme Corp – Platform Expansion" -> "Acme Corp")."""
    return re.split(r"\s+[-–—:]\s+", deal, maxsplit=1)[0]


def _title_words(deal: str) -> set[str]:
    words = normalize(deal[len(deal_account(deal)) :]).split()
    return {w for w in words if w not in STOPWORDS and len(w) >= 3 and not w.isdigit()}


@lru_cache(maxsize=16)
def _deals_by_word(deals: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for deal in deals:
        for word in _title_words(deal):
            index.setdefault(word, []).append(deal)
    return {word: tuple(named) for word, named in index.items()}


def find_deal(
    tokens: Sequence[str], deals: tuple[str, ...], account: str | None
) -> tuple[str | None, set[int]]:
    """The deal whose own words ("renewal", "data migration") the tokens name, and those tokens.

    Within the named account when there is one; otherwise two of its words (or its only word)
    must appear, so one everyday word ("support") names no deal. A tie names none.
    """
    used: dict[str, set[int]] = {}
    for word, named in _deals_by_word(deals).items():
        hits = {i for i, t in enumerate(tokens) if similarity(t, word) >= 85}
        for deal in named if hits else ():
            if account is None or deal_account(deal) == account:
                used.setdefault(deal, set()).update(hits)
    if account is None:
        used = {d: u for d, u in used.items() if len(u) >= min(2, len(_title_words(d)))}
    ranked = sorted(used.items(), key=lambda item: -len(item[1]))
    if not ranked or (len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1])):
        return None, set()
    return ranked[0]


def only_deal(deals: Sequence[str], account: str | None) -> str | None:
    """The account's deal when it has exactly one, so "status of initech" needs no more words."""
    mine = [d for d in deals if account and deal_account(d) == account]
    return mine[0] if len(mine) == 1 else None


_POSSESSIVE = re.compile(
    r"\b([a-z]+)'s (?:open |closed |won |lost |big )?"
    r"(?:deals|pipeline|numbers|quota|forecast|book|attainment)\b"
)
_DOING = re.compile(r"\bhow(?:'s| is| are)? ([a-z]+(?: [a-z]+)?) doing\b")


def guess_person(text: str) -> str | None:
    """A name the vocabulary lacks, from "how is X doing" or "X's deals"; the tools check it."""
    low = text.lower().replace("’", "'")
    m = _POSSESSIVE.search(low) or _DOING.search(low)
    if m is None or any(w in STOPWORDS | {"it", "things", "business"} for w in m[1].split()):
        return None
    return m[1].title()
