"""The schema: migrations equal the models on both backends; SQLite is set up for concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from tools.crm.events import claim_event, is_answered_thread, mark_thread_answered
from tools.db import alembic_config, make_engine, session_factory, upgrade
from tools.models import Base
from tools.search.schema import include_object

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == head


def test_sqlite_uses_wal_and_busy_timeout(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn:
        assert conn.execute(text("pragma journal_mode")).scalar() == "wal"
        assert conn.execute(text("pragma busy_timeout")).scalar() >= 5000


def test_sqlite_reader_and_writer_coexist(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/c.db")
    upgrade(engine)
    sessions = session_factory(engine)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(50):
                with sessions.begin() as s:
                    claim_event(s, f"w{n}-{i}", now=NOW)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    def read() -> None:
        try:
            for _ in range(100):
                with sessions() as s:
                    s.execute(text("select count(*) from processed_events")).scalar()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sessions() as s:
        assert s.execute(text("select count(*) from processed_events")).scalar() == 150


def test_event_is_claimed_once(sessions: sessionmaker[Session]) -> None:
    results = []
    for _ in range(4):
        with sessions.begin() as s:
            results.append(claim_event(s, "Ev123", now=NOW))
    assert results == [True, False, False, False]


def test_threads_are_remembered(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        mark_thread_answered(s, "C1", "1.2", now=NOW)
        mark_thread_answered(s, "C1", "1.2", now=NOW)
    with sessions() as s:
        assert is_answered_thread(s, "C1", "1.2")
        assert not is_answered_thread(s, "C1", "9.9")
