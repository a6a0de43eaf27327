"""What a question asks: its intent (the model's) and its slots (the rules'), in context.

`understand` is what the benchmark scores and `plan` turns into tool calls. A follow-up
("which of those are over 50k?", "and the biggest one?", "who are the contacts there?") is
read against the question before it, so the conversation's subject carries over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.agent.planner.concepts import concept_tokens
from bot.agent.planner.model import load_model
from bot.agent.planner.names import deal_account, only_deal
from bot.agent.planner.parse import Parsed, parse
from bot.agent.planner.rankings import (
    extract_direction,
    extract_metric,
    extract_order,
    extract_outcome,
    singular,
)
from bot.agent.planner.slots import DEFAULT_QUIET_DAYS
from bot.agent.planner.types import Vocabulary
from bot.agent.planner.vocab import BACK_REFERENCES, DOMAIN_WORDS, MINE, TEAM, WE

# The slots each intent reads; the rest of what a question says is not its business.
SLOTS_OF: dict[str, tuple[str, ...]] = {
    "next_actions": ("limit",),
    "due_tasks": ("period",),
    "pipeline_summary": ("owner", "period"),
    "find_deals": ("owner", "period", "stage", "min_amount", "account", "inactive_days", "limit"),
    "rank_deals": (
        "owner",
        "period",
        "stage",
        "min_amount",
        "account",
        "inactive_days",
        "order",
        "limit",
    ),
    "get_deal": ("deal",),
    "account_overview": ("account",),
    "contacts": ("account",),
    "search_interactions": ("account", "deal", "kind", "period"),
    "closed_deals": ("owner", "period", "outcome", "account"),
    "rank_reps": ("metric", "direction", "period"),
    "quota_standing": ("direction", "period"),
    "rep_kpis": ("owner", "period"),
    "forecast": ("owner", "period"),
    "pipeline_review": ("owner", "period"),
    "deal_risks": ("owner", "limit"),
    "coaching_brief": ("owner", "period"),
}
DEAL_LISTS = frozenset({"find_deals", "rank_deals", "closed_deals"})
_WE_MEANS_TEAM = frozenset({"pipeline_summary", "forecast", "pipeline_review"})
_TEAM_OWNER = frozenset({"forecast", "pipeline_review", "deal_risks", "pipeline_summary",
                         "find_deals", "rank_deals", "closed_deals"})  # fmt: skip
CONCEPT_WEIGHT = 3  # each concept token counted thrice: a synonym outweighs stray n-grams
_REP_WORDS = frozenset({"rep", "reps", "performers", "performer", "sellers", "people"})
_DEAL_WORDS = frozenset({"deal", "deals", "opp", "opps", "opportunity", "opportunities"})
_SMALL_TALK = frozenset({"what", "whats", "which", "who", "show", "tell", "about"})
_I_MEANS_ME = frozenset({"pipeline_summary", "find_deals", "rank_deals", "closed_deals"})
_FRESH = re.compile(r"^(?:new question|new topic|start over|forget (?:that|it)|different question)"
                    r"\b[\s:,.-]*")  # fmt: skip
_REFINE = re.compile(
    r"^(?:and|what about|how about|same for|same|only|just|now|ok|okay|then)\b"
    r"|\b(?:of (?:those|these|them)|which of|ones)\b"
)


@dataclass(frozen=True)
class Reading:
    """One question understood: the intent, its slots, and how sure the model was."""

    intent: str
    slots: dict[str, Any]
    confidence: float = 1.0
    alternatives: tuple[str, ...] = ()
    parsed: Parsed | None = field(default=None, compare=False)


def model_text(p: Parsed, is_manager: bool, concepts_only: bool = False) -> str:
    """What the intent model reads: the asker's role, the question with names masked, and the
    concepts it names (training also shows the concepts alone, so they carry weight)."""
    concepts = " ".join(concept_tokens(p.text) * CONCEPT_WEIGHT)
    kinds = " ".join(w for w in p.masked.split() if w in ("acct", "rep", "dealname"))
    words = f"{kinds} {concepts}" if concepts_only else f"{p.masked} {concepts}"
    return f"{'manager' if is_manager else 'rep'} {words}"


def understand(
    text: str, vocab: Vocabulary, context: Sequence[str] = (), last_answer: str = ""
) -> Reading:
    """Read `text`, as a follow-up to the earlier questions in `context` when it is one.

    `last_answer` is the reply to the last of them: the deal it named is what "it" means.
    """
    fresh = _FRESH.sub("", text.strip(), count=1)
    if fresh != text.strip():
        return _read(fresh, vocab)
    reading = _read(text, vocab, points_back=bool(context))
    if not context:
        return reading
    before = understand(context[-1], vocab, context[-4:-1])
    return follow_up(reading, _with_answer_focus(before, last_answer, vocab), vocab)


def _with_answer_focus(before: Reading, answer: str, vocab: Vocabulary) -> Reading:
    """The deal (or account) the last answer was about, when it named exactly one."""
    if before.slots.get("deal") or not answer:
        return before
    named = [d for d in vocab.deals if d in answer]
    accounts = {deal_account(d) for d in named}
    slots = dict(before.slots)
    if len(named) == 1 or (named and before.slots.get("limit") == 1):
        slots["deal"] = named[0]
    elif len(accounts) == 1:
        slots["account"] = accounts.pop()
    return replace(before, slots=slots)


def _read(text: str, vocab: Vocabulary, points_back: bool = False) -> Reading:
    p = parse(text, vocab.accounts, vocab.deals, vocab.reps, vocab.me)
    # "tell me more about it" names nothing itself, but after a question it is about its subject.
    refers = points_back and bool(p.words & BACK_REFERENCES)
    if not (_about_sales(p) or refers):
        return Reading("help", {}, 1.0, (), p)
    if named := _named_only(p):
        return Reading(named, read_slots(named, p, vocab), 1.0, (), p)
    ranked = load_model().scores(model_text(p, vocab.is_manager))
    intent, confidence = ranked[0]
    intent = _consistent(intent, p, vocab.is_manager)
    alternatives = tuple(name for name, prob in ranked[1:3] if prob >= 0.1)
    return Reading(intent, read_slots(intent, p, vocab), confidence, alternatives, p)


def _about_sales(p: Parsed) -> bool:
    """Whether anything in the question is the planner's business: a name, a slot or a concept.

    "hello", "tell me a joke" and "asdfgh" name none, and get the help text, not a guess.
    """
    slots = (p.amount, p.inactive_days, p.period, p.stage, p.kind, p.limit, p.account, p.deal)
    named = p.person not in (None, "me") or any(v is not None for v in slots)
    return named or bool(concept_tokens(p.text)) or bool(p.words & DOMAIN_WORDS - _SMALL_TALK)


def _named_only(p: Parsed) -> str | None:
    """A deal id, or a bare name ("umbrella", "the data migration"): nothing to guess."""
    if p.deal and p.deal.isdigit():
        return "get_deal"
    if not p.rest and (p.account or p.deal):
        return "get_deal" if p.deal else "account_overview"
    return None


def _consistent(intent: str, p: Parsed, manager: bool) -> str:
    """The few readings the names and the role settle: a person-only intent asked about an
    account ("how is acme doing") is about the account; a rep's own quota ("I won't hit
    quota") is their pipeline and quota, not a team ranking."""
    about_reps = p.words & {"who", "which", "anyone", "team", "reps"}
    own = p.words & {"i", "im", "my"} and not about_reps
    # A rep asking "which of my reps closed the most" gets the ranking of the one book they may
    # see, with the tool's note saying so; their own quota standing is their pipeline summary.
    rep_ranks = intent == "rank_reps" and not manager and about_reps
    if intent in ("quota_standing", "rank_reps") and (not manager or own) and not p.person:
        return intent if rep_ranks else "pipeline_summary"
    if intent in ("rep_kpis", "coaching_brief") and p.account and not p.person:
        return "account_overview"
    if intent == "deal_risks" and (p.deal or (p.account and "deal" in p.words)):
        return "get_deal"  # "is the Acme deal at risk?": that deal, with its facts
    if intent == "rank_deals" and p.words & _REP_WORDS and not p.words & _DEAL_WORDS:
        return "rep_kpis"  # "rank my reps", "top performers": the leaderboard
    return intent


def read_slots(intent: str, p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    """The rule-based slots `intent` reads from `p`."""
    deal = p.deal or only_deal(vocab.deals, p.account)
    said_deal = p.deal or ("deal" in p.words and deal)
    values: dict[str, Any] = {
        "owner": _owner(intent, p, vocab.is_manager),
        "period": p.period,
        "stage": None if intent == "rank_deals" and p.stage == "open" else p.stage,
        "min_amount": p.amount,
        "account": p.account,
        "inactive_days": p.inactive_days,
        "limit": p.limit,
        "kind": p.kind,
    }
    if intent == "get_deal":  # an account with several deals: the tool suggests them
        values["deal"] = deal or p.account
    if intent == "search_interactions" and said_deal:
        values["deal"], values["account"] = deal, None
    if intent in ("account_overview", "contacts") and not p.account and p.deal:
        values["account"] = deal_account(p.deal)
    if intent == "rank_deals":
        values["order"] = extract_order(p.text) or "amount"
        if values["order"] == "inactivity" and p.inactive_days == DEFAULT_QUIET_DAYS:
            values["inactive_days"] = None  # "most inactive" ranks; it sets no cutoff
        if values["limit"] is None and singular(p.text):
            values["limit"] = 1
    if intent == "closed_deals":
        values["outcome"] = extract_outcome(p.text)
    if intent in ("rank_reps", "quota_standing"):
        values["direction"] = extract_direction(p.text, standing=intent == "quota_standing")
    if intent == "rank_reps":
        values["metric"] = extract_metric(p.text)
    return {k: v for k, v in values.items() if k in SLOTS_OF.get(intent, ()) and v is not None}


def _owner(intent: str, p: Parsed, manager: bool) -> str | None:
    if p.person:
        return p.person
    if intent == "coaching_brief":
        return None
    if intent == "rep_kpis":  # "how are my reps doing": the team, not the manager's own book
        return "team" if p.words & TEAM else None
    if p.words & TEAM and intent in _TEAM_OWNER:
        return "team"
    if p.words & WE and intent in _WE_MEANS_TEAM and manager:
        return "team"
    if "for me" in p.text:
        return "me"
    mine = MINE | {"i", "im"} if intent in _I_MEANS_ME else MINE
    return "me" if p.words & mine else None


def follow_up(reading: Reading, before: Reading, vocab: Vocabulary) -> Reading:
    """`reading` completed from the question before it when it points back at it."""
    p = reading.parsed
    if p is None:
        return reading
    refers = bool(p.words & BACK_REFERENCES) or bool(_REFINE.search(p.text))
    if not refers:
        return reading
    named = {k: v for k, v in reading.slots.items() if k in ("account", "deal", "owner")}
    if reading.intent == "rank_deals" and before.intent in DEAL_LISTS:
        return _carry(reading, "rank_deals", before, vocab)
    if _REFINE.search(p.text) and not _changes_subject(reading, before, named):
        intent = before.intent
        if before.intent == "closed_deals" and reading.intent == "closed_deals":
            intent = "closed_deals"
        return _carry(reading, intent, before, vocab)
    return _focus(reading, before)


def _changes_subject(reading: Reading, before: Reading, named: dict[str, Any]) -> bool:
    """ "what did they say" after "tell me about Globex" asks something new about Globex."""
    topical = {"contacts", "search_interactions", "get_deal", "account_overview"}
    return reading.intent in topical and reading.intent != before.intent and not named.get("owner")


def _carry(reading: Reading, intent: str, before: Reading, vocab: Vocabulary) -> Reading:
    slots = {k: v for k, v in before.slots.items() if k in SLOTS_OF[intent]}
    if intent != before.intent and "limit" in slots:
        del slots["limit"]
    p = reading.parsed
    mine = read_slots(intent, p, vocab) if p is not None else {}
    for key, value in {**reading.slots, **mine}.items():
        if key in SLOTS_OF[intent] and (key not in ("outcome", "direction", "metric", "order")
                                        or _said(key, reading)):  # fmt: skip
            slots[key] = value
    if intent == "closed_deals" and "outcome" in reading.slots:
        slots["outcome"] = reading.slots["outcome"]
    # The intent is the earlier question's, so is the certainty about it.
    sure = max(reading.confidence, before.confidence)
    return replace(reading, intent=intent, slots=slots, confidence=sure)


def _said(key: str, reading: Reading) -> bool:
    """Whether the follow-up itself says this slot (else the earlier question's value stays)."""
    p = reading.parsed
    text = p.text if p else ""
    if key == "outcome":
        return extract_outcome(text) != "closed" or "closed" in text
    if key == "order":
        return extract_order(text) is not None
    return key in reading.slots


def _focus(reading: Reading, before: Reading) -> Reading:
    """Fill the account or deal the follow-up points at ("it", "there") from the subject."""
    slots = dict(reading.slots)
    deal = before.slots.get("deal")
    account = before.slots.get("account") or (deal_account(deal) if deal else None)
    intent = reading.intent
    if intent == "account_overview" and deal and not slots.get("account"):
        intent = "get_deal"
    wanted = SLOTS_OF.get(intent, ())
    if "deal" in wanted and not slots.get("deal") and deal:
        slots["deal"] = deal
    elif "account" in wanted and not slots.get("account") and not slots.get("deal") and account:
        slots["account"] = account
    if intent == "get_deal" and not slots.get("deal") and account:
        slots["deal"] = account
    return replace(reading, intent=intent, slots=slots)
