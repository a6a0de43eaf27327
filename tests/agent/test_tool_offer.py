"""The tools the LLM is offered: by the asker's role and the question's domain, compact."""

from __future__ import annotations

import pytest

from bot.agent.tool_offer import EVERYDAY, MANAGER_ONLY, offered_names
from tools.models import Role
from tools.principal import Principal

REP = Principal(3, "rob@x.test", "Rob Rep", Role.REP, "UTC", frozenset({3}))
MANAGER = Principal(2, "mia@x.test", "Mia Manager", Role.MANAGER, "UTC", frozenset({2, 3, 4}))


@pytest.mark.parametrize(
    ("question", "wanted", "not_wanted"),
    [
        ("show my open deals closing this quarter", {"find_deals"}, {"forecast", "create_task"}),
        ("what should I do today?", {"next_actions"}, {"find_deals", "update_deal"}),
        ("what did Globex say about pricing?", {"search_interactions"}, {"forecast"}),
        ("who do I talk to over at Acme?", {"account_overview"}, {"log_interaction"}),
        ("what will we close this quarter? forecast", {"forecast"}, {"search_interactions"}),
        ("which deals are at risk?", {"deal_risks"}, {"log_interaction"}),
        ("prep my 1:1 with Rob", {"coaching_brief"}, {"search_interactions"}),
        ("remind me to call Acme on Friday", {"create_task"}, {"forecast"}),
        ("move the Acme deal to negotiation", {"update_deal", "get_deal"}, {"forecast"}),
    ],
)
def test_a_manager_is_offered_the_tools_of_the_questions_domain(
    question: str, wanted: set[str], not_wanted: set[str]
) -> None:
    offered = offered_names(MANAGER, question)
    assert wanted <= offered and not offered & not_wanted


def test_a_rep_is_never_offered_the_tools_about_other_reps() -> None:
    question = "who is behind on quota? prep a 1:1 coaching brief"
    assert offered_names(MANAGER, question) >= MANAGER_ONLY
    assert not offered_names(REP, question) & MANAGER_ONLY


def test_a_question_no_domain_matches_gets_the_everyday_reads() -> None:
    assert set(EVERYDAY) <= offered_names(REP, "hmm?")
    assert not offered_names(REP, "hmm?") & {"log_interaction", "update_deal", "forecast"}


def test_a_follow_up_keeps_the_previous_questions_tools() -> None:
    offered = offered_names(REP, "and the biggest one there?", ["what did Globex say about it"])
    assert {"search_interactions", "find_deals"} <= offered


def test_a_pipeline_question_is_offered_the_pipeline_tool_alone() -> None:
    assert offered_names(REP, "how much is in my pipeline") == {"pipeline_summary"}
