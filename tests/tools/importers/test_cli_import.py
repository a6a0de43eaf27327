"""`salesbot import` end to end through the Typer app: tables, progress, indexing, clean errors."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

import pytest
from chromadb.api.types import Documents, Embeddings
from sqlalchemy.orm import Session, sessionmaker
from support.import_helpers import counts, snapshot
from support.import_samples import set_cell, write_samples
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.database_id import read_database_id
from tools.embeddings import LocalEmbeddings
from tools.interactions import open_client


class HashedWords(LocalEmbeddings):
    """A cheap stand-in for the model: indexing is the point here, not retrieval quality."""

    embedded: ClassVar[list[str]] = []

    def __call__(self, input: Documents) -> Embeddings:
        HashedWords.embedded += list(input)
        vectors = []
        for doc in input:
            vector = [0.0] * 32
            for word in doc.lower().split():
                vector[hashlib.md5(word.encode()).digest()[0] % 32] += 1.0
            vectors.append(vector)
        return vectors  # type: ignore[return-value]


@pytest.fixture
def cli(
    db_url: str,
    sessions: sessionmaker[Session],
    users: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Path:
    monkeypatch.chdir(tmp_path)  # away from any .env
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr("bot.services.LocalEmbeddings", HashedWords)
    return tmp_path


def salesbot(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_clean_failure(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr


def test_import_prints_counts_and_indexes_the_interactions(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    paths = write_samples(cli / "export", "hubspot")
    first = salesbot("import", "hubspot", *paths, "--as", "ada@x.test")
    assert first.exit_code == 0, first.output
    assert "Reading rows" in first.stdout and "Writing records" in first.stdout
    assert "Indexing interactions" in first.stdout and "Indexed 4 new" in first.stdout
    assert "Imported 14 rows from 4 file(s)" in first.stdout and "rows/s" in first.stdout
    [collection] = open_client(str(cli / "chroma"))().list_collections()
    assert collection.name.startswith(f"interactions-{read_database_id(sessions)}-")
    assert collection.count() == 4
    before = snapshot(sessions)
    second = salesbot("import", "hubspot", *paths)
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.stdout and "Indexing" not in second.stdout
    assert snapshot(sessions) == before


def test_a_deal_changing_hands_rewrites_search_scope_without_embedding(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    paths = write_samples(cli / "export", "hubspot")
    assert salesbot("import", "hubspot", *paths, "--as", "ada@x.test").exit_code == 0
    set_cell(cli / "export" / "deals.csv", 2, "Deal owner", "Rita Rep")
    HashedWords.embedded.clear()
    moved = salesbot("import", "hubspot", *paths, "--as", "ada@x.test")
    assert moved.exit_code == 0, moved.output
    assert "Updated 1 whose owner, deal or date changed in" in " ".join(moved.stdout.split())
    assert HashedWords.embedded == []  # the call's text is unchanged: no new vector


def test_dry_run_and_no_index(cli: Path, sessions: sessionmaker[Session]) -> None:
    paths = write_samples(cli / "export", "salesforce")
    dry = salesbot("import", "salesforce", *paths, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would create" in dry.stdout and "Nothing was written" in dry.stdout
    assert counts(sessions)["deals"] == 0
    done = salesbot("import", "salesforce", *paths, "--no-index")
    assert done.exit_code == 0, done.output
    assert "Indexing" not in done.stdout and counts(sessions)["deals"] == 4
    assert not (cli / "chroma").exists()


def test_bad_input_fails_cleanly_and_writes_nothing(
    cli: Path, sessions: sessionmaker[Session]
) -> None:
    paths = write_samples(cli / "export", "csv")
    set_cell(cli / "export" / "deals.csv", 4, "amount", "lots")
    assert_clean_failure(
        salesbot("import", "csv", *paths), "deals.csv, row 4: amount: 'lots' is not an amount"
    )
    assert counts(sessions)["accounts"] == 0
    assert_clean_failure(salesbot("import", "csv", cli / "missing.csv"), "does not exist")
    assert_clean_failure(salesbot("import", "hubspot", *paths), "does not look like a hubspot")
    assert_clean_failure(salesbot("import", "csv", *paths, "--currency", "dollars"), "currency")
    skipped = salesbot("import", "csv", *paths, "--skip-bad-rows", "--no-index")
    assert skipped.exit_code == 0, skipped.output
    assert "Skipped 1 bad row(s)" in skipped.stdout and counts(sessions)["deals"] == 3
