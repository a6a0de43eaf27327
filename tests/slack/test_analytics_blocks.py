"""Block Kit for the analytics artifacts: exact figures, Slack's limits, CRM text escaped."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import support.analytics_samples as samples

from bot.agent.answer import Answer
from bot.slack.blocks import build_answer_blocks
from bot.slack.blocks.limits import (
    MAX_FIELD_CHARS,
    MAX_FIELDS,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_CHARS,
)

BUILDERS: list[Callable[..., dict[str, Any]]] = [
    samples.pipeline_review,
    samples.forecast,
    samples.rep_kpis,
    samples.deal_risks,
    samples.coaching_brief,
]


def _blocks(*artifacts: dict[str, Any]) -> list[dict[str, Any]]:
    return build_answer_blocks(Answer("Here you are.", list(artifacts)))


def _check_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= MAX_MESSAGE_BLOCKS
    for block in blocks:
        if "text" in block:
            assert 0 < len(block["text"]["text"]) <= MAX_SECTION_CHARS
        assert len(block.get("fields", [])) <= MAX_FIELDS
        for field in block.get("fields", []):
            assert len(field["text"]) <= MAX_FIELD_CHARS


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_every_artifact_renders_within_limits_and_escaped(build: Callable[..., Any]) -> None:
    blocks = _blocks(build(note="You asked for team figures; here are your own. <!here>"))
    _check_limits(blocks)
    dumped = json.dumps(blocks)
    assert len(blocks) > 2  # the artifact rendered, not only the words
    assert "<!channel>" not in dumped and "<!here>" not in dumped and "<@U1>" not in dumped
    assert "here are your own" in dumped  # the note is shown


def test_hostile_names_are_escaped_where_they_appear() -> None:
    dumped = json.dumps(_blocks(samples.pipeline_review(), samples.deal_risks()))
    assert "&lt;!channel&gt; Acme &amp; Co &lt;@U1&gt;" in dumped


def test_pipeline_review_figures_and_changes() -> None:
    text = json.dumps(_blocks(samples.pipeline_review()), ensure_ascii=False)
    for figure in ("$120,000.50", "weighted $60,000.25 at 50.0%", "$325,000.50", "2.17x"):
        assert figure in text
    assert "$150,000" in text  # quota remaining
    assert "1 slipped" in text and "was 2026-11-30 → 2026-12-20" in text
    assert "Qualification → Proposal" in text and "0 lost" in text


def test_forecast_figures_and_backtest() -> None:
    text = json.dumps(_blocks(samples.forecast()), ensure_ascii=False)
    for figure in ("$165,000.25", "$120,000 to $210,000.75", "82.5%", "mean absolute error 6.0%"):
        assert figure in text
    assert "Q1 2026: forecast $160,000, actual $175,000, error -8.6%" in text


def test_rep_kpis_in_leaderboard_order_with_the_team_median() -> None:
    text = json.dumps(_blocks(samples.rep_kpis()), ensure_ascii=False)
    assert text.index("1. Rita Rep") < text.index("2. Dana Rep") < text.index("4. Newbie Rep")
    assert "won $120,000 of $100,000" in text and "attainment n/a" in text
    assert "Team median: attainment 85.5%" in text and "3.5 email" in text


def test_coaching_brief_against_median_talking_points_and_risks() -> None:
    text = json.dumps(_blocks(samples.coaching_brief()), ensure_ascii=False)
    assert "1:1 brief: Dana Rep" in text and "$85,500 (team $62,750)" in text
    assert "Attainment 85.5% vs team median 85.5%." in text
    assert "No activity for 30 days" in text and "Deals at risk* (2)" in text


def test_long_risk_lists_are_cut_with_a_showing_note() -> None:
    rows = [
        samples.deal_row(i, risks=[samples.risk("stalled", "Stalled " + "x" * 300)])
        for i in range(80)
    ]
    blocks = _blocks(samples.deal_risks(rows=rows, total_count=95))
    _check_limits(blocks)
    assert "Showing 10 of 95" in json.dumps(blocks)


def test_empty_risks_say_so() -> None:
    text = json.dumps(_blocks(samples.deal_risks(rows=[], total_count=0)))
    assert "No deal shows a risk" in text


def test_money_carries_the_artifacts_currency() -> None:
    text = json.dumps(_blocks(samples.forecast(currency="EUR")), ensure_ascii=False)
    assert "€165,000.25" in text and "$" not in text
