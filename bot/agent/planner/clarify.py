"""When the planner is unsure what was asked: say so, and offer the likeliest readings.

The choices are numbered; answering "2" in the same conversation runs the earlier question
read the second way (see `chosen_reading`), so nobody gets a different question answered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.agent.planner.reading import Reading, read_slots, understand
from bot.agent.planner.types import Vocabulary

UNSURE_BELOW = 0.5
LABELS = {
    "next_actions": "what you should do today",
    "due_tasks": "your tasks that are due",
    "pipeline_summary": "the pipeline and quota",
    "find_deals": "a list of deals",
    "rank_deals": "deals ranked by size, close date, age or inactivity",
    "get_deal": "one deal's status",
    "account_overview": "an account's overview",
    "contacts": "an account's contacts",
    "search_interactions": "what customers said in emails, calls, meetings and notes",
    "closed_deals": "deals won and lost",
    "rank_reps": "reps ranked by pipeline or wins",
    "quota_standing": "who is behind or ahead of quota",
    "rep_kpis": "the reps' KPIs",
    "forecast": "the forecast",
    "pipeline_review": "what changed in the pipeline",
    "deal_risks": "deals at risk",
    "coaching_brief": "a 1:1 brief",
}
_INTRO = "I'm not sure what you mean. Did you mean:"
_CHOICE = re.compile(r"^\s*(\d)\s*$")


def unsure(reading: Reading) -> bool:
    return reading.intent != "help" and reading.confidence < UNSURE_BELOW


def choices_text(reading: Reading) -> str:
    """The numbered readings to choose from, likeliest first."""
    options = [i for i in dict.fromkeys((reading.intent, *reading.alternatives)) if i in LABELS]
    options = options[:3]
    lines = [_INTRO, *(f"{n}. {LABELS[i]}" for n, i in enumerate(options, 1))]
    return "\n".join([*lines, "Answer with the number, or ask again in other words."])


def chosen_reading(
    text: str, vocab: Vocabulary, context: Sequence[str], last_answer: str
) -> Reading | None:
    """The earlier question read the way a numbered answer chose, or None."""
    m = _CHOICE.match(text)
    if m is None or not context or not last_answer.startswith(_INTRO):
        return None
    labels = re.findall(r"^(\d)\. (.+)$", last_answer, re.M)
    chosen = next((label for n, label in labels if n == m[1]), None)
    intent = next((i for i, label in LABELS.items() if label == chosen), None)
    if intent is None:
        return None
    before = understand(context[-1], vocab, context[:-1])
    if before.parsed is None:
        return None
    slots = read_slots(intent, before.parsed, vocab)
    return Reading(intent, slots, 1.0, (), before.parsed)
