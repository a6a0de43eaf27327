"""`python -m bot mcp` as a subprocess, driven by the SDK's stdio client, on a temporary CRM."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from support.mcp_helpers import OTTO, ROB, deal_names, expired_token, make_token
from support.mcp_helpers import text_of as words

from tools.api_tokens import revoke_token
from tools.context import utc_now
from tools.db import make_engine, session_factory, upgrade
from tools.models import PendingWrite, WriteStatus
from tools.principal import get_principal_by_email

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def crm_file(tmp_path: Path) -> tuple[str, sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path}/crm.db"
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        build_fixture(session)
    return url, sessions


def _env(url: str, tmp: Path, token: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "CHROMA_PATH": str(tmp / "chroma"),
        "SALESBOT_TOKEN": token,
        "PYTHONPATH": str(ROOT),
    }


@asynccontextmanager
async def stdio_session(url: str, tmp: Path, token: str) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "bot", "mcp"], env=_env(url, tmp, token), cwd=ROOT
    )
    async with (
        stdio_client(params) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def test_two_users_over_stdio_see_only_their_own_books(
    crm_file: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, sessions = crm_file
    rob = make_token(sessions, ROB, now=utc_now()).secret
    otto = make_token(sessions, OTTO, now=utc_now()).secret

    async def deals(token: str) -> tuple[int, set[str]]:
        async with stdio_session(url, tmp_path, token) as session:
            tools = (await session.list_tools()).tools
            return len(tools), deal_names(await session.call_tool("find_deals", {}))

    rob_tools, rob_deals = asyncio.run(deals(rob))
    otto_tools, otto_deals = asyncio.run(deals(otto))
    assert rob_tools == otto_tools >= 10
    assert "Acme Corp – Platform Expansion" in rob_deals
    assert not any(name.startswith("Initech") for name in rob_deals)
    assert otto_deals == {"Initech – Data Migration"}


def test_a_write_over_mcp_stays_a_pending_proposal_and_a_revoked_token_stops_the_next_call(
    crm_file: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, sessions = crm_file
    rob = make_token(sessions, ROB, now=utc_now())
    args = {"deal": "Acme Corp – Platform Expansion", "stage": "closed_won"}

    async def run() -> tuple[str, str]:
        async with stdio_session(url, tmp_path, rob.secret) as session:
            proposed = words(await session.call_tool("update_deal", args))
            with sessions.begin() as s:
                revoke_token(s, get_principal_by_email(s, ROB), rob.prefix, now=utc_now())
            refused = await session.call_tool("find_deals", {})
            assert refused.is_error
            return proposed, words(refused)

    proposed, refused = asyncio.run(run())
    assert "NOT saved" in proposed and "salesbot confirm" in proposed
    assert "was revoked" in refused
    with sessions() as s:
        rows = list(s.query(PendingWrite))
        stage = s.execute(text("select stage from deals where id = 1")).scalar()
    assert [r.status for r in rows] == [WriteStatus.PROPOSED]
    assert stage == "negotiation"  # nothing in the CRM changed


@pytest.mark.parametrize("kind", ["forged", "expired", "missing"])
def test_mcp_refuses_to_start_with_an_unusable_token(
    crm_file: tuple[str, sessionmaker[Session]], tmp_path: Path, kind: str
) -> None:
    url, sessions = crm_file
    token = {
        "forged": "sbt_" + "x" * 40,
        "expired": expired_token(sessions, ROB, now=utc_now()).secret,
        "missing": "",
    }[kind]
    env = {**os.environ, **_env(url, tmp_path, token)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "mcp"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stdout == ""  # stdout is the protocol
    reason = {"forged": "not valid", "expired": "expired on", "missing": "No token"}[kind]
    assert reason in done.stderr and "Traceback" not in done.stderr
