"""One analytics fixture CRM per backend, built once per test session (it is only read)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_fixture import Fixture, build_rows, insert
from support.postgres import backend_url

from tools.db import make_engine, session_factory, upgrade


@pytest.fixture(scope="session")
def fx() -> Fixture:
    return build_rows()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def crm(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fx: Fixture
) -> Iterator[sessionmaker[Session]]:
    """The fixture CRM on each backend in turn."""
    with backend_url(request, tmp_path_factory.mktemp("adb"), "salesbot_analytics") as url:
        yield from _loaded(url, fx)


def _loaded(url: str, fx: Fixture) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        insert(session, fx)
    yield sessions
    engine.dispose()
