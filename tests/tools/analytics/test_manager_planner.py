"""The offline planner understands manager phrasings for the analytics tools."""

from __future__ import annotations

from typing import Any

import pytest

from bot.agent.planner.plan import PlannedCall, Vocabulary, help_text, plan

ACCOUNTS = ("Acme Corp", "Globex", "Initech", "Umbrella Health", "Hooli")
DEALS = ("Acme Corp – Platform Expansion", "Globex – Renewal 2026", "Hooli – Security Suite")
MANAGER = Vocabulary("Morgan Lee", True, ACCOUNTS, DEALS, ("Dana Whitfield", "Sam Ortiz"))
REP = Vocabulary("Dana Whitfield", False, ACCOUNTS, DEALS, ())
VOCABS = {"manager": MANAGER, "rep": REP}

CONTRACT = {
    "pipeline_review": {"scope", "period", "since"},
    "forecast": {"period", "scope"},
    "rep_kpis": {"scope", "period"},
    "deal_risks": {"scope", "limit"},
    "coaching_brief": {"rep", "period"},
    "quota_standing": {"direction", "period"},
}

# (question, vocabulary, tool, exact args)
CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    # pipeline_review
    ("how did the team do this week?", "manager", "pipeline_review",
     {"scope": "team", "since": "this week"}),
    ("How did we do last week", "manager", "pipeline_review",
     {"scope": "team", "since": "last week"}),
    ("what slipped this week", "manager", "pipeline_review", {"since": "this week"}),
    ("what changed in the last 14 days", "manager", "pipeline_review",
     {"since": "last 14 days"}),
    ("pipeline review", "manager", "pipeline_review", {}),
    ("weekly review for next quarter", "manager", "pipeline_review",
     {"period": "next quarter"}),
    ("which deals got pushed out?", "manager", "pipeline_review", {}),
    ("what moved since 2026-11-01", "manager", "pipeline_review", {"since": "2026-11-01"}),
    ("team recap", "manager", "pipeline_review", {"scope": "team"}),
    ("how did the team do this week", "rep", "pipeline_review",
     {"scope": "team", "since": "this week"}),
    ("what slipped for Sam this week", "manager", "pipeline_review",
     {"scope": "Sam Ortiz", "since": "this week"}),
    # forecast
    ("forecast", "manager", "forecast", {}),
    ("what will we close this quarter?", "manager", "forecast",
     {"period": "this quarter", "scope": "team"}),
    ("team forecast", "manager", "forecast", {"scope": "team"}),
    ("forecast for Q3", "rep", "forecast", {"period": "Q3"}),
    ("forecast next quarter", "manager", "forecast", {"period": "next quarter"}),
    ("are we going to hit the number?", "manager", "forecast", {"scope": "team"}),
    ("will we make quota this quarter", "manager", "forecast",
     {"period": "this quarter", "scope": "team"}),
    ("how much will we close this month", "manager", "forecast",
     {"period": "this month", "scope": "team"}),
    ("what's Dana's forecast", "manager", "forecast", {"scope": "Dana Whitfield"}),
    ("how accurate is the forecast backtest", "manager", "forecast", {}),
    ("my forecast", "rep", "forecast", {"scope": "me"}),
    # rep_kpis
    ("leaderboard", "manager", "rep_kpis", {}),
    ("who needs help?", "manager", "rep_kpis", {}),
    ("rank my reps this quarter", "manager", "rep_kpis",
     {"scope": "team", "period": "this quarter"}),
    ("how are my reps doing", "manager", "rep_kpis", {"scope": "team"}),
    ("who's behind on quota", "manager", "quota_standing", {"direction": "behind"}),
    ("top performers last quarter", "manager", "rep_kpis", {"period": "last quarter"}),
    ("rep KPIs", "manager", "rep_kpis", {}),
    ("who is struggling", "manager", "rep_kpis", {}),
    ("win rates by rep this year", "manager", "rep_kpis", {"period": "this year"}),
    ("team scorecard", "manager", "rep_kpis", {"scope": "team"}),
    # deal_risks
    ("which deals are at risk", "manager", "deal_risks", {}),
    ("deal risks", "manager", "deal_risks", {}),
    ("top 5 risky deals for the team", "manager", "deal_risks", {"scope": "team", "limit": 5}),
    ("what should I worry about", "manager", "deal_risks", {}),
    ("any red flags in Sam's pipeline?", "manager", "deal_risks", {"scope": "Sam Ortiz"}),
    ("single-threaded deals", "manager", "deal_risks", {}),
    ("which of my deals are in trouble", "rep", "deal_risks", {"scope": "me"}),
    ("at-risk deals", "manager", "deal_risks", {}),
    # coaching_brief
    ("prep my 1:1 with Dana", "manager", "coaching_brief", {"rep": "Dana Whitfield"}),
    ("one on one with Sam tomorrow", "manager", "coaching_brief", {"rep": "Sam Ortiz"}),
    ("coaching brief for Dana this quarter", "manager", "coaching_brief",
     {"rep": "Dana Whitfield", "period": "this quarter"}),
    ("how should I coach Sam Ortiz", "manager", "coaching_brief", {"rep": "Sam Ortiz"}),
    ("talking points for Dana", "manager", "coaching_brief", {"rep": "Dana Whitfield"}),
    ("prepare for my one-on-one with dana", "manager", "coaching_brief",
     {"rep": "Dana Whitfield"}),
    ("coaching", "manager", "rep_kpis", {}),
]  # fmt: skip

# The general rules still answer these.
UNCHANGED = [
    ("how is Dana doing this quarter", "manager", "rep_kpis"),
    ("pipeline for my team this quarter", "manager", "pipeline_summary"),
    ("stalled deals", "rep", "find_deals"),
    ("is the Acme deal at risk?", "manager", "get_deal"),
    ("help", "manager", None),
]


@pytest.mark.parametrize(("text", "who", "tool", "args"), CASES, ids=[c[0] for c in CASES])
def test_manager_phrasings_pick_the_tool_and_its_arguments(
    text: str, who: str, tool: str, args: dict[str, Any]
) -> None:
    calls = plan(text, VOCABS[who])
    assert calls == [PlannedCall(tool, args)]
    assert set(calls[0].args) <= CONTRACT[tool]


def test_at_least_thirty_distinct_manager_phrasings() -> None:
    assert len({text for text, *_ in CASES}) >= 30


@pytest.mark.parametrize(("text", "who", "tool"), UNCHANGED)
def test_other_questions_keep_their_tools(text: str, who: str, tool: str | None) -> None:
    calls = plan(text, VOCABS[who])
    assert [c.name for c in calls] == ([tool] if tool else [])


def test_manager_help_offers_the_analytics_questions() -> None:
    text = help_text(MANAGER)
    for example in ("How did the team do this week?", "Who needs help?", "Prep my 1:1 with Dana"):
        assert example in text
        assert plan(example, MANAGER)
