"""Which tool a question needs, and with what arguments: the offline planner's rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.agent.planner.manager_intents import MANAGER_BUILDERS, manager_intent
from bot.agent.planner.names import deal_account, only_deal
from bot.agent.planner.parse import Parsed
from bot.agent.planner.slots import STOPWORDS, word_set
from bot.agent.planner.types import Vocabulary

_SEARCH = re.compile(
    r"\b(?:say|said|says|saying|mention(?:s|ed|ing)?|talk(?:s|ed|ing)?|discuss(?:es|ed|ing|ion)?"
    r"|objections?|concerns?|complain(?:ed|ing|ts?)?|push ?back|feedback|bring up|brought up"
    r"|raised?|raising|asked about|told|spoke|wrote|search|transcripts?|conversations?)\b"
)
_TODO = re.compile(
    r"\b(?:what should i (?:do|work on|focus on|tackle)|what do i (?:do|need to do)|what next"
    r"|where (?:should|do) i start|to ?-?dos?|plate|priorit(?:y|ies|ize|ise)|overdue|due today"
    r"|what is due|what due|follow ?-?ups?|next actions?|action items?|tasks?|reminders?"
    r"|my day|agenda|needs? (?:my )?attention|who should i (?:call|email|contact|chase))\b"
)
_ONE_DEAL = re.compile(r"\b(?:deal|opportunity|opp)\b")
_MANY_DEALS = re.compile(r"\b(?:deals|opportunities|opps)\b")
_CLOSING = re.compile(r"\b(?:closing|close|closes|slipping|slipped|landing)\b")
_ACCOUNT = re.compile(
    r"\b(?:account|company|customer|client|contacts?|overview|background|profile|people at"
    r"|stakeholders?|decision makers?|champion|who do we know)\b"
)
_STATUS = re.compile(
    r"\b(?:status|going|where are we|where do we stand|update on|latest on|next steps?"
    r"|progress|how close)\b"
)
_PIPELINE = re.compile(
    r"\b(?:pipeline|pipe|quota|attainment|forecast\w*|commit|bookings|numbers|tracking"
    r"|on track|coverage|performance|performing|doing|summary|how am i|book|booked)\b"
)
_PIPE = re.compile(r"\b(?:pipeline|pipe)\b")
_TEAM = frozenset({"team", "teams", "everyone", "everybody", "org", "reps", "reports"})
_WE = frozenset({"we", "our", "us"})
_TOPIC = re.compile(
    r"\b(?:about|regarding|concerning|re|around|mention(?:s|ed|ing)?(?: of)?|discuss(?:ed|ing)?"
    r"|raised?|brought up|bring up|where they talked)\b"
)
_NOT_TOPIC = STOPWORDS | word_set(
    """find search any did they he she them said say says saying talk talked talking mention
    mentioned discuss discussed what who which where when how we tell told spoke wrote raise
    raised bring brought up from at with a an the in of on for to anything something ever were
    was been have has message messages linkedin inmail anyone someone"""
)


def choose_intent(p: Parsed) -> str | None:
    """The name of the tool the question needs, or None when no rule matches."""
    if managerial := manager_intent(p):
        return managerial
    named = p.account or p.deal
    checks: list[tuple[bool, str]] = [
        (bool(_SEARCH.search(p.text)), "search_interactions"),
        (bool(_TODO.search(p.text)) and not named, "next_actions"),
        (bool(p.kind) and not _filters(p), "search_interactions"),
        (bool(_ONE_DEAL.search(p.text)) and bool(named or _residual(p)), "get_deal"),
        (_wants_deal_list(p), "find_deals"),
        (bool(_ACCOUNT.search(p.text)) and bool(p.account or _residual(p)), "account_overview"),
        (bool(_STATUS.search(p.text)) and bool(named or _residual(p)), "get_deal"),
        (bool(_PIPELINE.search(p.text) or p.person) and not named, "pipeline_summary"),
        (bool(p.deal), "get_deal"),
        (bool(p.account), "account_overview"),
        ("today" in p.words or "now" in p.words, "next_actions"),
    ]
    return next((intent for hit, intent in checks if hit), None)


def _filters(p: Parsed) -> bool:
    return any(v is not None for v in (p.stage, p.amount, p.inactive_days))


def _wants_deal_list(p: Parsed) -> bool:
    if _filters(p) or _MANY_DEALS.search(p.text):
        return True
    closing = bool(p.period and _CLOSING.search(p.text))
    return closing or bool(p.account and _PIPE.search(p.text))


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
    words = [w for w in words if w not in _NOT_TOPIC | _FILTER_WORDS]
    return " ".join(words) or None


def _owner(p: Parsed) -> str | None:
    if p.person:
        return p.person
    if p.words & _TEAM:
        return "team"
    return "me" if p.words & {"my", "mine"} or re.search(r"\b(?:i have|for me)\b", p.text) else None


def _compact(**args: Any) -> dict[str, Any]:
    return {k: v for k, v in args.items() if v is not None}


def _plan_find_deals(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    return _compact(
        stage=p.stage,
        period=p.period,
        min_amount=p.amount,
        account=p.account or _unknown_account(p),
        owner=_owner(p),
        inactive_days=p.inactive_days,
        limit=p.limit,
    )


def _plan_get_deal(p: Parsed, vocab: Vocabulary) -> dict[str, Any] | None:
    # Unresolved words go to the tool's own fuzzy match, which can also suggest near misses.
    words = " ".join(w for w in (p.account, _residual(p)) if w)
    deal = p.deal or only_deal(vocab.deals, p.account) or words
    return {"deal": deal} if deal else None


def _plan_account_overview(p: Parsed, vocab: Vocabulary) -> dict[str, Any] | None:
    account = p.account or (deal_account(p.deal) if p.deal else None) or _residual(p)
    return {"account": account} if account else None


def _plan_pipeline_summary(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    # A manager asking "how are we tracking" means the team; a rep's "we" is just them.
    we = vocab.is_manager and bool(p.words & _WE) and "my" not in p.words
    return _compact(scope=_owner(p) or ("team" if we else "me"), period=p.period)


def _plan_next_actions(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    return _compact(limit=p.limit)


def _plan_search_interactions(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    deal = p.deal or only_deal(vocab.deals, p.account)
    said_deal = deal and _ONE_DEAL.search(p.text) and not deal.isdigit()
    return _compact(
        query=_topic(p),
        account=p.account,
        deal=deal if said_deal else None,
        kind=p.kind,
        since=p.period,
        limit=p.limit,
    )


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


_BUILDERS: dict[str, Callable[[Parsed, Vocabulary], dict[str, Any] | None]] = {
    "find_deals": _plan_find_deals,
    "get_deal": _plan_get_deal,
    "account_overview": _plan_account_overview,
    "pipeline_summary": _plan_pipeline_summary,
    "next_actions": _plan_next_actions,
    "search_interactions": _plan_search_interactions,
    **MANAGER_BUILDERS,
}


def tool_args(intent: str, p: Parsed, vocab: Vocabulary) -> dict[str, Any] | None:
    """The arguments for `intent`'s tool, or None when the question lacks one it needs."""
    return _BUILDERS[intent](p, vocab)
