"""Sales words that mean the same thing in a CRM's notes: the lexical side's synonyms.

A rep asks about "competitors" while the note says "bake-off against HubSpot"; embeddings catch
some of that, full text only with these. Each entry: the words that trigger it (stems, matched
at the start of a query word) and the terms added to the full-text query.
"""

from __future__ import annotations

import re

SECURITY_WORDS = (
    "secur", "soc", "infosec", "pen", "penetration", "dpa", "iso", "questionnaire", "complian",
    "audit", "sso",
)  # fmt: skip
EXPANSIONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("pric", "cost", "expensive", "discount", "cheaper", "uplift", "quote"),
        ("price", "pricing", "discount", "expensive", "uplift", "per-seat"),
    ),
    (
        ("competit", "competing", "rival", "alternative", "bake", "incumbent", "evaluat"),
        ("competitor", "competitive", "comparison", "bake-off", "evaluating"),
    ),
    (SECURITY_WORDS, ("security", "soc 2", "infosec", "questionnaire", "pen test", "dpa", "iso")),
    (
        ("champion", "sponsor", "org", "reorg", "leaving", "successor", "advocate"),
        ("champion", "sponsor", "org change", "leaving", "successor", "new role"),
    ),
    (
        ("legal", "contract", "msa", "redline", "liabilit", "indemn", "counsel", "clause"),
        ("msa", "redlines", "legal", "liability", "indemnity", "counsel", "contract"),
    ),
    (
        ("procure", "purchas", "po", "vendor", "w-9", "w9", "paperwork"),
        ("procurement", "po", "vendor onboarding", "w-9", "insurance certificate"),
    ),
    (("budget", "fund", "spend", "financ"), ("budget", "finance", "spend")),
    (("demo", "walkthrough", "deep"), ("demo", "demoed", "deep-dive")),
    (
        ("onboard", "rollout", "roll-out", "implement", "provision", "go-live", "kickoff"),
        ("onboarding", "provision", "kicked off"),
    ),
    (("expan", "upsell", "seats", "grow"), ("expansion", "more seats", "add the marketing")),
    (("renew",), ("renewal", "renew")),
    (("discover", "pain"), ("discovery", "pain")),
    (("integrat", "warehouse"), ("integrate", "warehouse")),
)
_WORD = re.compile(r"[a-z0-9][a-z0-9-]*")


def expand(words: list[str]) -> list[str]:
    """The query's own words and every synonym they trigger, in order, without repeats."""
    terms = list(words)
    for word in words:
        for starts, added in EXPANSIONS:
            if any(triggers(word, t) for t in starts):
                terms += added
    seen: set[str] = set()
    return [t for t in terms if not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]


def mentions_all(terms: list[str], text: str) -> bool:
    """Whether `text` speaks of every term typed: the word itself (any ending) or a word that
    means the same ("Competitive: Salesforce ..." speaks of "competitors").

    Full-text scores add up over synonyms, so a note saying "competitor, comparison, evaluating"
    outscores one saying "competitive" threefold; both mention the topic, and both are answers.
    """
    said = set(words_of(text))
    return bool(terms) and all(_mentioned(term, said) for term in terms)


def _mentioned(term: str, said: set[str]) -> bool:
    # The word's own stem, or the lexicon stem it was typed with ("competitors" and
    # "competitive" share "competit"); not the concept's other words: "evaluating a pilot" is
    # no talk of competitors, and those rows still need the score to be shown.
    stems = {_stem(term), *(t for starts, _ in EXPANSIONS for t in starts if triggers(term, t))}
    return any(triggers(word, stem) for stem in stems for word in said)


def _stem(word: str) -> str:
    # "competitors" -> "competitor", "prices" -> "price": enough of a stem for a prefix test.
    for ending in ("ies", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def triggers(word: str, trigger: str) -> bool:
    # Short triggers ("po", "org", "soc") only as whole words: "positive" is no purchase order.
    return word == trigger or (len(trigger) >= 4 and word.startswith(trigger))


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())
