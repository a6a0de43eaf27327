"""Dates of moments are shown as the reader's own calendar day, not the UTC one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from support.write_helpers import build_write_fixture, call_tool

from tools.models import Activity, ActivityKind

# 02:30 UTC on the 26th is 21:30 on the 25th in New York (Rob, Mia) and 03:30 on the 26th in
# Berlin (Rita).
LATE_CALL = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)


def test_a_late_evening_call_is_dated_the_readers_day(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        build_write_fixture(session)
        session.add(
            Activity(
                account_id=1, deal_id=1, user_id=3, kind=ActivityKind.CALL,
                occurred_at=LATE_CALL, subject="Late call with Acme", body="Evening check-in",
            )
        )  # fmt: skip
        session.commit()

    rob = call_tool(sessions, "rob@x.test", "get_deal", deal="Acme Corp – Platform Expansion")
    assert rob["deal"]["last_activity"] == "2026-11-25"
    assert rob["interactions"][0]["subject"] == "Late call with Acme"
    assert rob["interactions"][0]["date"] == "2026-11-25"

    ada = call_tool(sessions, "ada@x.test", "get_deal", deal="Acme Corp – Platform Expansion")
    assert ada["deal"]["last_activity"] == "2026-11-26"  # Ada reads in UTC
    assert ada["interactions"][0]["date"] == "2026-11-26"
