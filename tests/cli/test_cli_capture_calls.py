"""`salesbot capture calendar` and `capture transcript`: meetings, calls, summaries, next steps."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import ICS, VTT, add_contacts
from support.fakes.openai_api import FakeOpenAIServer, Reply
from support.index_helpers import WordVectors
from support.write_helpers import build_write_fixture
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.models import Activity, ActivityKind, Task


@pytest.fixture
def cli(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    with sessions.begin() as session:
        build_write_fixture(session)
        add_contacts(session)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr("bot.services.LocalEmbeddings", WordVectors)
    return tmp_path


def salesbot(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def calls(sessions: sessionmaker[Session]) -> list[Activity]:
    with sessions() as session:
        captured = Activity.external_id.like("capture:%")
        query = select(Activity).where(Activity.kind == ActivityKind.CALL, captured)
        return list(session.scalars(query))


def test_capture_calendar_counts_meetings_and_what_was_left_out(cli: Path) -> None:
    (cli / "cal.ics").write_text(ICS)
    result = salesbot("capture", "calendar", cli / "cal.ics", "--as", "rob@x.test")
    assert result.exit_code == 0, result.output
    assert "Indexed 4 new" in result.stdout  # the four weekly Acme syncs so far
    assert "Left out 1 meeting(s) you declined" in result.stdout
    (cli / "bad.ics").write_text("not a calendar")
    bad = salesbot("capture", "calendar", cli / "bad.ics", "--as", "rob@x.test")
    assert bad.exit_code == 1 and "not an iCalendar" in bad.stderr


def test_capture_transcript_offline_summary_and_a_confirmed_next_step(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    (cli / "umbrella_call.vtt").write_text(VTT)
    result = salesbot(
        "capture", "transcript", cli / "umbrella_call.vtt", "--as", "rob@x.test",
        "--with", "uma@umbrella.example", "--at", "2026-11-24 16:00", "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Summary:" in result.stdout and "Indexed 1 new" in result.stdout
    [call] = calls(sessions)
    assert (call.account_id, call.deal_id) == (4, 2) and "Uma Umbrella: Our security" in call.body
    with sessions() as session:
        task = session.scalars(select(Task).where(Task.title.like("%SOC 2%"))).one()
    assert task.deal_id == 2 and task.owner_id == 3


def test_capture_transcript_uses_the_llm_summary_when_configured(
    cli: Path, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    (cli / "umbrella_call.vtt").write_text(VTT)
    with FakeOpenAIServer([Reply("Umbrella needs the SOC 2 report; Rob sends it Friday.")]) as ai:
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        monkeypatch.setenv("OPENAI_BASE_URL", ai.url + "/v1")
        result = salesbot(
            "capture", "transcript", cli / "umbrella_call.vtt", "--as", "rob@x.test",
            "--with", "uma@umbrella.example", "--at", "2026-11-24",
        )  # fmt: skip
    assert result.exit_code in (0, 3), result.output  # the next step is left unconfirmed
    [request] = ai.requests
    sent = str(request["messages"])
    assert "summarise a sales call" in sent and "Rob Rep: Understood." in sent
    [call] = calls(sessions)
    assert "Summary: Umbrella needs the SOC 2 report; Rob sends it Friday." in call.body
    with sessions() as session:
        assert session.scalars(select(Task).where(Task.title.like("%SOC 2%"))).all() == []
