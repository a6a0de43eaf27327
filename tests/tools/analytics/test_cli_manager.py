"""`salesbot ask` as a manager on the analytics fixture: the right tool, its tables, its words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from bot.cli.app import app
from tools.crm.money import format_money

QUESTIONS = [
    ("how did the team do this week?", "pipeline_review"),
    ("forecast this quarter", "forecast"),
    ("who needs help?", "rep_kpis"),
    ("prep my 1:1 with Rob", "coaching_brief"),
    ("which deals are at risk", "deal_risks"),
]


@pytest.fixture
def cli_db(
    crm: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> sessionmaker[Session]:
    url = crm.kw["bind"].url.render_as_string(hide_password=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "220")
    return crm


def ask(*args: str) -> str:
    result = CliRunner().invoke(app, ["ask", "--as", "mia@x.test", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _figures(a: dict[str, Any]) -> list[str]:
    """Figures the printed answer must show, straight from the artifact."""
    kind = a["type"]
    if kind == "pipeline_review":
        return [format_money(a["open_amount"]), format_money(a["won_amount"]), a["since"]]
    if kind == "forecast":
        return [format_money(a["expected"]), *(format_money(t["actual"]) for t in a["backtest"])]
    if kind == "rep_kpis":
        return [r["name"] for r in a["rows"]] + [format_money(a["rows"][0]["won_amount"])]
    if kind == "deal_risks":
        return [r["name"] for r in a["rows"][:3]]
    return [a["rep"]["name"], *a["talking_points"][:1]]


@pytest.mark.parametrize(("question", "tool"), QUESTIONS)
def test_manager_questions_in_the_cli(
    cli_db: sessionmaker[Session], question: str, tool: str
) -> None:
    answer = json.loads(ask(question, "--json"))
    assert [c["name"] for c in answer["tool_calls"]] == [tool]
    [artifact] = answer["artifacts"]
    assert artifact["type"] == tool and artifact["data_owner_ids"] in ([2, 3, 4], [3])
    printed = " ".join(ask(question).split())
    for figure in _figures(artifact):
        assert " ".join(figure.split()) in printed, figure
