"""`salesbot serve`'s HTTP app (Slack events, /metrics, /mcp) on a free port, on the fixture CRM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.fakes.slack_api import FakeSlackServer
from support.mcp_helpers import Served
from support.slack_harness import make_harness

from bot.agent.runner import AgentRunner
from bot.mcp.http import MCP_PATH, mcp_http_app
from bot.mcp.slack_cards import slack_card_poster
from bot.metrics.http import METRICS_PATH, metrics_app


@pytest.fixture
def served(crm: sessionmaker[Session], slack: FakeSlackServer) -> Iterator[Served]:
    runner = AgentRunner(crm, clock=lambda: NOW)
    client = WebClient(token="xoxb-test", base_url=slack.url)
    mcp = mcp_http_app(runner, timeout_seconds=60, post_card=slack_card_poster(client, crm))
    mounts = {MCP_PATH: mcp, METRICS_PATH: metrics_app()}
    try:
        for harness in make_harness(crm, slack, runner, mounts=mounts):
            yield Served(harness.url.removesuffix("/slack/events"), crm, harness)
    finally:
        mcp.close()
        runner.close()
