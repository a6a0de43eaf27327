"""Fixtures for the Slack app tests: the fixture CRM, the local Slack server, a running app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import MEMBERS, USERS, SlackHarness, make_harness

from bot.agent.runner import AgentRunner


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
def harness(crm: sessionmaker[Session], slack: FakeSlackServer) -> Iterator[SlackHarness]:
    runner = AgentRunner(crm, clock=lambda: NOW)
    yield from make_harness(crm, slack, runner)
