"""Topic questions ("what did Acme say about pricing?", "is Pinnacle looking at competitors?",
"where are we on the Ridgeway security review") go to the interaction history, with the
account, deal, contact, kind and period they name as filters.

Hooked in once, in plan.py: it may take over a question the other rules would answer with an
account overview, a deal card, or nothing; never a manager or write question.
"""

from __future__ import annotations

import re

from bot.agent.planner.leftovers import _unknown_account
from bot.agent.planner.names import only_deal
from bot.agent.planner.parse import Parsed
from bot.agent.planner.types import PlannedCall, Vocabulary
from bot.agent.planner.unknown_names import unknown_name
from bot.agent.planner.vocab import word_set
from tools.search.lexicon import EXPANSIONS, triggers
from tools.search.query import STOPWORDS

# Whatever the rules chose, these may become a topic search.
OVERRIDABLE = frozenset({None, "account_overview", "contacts", "get_deal", "search_interactions"})
# A named account plus one of these is a topic question even without a topic word.
_STRONG_CUE = re.compile(
    r"\b(?:raised?|mention(?:s|ed)?|say|said|told|worried|concerns?|any news|news from"
    r"|latest from|hear(?:d)? from)\b"
)
_SINCE_DEMO = re.compile(r"\bsince (?:the |our )?demo\b")
_CUE = re.compile(
    r"\b(?:about|regarding|concerning|raised?|raising|mention(?:s|ed|ing)?|asked (?:for|about)"
    r"|ask(?:s|ing)? (?:for|about)|request(?:s|ed)?|worried|worr(?:y|ies)|concerns?|complain\w*"
    r"|objections?|push ?back|where are we on|where do we stand on|any news|news from"
    r"|what(?:'s| is) new|looking at|evaluating|latest on|update on|news on"
    r"|talk(?:ed|ing)? about|said|say|says|told|chang(?:e|es|ed) (?:at|in|with)"
    r"|sen[dt]|shared?)\b"
)
_EXTRA_TOPICS = frozenset({"news", "champion", "competitors", "competition", "msa", "soc"})
_CONTACT = re.compile(
    r"\b(?:what did|what has|has|did|what does)\s+([a-z][a-z'-]+(?: [a-z][a-z'-]+)?)\s+"
    r"(?:say|said|mention|raise|ask|tell|write|think|want)\b"
)
_NOT_CONTACT = word_set(
    """they the customer customers anyone someone anybody we you he she it our their client
    clients prospect prospects any everyone people legal procurement security finance"""
)
_QUERY_NOISE = STOPWORDS - frozenset({"latest", "recent", "recently", "lately"}) | word_set(
    """since until before after looking look evaluating where are on is who what any news new
    changes change did ask asked for want wants wanted worried concerns"""
)


def topic_call(
    p: Parsed, vocab: Vocabulary, intent: str | None, since: str | None = None
) -> PlannedCall | None:
    """A search_interactions call when the question asks what was said about something.

    `since` is the period as the tools read it (dates for years and halves); an account name
    outside the asker's book is passed on, so the tool says it is not found instead of
    searching everything.
    """
    contact = _contact(p, vocab)
    words = _words(p, contact)
    topical = any(_is_topic(w) for w in words)
    named = bool(p.account or p.deal or contact)
    asks = topical and (_CUE.search(p.text) or named)
    # A topic word with a cue ("looking at", "where are we on", "mentioned") asks what was
    # said, whatever the intent model guessed; otherwise only the readings a topic search may
    # replace.
    if intent not in OVERRIDABLE and not (topical and _CUE.search(p.text)):
        return None
    if not asks and not (named and _STRONG_CUE.search(p.text)):
        return None
    recently = since == "recently"  # a word the search reads: the last 30 days, newest first
    deal = p.deal or only_deal(vocab.deals, p.account)
    args = {
        "query": _query(words, p) + (" recently" if recently else ""),
        "account": p.account or (None if contact else unknown_name(p)) or _unknown_account(p),
        "deal": deal if deal and "deal" in p.words and not deal.isdigit() else None,
        "contact": contact,
        "kind": p.kind,
        "since": None if recently else since or p.period,
        "limit": p.limit,
    }
    return PlannedCall("search_interactions", {k: v for k, v in args.items() if v is not None})


def _words(p: Parsed, contact: str | None) -> list[str]:
    text = _SINCE_DEMO.sub(" ", " ".join(p.topic))
    # "expansion with Vertex Media" is a topic at an account; "the fleet renewal" (a deal named
    # by its own words) and "the Globex expansion deal" are deals.
    deal = p.deal if p.deal and ("deal" in p.words or not p.account) else None
    names = " ".join(n for n in (contact, deal, p.account) if n).lower()
    drop = set(re.findall(r"[\w-]+", names)) | _KIND_WORDS
    return [w for w in text.split() if (w.isalnum() or "-" in w) and w not in drop]


_KIND_WORDS = word_set(
    """email emails e-mail e-mails call calls meeting meetings note notes linkedin"""
)


def _is_topic(word: str) -> bool:
    return word in _EXTRA_TOPICS or any(triggers(word, t) for t, _ in _entries())


def _entries() -> list[tuple[str, None]]:
    return [(t, None) for words, _ in EXPANSIONS for t in words]


def _query(words: list[str], p: Parsed) -> str:
    # Time words stay: the tool reads "recently", "latest" and "since the demo" itself.
    kept = [w for w in words if w not in _QUERY_NOISE or w in {"latest", "recently"}]
    if re.search(r"\bsince (?:the |our )?demo\b", p.text):
        kept.append("since the demo")
    return " ".join(kept) or "latest"


def _contact(p: Parsed, vocab: Vocabulary) -> str | None:
    m = _CONTACT.search(p.text)
    if m is None:
        return None
    name = m[1]
    names = {w for n in (*vocab.accounts, *vocab.reps) for w in n.lower().split()}
    if set(name.split()) & (_NOT_CONTACT | names) or (p.account and name in p.account.lower()):
        return None
    return name.title()
