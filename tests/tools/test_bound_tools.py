"""The shared tools run as the context bound to the call: built once, never mixing askers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture

from tools.bound_tools import UnboundToolError, bound, shared_tool, shared_tools
from tools.context import ToolContext
from tools.principal import get_principal_by_email


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


def context(sessions: sessionmaker[Session], email: str) -> ToolContext:
    with sessions() as session:
        return ToolContext(get_principal_by_email(session, email), sessions, None, lambda: NOW)


def owners_seen(ctx: ToolContext) -> set[int]:
    tool = shared_tool("find_deals")
    assert tool is not None
    with bound(ctx):
        message = tool.invoke(
            {"type": "tool_call", "id": "t", "name": "find_deals", "args": {"stage": "all"}}
        )
    artifact: dict[str, Any] = message.artifact
    return set(artifact["data_owner_ids"])


def test_the_tools_are_built_once() -> None:
    assert shared_tools() is shared_tools()


def test_a_tool_run_with_nobody_bound_refuses(crm: sessionmaker[Session]) -> None:
    tool = shared_tool("pipeline_summary")
    assert tool is not None
    with pytest.raises(UnboundToolError):
        tool.invoke({"type": "tool_call", "id": "t", "name": "pipeline_summary", "args": {}})


def test_each_call_sees_only_its_own_askers_rows(crm: sessionmaker[Session]) -> None:
    rob, otto = context(crm, "rob@x.test"), context(crm, "otto@x.test")
    assert owners_seen(rob) == {3}
    assert owners_seen(otto) == {6}


def test_askers_in_parallel_threads_do_not_mix(crm: sessionmaker[Session]) -> None:
    rob, otto = context(crm, "rob@x.test"), context(crm, "otto@x.test")
    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(owners_seen, [rob, otto] * 6))
    assert seen == [{3}, {6}] * 6
