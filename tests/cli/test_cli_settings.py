"""Bad settings are one line each and exit 1; exit codes say whether the command did its job.

A few cases run the real `python -m bot` in a subprocess (what a user sees: no Rich traceback,
nothing on stdout); the rest use Typer's CliRunner.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture
from time_machine import travel
from typer.testing import CliRunner, Result

from bot.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (
    "DATABASE_URL",
    "CHROMA_PATH",
    "NUDGE_TIME",
    "SLACK_WORKERS",
    "LOG_LEVEL",
    "EMBEDDINGS",
    "PORT",
)


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty folder without `.env`, as the working directory, and no salesbot settings."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")  # what Rich assumes when output is piped
    return tmp_path


def run(*args: str, **env: str) -> Result:
    return CliRunner(env=env).invoke(app, list(args))


def python_m_bot(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), "COLUMNS": "80", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_error_line(stderr: str, *words: str) -> str:
    assert "Traceback" not in stderr
    (line,) = stderr.strip().splitlines()
    assert line.startswith("error: ")
    for word in words:
        assert word in line
    return line


def assert_bad_setting(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exc_info
    one_error_line(result.stderr, *words)


# The real process, as a user runs it.


def test_a_two_slash_sqlite_url_says_to_use_three(here: Path) -> None:
    done = python_m_bot(here, "users", DATABASE_URL="sqlite://data/salesbot.db")
    assert done.returncode == 1 and done.stdout == ""
    one_error_line(
        done.stderr, "'sqlite://data/salesbot.db' has no path", "sqlite:///data/salesbot.db"
    )
    assert list(here.iterdir()) == []  # no data/ folder, no database file


def test_each_invalid_setting_is_one_line_naming_it(here: Path) -> None:
    done = python_m_bot(here, "users", NUDGE_TIME="25:00", SLACK_WORKERS="abc")
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)
    assert "NUDGE_TIME='25:00' is not a time of day: use HH:MM" in done.stderr
    assert "SLACK_WORKERS='abc' is not a whole number" in done.stderr
    assert "pydantic" not in done.stderr and "validation error" not in done.stderr


def test_seed_demo_into_a_path_under_a_file(here: Path) -> None:
    (here / "notes.txt").write_text("a file")
    url = f"sqlite:///{here}/notes.txt/crm.db"
    done = python_m_bot(here, "seed-demo", DATABASE_URL=url)
    assert done.returncode == 1 and done.stdout == ""
    one_error_line(done.stderr, "notes.txt, which is a file, not a folder")


# The same rules through CliRunner.


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://app:s3cret@db/crm", ("uses mysql, which salesbot does not support", "***")),
        ("postgresql+psycopg2://db/crm", ("the psycopg2 driver", "postgresql+psycopg://")),
        ("postgresql://db:port/crm", ("has a port that is not a number",)),
        ("not a url", ("is not a database URL",)),
    ],
)
def test_unsupported_or_malformed_urls(here: Path, url: str, words: tuple[str, ...]) -> None:
    result = run("users", DATABASE_URL=url)
    assert_bad_setting(result, *words)
    assert "s3cret" not in result.output


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"LOG_LEVEL": "loud"}, ("LOG_LEVEL='loud' is not a log level", "DEBUG, INFO")),
        ({"EMBEDDINGS": "bert"}, ("EMBEDDINGS='bert' must be 'local' or 'openai'",)),
        ({"PORT": "70000"}, ("PORT='70000' must be 65535 or less",)),
    ],
)
def test_invalid_values(here: Path, env: dict[str, str], words: tuple[str, ...]) -> None:
    assert_bad_setting(run("users", **env), *words, "fix it in the environment or .env")


def test_help_and_usage_errors_do_not_need_good_settings(here: Path) -> None:
    assert run("ask", "--help", NUDGE_TIME="25:00").exit_code == 0
    assert run("ask", NUDGE_TIME="25:00").exit_code == 2


@pytest.mark.parametrize("command", ["seed-demo", "demo", "db"])
def test_a_missing_custom_folder_is_not_created(here: Path, command: str) -> None:
    args = ("db", "upgrade") if command == "db" else (command,)
    result = run(*args, DATABASE_URL=f"sqlite:///{here}/typo/crm.db")
    assert_bad_setting(result, f"The folder {here}/typo", "does not exist", "mkdir -p")
    assert not (here / "typo").exists()


def test_the_default_data_folder_is_created_and_said(here: Path) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "Created the folder data/ for the database."
    assert (here / "data" / "salesbot.db").is_file()
    again = run("db", "upgrade")
    assert again.exit_code == 0 and again.stderr == ""


def test_reading_a_database_that_does_not_exist_creates_nothing(here: Path) -> None:
    assert_bad_setting(run("users"), "There is no database at data/salesbot.db", "seed-demo")
    assert list(here.iterdir()) == []


def test_a_folder_instead_of_a_file(here: Path) -> None:
    assert_bad_setting(run("users", DATABASE_URL=f"sqlite:///{here}"), "add a file name")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder(here: Path) -> None:
    locked = here / "locked"
    locked.mkdir(mode=0o500)
    result = run("db", "upgrade", DATABASE_URL=f"sqlite:///{locked}/crm.db")
    assert_bad_setting(result, "Cannot write the database", "permission denied")


def test_a_folder_nobody_can_write_in(here: Path) -> None:
    # /proc refuses new files even to root: what an unwritable folder does when root runs it.
    result = run("db", "upgrade", DATABASE_URL="sqlite:////proc/salesbot.db")
    assert_bad_setting(result, "Cannot", "/proc/salesbot.db")


def test_a_database_that_breaks_mid_command_is_one_line(here: Path) -> None:
    # Looks migrated (a deals table) but the users table is missing, as if dropped meanwhile.
    with sqlite3.connect(here / "half.db") as conn:
        conn.execute("CREATE TABLE deals (id INTEGER PRIMARY KEY)")
    result = run("ask", "--as", "rob@x.test", "hi", DATABASE_URL=f"sqlite:///{here}/half.db")
    assert_bad_setting(result, "no such table: users", "Check DATABASE_URL")


# Exit codes.


@pytest.fixture
def crm(db_url: str, sessions: sessionmaker[Session], here: Path) -> str:
    with sessions.begin() as session:
        build_fixture(session)
    return db_url


def ask(db_url: str, *args: str) -> Result:
    with travel(NOW, tick=False):
        return run("ask", *args, DATABASE_URL=db_url, CHROMA_PATH="chroma")


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_is_a_usage_error(crm: str, question: str) -> None:
    result = ask(crm, "--as", "rob@x.test", question)
    assert result.exit_code == 2
    assert "Usage:" in result.output and "QUESTION" in result.output and "is empty" in result.output


def test_exit_codes_of_ask(crm: str) -> None:
    assert ask(crm, "--as", "rob@x.test", "show my open deals").exit_code == 0
    assert ask(crm, "--as", "rob@x.test", "what's the weather on Mars?").exit_code == 0
    unknown = ask(crm, "--as", "nobody@x.test", "show my open deals")
    assert unknown.exit_code == 1 and "No salesbot user" in unknown.stderr
    lost = ask(crm, "--as", "rob@x.test", "account overview Globe")  # not his: not found
    assert lost.exit_code == 0 and "couldn't find an account" in lost.stdout
    choice = ask(crm, "--as", "rob@x.test", "how is the Platinum deal going")
    said = " ".join(choice.stdout.split())
    assert choice.exit_code == 2 and "Did you mean: 1 Acme Corp – Platform Expansion" in said
    assert ask(crm, "--as", "rob@x.test", "how is the Platinum deal going", "--json").exit_code == 2
    # Unsure what was asked: the readings, numbered, and the user's turn.
    unsure = ask(crm, "--as", "rob@x.test", "quota stuff")
    assert unsure.exit_code == 2 and "1 the pipeline and quota" in " ".join(unsure.stdout.split())
    as_json = json.loads(ask(crm, "--as", "rob@x.test", "quota stuff", "--json").stdout)
    assert as_json["choices"][0] == {"label": "the pipeline and quota", "reply": "1"}


def test_chat_takes_a_number_for_the_choice_offered(crm: str) -> None:
    with travel(NOW, tick=False):
        result = CliRunner(env={"DATABASE_URL": crm, "CHROMA_PATH": "chroma"}).invoke(
            app,
            ["chat", "--as", "rob@x.test"],
            input="how is the Acme deal going?\n1\nquota stuff\n1\nexit\n",
        )
    said = " ".join(result.stdout.split())
    assert result.exit_code == 0, result.output
    assert "Did you mean: 1 Acme Corp – Platform Expansion" in said
    # "1" chose the first deal: its figures follow.
    assert "$120,000" in said.split("Did you mean", 1)[1]
    assert "Pipeline for Rob Rep" in said.split("1 the pipeline and quota", 1)[1]


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "hi"),  # no --as
        ("ask", "--as"),
        ("nope",),
        ("ask", "--as", "rob@x.test", "hi", "--bogus"),
        ("audit", "--limit", "many"),
    ],
)
def test_click_usage_errors_exit_2(here: Path, args: tuple[str, ...]) -> None:
    assert run(*args).exit_code == 2
