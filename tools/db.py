"""Engine and session factory from a URL, and schema migration; no module-level engine.

bot/ reaches the database only through tools/: it takes its session types and the database
errors it catches from here, and imports nothing from SQLAlchemy (tests/test_sql_homes.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, create_engine, event, inspect, text
from sqlalchemy import Engine as Engine  # re-exported for bot/
from sqlalchemy.exc import DataError as DataError
from sqlalchemy.exc import DBAPIError as DBAPIError
from sqlalchemy.exc import OperationalError as OperationalError
from sqlalchemy.exc import SQLAlchemyError as SQLAlchemyError
from sqlalchemy.orm import Session as Session
from sqlalchemy.orm import sessionmaker as sessionmaker

from tools.db_url import DatabaseURLError as DatabaseURLError  # re-exported for callers
from tools.db_url import parse_database_url
from tools.timing import report

if TYPE_CHECKING:  # Alembic is loaded to migrate, not to answer a question
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 15_000


def normalise_url(url: str) -> str:
    """Return a URL SQLAlchemy accepts, preferring psycopg 3 for plain postgres URLs."""
    return parse_database_url(url).render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so readers and a writer coexist."""
    # No folder is created here: the CLI decides which (only data/) and says so.
    parsed = parse_database_url(url)
    url = parsed.render_as_string(hide_password=False)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return _timed(engine)
    kwargs.setdefault("pool_pre_ping", True)
    return _timed(create_engine(url, **kwargs))


def _timed(engine: Engine) -> Engine:
    """Every statement's duration goes to tools/timing.py as "db" (the metrics' histogram)."""
    event.listen(engine, "before_cursor_execute", _statement_started)
    event.listen(engine, "after_cursor_execute", _statement_done)
    return engine


def _statement_started(conn: Connection, *_args: Any) -> None:
    # One statement at a time runs on a connection; a failed one is simply overwritten.
    conn.info["salesbot_started"] = time.perf_counter()


def _statement_done(conn: Connection, *_args: Any) -> None:
    started = conn.info.pop("salesbot_started", None)
    if started is not None:
        report("db", time.perf_counter() - started)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def ping(connection: Session | Connection) -> None:
    """One round trip to the database; raises the driver's error when it cannot answer."""
    connection.execute(text("select 1"))


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the migrations shipped inside this package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("tools") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision` (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def is_migrated(engine: Engine) -> bool:
    """True when the CRM tables exist."""
    return inspect(engine).has_table("deals")
