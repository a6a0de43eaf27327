"""Tokens and SDK clients for the MCP tests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy.orm import Session, sessionmaker

from support.slack_harness import SlackHarness
from tools.api_tokens import NewToken, create_token
from tools.principal import get_principal_by_email

ROB, OTTO = "rob@x.test", "otto@x.test"  # reps on different teams (tests/support/crm_fixture.py)


@dataclass
class Served:
    """`serve`'s HTTP app running: its base URL and the CRM behind it."""

    base: str
    sessions: sessionmaker[Session]
    harness: SlackHarness

    @property
    def mcp_url(self) -> str:
        return self.base + "/mcp"


def make_token(
    sessions: sessionmaker[Session], email: str, *, now: datetime, days: int = 30
) -> NewToken:
    with sessions.begin() as session:
        principal = get_principal_by_email(session, email)
        return create_token(session, principal, name="test", days=days, now=now)


def expired_token(sessions: sessionmaker[Session], email: str, *, now: datetime) -> NewToken:
    return make_token(sessions, email, now=now - timedelta(days=3), days=1)


@asynccontextmanager
async def http_session(url: str, token: str | None) -> AsyncIterator[ClientSession]:
    """The SDK's own client over streamable HTTP, sending `token` as a bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as client,
        streamable_http_client(url, http_client=client) as streams,
        ClientSession(streams[0], streams[1]) as session,
    ):
        await session.initialize()
        yield session


def structured(result: Any) -> dict[str, Any]:
    """A tool result's artifact (structured content), or its text parsed as JSON."""
    if result.structured_content is not None:
        return dict(result.structured_content)
    return dict(json.loads(result.content[0].text))


def deal_names(result: Any) -> set[str]:
    return {row["name"] for row in structured(result).get("rows", [])}


def text_of(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)
