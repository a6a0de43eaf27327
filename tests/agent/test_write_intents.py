"""The offline planner turns write requests into one proposing tool call with the right args."""

from __future__ import annotations

from typing import Any

import pytest

from bot.agent.planner.compose_writes import compose_proposal
from bot.agent.planner.plan import Vocabulary, plan

ROB = Vocabulary(
    me="Rob Rep",
    is_manager=False,
    accounts=("Acme Corp", "Umbrella Health"),
    deals=(
        "Acme Corp – Platform Expansion",
        "Umbrella Health – Pilot",
        "Acme Corp – Next Year",
        "Acme Corp – Renewal",
    ),
    reps=(),
)
WIDE = Vocabulary(
    me="Ada Admin",
    is_manager=True,
    accounts=(*ROB.accounts, "Globex", "Initech"),
    deals=(*ROB.deals, "Globex – Analytics Suite", "Initech – Data Migration"),
    reps=("Rob Rep",),
)


@pytest.mark.parametrize(
    ("question", "tool", "args"),
    [
        # The four sentences of the issue.
        (
            "log a call with Acme: they need the SOC 2 report, decision by March",
            "log_interaction",
            {
                "account": "Acme Corp",
                "kind": "call",
                "text": "they need the SOC 2 report, decision by March",
            },
        ),
        ("move Globex to negotiation", "update_deal", {"deal": "Globex", "stage": "negotiation"}),
        (
            "push the Initech close date to next month",
            "update_deal",
            {"deal": "Initech", "close_date": "next month"},
        ),
        (
            "remind me to send the contract Friday",
            "create_task",
            {"title": "Send the contract", "due": "friday"},
        ),
        # Variants.
        (
            "Log a meeting with Umbrella yesterday - the pilot went well",
            "log_interaction",
            {
                "account": "Umbrella Health",
                "kind": "meeting",
                "text": "the pilot went well",
                "when": "yesterday",
            },
        ),
        (
            "I had a call with acme corp: pricing is OK",
            "log_interaction",
            {"account": "Acme Corp", "kind": "call", "text": "pricing is OK"},
        ),
        (
            "add a note for Globex: Legal is reviewing the MSA",
            "log_interaction",
            {"account": "Globex", "kind": "note", "text": "Legal is reviewing the MSA"},
        ),
        ("mark Globex as won", "update_deal", {"deal": "Globex", "stage": "won"}),
        (
            "Move the Acme platform deal to proposal stage",
            "update_deal",
            {"deal": "Acme Corp – Platform Expansion", "stage": "proposal"},
        ),
        ("set Globex to closed lost", "update_deal", {"deal": "Globex", "stage": "closed_lost"}),
        ("set the Globex amount to 75k", "update_deal", {"deal": "Globex", "amount": "75k"}),
        (
            "push Initech to end of quarter",
            "update_deal",
            {"deal": "Initech", "close_date": "end of quarter"},
        ),
        (
            "change the close date for Globex to 2027-01-15",
            "update_deal",
            {"deal": "Globex", "close_date": "2027-01-15"},
        ),
        (
            "next step for Globex: send the MSA",
            "update_deal",
            {"deal": "Globex", "next_step": "send the MSA"},
        ),
        (
            "remind me to call Umbrella in two weeks",
            "create_task",
            {"title": "Call Umbrella", "due": "in two weeks", "deal": "Umbrella Health – Pilot"},
        ),
        (
            "add a task to prepare the QBR by end of month",
            "create_task",
            {"title": "Prepare the QBR", "due": "end of month"},
        ),
        ("remind me to follow up", "create_task", {"title": "Follow up", "due": "tomorrow"}),
    ],
)
def test_write_requests_plan_one_proposing_call(
    question: str, tool: str, args: dict[str, Any]
) -> None:
    [call] = plan(question, WIDE)
    assert (call.name, call.args) == (tool, args)


@pytest.mark.parametrize(
    "question",
    [
        "how is the Acme deal going?",
        "what did Globex say about pricing?",
        "show my deals closing next month",
        "what should I do today?",
    ],
)
def test_questions_are_not_writes(question: str) -> None:
    assert all(
        c.name not in {"log_interaction", "update_deal", "create_task"}
        for c in plan(question, WIDE)
    )


def test_an_unknown_name_goes_to_the_tool_to_refuse() -> None:
    [call] = plan("move Globex to negotiation", ROB)  # Rob's book has no Globex
    assert call.args == {"deal": "globex", "stage": "negotiation"}


def test_the_answer_says_nothing_is_saved_yet() -> None:
    text = compose_proposal(
        {
            "title": "Update Globex – Analytics Suite",
            "fields": [
                {
                    "field": "stage",
                    "label": "Stage",
                    "before": "qualification",
                    "after": "negotiation",
                },
                {"field": "amount", "label": "Amount", "before": "60000.00", "after": "75000.00"},
            ],
        }
    )
    assert "Nothing is saved until you confirm" in text
    assert "Stage: Qualification → Negotiation" in text and "Amount: $60,000 → $75,000" in text
