"""Every artifact type has its Slack, CLI and planner rendering, and every artifact the tools
return on the fixture CRM has exactly the keys its TypedDict (tools/artifacts.py) declares.

A new type in `ArtifactType` fails here until each surface renders it or it is added, with its
reason, to that surface's allow-list below.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.index_helpers import make_index

from bot.agent.planner.compose import RENDERERS as PLANNER
from bot.charts.registry import CHARTS
from bot.cli.render import RENDERERS as CLI
from bot.cli.render import render_artifact as cli_render
from bot.cli.text import prose
from bot.slack.blocks.tables import RENDERERS as SLACK
from bot.slack.blocks.tables import render_artifact as slack_render
from bot.slack.handlers.answers import unrendered_text
from tools.artifacts import SHAPES, ArtifactType, artifact_type
from tools.context import ToolContext
from tools.crm.money import format_money
from tools.crm_tools import make_tools
from tools.display import (
    close_phrase,
    count_of,
    exact_money,
    label,
    short_money,
    subject_line,
)
from tools.indexing import index_activities
from tools.interactions import InteractionIndex
from tools.principal import get_principal_by_email

T = ArtifactType
# Types a surface deliberately does not draw, each with the reason.
SAY_IT_IN_WORDS = "a sentence, not figures: the answer's own text says it"
SLACK_WITHOUT_BLOCKS = {
    # Shown as the answer's text; a re-run button gets words from answers.unrendered_text.
    T.NOTICE: SAY_IT_IN_WORDS,
    T.NOT_FOUND: SAY_IT_IN_WORDS,
}
CLI_WITHOUT_TABLE = {T.NOTICE: SAY_IT_IN_WORDS, T.NOT_FOUND: SAY_IT_IN_WORDS}
PLANNER_WITHOUT_WORDS: dict[ArtifactType, str] = {}  # the planner's reply is all there is
NO_CHART = "a chart is an extra, drawn only where a picture says more than the figures"
WITHOUT_CHART = {
    kind: NO_CHART
    for kind in (
        T.DEALS,
        T.DEAL,
        T.ACCOUNT,
        T.NEXT_ACTIONS,
        T.INTERACTIONS,
        T.DEAL_RISKS,
        T.COACHING_BRIEF,
        T.WRITE_PROPOSAL,
        T.NOTICE,
        T.NOT_FOUND,
        T.ACCOUNT_REVENUE,
    )
}
SURFACES: dict[str, tuple[Mapping[ArtifactType, Any], dict[ArtifactType, str]]] = {
    "slack": (SLACK, SLACK_WITHOUT_BLOCKS),
    "cli": (CLI, CLI_WITHOUT_TABLE),
    "planner": (PLANNER, PLANNER_WITHOUT_WORDS),
    "charts": (CHARTS, WITHOUT_CHART),
}


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("kind", list(ArtifactType))
def test_every_type_is_rendered_or_allowed_out(surface: str, kind: ArtifactType) -> None:
    table, allowed_out = SURFACES[surface]
    if kind in allowed_out:
        assert kind not in table, f"{surface} renders {kind}: drop it from the allow-list"
    else:
        assert kind in table, f"{surface} has no rendering for {kind!r}"


@pytest.mark.parametrize("surface", SURFACES)
def test_tables_are_keyed_by_the_enum(surface: str) -> None:
    table, _ = SURFACES[surface]
    assert all(type(key) is ArtifactType for key in table)


def test_every_type_has_a_declared_shape_and_keeps_its_old_string() -> None:
    assert set(SHAPES) == set(ArtifactType)
    assert all(kind == kind.value and str(kind) == kind.value for kind in ArtifactType)
    assert artifact_type({"type": "deal_risks"}) is T.DEAL_RISKS
    assert artifact_type({"type": "chart"}) is None and artifact_type({}) is None


def test_what_slack_leaves_to_words_has_words() -> None:
    notice = {"type": "notice", "text": "Interaction search is not set up."}
    assert unrendered_text(notice) == notice["text"]
    assert "deal" in unrendered_text({"type": "not_found", "what": "deal", "query": "x"})


# (asker, tool, arguments): together they return every type of artifact on the fixture CRM.
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("rob@x.test", "find_deals", {}),
    ("rob@x.test", "find_deals", {"owner": "team"}),  # a rep asking for the team: a note
    ("rob@x.test", "find_deals", {"account": "Zyxwvut"}),
    ("rob@x.test", "find_deals", {"inactive_days": 99999}),  # refused with a notice
    ("rob@x.test", "get_deal", {"deal": "Platform Expansion"}),
    ("rob@x.test", "account_overview", {"account": "Acme"}),
    ("rob@x.test", "pipeline_summary", {}),
    ("mia@x.test", "pipeline_summary", {"scope": "team"}),
    ("rob@x.test", "next_actions", {}),
    ("rob@x.test", "search_interactions", {"query": "pricing"}),
    ("mia@x.test", "pipeline_review", {}),
    ("mia@x.test", "forecast", {}),
    ("mia@x.test", "rep_kpis", {}),
    ("mia@x.test", "deal_risks", {}),
    ("mia@x.test", "coaching_brief", {"rep": "Rob"}),
    ("rob@x.test", "update_deal", {"deal": "Platform Expansion", "stage": "proposal"}),
    ("rob@x.test", "log_interaction", {"account": "Acme", "kind": "call", "text": "Called."}),
    ("rob@x.test", "create_task", {"title": "Send the quote", "due": "Friday"}),
    ("rob@x.test", "account_value", {"account": "Acme"}),
    ("mia@x.test", "top_accounts_by_value", {}),
    ("mia@x.test", "unpaid_invoices", {}),
    ("mia@x.test", "upcoming_renewals", {}),
    ("mia@x.test", "churn_risk", {}),
    ("mia@x.test", "revenue_summary", {}),
]
# After Rob's pilot moves to euros: the refusal to add currencies up, and risks without one.
MIXED_CALLS = [("rob@x.test", "pipeline_summary", {}), ("mia@x.test", "deal_risks", {})]


def run_all(
    sessions: sessionmaker[Session], index: InteractionIndex, calls: list[Any]
) -> list[dict[str, Any]]:
    found = []
    for email, name, args in calls:
        with sessions() as session:
            principal = get_principal_by_email(session, email)
        tools = {
            t.name: t for t in make_tools(ToolContext(principal, sessions, index, lambda: NOW))
        }
        call = {"type": "tool_call", "id": "t1", "name": name, "args": args}
        found.append(tools[name].invoke(call).artifact)
    return found


@pytest.fixture
def fixture_artifacts(crm: sessionmaker[Session], tmp_path: Path) -> list[dict[str, Any]]:
    index = make_index(crm, tmp_path / "chroma")
    with crm() as session:
        index_activities(session, index)
    found = run_all(crm, index, CALLS)
    with crm.begin() as session:
        session.execute(text("update deals set currency = 'EUR' where id = 2"))
    return found + run_all(crm, index, MIXED_CALLS)


def test_fixture_artifacts_have_their_declared_keys_and_render(
    fixture_artifacts: list[dict[str, Any]],
) -> None:
    """One test for both checks: running every tool on both backends is the slow part."""
    check_declared_keys(fixture_artifacts)
    check_rendered(fixture_artifacts)
    check_readable(fixture_artifacts)


def check_declared_keys(fixture_artifacts: list[dict[str, Any]]) -> None:
    seen: set[ArtifactType] = set()
    optional_seen: set[str] = set()
    for artifact in fixture_artifacts:
        kind = artifact_type(artifact)
        assert kind is not None, artifact
        shape = SHAPES[kind]
        keys = set(artifact)
        missing = shape.__required_keys__ - keys
        undeclared = keys - shape.__required_keys__ - shape.__optional_keys__
        assert not missing and not undeclared, (kind, missing, undeclared)
        seen.add(kind)
        optional_seen |= {f"{kind}.{k}" for k in keys & shape.__optional_keys__}
    assert seen == set(ArtifactType)  # the calls above reach every type
    assert {"deals.note", "write_proposal.note", "notice.reason"} <= optional_seen


def check_rendered(fixture_artifacts: list[dict[str, Any]]) -> None:
    """Every artifact renders on each surface that draws its type, and only there."""
    console = Console(file=io.StringIO(), width=120)
    for artifact in fixture_artifacts:
        kind = artifact_type(artifact)
        assert kind is not None
        assert PLANNER[kind](artifact).strip(), kind
        table = cli_render(artifact)
        assert (table is None) == (kind in CLI_WITHOUT_TABLE), kind
        if table is not None:
            console.print(table)
        assert bool(slack_render(artifact)) != (kind in SLACK_WITHOUT_BLOCKS), kind
    assert console.file.getvalue().strip()  # type: ignore[attr-defined]


# A stored code shown as written ("closed_won", "overdue_task"): never in what people read.
# Slack emoji codes (":information_source:") are drawn as pictures, not read as words.
SNAKE = re.compile(r"(?<!:)\b[a-z]+_[a-z_]+\b(?!:)")
EMPHASIS = re.compile(r"(?<!\w)[*_]|[*_](?!\w)")  # Markdown markers, not the words' own "_"


def check_readable(fixture_artifacts: list[dict[str, Any]]) -> None:
    """What people read, on every surface: labels in words, each line of the words on its own
    line in the terminal, and a count that matches the list it introduces."""
    for artifact in fixture_artifacts:
        kind = artifact_type(artifact)
        assert kind is not None
        words = PLANNER[kind](artifact)
        cli = _cli_text(prose(words), cli_render(artifact))
        slack = "\n".join(_words_in([b for v in slack_render(artifact) for b in v.intro + v.rows]))
        for surface, shown in (("planner", words), ("cli", cli), ("slack", slack)):
            # A refused argument's notice names the argument the model sent, for the model.
            if kind is not T.NOTICE:
                assert not SNAKE.findall(shown), (kind, surface, SNAKE.findall(shown))
        _check_own_lines(words, cli, kind)
        _check_counts(artifact, cli, kind)


def _words_in(value: Any) -> list[str]:
    """Every text a Slack block shows (not its keys, types or action ids)."""
    if isinstance(value, dict):
        own = [value["text"]] if isinstance(value.get("text"), str) else []
        return own + [w for k, v in value.items() if k != "text" for w in _words_in(v)]
    if isinstance(value, list):
        return [w for v in value for w in _words_in(v)]
    return []


def _cli_text(*renderables: Any) -> str:
    console = Console(file=io.StringIO(), width=200)
    for renderable in renderables:
        if renderable is not None:
            console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def _check_own_lines(words: str, cli: str, kind: ArtifactType) -> None:
    """Each line of the planner's words starts a line in the terminal: a heading or "Won: ..."
    never runs on after the line before it ("...Q4 2026 Open: 9 deals")."""
    starts = [line.strip(" •") for line in cli.splitlines()]
    for line in words.splitlines():
        plain = EMPHASIS.sub("", line.lstrip("- ")).strip()
        if plain:
            assert any(s.startswith(plain[:25]) for s in starts), (kind, plain, cli)


def _check_counts(artifact: dict[str, Any], cli: str, kind: ArtifactType) -> None:
    rows, total = artifact.get("rows"), artifact.get("total_count")
    if kind in (T.DEALS, T.DEAL_RISKS) and rows:
        assert count_of(len(rows), total, "deal") in cli, (kind, cli)
    for point in artifact.get("talking_points", []):
        assert not point.rstrip().endswith(":"), point  # no count introducing a shorter list


@pytest.mark.parametrize(
    ("amount", "short"),
    [
        ("0.00", "$0"),
        ("950.40", "$950"),
        ("8600.00", "$8.6k"),
        ("45000.00", "$45k"),
        ("578500.00", "$579k"),
        ("999600.00", "$1M"),
        ("1208634.44", "$1.2M"),
        ("-12000.00", "-$12k"),
    ],
)
def test_totals_are_rounded_as_sales_teams_say_them(amount: str, short: str) -> None:
    assert short_money(amount) == short
    assert exact_money(amount) == format_money(amount)  # one deal's amount stays exact


def test_labels_and_interactions_read_as_words() -> None:
    assert [label(w) for w in ("closed_won", "linkedin", "overdue_task")] == [
        "Closed won",
        "LinkedIn",
        "Overdue task",
    ]
    assert close_phrase("closed_won", "2026-07-03") == "closed on 2026-07-03"
    assert close_phrase("proposal", "2026-12-07") == "closes 2026-12-07"
    assert subject_line("call", "Call: Budget timing") == "Call: Budget timing"
    assert subject_line("email", "Re: pricing") == "Email: Re: pricing"
    assert count_of(3, 5, "deal") == "top 3 of 5 deals" and count_of(5, 5, "deal") == "5 deals"
