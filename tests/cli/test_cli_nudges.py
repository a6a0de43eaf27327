"""`salesbot nudges preview | run | backtest` against the fixture CRM and the local Slack."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.slack_api import FakeSlackServer
from support.nudge_helpers import NY, SQLITE_ONLY, dms, local
from typer.testing import CliRunner, Result

from bot.cli.app import app


@pytest.fixture
def cli_env(
    db_url: str, nudge_crm: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "200")  # Rich would wrap the table cells at 80
    return db_url


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["nudges", *args])


def flat(output: str) -> str:
    return " ".join(output.split())


def test_preview_prints_items_with_reasons_and_evidence(cli_env: str) -> None:
    result = run("preview", "--as", "rob@x.test", "--date", "2026-11-26")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Rob Rep on Thu 26 Nov 2026 (America/New_York): daily nudge at 08:30" in out
    assert "Send revised quote to Acme" in out
    assert "Task overdue by 6 days" in out
    assert "2026-11-20" in out


@SQLITE_ONLY
def test_preview_of_a_manager_is_the_digest(cli_env: str) -> None:
    result = run("preview", "--as", "mia@x.test", "--date", "2026-11-30")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "weekly digest on Mondays at 08:00" in out
    assert "Mia Manager's team" in out and "Top risks" in out


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--as", "nobody@x.test"), "No salesbot user"),
        (("--as", "rob@x.test", "--date", "26/11/2026"), "is not a date"),
    ],
)
def test_preview_refuses_bad_input_in_one_line(
    cli_env: str, args: tuple[str, ...], words: str
) -> None:
    result = run("preview", *args)
    assert result.exit_code == 1
    assert words in flat(result.output)
    assert "Traceback" not in result.output


@SQLITE_ONLY
def test_run_sends_what_is_due_now_once(
    cli_env: str, nudge_slack: FakeSlackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", nudge_slack.url)
    with time_machine.travel(local(NY, "2026-11-26", "08:30"), tick=False):
        first, second = run("run"), run("run")
    assert first.exit_code == 0, first.output
    assert "1 sent" in flat(first.output)
    assert "0 sent" in flat(second.output)
    assert dms(nudge_slack) == {"DUROB": 1}


@SQLITE_ONLY
def test_run_needs_a_bot_token(cli_env: str) -> None:
    result = run("run")
    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN is not set" in result.output


@SQLITE_ONLY
def test_backtest_prints_a_row_per_quarter(cli_env: str) -> None:
    result = run("backtest", "--quarters", "2")
    assert result.exit_code == 0, result.output
    assert "quarter" in result.output.lower()
