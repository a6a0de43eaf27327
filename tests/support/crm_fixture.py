"""A small CRM built by hand, so every figure in the tests has an independent answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from tools.db import make_engine, session_factory, upgrade
from tools.models import (
    Account,
    Activity,
    ActivityKind,
    Contact,
    Deal,
    DealStageHistory,
    Quota,
    Role,
    Stage,
    Task,
    User,
)

S = Stage
# Every test that uses the fixture runs at this instant; the fixture CRM is dated around it.
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


USERS = [
    # id, name, email, role, manager, timezone
    (1, "Ada Admin", "ada@x.test", Role.ADMIN, None, "UTC"),
    (2, "Mia Manager", "mia@x.test", Role.MANAGER, None, "America/New_York"),
    (3, "Rob Rep", "rob@x.test", Role.REP, 2, "America/New_York"),
    (4, "Rita Rep", "rita@x.test", Role.REP, 2, "Europe/Berlin"),
    (5, "Max Other", "max@x.test", Role.MANAGER, None, "Europe/London"),
    (6, "Otto Outsider", "otto@x.test", Role.REP, 5, "America/Los_Angeles"),
]
ACCOUNTS = [(1, "Acme Corp", 3), (2, "Globex", 4), (3, "Initech", 6), (4, "Umbrella Health", 3)]
DEALS = [
    # id, name, account, owner, stage, amount, close date, path of stages before the current one
    (
        1,
        "Acme Corp – Platform Expansion",
        1,
        3,
        S.NEGOTIATION,
        "120000",
        "2026-12-15",
        [S.PROSPECTING, S.QUALIFICATION, S.PROPOSAL],
    ),
    (
        2,
        "Umbrella Health – Pilot",
        4,
        3,
        S.PROPOSAL,
        "45000.50",
        "2026-11-10",
        [S.PROSPECTING, S.QUALIFICATION],
    ),
    (
        3,
        "Acme Corp – Renewal",
        1,
        3,
        S.CLOSED_WON,
        "80000",
        "2026-10-20",
        [S.PROSPECTING, S.QUALIFICATION, S.PROPOSAL, S.NEGOTIATION],
    ),
    (4, "Globex – Analytics Suite", 2, 4, S.QUALIFICATION, "60000", "2026-12-01", [S.PROSPECTING]),
    (
        5,
        "Globex – Old Deal",
        2,
        4,
        S.CLOSED_LOST,
        "30000",
        "2026-10-05",
        [S.PROSPECTING, S.QUALIFICATION],
    ),
    (6, "Initech – Data Migration", 3, 6, S.PROSPECTING, "99000", "2026-12-20", []),
    (7, "Acme Corp – Next Year", 1, 3, S.PROSPECTING, "15000", "2027-02-01", []),
    (8, "Globex – Won Q3", 2, 4, S.CLOSED_WON, "50000", "2026-08-15", [S.PROSPECTING, S.PROPOSAL]),
]
ACTIVITIES = [
    # id, account, deal, user, kind, day, subject, body
    (
        1,
        1,
        1,
        3,
        ActivityKind.EMAIL,
        "2026-11-20",
        "Pricing discussion",
        "Their CFO says the per-seat price is 20% above budget. I'll send the revised quote by "
        "Friday.",
    ),
    (
        2,
        4,
        2,
        3,
        ActivityKind.CALL,
        "2026-10-01",
        "Pilot kickoff",
        "Kicked off the pilot with the clinical operations team.",
    ),
    (
        3,
        2,
        4,
        4,
        ActivityKind.MEETING,
        "2026-11-25",
        "Security review",
        "They need our SOC 2 Type II report and a penetration test summary before legal signs.",
    ),
    (
        4,
        3,
        6,
        6,
        ActivityKind.NOTE,
        "2026-11-24",
        "Initech internal note",
        "Confidential: Initech budget is capped and their champion Peter is leaving the company.",
    ),
    (
        5,
        4,
        None,
        3,
        ActivityKind.NOTE,
        "2026-11-02",
        "Umbrella org chart",
        "New VP of Procurement joined Umbrella Health; she prefers annual contracts.",
    ),
    (
        6,
        1,
        1,
        3,
        ActivityKind.CALL,
        "2026-11-10",
        "Discovery call",
        "Walked through their onboarding needs; they compare us with HubSpot.",
    ),
]
TASKS = [
    # id, owner, deal, title, due, completed
    (1, 3, 1, "Send revised quote to Acme", "2026-11-20", None),
    (2, 3, 2, "Call Umbrella about the pilot", "2026-11-26", None),
    (3, 3, 1, "Prepare the MSA redlines", "2026-12-05", None),
    (4, 3, 1, "Old finished task", "2026-11-01", "2026-11-01"),
    (5, 6, 6, "Otto's overdue task", "2026-11-15", None),
]
QUOTAS = [(3, "200000"), (4, "150000"), (6, "100000")]
Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def build_fixture(session: Session) -> None:
    """Insert the fixture CRM (ids fixed, so tests can name rows)."""
    for uid, name, email, role, manager, tz in USERS:
        session.add(
            User(id=uid, name=name, email=email, role=role, manager_id=manager, timezone=tz)
        )
    session.flush()
    for aid, name, owner in ACCOUNTS:
        session.add(
            Account(
                id=aid, name=name, owner_id=owner, industry="Software", created_at=at("2025-01-01")
            )
        )
        session.add(
            Contact(account_id=aid, name=f"{name} Buyer", email=f"buyer{aid}@x.test", title="CFO")
        )
    session.flush()
    for did, name, acc, owner, stage, amount, close, path in DEALS:
        closed = at(close) if stage in (S.CLOSED_WON, S.CLOSED_LOST) else None
        session.add(
            Deal(
                id=did,
                name=name,
                account_id=acc,
                owner_id=owner,
                stage=stage,
                amount=Decimal(amount),
                currency="USD",
                close_date=date.fromisoformat(close),
                created_at=at("2026-06-01"),
                closed_at=closed,
            )
        )
        previous = None
        for i, step in enumerate([*path, stage]):
            session.add(
                DealStageHistory(
                    deal_id=did,
                    from_stage=previous,
                    to_stage=step,
                    changed_at=at(f"2026-0{6 + min(i, 3)}-02"),
                )
            )
            previous = step
    session.flush()
    for aid, acc, deal, user, kind, day, subject, body in ACTIVITIES:
        session.add(
            Activity(
                id=aid,
                account_id=acc,
                deal_id=deal,
                user_id=user,
                kind=kind,
                occurred_at=at(day),
                subject=subject,
                body=body,
            )
        )
    for tid, owner, deal, title, due, done in TASKS:
        session.add(
            Task(
                id=tid,
                owner_id=owner,
                deal_id=deal,
                title=title,
                due_date=date.fromisoformat(due),
                completed_at=at(done) if done else None,
            )
        )
    for uid, amount in QUOTAS:
        session.add(
            Quota(user_id=uid, period_start=Q4[0], period_end=Q4[1], amount=Decimal(amount))
        )
    session.flush()


def crm_file(path: Path, fill: Callable[[Session], object] | None = None) -> str:
    """A SQLite file at `path`, migrated and filled (the fixture CRM unless told otherwise), as
    `salesbot db upgrade` and an import leave it; returns its URL, for processes to open."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        (fill or build_fixture)(session)
    engine.dispose()
    return url
