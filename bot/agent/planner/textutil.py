"""Small text helpers every reader of a question shares."""

from __future__ import annotations

import itertools
import re
import unicodedata

from bot.agent.planner.vocab import NUMBER_WORDS, UNIT_TYPOS

_WORD = re.compile(r"[A-Za-z][A-Za-z&'\-]*")
_SENTENCES = re.compile(r"[.!?:;\n]+")
_COUNTED = re.compile(
    r"\b("
    + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
    + r")\s+(days?|weeks?|months?)\b"
)


def fold_marks(text: str) -> str:
    """Accents and other combining marks dropped, so "émoji" matches "emoji" (and "أ" "ا")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Lowercase, drop possessives and punctuation, spell out units, keep numbers intact."""
    t = fold_marks(text.lower()).replace("’", "'").replace("–", "-").replace("—", "-")
    t = re.sub(r"\bwon't\b", "will not", t)  # else "won" would read as a stage
    t = re.sub(r"\b(what|who|where|how|that|it)'?s\b", r"\1 is", t)  # "what's", "whats"
    t = re.sub(r"(\w)'s\b", r"\1", t)
    t = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", t)
    t = re.sub(r"[^\w$.,'\-+%>= ]|_", " ", t)  # letters of any script: "شركة", "Müller"
    t = " ".join(UNIT_TYPOS.get(w, w) for w in _without_long_runs(t.split()))
    return _COUNTED.sub(lambda m: f"{NUMBER_WORDS[m[1]]} {m[2]}", t).strip()


def _without_long_runs(words: list[str]) -> list[str]:
    """A word typed three or more times in a row ("blah blah blah ...") counts once: repeated,
    its n-grams would drown the question's own words in the intent model."""
    kept: list[str] = []
    for word, run in itertools.groupby(words):
        n = len(list(run))
        kept += [word] * (n if n < 3 else 1)
    return kept


def cut(text: str, match: re.Match[str]) -> str:
    """`text` with the matched span blanked, so later slots never re-read it."""
    return f"{text[: match.start()]} {text[match.end() :]}"


def capitalized(text: str) -> frozenset[str]:
    """Words written with a capital inside a sentence ("biggest deal Globex has"), lowercased.

    A sentence's first word and all-capital shorthand ("ARR", "Q4", "KPI") do not count.
    """
    found: set[str] = set()
    for sentence in _SENTENCES.split(fold_marks(text)):
        for word in _WORD.findall(sentence)[1:]:
            word = word.removesuffix("'s")
            if word[0].isupper() and not word.isupper():
                found.add(word.lower())
    return frozenset(found)
