"""`salesbot capture imap` against a real IMAP server: incremental, resumable, no duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import add_contacts, message, sample_messages
from support.imap_server import PASSWORD, USER, ImapServer, imap_server
from support.index_helpers import WordVectors
from support.write_helpers import build_write_fixture
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.models import Activity, ImapSyncState


@pytest.fixture
def imap(tmp_path: Path) -> Iterator[ImapServer]:
    with imap_server(tmp_path) as server:
        yield server


@pytest.fixture
def cli(
    db_url: str,
    sessions: sessionmaker[Session],
    imap: ImapServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Path:
    with sessions.begin() as session:
        build_write_fixture(session)
        add_contacts(session)
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": db_url,
        "CHROMA_PATH": str(tmp_path / "chroma"),
        "COLUMNS": "200",
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": str(imap.port),
        "IMAP_SSL": "false",
        "IMAP_USER": USER,
        "IMAP_PASSWORD": PASSWORD,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("bot.services.LocalEmbeddings", WordVectors)
    return tmp_path


def salesbot(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def captured(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        query = select(func.count()).where(Activity.external_id.like("capture:%"))
        return session.scalar(query) or 0


def test_imap_syncs_twice_without_duplicates_then_only_what_is_new(
    cli: Path, imap: ImapServer, sessions: sessionmaker[Session]
) -> None:
    imap.append(sample_messages())
    first = salesbot("capture", "imap", "--as", "rob@x.test")
    assert first.exit_code == 0, first.output
    assert "Fetched 6 new message(s)" in first.stdout and "Indexed 3 new" in first.stdout
    assert captured(sessions) == 3
    second = salesbot("capture", "imap", "--as", "rob@x.test")
    assert second.exit_code == 0, second.output
    assert "Fetched 0 new message(s)" in second.stdout and captured(sessions) == 3
    late = message("m7@acme.example", "ana@acme.example", "rob@x.test", "Signed", "Done!")
    imap.append([late, sample_messages()[0]])  # a copy of an old one under a new UID
    third = salesbot("capture", "imap", "--as", "rob@x.test")
    assert "Fetched 2 new message(s)" in third.stdout and captured(sessions) == 4
    with sessions() as session:
        state = session.scalars(select(ImapSyncState)).one()
    assert state.mailbox.endswith("/INBOX") and state.last_uid > 0


def test_a_changed_uidvalidity_reads_again_and_still_adds_nothing(
    cli: Path, imap: ImapServer, sessions: sessionmaker[Session]
) -> None:
    imap.append(sample_messages())
    assert salesbot("capture", "imap", "--as", "rob@x.test").exit_code == 0
    with sessions.begin() as session:
        session.scalars(select(ImapSyncState)).one().uidvalidity = 1  # as if renumbered
    again = salesbot("capture", "imap", "--as", "rob@x.test")
    assert again.exit_code == 0, again.output
    assert "UIDVALIDITY changed" in again.stdout and "Fetched 6 new" in again.stdout
    assert captured(sessions) == 3


def test_imap_errors_are_one_clean_line(cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAP_PASSWORD", "wrong")
    wrong = salesbot("capture", "imap", "--as", "rob@x.test")
    assert wrong.exit_code == 1 and "IMAP 127.0.0.1" in wrong.stderr
    assert "Traceback" not in wrong.output
    monkeypatch.delenv("IMAP_HOST")
    unset = salesbot("capture", "imap", "--as", "rob@x.test")
    assert unset.exit_code == 1 and "IMAP_HOST" in unset.stderr
