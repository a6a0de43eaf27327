"""Fixtures for the nudge tests (named nudge_*, so other tests here keep their own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from support.fakes.slack_api import FakeSlackServer
from support.nudge_helpers import REPS, give_everyone_work, link_slack, slack_users


@pytest.fixture
def nudge_crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    link_slack(sessions)
    give_everyone_work(sessions, REPS)
    return sessions


@pytest.fixture
def nudge_slack() -> Iterator[FakeSlackServer]:
    with FakeSlackServer(users=slack_users()) as server:
        yield server
