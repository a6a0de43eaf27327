"""`--as-of DATE` and SALESBOT_AS_OF: answers from the data known on that day, on a private
copy (the CRM itself is untouched); a forecast for a named period backtests the quarters
before it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.export_folder import write_export_folder
from support.import_helpers import run, snapshot
from typer.testing import CliRunner

from bot.cli.app import app

SOFIA = "sofia@acme.test"  # manages José and Zoë in the export


@pytest.fixture
def crm_2017(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> sessionmaker[Session]:
    run(sessions, "salesforce", [write_export_folder(tmp_path / "export")], skip_bad_rows=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    return sessions


def ask(question: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["ask", question, "--as", SOFIA, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def artifact(answer: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(a for a in answer["artifacts"] if a["type"] == kind)


def test_pipeline_as_of_a_past_day(crm_2017: sessionmaker[Session]) -> None:
    before = snapshot(crm_2017)
    now = artifact(ask("pipeline for my team this quarter"), "pipeline")
    assert now["open_count"] == 0  # nothing closes in today's quarter
    then = artifact(ask("pipeline for my team this quarter", "--as-of", "2017-02-15"), "pipeline")
    assert then["period"]["label"] == "Q1 2017"
    # On 15 Feb 2017 only "Cementos - Planta" closed in Q1, still open (won on 15 March), and
    # worth MXN 3.5M (raised to 3.9M on 20 Feb): 3,500,000 / 19.0 per USD.
    assert then["open_count"] == 1 and then["won_count"] == 0
    assert then["open_amount"] == "184210.53"
    by_stage = {s["stage"]: s["count"] for s in then["by_stage"]}
    assert by_stage == {"prospecting": 0, "qualification": 0, "proposal": 1, "negotiation": 0}
    assert snapshot(crm_2017) == before  # the CRM itself never changes


def test_setting_and_later_day(
    crm_2017: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SALESBOT_AS_OF", "2017-03-20")
    a = artifact(ask("pipeline for my team this quarter"), "pipeline")
    assert a["won_count"] == 1 and a["won_amount"] == "205263.16"
    # The Lima deal was created on 1 March: known on 20 March, open and not yet due.
    assert a["past_due"]["count"] == 0


def test_forecast_for_a_named_period_backtests_the_quarters_before_it(
    crm_2017: sessionmaker[Session],
) -> None:
    f = artifact(ask("forecast for Q4 2017"), "forecast")
    assert f["period"]["label"] == "Q4 2017"
    assert [t["period"]["label"] for t in f["backtest"]] == [
        "Q4 2016",
        "Q1 2017",
        "Q2 2017",
        "Q3 2017",
    ]
