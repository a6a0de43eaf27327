"""A reading turned into tool calls, with arguments the tools accept."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.agent.planner.leftovers import _residual, _topic, _unknown_account
from bot.agent.planner.parse import Parsed
from bot.agent.planner.periods import tool_period
from bot.agent.planner.reading import Reading
from bot.agent.planner.types import PlannedCall, Vocabulary
from bot.agent.planner.unknown_names import unknown_name
from bot.agent.planner.vocab import STOPWORDS

_SINCE = re.compile(
    r"^(?:this week|last week|last \d+ days|since \w+|today|recently|\d{4}-\d{2}-\d{2})$"
)
_ONE_DAY = re.compile(r"^(?:today|tomorrow|\d{4}-\d{2}-\d{2})$")
_SAID_BY = re.compile(
    r"\b(?:did|does|has|have|do)\s+([a-z][a-z ]*?)\s+(?:say|said|mention\w*|bring|raise\w*"
    r"|talk\w*|complain\w*|ask\w*|tell)\b"
)
_NOT_NAMES = STOPWORDS | {"anyone", "anybody", "someone", "any", "customer", "customers", "the"}
Args = dict[str, Any]


def _compact(**args: Any) -> Args:
    return {k: v for k, v in args.items() if v is not None}


def calls_for(reading: Reading, vocab: Vocabulary) -> list[PlannedCall]:
    """The calls that answer `reading`; [] when a needed name is missing."""
    p = reading.parsed
    if p is None:
        return []
    today = vocab.today or date.today()
    slots = dict(reading.slots)
    slots["period"] = tool_period(slots.get("period"), today)
    return _BUILDERS[reading.intent](slots, p, vocab)


def _one(name: str, args: Args | None) -> list[PlannedCall]:
    return [PlannedCall(name, args)] if args is not None else []


def _deal_filters(s: Args, p: Parsed) -> Args:
    return _compact(
        stage=s.get("stage"), period=s.get("period"), min_amount=s.get("min_amount"),
        account=_account_named(s, p), owner=s.get("owner"),
        inactive_days=s.get("inactive_days"),
    )  # fmt: skip


def _account_named(s: Args, p: Parsed) -> str | None:
    """The account asked about, or a name no account in scope matched (the tool says so)."""
    return s.get("account") or unknown_name(p) or _unknown_account(p)


def _find_deals(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    return _one("find_deals", _compact(**_deal_filters(s, p), limit=s.get("limit")))


def _rank_deals(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    args = _compact(order=s.get("order", "amount"), limit=s.get("limit"), **_deal_filters(s, p))
    return _one("rank_deals", args)


def _closed_deals(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    base = _compact(period=s.get("period"), owner=s.get("owner"), account=_account_named(s, p))
    outcome = s.get("outcome", "closed")
    stages = {"won": ["closed_won"], "lost": ["closed_lost"]}.get(
        outcome, ["closed_won", "closed_lost"]
    )
    return [PlannedCall("find_deals", {**base, "stage": stage}) for stage in stages]


def _pipeline(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    if account := p.account or unknown_name(p):  # an account's pipeline is its open deals
        return _one("find_deals", _compact(period=s.get("period"), account=account))
    scope = s.get("owner") or ("team" if v.is_manager and "team" in p.words else "me")
    if s.get("period"):
        return _one("pipeline_summary", {"scope": scope, "period": s["period"]})
    # "My pipeline" is all of it; the part closing this quarter follows.
    return [
        PlannedCall("find_deals", {"stage": "open", "owner": scope, "limit": 5}),
        PlannedCall("pipeline_summary", {"scope": scope, "period": "this quarter"}),
    ]


def _get_deal(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    deal = s.get("deal") or _residual(p)
    return _one("get_deal", {"deal": deal} if deal else None)


def _account(name: str) -> Callable[[Args, Parsed, Vocabulary], list[PlannedCall]]:
    def build(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
        account = s.get("account") or _residual(p)
        return _one(name, {"account": account} if account else None)

    return build


def _search(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    account = s.get("account")
    if account is None and not s.get("deal") and (m := _SAID_BY.search(p.text)):
        # A name the asker's book lacks: the tool says it is not found, never drops it.
        words = [w for w in m[1].split() if w not in _NOT_NAMES]
        account = " ".join(words) or None
    args = _compact(query=_topic(p), account=account, deal=s.get("deal"), kind=s.get("kind"),
                    since=s.get("period"))  # fmt: skip
    return _one("search_interactions", args)


def _next_actions(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    return _one("next_actions", _compact(limit=s.get("limit")))


def _due_tasks(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    return _one("due_tasks", {"period": s.get("period") or "this week"})


def _rank_reps(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    args = _compact(metric=s.get("metric"), direction=s.get("direction"), period=s.get("period"))
    return _one("rank_reps", args)


def _quota_standing(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    return _one("quota_standing", _compact(direction=s.get("direction"), period=s.get("period")))


def _rep_kpis(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    owner = s.get("owner")
    return _one(
        "rep_kpis", _compact(scope=None if owner == "me" else owner, period=s.get("period"))
    )


def _forecast(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    return _one("forecast", _compact(period=s.get("period"), scope=s.get("owner")))


def _review(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    said = reading_period = s.get("period")
    since = said if said and _SINCE.match(str(p.period or "")) else None
    period = None if since else reading_period
    return _one("pipeline_review", _compact(scope=s.get("owner"), period=period, since=since))


def _risks(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    return _one("deal_risks", _compact(scope=s.get("owner"), limit=s.get("limit")))


def _coaching(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    rep = s.get("owner") if s.get("owner") not in (None, "me", "team") else None
    if rep is None:  # "coaching" with nobody named: who might need it
        return _one("rep_kpis", {})
    # "one on one with Sam tomorrow": the day of the meeting, not the brief's period.
    period = None if _ONE_DAY.match(str(p.period or "")) else s.get("period")
    return _one("coaching_brief", _compact(rep=rep, period=period))


def _help(s: Args, p: Parsed, v: Vocabulary) -> list[PlannedCall]:
    return []


_BUILDERS: dict[str, Callable[[Args, Parsed, Vocabulary], list[PlannedCall]]] = {
    "help": _help,
    "next_actions": _next_actions,
    "due_tasks": _due_tasks,
    "pipeline_summary": _pipeline,
    "find_deals": _find_deals,
    "rank_deals": _rank_deals,
    "get_deal": _get_deal,
    "account_overview": _account("account_overview"),
    "contacts": _account("account_contacts"),
    "search_interactions": _search,
    "closed_deals": _closed_deals,
    "rank_reps": _rank_reps,
    "quota_standing": _quota_standing,
    "rep_kpis": _rep_kpis,
    "forecast": _forecast,
    "pipeline_review": _review,
    "deal_risks": _risks,
    "coaching_brief": _coaching,
}
