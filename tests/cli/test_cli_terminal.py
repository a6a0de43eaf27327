"""Hostile CRM text through every CLI command that prints it, on SQLite and PostgreSQL.

A rep's name, an account, a deal, a task and an audit row carry ESC[2J (clear screen), an OSC 8
hyperlink, a C1 CSI (U+009B), a bidi override (U+202E), BEL, DEL and Rich markup ("[/]",
"[link=...]"). Each command must show them (escaped) and never send one raw to the terminal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.import_samples import add_users, write_csv
from typer.testing import CliRunner, Result

from bot.cli.app import app
from bot.cli.terminal import is_terminal_safe, sanitize_terminal
from tools.models import Account, AuditLog, AuditSurface, Deal, Task, User

OSC8 = "\x1b]8;;https://evil.test/\x1b\\bank.com\x1b]8;;\x1b\\"
MARKUP = "[/][link=https://evil.test/]x[/link][bold]"
# No tab: a tab is kept on purpose (a cell turns it into spaces); no NUL: PostgreSQL refuses it.
POISON = f" \x1b[2J{OSC8}\x9b31m\u202etxt.exe\u2066{MARKUP}\x07\x7f\x90dcs\x9c\x1b_apc\x1b\\"
SHOWN = sanitize_terminal(POISON)
# Parts of POISON as they must appear (a table may wrap or shorten the rest with "…").
VISIBLE = ("\\x1b[2J", "\\x1b]8;;https://evil.test/", "\\x9b31m", "\\u202etxt.exe", "[/][link=")


@pytest.fixture
def poisoned(
    nudge_crm: sessionmaker[Session],
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> sessionmaker[Session]:
    """The fixture CRM (with Rob's open tasks) where Rob's data carries POISON."""
    with nudge_crm.begin() as session:
        session.get_one(User, 3).name += POISON
        session.get_one(Account, 1).name += POISON
        session.get_one(Deal, 1).name += POISON
        task = session.scalars(select(Task).where(Task.title.like("Send revised quote%"))).one()
        task.title += POISON
        session.add(
            AuditLog(
                actor_id=3,
                action="deal.update",
                entity="deal",
                entity_id="1",
                before={"next_step": "call" + POISON},
                after={"next_step": "sign" + POISON},
                surface=AuditSurface.CLI,
                created_at=NOW,
            )
        )
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no escaped name is wrapped
    return nudge_crm


@pytest.fixture
def import_env(
    sessions: sessionmaker[Session], db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> sessionmaker[Session]:
    """An empty CRM with the users an import's owners match (ids from the database)."""
    with sessions.begin() as session:
        add_users(session)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "400")
    return sessions


def run(*args: str, input: str | None = None) -> Result:
    with time_machine.travel(NOW, tick=False):
        return CliRunner().invoke(app, list(args), input=input)


def assert_shown_not_obeyed(result: Result, *, expected_code: int = 0) -> None:
    """The command worked, printed POISON escaped, and wrote no raw control character."""
    assert result.exit_code == expected_code, result.output
    assert "Traceback" not in result.output
    assert is_terminal_safe(result.stdout), [ch for ch in result.stdout if not ch.isprintable()]
    assert is_terminal_safe(result.stderr)
    assert all(part in result.stdout for part in VISIBLE)  # markup too: printed, not parsed


def test_ask_shows_hostile_names_in_words_and_tables(poisoned: sessionmaker[Session]) -> None:
    for question in ("show my open deals", "how is the acme platform deal going?"):
        assert_shown_not_obeyed(run("ask", "--as", "rob@x.test", question))


def test_ask_json_escapes_every_control_and_keeps_the_values(
    poisoned: sessionmaker[Session],
) -> None:
    result = run("ask", "--as", "rob@x.test", "show my open deals", "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout.isascii() and is_terminal_safe(result.stdout)
    rows = json.loads(result.stdout)["artifacts"][0]["rows"]
    assert "Acme Corp" + POISON in {r["account"] for r in rows}  # the exact value, decoded


def test_chat_shows_hostile_names_in_the_header_and_answers(
    poisoned: sessionmaker[Session],
) -> None:
    result = run("chat", "--as", "rob@x.test", input="show my open deals\nexit\n")
    assert_shown_not_obeyed(result)
    assert f"Chatting as Rob Rep{SHOWN} (rep)" in result.stdout


def test_audit_table_and_json(poisoned: sessionmaker[Session]) -> None:
    table = run("audit")
    assert_shown_not_obeyed(table)
    assert "next_step: sign" in table.stdout
    rows = run("audit", "--as-json")
    assert rows.stdout.isascii() and json.loads(rows.stdout)[0]["after"]["next_step"].endswith(
        POISON
    )


def test_users_lists_a_hostile_name(poisoned: sessionmaker[Session]) -> None:
    assert_shown_not_obeyed(run("users"))


def test_nudges_preview_shows_hostile_name_and_task(poisoned: sessionmaker[Session]) -> None:
    result = run("nudges", "preview", "--as", "rob@x.test", "--date", "2026-11-26")
    assert_shown_not_obeyed(result)
    assert f"Rob Rep{SHOWN} on Thu 26 Nov 2026" in result.stdout
    assert f"Send revised quote to Acme{SHOWN}" in result.stdout


def test_import_report_quotes_bad_cells_escaped_then_ask_shows_the_account(
    import_env: sessionmaker[Session], tmp_path: Path
) -> None:
    accounts = write_csv(
        tmp_path / "accounts.csv",
        [["account_id", "name", "owner_email"], ["A9", "Hostile Ltd" + POISON, "rob@x.test"]],
    )
    deals = write_csv(
        tmp_path / "deals.csv",
        [
            ["deal_id", "account_id", "name", "stage", "close_date", "owner_email", "amount"],
            ["D9", "A9", "Hostile Pilot", "proposal", "2026-12-20", "rob@x.test", "5000"],
            ["D10", "A9", "Bad Row", "proposal", "someday" + POISON, "rob@x.test", "1"],
        ],
    )
    args = ("import", "csv", str(accounts), str(deals), "--skip-bad-rows", "--no-index")
    report = run(*args)
    assert_shown_not_obeyed(report)
    assert "Skipped 1 bad row(s)" in report.stdout
    with import_env() as session:
        assert session.scalars(select(Account.name).where(Account.name.like("Hostile%"))).one() == (
            "Hostile Ltd" + POISON
        )
    answer = run("ask", "--as", "rob@x.test", "how is the hostile pilot deal going?")
    assert_shown_not_obeyed(answer)
    assert f"Hostile Ltd{SHOWN}" in answer.stdout


def test_an_error_quoting_user_input_is_escaped_too(poisoned: sessionmaker[Session]) -> None:
    result = run("ask", "--as", "nobody" + POISON + "@x.test", "hi")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert is_terminal_safe(line) and "x1b[2J" in line and is_terminal_safe(result.stdout)
