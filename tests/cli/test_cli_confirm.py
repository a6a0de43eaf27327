"""A CLI confirmation saves exactly the change shown: `--yes` and the prompt, one proposal or
several, a hijacked model queueing changes, a busy database, and the exit codes of each."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from click.testing import CliRunner, Result
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from support.fakes.openai_api import FakeOpenAIServer, Reply, ToolCall
from support.write_helpers import build_write_fixture

from bot.agent.answer import Answer
from bot.cli.app import app
from bot.cli.confirm import MANY_WITH_YES, NOT_CONFIRMED_EXIT, confirm_proposals, exit_code
from bot.services import Services
from bot.settings import Settings
from tools import db
from tools.context import ToolContext, utc_now
from tools.crm_tools import make_tools
from tools.models import Activity, Deal, PendingWrite, Stage, WriteStatus
from tools.principal import get_principal_by_email

MOVE_GLOBEX = "move Globex to negotiation"
ROB_OPEN_DEALS = [
    "Acme Corp – Platform Expansion",
    "Umbrella Health – Pilot",
    "Acme Corp – Next Year",
]


class Terminal(io.BytesIO):
    """Typed answers from someone at a terminal (so the CLI may prompt)."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def cli_crm(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_write_fixture(session)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    return sessions


def run(*args: str, typed: io.BytesIO | None = None) -> Result:
    # click's runner: typer's takes only text as input, not a stream that is a terminal.
    return CliRunner().invoke(typer.main.get_command(app), list(args), input=typed)


def flat(output: str) -> str:
    return " ".join(output.split())


def stages(sessions: sessionmaker[Session]) -> dict[int, str]:
    with sessions() as session:
        return {d.id: str(d.stage) for d in session.scalars(select(Deal))}


def statuses(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return [str(w.status) for w in session.scalars(select(PendingWrite))]


def test_a_change_left_unsaved_exits_3(cli_crm: sessionmaker[Session]) -> None:
    before = stages(cli_crm)
    no_terminal = run("ask", "--as", "rita@x.test", MOVE_GLOBEX)
    assert no_terminal.exit_code == NOT_CONFIRMED_EXIT, no_terminal.output
    assert "Not saved" in flat(no_terminal.output)
    said_no = run("ask", "--as", "rita@x.test", MOVE_GLOBEX, typed=Terminal(b"n\n"))
    assert said_no.exit_code == NOT_CONFIRMED_EXIT, said_no.output
    assert "Cancelled; nothing was saved." in flat(said_no.output)
    assert stages(cli_crm) == before
    assert sorted(statuses(cli_crm)) == ["cancelled", "proposed"]


def test_yes_at_the_prompt_saves_the_change_shown_and_exits_0(
    cli_crm: sessionmaker[Session],
) -> None:
    saved = run("ask", "--as", "rita@x.test", MOVE_GLOBEX, typed=Terminal(b"y\n"))
    assert saved.exit_code == 0, saved.output
    out = flat(saved.output)
    assert out.index("Qualification → Negotiation") < out.index("Save this change?")
    assert "Applied." in out and stages(cli_crm)[4] == "negotiation"


@pytest.fixture
def hijacked(cli_crm: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A model that answers "log a call" with the call and 17 deals closed as lost."""
    closing = [
        ToolCall("update_deal", {"deal": ROB_OPEN_DEALS[i % 3], "stage": "closed_lost"})
        for i in range(17)
    ]
    call = ToolCall("log_interaction", {"account": "Acme", "kind": "call", "text": "Spoke to CFO"})
    with FakeOpenAIServer([Reply(tool_calls=(call, *closing)), Reply("All done.")]) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
        monkeypatch.setenv("LLM_MAX_RETRIES", "0")
        yield


@pytest.mark.usefixtures("hijacked")
def test_a_hijacked_model_gets_one_change_confirmed_not_eighteen(
    cli_crm: sessionmaker[Session],
) -> None:
    before = stages(cli_crm)
    result = run("ask", "--as", "rob@x.test", "log a call with Acme: spoke to the CFO", "--yes")
    assert result.exit_code == 0, result.output
    assert "One change at a time" in flat(result.output)
    assert stages(cli_crm) == before  # not one deal closed
    assert statuses(cli_crm) == ["applied"]  # the call, and no other proposal stored
    with cli_crm() as session:
        assert session.scalar(select(Activity.body).order_by(Activity.id.desc()).limit(1)) == (
            "Spoke to CFO"
        )


def two_proposals(sessions: sessionmaker[Session]) -> Answer:
    """Two proposals in one answer, as no agent run makes any more (one change per question)."""
    with sessions() as session:
        rob = get_principal_by_email(session, "rob@x.test")
    tools = {t.name: t for t in make_tools(ToolContext(rob, sessions, None, utc_now))}
    made = [
        tools["update_deal"]
        .invoke(
            {
                "type": "tool_call",
                "id": deal,
                "name": "update_deal",
                "args": {"deal": deal, "stage": "lost"},
            }
        )
        .artifact
        for deal in ("Acme platform", "Umbrella pilot")
    ]
    assert [a["type"] for a in made] == ["write_proposal", "write_proposal"]
    return Answer("Two changes.", artifacts=made)


def services(db_url: str) -> Services:
    return Services(Settings(_env_file=None, DATABASE_URL=db_url))  # type: ignore[call-arg]


def test_yes_with_two_proposals_saves_neither_and_says_why(
    db_url: str, cli_crm: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    answer, before, svc = two_proposals(cli_crm), stages(cli_crm), services(db_url)
    with cli_crm() as session:
        rob = get_principal_by_email(session, "rob@x.test")

    results = confirm_proposals(svc, rob, answer, yes=True)

    assert [r["outcome"] for r in results] == ["not_applied", "not_applied"]
    assert exit_code(results) == NOT_CONFIRMED_EXIT
    assert MANY_WITH_YES.format(n=2) in flat(capsys.readouterr().out)
    assert stages(cli_crm) == before and statuses(cli_crm) == ["proposed", "proposed"]


def test_two_proposals_at_the_prompt_are_shown_and_asked_one_by_one(
    db_url: str,
    cli_crm: sessionmaker[Session],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answer, svc = two_proposals(cli_crm), services(db_url)
    with cli_crm() as session:
        rob = get_principal_by_email(session, "rob@x.test")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Terminal(b"y\nn\n")))

    results = confirm_proposals(svc, rob, answer, yes=False)

    assert [r["outcome"] for r in results] == ["applied", "cancelled"]
    assert exit_code(results) == NOT_CONFIRMED_EXIT
    out = flat(capsys.readouterr().out)
    first, second = out.index("Change 1 of 2"), out.index("Change 2 of 2")
    assert first < out.index("Acme Corp – Platform Expansion", first) < second
    assert out.index("Umbrella Health – Pilot", second) > second
    assert stages(cli_crm)[1] == Stage.CLOSED_LOST and stages(cli_crm)[2] == Stage.PROPOSAL


class LockingTerminal(Terminal):
    """Someone typing "y" just as another program takes SQLite's write lock."""

    def __init__(self, path: str) -> None:
        super().__init__(b"y\n")
        self.locker = sqlite3.connect(path, timeout=0, isolation_level=None)

    def read1(self, size: int = -1) -> bytes:
        if self.tell() == 0:
            self.locker.execute("BEGIN IMMEDIATE")
        return super().read1(size)

    def release(self) -> None:
        self.locker.execute("ROLLBACK")


class OutageTerminal(Terminal):
    """Someone typing "y" just as PostgreSQL stops taking connections (a restart, a failover)."""

    def __init__(self, admin: Engine, database: str) -> None:
        super().__init__(b"y\n")
        self.admin, self.database = admin, database

    def read1(self, size: int = -1) -> bytes:
        if self.tell() == 0:
            self._allow(False)
        return super().read1(size)

    def _allow(self, allowed: bool) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS {allowed}'))
            if not allowed:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": self.database},
                )

    def release(self) -> None:
        self._allow(True)


def test_a_database_failing_during_confirmation_is_a_clear_message(
    db_url: str,
    cli_crm: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    database = str(make_url(db_url).database)
    if db_url.startswith("sqlite"):
        monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)  # the lock outlasts this
        typed: LockingTerminal | OutageTerminal = LockingTerminal(database)
        said = "The database is busy (another program is writing to it), so nothing was changed."
    else:
        typed = OutageTerminal(request.getfixturevalue("pg_admin"), database)
        said = "The database failed while saving ("
    try:
        result = run("ask", "--as", "rita@x.test", MOVE_GLOBEX, typed=typed)
    finally:
        typed.release()
    assert result.exit_code == 1, result.output
    assert said in flat(result.output) and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert stages(cli_crm)[4] == "qualification"
    assert statuses(cli_crm) == [WriteStatus.PROPOSED]


def test_json_output_reports_each_write_and_the_exit_code(cli_crm: sessionmaker[Session]) -> None:
    result = run("ask", "--as", "rob@x.test", "remind me to send the contract Friday", "--json")
    assert result.exit_code == NOT_CONFIRMED_EXIT
    writes: list[dict[str, Any]] = json.loads(result.stdout)["writes"]
    assert [w["outcome"] for w in writes] == ["not_applied"]
