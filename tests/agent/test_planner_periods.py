"""Periods the planner reads and the words it hands the tools."""

from __future__ import annotations

from datetime import date

import pytest

from bot.agent.planner.periods import extract_period, tool_period

THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "said", "tool_words"),
    [
        ("what did we win in 2016", "2016", "2016"),
        ("deals lost last year", "last year", "last year"),
        ("won in the first half of 2025", "H1 2025", "2025-01-01 to 2025-06-30"),
        ("closing in the second half", "H2", "2026-07-01 to 2026-12-31"),
        ("lost in q2 2017", "Q2 2017", "Q2 2017"),
        ("any competitor mentioned recently", "recently", "last 30 days"),
        ("what moved since monday", "since monday", "2026-11-23 to 2026-11-26"),
        ("tasks due tomorrow", "tomorrow", "2026-11-27"),
        ("what did we win in spring", "spring", "spring"),
        ("show my deals", None, None),
        # Months: the tense says which one; a year or "last"/"next" says it outright.
        ("my deals closing in december", "next december", "December 2026"),
        ("deals closing in march", "next march", "March 2027"),
        ("what did we win in march", "last march", "March 2026"),
        ("what did we win in november", "last november", "November 2026"),
        ("deals lost in sept 2025", "September 2025", "September 2025"),
        ("what did we lose last june", "last june", "June 2026"),
        ("anything new since october", "since october", "2026-10-01 to 2026-11-26"),
        ("may i see my deals", None, None),
        ("march madness deals", None, None),
    ],
)
def test_period_words(text: str, said: str | None, tool_words: str | None) -> None:
    found, _ = extract_period(text)
    assert found == said
    assert tool_period(found, THURSDAY) == tool_words
