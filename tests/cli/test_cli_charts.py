"""`salesbot ask|chat --charts DIR` against the fixture CRM: PNG files saved and listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture
from typer.testing import CliRunner

from bot.charts import HEIGHT_PX, WIDTH_PX
from bot.cli.app import app


@pytest.fixture
def cli_env(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    with sessions.begin() as session:
        build_fixture(session)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "out" / "charts"


@time_machine.travel(NOW, tick=False)
def test_ask_saves_the_pipeline_chart_and_prints_its_path(cli_env: Path) -> None:
    result = CliRunner().invoke(
        app, ["ask", "--as", "rob@x.test", "pipeline this quarter", "--charts", str(cli_env)]
    )
    assert result.exit_code == 0, result.output
    path = cli_env / "pipeline_by_stage.png"
    assert f"Chart saved: {path}" in result.output
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (WIDTH_PX, HEIGHT_PX)


@time_machine.travel(NOW, tick=False)
def test_json_output_stays_json_and_answers_without_charts_say_so(cli_env: Path) -> None:
    args = ["ask", "--as", "rob@x.test", "pipeline this quarter", "--json", "--charts"]
    result = CliRunner().invoke(app, [*args, str(cli_env)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["artifacts"][0]["type"] == "pipeline"
    assert "Chart saved" in result.stderr
    result = CliRunner().invoke(
        app, ["ask", "--as", "rob@x.test", "what should I do today?", "--charts", str(cli_env)]
    )
    assert "No chart for this answer." in result.output


@time_machine.travel(NOW, tick=False)
def test_chat_numbers_each_turns_charts(cli_env: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["chat", "--as", "rob@x.test", "--charts", str(cli_env)],
        input="hello\npipeline this quarter\nexit\n",
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in cli_env.iterdir()] == ["02-pipeline_by_stage.png"]


def test_unwritable_folder_is_a_one_line_error(cli_env: Path) -> None:
    blocker = cli_env.parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file, not a folder")
    result = CliRunner().invoke(
        app, ["ask", "--as", "rob@x.test", "pipeline this quarter", "--charts", str(cli_env)]
    )
    assert result.exit_code == 1
    assert "Cannot save the charts in" in result.stderr and "Traceback" not in result.output
