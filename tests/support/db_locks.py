"""A database write lock held by another connection, as another process or a migration holds it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def write_lock(sessions: sessionmaker[Session]) -> Iterator[None]:
    """Another connection holds the database's write lock until the block ends."""
    engine: Engine = sessions.kw["bind"]
    if engine.dialect.name == "sqlite":
        holder = sqlite3.connect(str(engine.url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # what a writer in another process holds
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    with engine.connect() as holder:  # its own pooled connection, not the app's session
        holder.execute(text("LOCK TABLE processed_events IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            holder.rollback()
