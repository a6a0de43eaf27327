"""Words a question leaves over: unknown names to pass on, and the topic to search for."""

from __future__ import annotations

import re

from bot.agent.planner.parse import Parsed
from bot.agent.planner.unknown_names import everyday_words, is_topic
from bot.agent.planner.vocab import BACK_REFERENCES, STOPWORDS, word_set

_SEARCH = re.compile(
    r"\b(?:say|said|says|saying|mention(?:s|ed|ing)?|talk(?:s|ed|ing)?|discuss(?:es|ed|ing|ion)?"
    r"|objections?|concerns?|complain(?:ed|ing|ts?)?|push ?back|feedback|bring up|brought up"
    r"|raised?|raising|asked about|told|spoke|wrote|search|transcripts?|conversations?)\b"
)
_TOPIC = re.compile(
    r"\b(?:about|regarding|concerning|re|around|mention(?:s|ed|ing)?(?: of)?|discuss(?:ed|ing)?"
    r"|raised?|brought up|bring up|where they talked)\b"
)
_NOT_TOPIC = (
    STOPWORDS
    | BACK_REFERENCES
    | word_set(
        """find search any did they he she them said say says saying talk talked talking mention
    mentioned discuss discussed what who which where when how we tell told spoke wrote raise
    raised bring brought up from at with a an the in of on for to anything something ever were
    was been have has message messages linkedin inmail anyone someone"""
    )
)


def _residual(p: Parsed) -> str | None:
    """Words no slot explained: an unknown name for the tools to match or suggest against."""
    cues = {"tell", "going", "doing", "give", "find", "stand", "progress", "latest", "status"}
    words = [w for w in p.rest if w not in _NOT_TOPIC | cues and w.isalpha()]
    return " ".join(words) if 0 < len(words) <= 4 else None


_AFTER_PREPOSITION = re.compile(r"\b(?:for|at|with|from|of|on)\s+([a-z][a-z ]*)")
_FILTER_WORDS = word_set(
    """prospecting prospect prospects qualification qualified qualifying discovery proposal
    proposals negotiation negotiations negotiating negotiate won win wins lost losses closed
    live stage big large new huge"""
)


def _unknown_account(p: Parsed) -> str | None:
    """A name after "for"/"at"/"with" that no vocabulary word explains ("big deals for Zenith").

    Passing it on lets the tool answer "not found" with suggestions instead of listing
    every deal as if no account had been named.
    """
    if p.account or p.person:
        return None
    m = _AFTER_PREPOSITION.search(" ".join(p.rest))
    words = m[1].split()[:3] if m else []
    words = [w for w in words if w not in _NOT_TOPIC | _FILTER_WORDS and not is_topic(w)]
    # "latest on pricing", "news of the rollout": after on/of stands a topic unless the word
    # is no everyday English ("update on Zorblax").
    if m and m[0].split()[0] in ("on", "of"):
        words = [w for w in words if w not in everyday_words()]
    return " ".join(words) or None


def _topic(p: Parsed) -> str:
    """The words to search for: after "about"/"mention of" when present, else what is left."""
    rest = " ".join(p.topic)
    starts = list(_TOPIC.finditer(rest))
    words = rest[starts[-1].end() :].split() if starts else []
    while words and words[0] in _NOT_TOPIC:
        words.pop(0)
    while words and words[-1] in _NOT_TOPIC:
        words.pop()
    if not words:
        words = [w for w in p.topic if w not in _NOT_TOPIC and not _SEARCH.fullmatch(w)]
    # Something to embed even for "any calls with Hooli?": the kind, else the whole question.
    return " ".join(words) or p.kind or p.text
