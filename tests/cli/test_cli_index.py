"""`salesbot index` and `seed-demo` through the Typer app: what they sync, and what they say.

The real Chroma in a tmp folder, the fake word-vector embedder (the model is not the point).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from support.index_helpers import WordVectors
from typer.testing import CliRunner, Result

from bot.cli.app import app
from tools.database_id import read_database_id
from tools.db import make_engine, session_factory
from tools.interactions import open_client
from tools.models import Activity, Deal


def salesbot(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def said(result: Result) -> str:
    return " ".join(result.stdout.split())  # Rich wraps long lines


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The CLI pointed at a tmp CHROMA_PATH with the fake embedder; tests set DATABASE_URL."""
    monkeypatch.chdir(tmp_path)  # away from any .env
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("EMBEDDINGS", "local")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr("bot.services.LocalEmbeddings", WordVectors)
    WordVectors.embedded.clear()
    return tmp_path / "chroma"


@pytest.fixture
def crm(
    cli: Path, db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> Iterator[sessionmaker[Session]]:
    with sessions.begin() as session:
        build_fixture(session)
    monkeypatch.setenv("DATABASE_URL", db_url)
    yield sessions


def edit(sessions: sessionmaker[Session], statement: object) -> None:
    with sessions.begin() as session:
        session.execute(statement)  # type: ignore[call-overload]


def test_index_says_what_it_added_changed_rescoped_removed_and_skipped(
    crm: sessionmaker[Session],
) -> None:
    assert "Indexed 6 new in" in said(salesbot("index"))
    assert "All 6 interactions were already indexed and up to date; nothing changed" in said(
        salesbot("index")
    )

    edit(crm, update(Activity).where(Activity.id == 3).values(body="They signed."))
    WordVectors.embedded.clear()
    assert "Re-indexed 1 changed; 5 were up to date in" in said(salesbot("index"))
    assert WordVectors.embedded == ["Security review\nThey signed."]

    edit(crm, delete(Activity).where(Activity.id == 4))
    assert "Removed 1 deleted; 5 were up to date in" in said(salesbot("index"))

    edit(crm, update(Deal).where(Deal.id == 4).values(owner_id=3))
    WordVectors.embedded.clear()
    moved = said(salesbot("index"))
    assert "Updated 1 whose owner, deal or date changed; 4 were up to date" in moved
    assert WordVectors.embedded == []

    assert "nothing changed" in said(salesbot("index"))
    assert "Rebuilt the search index: indexed 5 interactions in" in said(
        salesbot("index", "--full")
    )


def test_seed_demo_into_a_second_database_with_the_same_chroma_path_indexes_it(
    cli: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The newcomer's report: the second CRM was said to be "already indexed", and wasn't."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    first = said(salesbot("seed-demo"))
    assert "4000 activities" in first and "Indexed 4,000 new in" in first

    other = f"sqlite:///{tmp_path}/other.db"
    monkeypatch.setenv("DATABASE_URL", other)
    second = said(salesbot("seed-demo", "--seed", "8"))
    assert "4000 activities" in second and "Indexed 4,000 new in" in second
    assert "already" not in second

    monkeypatch.setenv("DATABASE_URL", db_url)
    again = said(salesbot("index"))  # the first CRM's index was left as it was
    assert "All 4,000 interactions were already indexed and up to date" in again

    collections = open_client(str(cli))().list_collections()
    assert len(collections) == 2 and {c.count() for c in collections} == {4000}
    for url in (db_url, other):
        engine = make_engine(url)
        with engine.connect() as conn:
            subject, body = conn.execute(
                text("SELECT subject, body FROM activities WHERE id = 17")
            ).one()
        db_id = read_database_id(session_factory(engine))
        engine.dispose()
        [mine] = [c for c in collections if c.name.startswith(f"interactions-{db_id}-")]
        stored = mine.get(ids=["activity:17"], include=["documents", "metadatas"])
        assert stored["documents"] == [f"{subject}\n{body}".strip()]
        assert stored["metadatas"][0]["db_id"] == db_id  # type: ignore[index]


class NextModel(WordVectors):
    """The same embedder under a new model version: its vectors would differ."""

    def __init__(self) -> None:
        super().__init__("word-vectors-2")


def test_index_says_when_the_model_changed_and_everything_is_embedded_again(
    crm: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    salesbot("index")
    assert "embedding model changed" not in said(salesbot("index"))
    monkeypatch.setattr("bot.services.LocalEmbeddings", NextModel)
    WordVectors.embedded.clear()
    out = said(salesbot("index"))
    assert "The embedding model changed (now word-vectors-2)" in out
    assert "Indexed 6 new in" in out and len(WordVectors.embedded) == 6
