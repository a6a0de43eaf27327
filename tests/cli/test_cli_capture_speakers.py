"""`salesbot capture transcript` without --with: speakers named like one contact are the call's
participants; a call whose speakers match nobody waits for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import VTT, add_contacts
from support.index_helpers import WordVectors
from support.write_helpers import build_write_fixture
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.models import Activity, ActivityKind, CaptureReview


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


def transcript(path: Path, *extra: str) -> Result:
    args = ["capture", "transcript", str(path), "--as", "rob@x.test", "--at", "2026-11-24 16:00"]
    return CliRunner().invoke(app, [*args, *extra])


def test_a_speaker_named_like_a_contact_matches_the_account(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    (cli / "umbrella_call.vtt").write_text(VTT)
    result = transcript(cli / "umbrella_call.vtt", "--no-index")
    assert result.exit_code == 0, result.output
    assert "Speaker Uma Umbrella is your contact uma@umbrella.example" in result.stdout
    with sessions() as session:
        captured = Activity.external_id.like("capture:%")
        [call] = session.scalars(select(Activity).where(captured)).all()
    assert (call.account_id, call.deal_id) == (4, 2)


def test_speakers_matching_nobody_wait_for_review(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    (cli / "stranger_call.vtt").write_text(VTT.replace("Uma Umbrella", "Uma"))
    result = transcript(cli / "stranger_call.vtt", "--no-index")
    assert result.exit_code == 0, result.output
    assert "give --with EMAIL" in result.stdout
    with sessions() as session:
        [waiting] = session.scalars(select(CaptureReview)).all()
    assert (
        waiting.kind == ActivityKind.CALL and waiting.reason == "no participant's address is known"
    )
