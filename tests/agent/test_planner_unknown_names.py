"""A name the asker's book lacks is passed on for the tools to refuse, never dropped.

Only the words decide: these vocabularies hold none of the names asked about, as for a rep
whose book lacks them, and the same question about a name that exists nowhere reads alike.
"""

from __future__ import annotations

import pytest

from bot.agent.planner.plan import PlannedCall, Vocabulary, plan

REP = Vocabulary(
    "Dana Whitfield",
    False,
    ("Acme Corp", "Atlas Labs"),
    ("Atlas Labs – Partner Portal", "Acme Corp – Expansion"),
    (),
)


@pytest.mark.parametrize(
    ("question", "tool", "account"),
    [
        ("whats the biggest deal Globex has with us", "rank_deals", "Globex"),
        ("whats the biggest deal globex has with us", "rank_deals", "Globex"),
        ("Globex deals?", "find_deals", "Globex"),
        ("show me the Wonka Industries deals", "find_deals", "Wonka Industries"),
        ("whats closing at Vandelay this month", "find_deals", "Vandelay"),
        ("how much pipeline do we have with Soylent Corp", "find_deals", "Soylent Corp"),
        ("what did we win at Hooli this year", "find_deals", "Hooli"),
        ("top 3 deals for Zenith by size", "rank_deals", "Zenith"),
    ],
)
def test_a_name_nobody_in_scope_has_goes_to_the_tool(
    question: str, tool: str, account: str
) -> None:
    [call, *_] = plan(question, REP)
    assert call.name == tool
    assert str(call.args.get("account", "")).lower() == account.lower()


@pytest.mark.parametrize(
    "question",
    [
        "top 3 deals by size pls",
        "gimme my biggest deal",
        "whats my pipeline lol",
        "my deals over 50k pls thx",
        "What's my biggest deal?",
        "Deals in Negotiation",
        "what should I do today, Salesbot?",
    ],
)
def test_everyday_words_and_shorthand_are_not_names(question: str) -> None:
    calls = plan(question, REP)
    assert calls, question
    assert all("account" not in c.args for c in calls), calls


def test_a_topic_the_search_knows_is_not_a_name() -> None:
    [call] = plan("emails about legal redlines last month", REP)
    assert call == PlannedCall(
        "search_interactions", {"query": "legal redlines", "kind": "email", "since": "last month"}
    )


@pytest.mark.parametrize(
    "question",
    ["latest on competitors", "latest on our champion", "latest on the PO",
     "any news on the rollout", "update on pricing"],
)  # fmt: skip
def test_a_topic_after_on_is_searched_not_taken_for_an_account(question: str) -> None:
    [call] = plan(question, REP)
    assert call.name == "search_interactions"
    assert "account" not in call.args, call


def test_what_an_account_sent_is_a_search_of_its_history() -> None:
    [call] = plan("did Acme Corp send the MSA redlines?", REP)
    assert call == PlannedCall(
        "search_interactions", {"query": "msa redlines", "account": "Acme Corp"}
    )


def test_an_unknown_name_after_on_is_still_a_name() -> None:
    [call] = plan("any update on Zorblax?", REP)
    assert "zorblax" in [str(v).lower() for v in call.args.values()], call


def test_what_an_unknown_name_said_asks_the_search_about_that_name() -> None:
    [call] = plan("What did Globex say about pricing?", REP)
    assert call.name == "search_interactions"
    named = call.args.get("account") or call.args.get("contact")
    assert str(named).lower() == "globex"


def test_a_name_in_scope_is_matched_not_passed_as_unknown() -> None:
    [call] = plan("whats the biggest deal Acme Corp has with us", REP)
    assert call.args.get("account") == "Acme Corp"
