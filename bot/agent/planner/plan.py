"""The offline planner's rules: which tool a question needs, and the answer from its results.

Pure functions over plain data, so the planner answers without a model, a database or I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.agent.planner.billing_questions import plan_billing
from bot.agent.planner.calls import calls_for
from bot.agent.planner.clarify import choice_labels, chosen_reading, unsure
from bot.agent.planner.compose import compose_answer
from bot.agent.planner.names import deal_account
from bot.agent.planner.periods import tool_period
from bot.agent.planner.reading import understand
from bot.agent.planner.topics import topic_call
from bot.agent.planner.types import PlannedCall, ToolResult, Vocabulary
from bot.agent.planner.write_intents import plan_write

__all__ = [
    "PlannedCall",
    "ToolResult",
    "Vocabulary",
    "clarification",
    "compose_answer",
    "help_text",
    "plan",
    "understand",
]


def plan(
    text: str, vocab: Vocabulary, context: Sequence[str] = (), last_answer: str = ""
) -> list[PlannedCall]:
    """Turn a question into tool calls; [] when it is not understood.

    Args:
        text: the user's words, as typed.
        vocab: the names the asker may see, for matching accounts, deals and reps.
        context: the asker's earlier questions in this conversation, oldest first.
        last_answer: the reply to the last of them, for what "it" and "there" point at.

    Returns:
        The calls to make, in order; empty when the planner should offer help instead.
    """
    if write := plan_write(text, vocab):
        return [write]
    if billing := plan_billing(text, vocab):
        return [billing]
    reading = chosen_reading(text, vocab, context, last_answer) or understand(
        text, vocab, context, last_answer
    )
    # A question about what was said goes to the interaction history, whatever else it names.
    if reading.parsed is not None:
        period = reading.slots.get("period") or reading.parsed.period
        # "recently" stays a word: the search reads it as the last 30 days, newest first.
        since = period if period == "recently" else tool_period(period, vocab.today or date.today())
        if topical := topic_call(reading.parsed, vocab, reading.intent, since):
            return [topical]
    if unsure(reading):
        return []
    return calls_for(reading, vocab)


def clarification(
    text: str, vocab: Vocabulary, context: Sequence[str] = (), last_answer: str = ""
) -> list[str]:
    """The readings to choose from when `plan` planned nothing because it was unsure; [] when
    it was sure."""
    if chosen_reading(text, vocab, context, last_answer) is not None:
        return []
    reading = understand(text, vocab, context, last_answer)
    return choice_labels(reading) if unsure(reading) else []


def help_text(vocab: Vocabulary) -> str:
    """What the planner can do, with example questions built from the asker's own names.

    Args:
        vocab: the asker's names; managers get examples about their team and reps.

    Returns:
        Plain Markdown: one sentence, then the examples as a list.
    """
    account = vocab.accounts[0] if vocab.accounts else "Acme"
    deal = deal_account(vocab.deals[0]) if vocab.deals else account
    examples = [
        "What should I do today?",
        "Show my open deals over 50k closing next month",
        "Which deals have had no activity in 30 days?",
        f"How is the {deal} deal going?",
        f"Tell me about {account}",
        f"What did {account} say about pricing?",
    ]
    if vocab.is_manager:
        rep = vocab.reps[0].split()[0] if vocab.reps else "Dana"
        examples = [
            "How did the team do this week?",
            "What will we close this quarter?",
            "Who needs help?",
            f"Prep my 1:1 with {rep}",
            "Which deals are at risk?",
            "Pipeline for my team this quarter",
            f"How is {rep} doing this quarter?",
            "What should I do today?",
        ]
    else:
        examples.insert(1, "How's my pipeline this quarter?")
    intro = (
        "I answer from the CRM: your to-do list, pipeline and quota, deal lists by stage, "
        "amount, close date, owner or inactivity, single deals and accounts, and what customers "
        "said in emails, calls, meetings and notes"
        + (
            "; for managers, weekly reviews, forecasts, leaderboards, deal risks and 1:1 briefs"
            if vocab.is_manager
            else ""
        )
        + ". Try:"
    )
    return "\n".join([intro, *(f"- {e}" for e in examples)])
