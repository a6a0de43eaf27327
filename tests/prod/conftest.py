"""Fixtures for the production-mode tests and fault drills: the fixture CRM and a fake Slack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import MEMBERS, USERS

from tools.db import make_engine, session_factory, upgrade


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


@pytest.fixture
def slack() -> Iterator[FakeSlackServer]:
    with FakeSlackServer(users=USERS, members=MEMBERS) as server:
        yield server


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "cwd"  # no .env here, so only the environment configures the process
    path.mkdir()
    return path


@pytest.fixture
def sqlite_crm_url(tmp_path: Path) -> str:
    """A SQLite file holding the fixture CRM, for tests that run `salesbot` as a process."""
    url = f"sqlite:///{tmp_path}/crm.db"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        build_fixture(session)
    engine.dispose()
    return url
