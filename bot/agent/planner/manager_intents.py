"""The planner's rules for manager questions: reviews, forecasts, leaderboards, risks, 1:1s.

Checked before the general rules (intents.py), so "forecast" and "what slipped" reach the
analytics tools; a question naming one account or deal is left to the general rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.agent.planner.parse import Parsed
from bot.agent.planner.types import Vocabulary

_COACH = re.compile(
    r"\b(?:1 1|1-1|1on1|1 on 1|one on one|one-on-one|coach(?:ing)?|prep(?:are)?(?: for)? my"
    r"|(?:talking|coaching) points)\b"
)
_FORECAST = re.compile(
    r"\b(?:forecast\w*|backtest\w*|projected|projection|what will we (?:close|land|book)"
    r"|what (?:are|is) (?:we|the team) (?:going to|gonna) (?:close|land|book)"
    r"|(?:will|are) we (?:going to )?(?:hit|make|reach) (?:the |our )?(?:number|quota|target|plan)"
    r"|how much will (?:we|the team) (?:close|land|book)|expected bookings|land this quarter)\b"
)
_RISKS = re.compile(
    r"\b(?:at[ -]risk|risks?|risky|red flags?|in trouble|worr(?:y|ied) about|danger"
    r"|warning signs?|single[ -]?threaded)\b"
)
_KPIS = re.compile(
    r"\b(?:leaderboard|leader board|rank(?:ed|ing|ings)?|needs? help|struggling|kpis?"
    r"|(?:top|best|worst|under) ?performers?|underperform\w*|scorecards?|rep performance"
    r"|how are (?:my|the|our) reps|reps? (?:doing|performance|stats|metrics|numbers)"
    r"|win rates? by rep|who(?: is)? (?:behind|ahead|crushing it|winning)|activity by rep)\b"
)
_REVIEW = re.compile(
    r"\b(?:how did (?:the team|my team|the reps|we|our team) do|pipeline review|weekly review"
    r"|review (?:the|my|our) (?:team |)pipeline|what (?:changed|moved|slipped|got pushed)"
    r"|slipped|slips|pushed out|what is new in the pipeline|pipeline changes|week in review"
    r"|team (?:update|recap)|recap)\b"
)
_TEAM = frozenset({"team", "teams", "everyone", "everybody", "org", "reps", "we", "our", "us"})
# Periods that say "since when" for a review rather than which period's pipeline.
_SINCE = re.compile(r"^(?:this week|last week|last \d+ days|\d{4}-\d{2}-\d{2}|today)$")


def manager_intent(p: Parsed) -> str | None:
    """The analytics tool a question needs, or None to leave it to the general rules."""
    if p.account or p.deal:
        return None
    if _COACH.search(p.text):
        return "coaching_brief" if _rep(p) else "rep_kpis"
    checks = (
        (_FORECAST, "forecast"),
        (_RISKS, "deal_risks"),
        (_KPIS, "rep_kpis"),
        (_REVIEW, "pipeline_review"),
    )
    return next((intent for rx, intent in checks if rx.search(p.text)), None)


def _rep(p: Parsed) -> str | None:
    return p.person if p.person and p.person != "me" else None


def _scope(p: Parsed) -> str | None:
    """A rep's name, "me", or "team"; None lets the tool pick (team for a manager)."""
    if p.person:
        return p.person
    if p.words & _TEAM:
        return "team"
    return "me" if p.words & {"my", "mine", "i"} and "team" not in p.words else None


def _compact(**args: Any) -> dict[str, Any]:
    return {k: v for k, v in args.items() if v is not None}


def _plan_review(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    since = p.period if p.period and _SINCE.match(p.period) else None
    period = None if since else p.period
    return _compact(scope=_scope(p), period=period, since=since)


def _plan_forecast(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    return _compact(period=p.period, scope=_scope(p))


def _plan_kpis(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    # "Who needs help" is about the team even with "my" in it ("my reps").
    scope = _scope(p)
    return _compact(scope=None if scope == "me" else scope, period=p.period)


def _plan_risks(p: Parsed, vocab: Vocabulary) -> dict[str, Any]:
    return _compact(scope=_scope(p), limit=p.limit)


def _plan_coaching(p: Parsed, vocab: Vocabulary) -> dict[str, Any] | None:
    rep = _rep(p)
    return _compact(rep=rep, period=p.period) if rep else None


MANAGER_BUILDERS: dict[str, Callable[[Parsed, Vocabulary], dict[str, Any] | None]] = {
    "pipeline_review": _plan_review,
    "forecast": _plan_forecast,
    "rep_kpis": _plan_kpis,
    "deal_risks": _plan_risks,
    "coaching_brief": _plan_coaching,
}
