"""One analytics fixture CRM per backend, built once per test session (it is only read)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_fixture import Fixture, build_rows, insert

from tools.db import make_engine, session_factory, upgrade

PG_ADMIN_URL = os.environ.get(
    "SALESBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def fx() -> Fixture:
    return build_rows()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def crm(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fx: Fixture
) -> Iterator[sessionmaker[Session]]:
    """The fixture CRM on each backend in turn."""
    if request.param == "sqlite":
        yield from _loaded(f"sqlite:///{tmp_path_factory.mktemp('adb')}/crm.db", fx)
        return
    admin: Engine = request.getfixturevalue("pg_admin")
    name = f"salesbot_analytics_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        yield from _loaded(url, fx)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _loaded(url: str, fx: Fixture) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        insert(session, fx)
    yield sessions
    engine.dispose()
