"""Two CRMs sharing one Chroma folder: each database has its own id and its own collection.

The first database is the `sessions` fixture's (SQLite, then PostgreSQL); the second is always a
SQLite file: so both "two SQLite files" and "PostgreSQL and SQLite" share one CHROMA_PATH here.
Activity ids overlap (both hold ids 1-6), which is what used to mix the two indexes up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture
from support.index_helpers import make_index, stored_documents

from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.database_id import DATABASE_ID_KEY, read_database_id
from tools.db import alembic_config, make_engine, session_factory, upgrade
from tools.index_entries import doc_id, document_text
from tools.indexing import sync_index
from tools.interactions import InteractionIndex
from tools.models import Activity, Meta
from tools.principal import get_principal_by_email
from tools.search_tool import NOT_BUILT

ALPHA = "alpha zebra quartz renewal terms"
BRAVO = "bravo yak quartz onboarding plan"


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path}/other.db")
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


def fill(sessions: sessionmaker[Session], activity_id: int, body: str) -> None:
    with sessions.begin() as session:
        build_fixture(session)
        session.execute(update(Activity).where(Activity.id == activity_id).values(body=body))


def sync(sessions: sessionmaker[Session], index: InteractionIndex) -> None:
    with sessions() as session:
        sync_index(session, index)


def search(
    sessions: sessionmaker[Session], index: InteractionIndex, query: str, **args: Any
) -> dict[str, Any]:
    with sessions() as session:
        ada = get_principal_by_email(session, "ada@x.test")  # the admin sees every book
    tools = {t.name: t for t in make_tools(ToolContext(ada, sessions, index, lambda: NOW))}
    args = {"query": query, **args}
    call = {"type": "tool_call", "id": "s1", "name": "search_interactions", "args": args}
    return tools["search_interactions"].invoke(call).artifact


def sql_documents(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as session:
        return {doc_id(a.id): document_text(a) for a in session.scalars(select(Activity))}


def test_two_databases_sharing_chroma_each_search_only_their_own(
    sessions: sessionmaker[Session], other_db: sessionmaker[Session], tmp_path: Path
) -> None:
    fill(sessions, 3, ALPHA)
    fill(other_db, 5, BRAVO)
    mine, theirs = (
        make_index(sessions, tmp_path / "chroma"),
        make_index(other_db, tmp_path / "chroma"),
    )
    sync(sessions, mine)
    sync(other_db, theirs)  # indexed last: it used to overwrite ids 1-6 of the first

    assert mine.database_id != theirs.database_id and mine.name != theirs.name
    assert stored_documents(mine) == sql_documents(sessions)
    assert stored_documents(theirs) == sql_documents(other_db)
    assert {m["db_id"] for m in mine.stored(range(1, 7)).values()} == {mine.database_id}
    top = search(sessions, mine, "alpha zebra", limit=1)["hits"]
    assert [(h["activity_id"], h["snippet"]) for h in top] == [(3, ALPHA)]
    other_top = search(other_db, theirs, "bravo yak", limit=1)["hits"]
    assert [(h["activity_id"], h["snippet"]) for h in other_top] == [(5, BRAVO)]
    assert all(BRAVO not in h["snippet"] for h in search(sessions, mine, "bravo yak")["hits"])


def test_the_text_shown_comes_from_the_database_not_the_index(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    fill(sessions, 3, ALPHA)
    index = make_index(sessions, tmp_path / "chroma")
    sync(sessions, index)
    with sessions.begin() as session:  # edited, not yet re-indexed
        session.execute(update(Activity).where(Activity.id == 3).values(body="Edited in SQL."))
    [hit] = search(sessions, index, "alpha zebra", limit=1)["hits"]
    assert hit["activity_id"] == 3 and hit["snippet"] == "Edited in SQL."
    assert stored_documents(index)[doc_id(3)].endswith(ALPHA)  # the index still had the old


def test_an_index_never_built_for_this_database_says_so(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    fill(sessions, 3, ALPHA)
    index = make_index(sessions, tmp_path / "chroma")
    assert search(sessions, index, "alpha zebra") == {"type": "notice", "text": NOT_BUILT}
    sync(sessions, index)
    assert search(sessions, index, "alpha zebra")["hits"][0]["activity_id"] == 3


def test_the_database_id_is_made_by_the_migration_and_stays(
    sessions: sessionmaker[Session], other_db: sessionmaker[Session]
) -> None:
    with sessions() as session:
        made = session.get_one(Meta, DATABASE_ID_KEY).value["id"]
    assert read_database_id(sessions) == read_database_id(sessions) == made
    assert len(made) == 32 and read_database_id(other_db) != made


def test_a_missing_database_id_is_made_again_and_a_bad_one_explained(
    sessions: sessionmaker[Session],
) -> None:
    old = read_database_id(sessions)
    with sessions.begin() as session:
        session.delete(session.get_one(Meta, DATABASE_ID_KEY))
    new = read_database_id(sessions)
    assert new != old and read_database_id(sessions) == new
    with sessions.begin() as session:
        session.get_one(Meta, DATABASE_ID_KEY).value = {"id": "../../etc"}
    with pytest.raises(ValueError, match="delete that row"):
        read_database_id(sessions)


def test_migration_0008_gives_an_older_database_an_id_and_downgrade_removes_it(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/older.db")
    upgrade(engine, "0006")
    sessions = session_factory(engine)
    with sessions() as session:
        assert session.get(Meta, DATABASE_ID_KEY) is None
    upgrade(engine, "0008")
    first = read_database_id(sessions)
    upgrade(engine, "0008")  # again: the id stays
    assert read_database_id(sessions) == first
    command.downgrade(alembic_config(engine), "0006")
    with sessions() as session:
        assert session.get(Meta, DATABASE_ID_KEY) is None
    engine.dispose()
