"""One hostile CRM per backend for the whole adversarial package, indexed in a real Chroma.

Building it once (not per test) keeps the suite fast; every attack is read-only or checked to
change nothing, and tests that may write compare table fingerprints before and after.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from support.adversarial.cases import CASES
from support.adversarial.data import build_adversarial
from support.adversarial.identity import SLACK_USERS, build_identity_crm
from support.adversarial.oracle import TALLY
from support.adversarial.world import WordHashEmbeddings, World
from support.crm_fixture import NOW, build_fixture
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import MEMBERS, USERS, SlackHarness, make_harness

from bot.agent.runner import AgentRunner
from tools.database_id import read_database_id
from tools.db import make_engine, session_factory, upgrade
from tools.indexing import index_activities
from tools.interactions import InteractionIndex, open_client


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp(f"adv-{request.param}")
    admin: Engine | None = None
    name = f"salesbot_adv_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp}/crm.db"
    else:
        admin = request.getfixturevalue("pg_admin")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin.url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        build_fixture(session)
        build_adversarial(session)
    index = InteractionIndex(
        open_client(str(Path(tmp) / "chroma")), WordHashEmbeddings(), read_database_id(sessions)
    )
    with sessions() as session:
        index_activities(session, index)
    runner = AgentRunner(sessions, index=index, clock=lambda: NOW)
    try:
        yield World(request.param, sessions, index, runner)
    finally:
        runner.close()
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def harness(world: World) -> Iterator[SlackHarness]:
    with FakeSlackServer(users=USERS, members=MEMBERS) as slack:
        for harness in make_harness(world.sessions, slack, world.runner):
            harness.deps.clock = lambda: NOW
            yield harness


@pytest.fixture
def identity_crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """A fresh CRM per test (identity attacks link and unlink users), on both backends."""
    build_identity_crm(sessions)
    return sessions


@pytest.fixture
def identity_slack() -> Iterator[FakeSlackServer]:
    # Copies: tests change profiles and memberships.
    users, members = copy.deepcopy(SLACK_USERS), copy.deepcopy(MEMBERS)
    with FakeSlackServer(users=users, members=members) as slack:
        yield slack


@pytest.fixture
def identity_bot(
    identity_crm: sessionmaker[Session], identity_slack: FakeSlackServer
) -> Iterator[SlackHarness]:
    """The Slack app over the identity CRM, with default settings (guests not allowed)."""
    runner = AgentRunner(identity_crm, clock=lambda: NOW)
    yield from make_harness(identity_crm, identity_slack, runner)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY["cases"]:
        terminalreporter.write_line(
            f"adversarial: cases run {TALLY['cases']} ({len(CASES)} registered, each on SQLite "
            f"and PostgreSQL), leaks {TALLY['leaks']}, "
            f"unconfirmed writes {TALLY['unconfirmed_writes']}"
        )
