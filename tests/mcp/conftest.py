"""`salesbot serve`'s HTTP app (Slack events, /metrics, /mcp) on a free port, on the fixture CRM."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.fakes.slack_api import FakeSlackServer
from support.mcp_helpers import Served
from support.slack_harness import SECRET, build_test_app

from bot.agent.runner import AgentRunner
from bot.mcp.http import MCP_PATH, mcp_http_app
from bot.metrics.http import METRICS_PATH, metrics_app
from bot.slack.server import make_http_server


@pytest.fixture
def served(crm: sessionmaker[Session], slack: FakeSlackServer) -> Iterator[Served]:
    runner = AgentRunner(crm, clock=lambda: NOW)
    deps, app = build_test_app(slack, runner)
    mcp = mcp_http_app(runner, timeout_seconds=60)
    mounts = {MCP_PATH: mcp, METRICS_PATH: metrics_app()}
    server = make_http_server(app, crm, "127.0.0.1", 0, signing_secret=SECRET, mounts=mounts)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}", crm)
    finally:
        server.shutdown()
        server.server_close()
        mcp.close()
        deps.work.shutdown()
        runner.close()
