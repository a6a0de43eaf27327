"""Shared fixtures: a fresh CRM on SQLite and on the running PostgreSQL, isolated per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from support.fakes.slack_api import FakeSlackServer
from support.nudge_helpers import REPS, give_everyone_work, link_slack, slack_users
from support.postgres import admin_engine, fresh_database
from support.search_demo import SearchDemo, build_search_demo
from support.slack_harness import MEMBERS, USERS

from tools.db import make_engine, session_factory, upgrade


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's keys or database."""
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "DATABASE_URL",
        "CHROMA_PATH",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "EMBEDDINGS",
        "STRIPE_API_KEY",
        "STRIPE_API_BASE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    engine = admin_engine()
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A URL to an empty database, on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db')}/crm.db"
        return
    with fresh_database(request.getfixturevalue("pg_admin")) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The fixture CRM (tests/support/crm_fixture.py) on each backend."""
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


@pytest.fixture
def slack() -> Iterator[FakeSlackServer]:
    """The local Slack Web API server, knowing the fixture CRM's people."""
    with FakeSlackServer(users=USERS, members=MEMBERS) as server:
        yield server


@pytest.fixture
def nudge_crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The fixture CRM with every rep linked to Slack and given work to be nudged about."""
    with sessions.begin() as session:
        build_fixture(session)
    link_slack(sessions)
    give_everyone_work(sessions, REPS)
    return sessions


@pytest.fixture
def nudge_slack() -> Iterator[FakeSlackServer]:
    with FakeSlackServer(users=slack_users()) as server:
        yield server


@pytest.fixture(scope="session")
def search_demo(tmp_path_factory: pytest.TempPathFactory) -> SearchDemo:
    """The demo CRM on SQLite with its search index, built once for the search tests."""
    return build_search_demo(tmp_path_factory.mktemp("search-demo"))
