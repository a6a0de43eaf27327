"""A CRM for the analytics tests, generated as plain Python rows and inserted as-is.

Tests compute every expected figure from these rows (never through the SQL under test).
Deterministic: a fixed seed and a fixed NOW. Mia manages Rob and Rita; Max manages Otto.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from tools.models import (
    OPEN_STAGES,
    Account,
    Activity,
    ActivityKind,
    Contact,
    Deal,
    DealFieldHistory,
    DealStageHistory,
    Quota,
    Role,
    Stage,
    Task,
    User,
)

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
Q4 = (date(2026, 10, 1), date(2026, 12, 31))

USERS = [
    # id, name, email, role, manager
    (1, "Ada Admin", "ada@x.test", Role.ADMIN, None),
    (2, "Mia Manager", "mia@x.test", Role.MANAGER, None),
    (3, "Rob Rep", "rob@x.test", Role.REP, 2),
    (4, "Rita Rep", "rita@x.test", Role.REP, 2),
    (5, "Max Other", "max@x.test", Role.MANAGER, None),
    (6, "Otto Outsider", "otto@x.test", Role.REP, 5),
]
REPS = (3, 4, 6)
TEXTS = [
    ("Intro call", "Walked through their goals for next year."),
    ("Competitive: Salesforce", "They are also evaluating Salesforce; sent a side-by-side."),
    ("Pricing for the quote", "The per-seat price is 20% above budget; they want a discount."),
    ("Approval", "CFO approved the revised quote."),
    ("Demo", "Demo went well, the team liked the Slack workflow."),
    ("Check-in", "Quick check-in, nothing new."),
    ("HubSpot comparison", "Their current tool is HubSpot and adoption is poor."),
]


@dataclass
class FDeal:
    id: int
    name: str
    account_id: int
    owner_id: int
    stage: Stage
    amount: Decimal
    close_date: date
    created_at: datetime
    closed_at: datetime | None
    next_step: str | None
    history: list[tuple[Stage | None, Stage, datetime]] = field(default_factory=list)


@dataclass
class FActivity:
    id: int
    account_id: int
    deal_id: int | None
    contact_id: int | None
    user_id: int
    kind: ActivityKind
    occurred_at: datetime
    subject: str
    body: str


@dataclass
class FField:
    deal_id: int
    field: str
    old: str
    new: str
    at: datetime


@dataclass
class FTask:
    id: int
    owner_id: int
    deal_id: int
    due: date
    completed_at: datetime | None


@dataclass
class FQuota:
    user_id: int
    start: date
    end: date
    amount: Decimal


@dataclass
class Fixture:
    accounts: list[tuple[int, str, int]] = field(default_factory=list)
    contacts: list[tuple[int, int]] = field(default_factory=list)  # (id, account id)
    deals: list[FDeal] = field(default_factory=list)
    activities: list[FActivity] = field(default_factory=list)
    fields: list[FField] = field(default_factory=list)
    tasks: list[FTask] = field(default_factory=list)
    quotas: list[FQuota] = field(default_factory=list)


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = max(int((end - start).total_seconds()), 1)
    return start + timedelta(seconds=rng.randint(0, seconds))


def _path(rng: random.Random, reached: Stage) -> list[Stage]:
    path = list(OPEN_STAGES[: OPEN_STAGES.index(reached) + 1])
    if len(path) > 2 and rng.random() < 0.2:
        path.remove(Stage.QUALIFICATION)
    return path


def _history(
    rng: random.Random, path: list[Stage], start: datetime, end: datetime
) -> list[tuple[Stage | None, Stage, datetime]]:
    times = sorted(_moment(rng, start, end) for _ in path[1:])
    return list(zip([None, *path[:-1]], path, [start, *times], strict=True))


def _deal(rng: random.Random, fx: Fixture, did: int, owner: int, account: int) -> FDeal:
    created = _moment(rng, datetime(2025, 1, 5, tzinfo=UTC), NOW - timedelta(days=3))
    closed = created + timedelta(days=rng.randint(15, 160), hours=rng.randint(0, 23))
    amount = Decimal(rng.randrange(5_000, 150_000, 500)) + Decimal(rng.choice(("0", "0.50")))
    if closed < NOW and rng.random() < 0.75:
        final = rng.choice((Stage.CLOSED_WON, Stage.CLOSED_WON, Stage.CLOSED_LOST))
        reached = Stage.NEGOTIATION if final == Stage.CLOSED_WON else rng.choice(OPEN_STAGES)
        path = _path(rng, reached)
        history = _history(rng, path, created, closed - timedelta(hours=1))
        history.append((path[-1], final, closed))
        deal = FDeal(
            did,
            f"Deal {did}",
            account,
            owner,
            final,
            amount,
            closed.date(),
            created,
            closed,
            None,
            history,
        )
    else:
        stage = rng.choice(OPEN_STAGES)
        close = TODAY + timedelta(days=rng.randint(-40, 120))
        step = rng.choice((None, "", "Send the MSA"))
        history = _history(rng, _path(rng, stage), created, NOW - timedelta(hours=2))
        deal = FDeal(
            did, f"Deal {did}", account, owner, stage, amount, close, created, None, step, history
        )
    return deal


def _activities(rng: random.Random, fx: Fixture, deal: FDeal) -> None:
    contacts = [c for c, a in fx.contacts if a == deal.account_id]
    end = deal.closed_at or NOW - timedelta(minutes=5)
    for _ in range(rng.randint(0, 4)):
        subject, body = rng.choice(TEXTS)
        fx.activities.append(
            FActivity(
                len(fx.activities) + 1,
                deal.account_id,
                deal.id,
                rng.choice([*contacts, None]),
                deal.owner_id,
                rng.choice(list(ActivityKind)),
                _moment(rng, deal.created_at, end),
                subject,
                body,
            )
        )


def _slips(rng: random.Random, fx: Fixture, deal: FDeal) -> None:
    """Close-date changes: some in the last week (slips and pushes), some older."""
    if deal.closed_at is not None or rng.random() < 0.4:
        return
    old = deal.close_date - timedelta(days=rng.choice((7, 30, 60)))
    when = NOW - timedelta(days=rng.choice((2, 5, 20)), hours=rng.randint(0, 5))
    fx.fields.append(
        FField(
            deal.id,
            "close_date",
            old.isoformat(),
            deal.close_date.isoformat(),
            max(when, deal.created_at),
        )
    )
    fx.fields.append(FField(deal.id, "amount", "1000.00", str(deal.amount), when))


def build_rows(seed: int = 11) -> Fixture:
    rng = random.Random(seed)
    fx = Fixture()
    for rep in REPS:
        for _ in range(3):
            aid = len(fx.accounts) + 1
            fx.accounts.append((aid, f"Account {aid}", rep))
            fx.contacts += [(2 * aid - 1, aid), (2 * aid, aid)]
    for rep in REPS:
        owned = [a for a, _, o in fx.accounts if o == rep]
        for _ in range(22):
            deal = _deal(rng, fx, len(fx.deals) + 1, rep, rng.choice(owned))
            fx.deals.append(deal)
            _activities(rng, fx, deal)
            _slips(rng, fx, deal)
            if deal.closed_at is None and rng.random() < 0.4:
                done = NOW - timedelta(days=1) if rng.random() < 0.3 else None
                fx.tasks.append(FTask(len(fx.tasks) + 1, rep, deal.id, TODAY, done))
        for q in range(9):  # Q1 2025 to Q1 2027
            start = date(2025 + q // 4, 3 * (q % 4) + 1, 1)
            end = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
            fx.quotas.append(
                FQuota(rep, start, end - timedelta(days=1), Decimal(90_000 + rep * 10_000))
            )
    return fx


def insert(session: Session, fx: Fixture) -> None:
    """Write the rows with their ids, in foreign-key order."""
    for uid, name, email, role, manager in USERS:
        session.add(
            User(id=uid, name=name, email=email, role=role, manager_id=manager, timezone="UTC")
        )
    session.flush()
    for aid, name, owner in fx.accounts:
        session.add(
            Account(id=aid, name=name, owner_id=owner, created_at=NOW - timedelta(days=900))
        )
    session.flush()
    for cid, aid in fx.contacts:
        session.add(Contact(id=cid, account_id=aid, name=f"Contact {cid}"))
    for d in fx.deals:
        session.add(
            Deal(
                id=d.id,
                name=d.name,
                account_id=d.account_id,
                owner_id=d.owner_id,
                stage=d.stage,
                amount=d.amount,
                currency="USD",
                close_date=d.close_date,
                created_at=d.created_at,
                closed_at=d.closed_at,
                next_step=d.next_step,
            )
        )
    session.flush()
    for d in fx.deals:
        for old, new, at in d.history:
            session.add(DealStageHistory(deal_id=d.id, from_stage=old, to_stage=new, changed_at=at))
    for f in fx.fields:
        session.add(
            DealFieldHistory(
                deal_id=f.deal_id, field=f.field, old_value=f.old, new_value=f.new, changed_at=f.at
            )
        )
    for a in fx.activities:
        session.add(
            Activity(
                id=a.id,
                account_id=a.account_id,
                deal_id=a.deal_id,
                contact_id=a.contact_id,
                user_id=a.user_id,
                kind=a.kind,
                occurred_at=a.occurred_at,
                subject=a.subject,
                body=a.body,
            )
        )
    for t in fx.tasks:
        session.add(
            Task(
                id=t.id,
                owner_id=t.owner_id,
                deal_id=t.deal_id,
                title=f"Task {t.id}",
                due_date=t.due,
                completed_at=t.completed_at,
            )
        )
    for q in fx.quotas:
        session.add(
            Quota(user_id=q.user_id, period_start=q.start, period_end=q.end, amount=q.amount)
        )
    session.flush()
