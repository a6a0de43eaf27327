"""DATABASE_URL checked before use: supported backends, the SQLite path form, its folder.

Each problem is a DatabaseURLError whose one-line message says what is wrong and what to do;
passwords never appear in it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

EXAMPLES = "sqlite:///data/salesbot.db or postgresql+psycopg://user@host:5432/dbname"
DEFAULT_FOLDER = Path("data")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


class DatabaseURLError(ValueError):
    """The configured DATABASE_URL cannot be used; the message says how to fix it."""


def shown(url: str) -> str:
    """The URL as it may be printed: any password replaced by ***."""
    return _PASSWORD.sub(r"\1***@", url)


def parse_database_url(url: str) -> URL:
    """The URL SQLAlchemy should use (plain postgres URLs get psycopg 3), or DatabaseURLError."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(
            f"DATABASE_URL {shown(url)!r} is not a database URL; use e.g. {EXAMPLES}."
        ) from exc
    except ValueError as exc:  # the one part make_url converts: the port
        raise DatabaseURLError(
            f"DATABASE_URL {shown(url)!r} has a port that is not a number; use e.g. {EXAMPLES}."
        ) from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return _sqlite(url, parsed)
    if backend in ("postgres", "postgresql") and driver in ("", "psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    what = f"the {driver} driver" if backend in ("sqlite", "postgres", "postgresql") else backend
    raise DatabaseURLError(
        f"DATABASE_URL {shown(url)!r} uses {what}, which salesbot does not support; use {EXAMPLES}."
    )


def _sqlite(url: str, parsed: URL) -> URL:
    if parsed.host:  # "sqlite://data/x.db": the first path part was read as a host name
        fixed = "sqlite:///" + url.split("://", 1)[1]
        raise DatabaseURLError(
            f"DATABASE_URL {shown(url)!r} has no path: use {fixed} (three slashes) for a file "
            "relative to here, or four slashes (sqlite:////srv/salesbot.db) for an absolute one."
        )
    return parsed


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL; None for in-memory SQLite and for PostgreSQL."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database or "")


def check_sqlite_shape(path: Path) -> None:
    """Refuse a path that can never be a SQLite file: inside a file, or a folder itself."""
    blocker = next((p for p in path.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise DatabaseURLError(
            f"DATABASE_URL points into {blocker}, which is a file, not a folder; "
            "choose a database path inside a folder."
        )
    if path.is_dir():
        raise DatabaseURLError(
            f"DATABASE_URL points at the folder {path}; add a file name, "
            f"e.g. {path / 'salesbot.db'}."
        )


def check_sqlite_location(path: Path, *, create_default_folder: bool) -> Path | None:
    """Refuse a path SQLite could not use, with what to do; returns the folder it created.

    Only the default `data/` folder is ever created (and only when asked): a missing folder
    anywhere else is more likely a typo than a wish, so it is an error naming it.
    """
    check_sqlite_shape(path)
    folder = path.parent
    created = _ensure_folder(folder, create_default_folder)
    # SQLite in WAL mode writes -wal and -shm files beside the database, even to read.
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise DatabaseURLError(
            f"Cannot write the database {path}: permission denied; choose a folder you can "
            "write to in DATABASE_URL, or fix the permissions."
        )
    return created


def _ensure_folder(folder: Path, create_default_folder: bool) -> Path | None:
    if folder.is_dir():
        return None
    if create_default_folder and folder == DEFAULT_FOLDER:
        folder.mkdir()
        return folder
    raise DatabaseURLError(
        f"The folder {folder} in DATABASE_URL does not exist; create it first "
        f"(mkdir -p {folder}) or fix the path."
    )
