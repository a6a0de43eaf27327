"""A running Slack app with /metrics mounted, as `salesbot serve` has it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.fakes.slack_api import FakeSlackServer
from support.slack_harness import SlackHarness, make_harness

from bot.agent.runner import AgentRunner
from bot.metrics.http import METRICS_PATH, metrics_app
from bot.metrics.sinks import install_sinks


@pytest.fixture
def metered(crm: sessionmaker[Session], slack: FakeSlackServer) -> Iterator[SlackHarness]:
    install_sinks()  # as Services does when it builds the engine
    runner = AgentRunner(crm, clock=lambda: NOW)
    yield from make_harness(crm, slack, runner, mounts={METRICS_PATH: metrics_app()})
    runner.close()
