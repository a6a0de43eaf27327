"""When the planner is unsure what was asked: say so, and offer the likeliest readings.

The choices are numbered; answering "2" in the same conversation runs the earlier question
read the second way (see `chosen_reading`), so nobody gets a different question answered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.agent.choices import with_name
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
CHOICES = "salesbot_choices"  # the AIMessage key carrying the labels
ANSWER_WITH_NUMBER = "Answer with the number, or ask again in other words."
# A tool's "not found" with suggestions, as compose.py words it: the name asked, then the names.
_NOT_FOUND = re.compile(r"^I couldn't find an? [\w ]+? matching '(.+?)'\. Did you mean:")
_CHOICE = re.compile(r"^\s*(\d)\s*$")


def unsure(reading: Reading) -> bool:
    return reading.intent != "help" and reading.confidence < UNSURE_BELOW


def choice_labels(reading: Reading) -> list[str]:
    """The readings to choose from, likeliest first, at most three."""
    options = [i for i in dict.fromkeys((reading.intent, *reading.alternatives)) if i in LABELS]
    return [LABELS[i] for i in options[:3]]


def choices_text(labels: list[str], intro: str = _INTRO) -> str:
    """`intro`, then the numbered choices, then how to choose."""
    lines = [intro, *(f"{n}. {label}" for n, label in enumerate(labels, 1))]
    return "\n".join([*lines, ANSWER_WITH_NUMBER])


def chosen_reading(
    text: str, vocab: Vocabulary, context: Sequence[str], last_answer: str
) -> Reading | None:
    """The earlier question read the way a numbered answer chose, or None."""
    m = _CHOICE.match(text)
    if m is None or not context:
        return None
    labels = re.findall(r"^(\d)\. (.+)$", last_answer, re.M)
    chosen = next((label for n, label in labels if n == m[1]), None)
    if chosen and (missing := _NOT_FOUND.match(last_answer)):
        # "Did you mean Globex Corp?": the earlier question, asked with the name chosen.
        return understand(with_name(context[-1], missing[1], chosen), vocab, context[:-1])
    if not last_answer.startswith(_INTRO):
        return None
    intent = next((i for i, label in LABELS.items() if label == chosen), None)
    if intent is None:
        return None
    before = understand(context[-1], vocab, context[:-1])
    if before.parsed is None:
        return None
    slots = read_slots(intent, before.parsed, vocab)
    return Reading(intent, slots, 1.0, (), before.parsed)
