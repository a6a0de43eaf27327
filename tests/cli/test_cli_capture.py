"""`salesbot capture email` and `capture review` end to end: counts, index, review, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.capture_samples import add_contacts, sample_messages, write_mbox
from support.index_helpers import WordVectors, make_index, stored_documents
from support.write_helpers import build_write_fixture
from typer.testing import CliRunner, Result

from bot.cli.app import app


@pytest.fixture
def cli(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    with sessions.begin() as session:
        build_write_fixture(session)
        add_contacts(session)
    monkeypatch.chdir(tmp_path)  # away from any .env
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr("bot.services.LocalEmbeddings", WordVectors)
    return tmp_path


def salesbot(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_capture_email_indexes_at_once_and_twice_adds_nothing(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    box = write_mbox(cli / "takeout.mbox", sample_messages())
    first = salesbot("capture", "email", box, "--as", "rob@x.test")
    assert first.exit_code == 0, first.output
    assert "Indexed 3 new" in first.stdout and "items/s" in first.stdout
    assert "salesbot capture review" in first.stdout
    docs = stored_documents(make_index(sessions, cli / "chroma"))
    assert any("price drops 10%" in text for text in docs.values())
    second = salesbot("capture", "email", box, "--as", "rob@x.test")
    assert second.exit_code == 0, second.output
    assert "Indexed" not in second.stdout
    assert len(stored_documents(make_index(sessions, cli / "chroma"))) == len(docs)


def test_review_lists_then_files_an_item_under_a_visible_account(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    box = write_mbox(cli / "a.mbox", sample_messages())
    assert salesbot("capture", "email", box, "--as", "rob@x.test", "--no-index").exit_code == 0
    listing = salesbot("capture", "review", "--as", "rob@x.test")
    assert listing.exit_code == 0, listing.output
    assert "stranger@gmail.com" in listing.stdout and "ian@initech.example" in listing.stdout
    row = next(line for line in listing.stdout.splitlines() if "stranger@gmail.com" in line)
    review_id = row.split()[1] if row.startswith("│") else row.split()[0]
    filed = salesbot(
        "capture", "review", "--as", "rob@x.test", "--resolve", review_id, "--account", "Acme"
    )
    assert filed.exit_code == 0, filed.output
    assert "Filed" in filed.stdout and "Indexed 1 new" in filed.stdout
    again = salesbot("capture", "review", "--as", "rob@x.test")
    assert "stranger@gmail.com" not in again.stdout
    docs = stored_documents(make_index(sessions, cli / "chroma"))
    assert any("Who is this?" in text for text in docs.values())


def test_capture_errors_are_one_clean_line(cli: Path) -> None:
    missing = salesbot("capture", "email", cli / "nope.mbox", "--as", "rob@x.test")
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert "Traceback" not in missing.output
    stranger = salesbot("capture", "email", cli / "nope.mbox", "--as", "who@x.test")
    assert stranger.exit_code == 1 and "Traceback" not in stranger.output
    unfiled = salesbot("capture", "review", "--as", "rob@x.test", "--resolve", "99")
    assert unfiled.exit_code == 1 and "--account" in unfiled.stderr
    nothing = salesbot(
        "capture", "review", "--as", "rob@x.test", "--resolve", "99", "--account", "Acme"
    )
    assert nothing.exit_code == 1 and "No open review item #99" in nothing.stderr
