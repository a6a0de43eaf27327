"""The one way tests get a PostgreSQL database of their own: created fresh, dropped after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get(
    "SALESBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def postgres_available() -> bool:
    try:
        with create_engine(PG_ADMIN_URL).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


def admin_engine() -> Engine:
    """An autocommit engine on the server, or a skip (a failure in CI, which never skips it)."""
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and is not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL is not running (CI never skips this)")
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_database(admin: Engine, prefix: str = "salesbot_test") -> Iterator[str]:
    """The URL of a new, empty database, dropped (even with connections open) on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def backend_url(request: pytest.FixtureRequest, folder: Path, prefix: str) -> Iterator[str]:
    """An empty database on the backend the fixture is parametrized with ("sqlite"/"postgresql")."""
    if request.param == "sqlite":
        yield f"sqlite:///{folder}/crm.db"
        return
    with fresh_database(request.getfixturevalue("pg_admin"), prefix) as url:
        yield url
