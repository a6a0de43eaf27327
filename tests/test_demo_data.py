"""The demo CRM: counts, determinism, idempotency and the facts the README walkthrough needs."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from support.postgres import backend_url

from tools.db import make_engine, session_factory, upgrade
from tools.demo import DEMO_META_KEY, DemoSummary, seed_demo
from tools.models import (
    OPEN_STAGES,
    Account,
    Activity,
    Contact,
    Deal,
    DealFieldHistory,
    DealStageHistory,
    Meta,
    Quota,
    Role,
    Stage,
    Task,
    User,
)
from tools.periods import quarter_of

TODAY = date(2026, 11, 26)
MIDNIGHT = datetime(2026, 11, 26, tzinfo=UTC)
PROMISE = re.compile(
    r"\b(I'll|will)\b.*\bby (Monday|Tuesday|Wednesday|Thursday|Friday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\b"
)
TABLES = (User, Account, Contact, Deal, DealStageHistory, DealFieldHistory, Activity, Task, Quota)


@dataclass(frozen=True)
class Seeded:
    engine: Engine
    sessions: sessionmaker[Session]
    summary: DemoSummary
    seconds: float
    backend: str


def utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back naive; they were written as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def seed_fresh(url: str, *, seed: int = 7, today: date = TODAY) -> Seeded:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    started = time.perf_counter()
    with sessions.begin() as session:
        summary = seed_demo(session, seed=seed, today=today)
    return Seeded(engine, sessions, summary, time.perf_counter() - started, engine.dialect.name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """The demo loaded once per backend; tests only read it or roll back."""
    with backend_url(request, tmp_path_factory.mktemp("demo"), "salesbot_demo") as url:
        result = seed_fresh(url)
        yield result
        result.engine.dispose()


@pytest.fixture
def session(seeded: Seeded) -> Iterator[Session]:
    with seeded.sessions() as session:
        yield session
        session.rollback()


def dana(session: Session) -> User:
    return session.scalars(select(User).where(User.email == "dana@demo.salesbot.dev")).one()


def table_counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in TABLES
    }


def test_seed_loads_the_promised_dataset(seeded: Seeded, session: Session) -> None:
    s = seeded.summary
    assert s.created
    assert (s.users, s.accounts, s.deals, s.activities) == (13, 120, 400, 4000)
    assert 240 <= s.contacts <= 600 and s.tasks >= 100 and s.quotas == 10 * 9
    counts = table_counts(session)
    assert counts["contacts"] == s.contacts and counts["tasks"] == s.tasks
    assert counts["activities"] == 4000 and counts["quotas"] == s.quotas
    meta = session.get(Meta, DEMO_META_KEY)
    assert meta is not None
    assert meta.value["seed"] == 7 and meta.value["anchor"] == TODAY.isoformat()


def test_people_and_teams(session: Session) -> None:
    users = session.scalars(select(User).order_by(User.id)).all()
    roles = [u.role for u in users]
    assert roles.count(Role.ADMIN) == 1 and roles.count(Role.MANAGER) == 2
    managers = {u.id: u for u in users if u.role == Role.MANAGER}
    reps = [u for u in users if u.role == Role.REP]
    assert (reps[0].name, reps[0].email, reps[0].timezone) == (
        "Dana Whitfield",
        "dana@demo.salesbot.dev",
        "America/New_York",
    )
    assert reps[0].manager_id is not None and managers[reps[0].manager_id].name == "Morgan Lee"
    team_sizes = sorted(sum(r.manager_id == m for r in reps) for m in managers)
    assert team_sizes == [5, 5]
    assert {m.email for m in managers.values()} == {
        "morgan@demo.salesbot.dev",
        "priya@demo.salesbot.dev",
    }
    assert all(u.slack_user_id is None for u in users)
    assert len({u.timezone for u in users}) >= 4


def test_accounts_contacts_and_external_ids(session: Session) -> None:
    accounts = session.scalars(select(Account)).all()
    names = [a.name for a in accounts]
    assert len(set(names)) == 120
    for famous in ("Acme Corp", "Globex", "Hooli", "Wonka Foods", "Vandelay Industries"):
        assert famous in names
    assert all(a.industry and a.owner_id and a.external_id for a in accounts)
    per_account = session.execute(
        select(Contact.account_id, func.count()).group_by(Contact.account_id)
    ).all()
    assert len(per_account) == 120 and all(2 <= n <= 5 for _, n in per_account)
    deal = session.scalars(select(Deal).order_by(Deal.id).limit(1)).one()
    assert deal.external_id == "demo:deal:1"


def test_deals_are_owned_with_their_account_and_dated_sensibly(session: Session) -> None:
    deals = session.scalars(select(Deal)).all()
    assert all(d.owner_id == d.account.owner_id for d in deals)
    assert all(Decimal("5000") <= d.amount <= Decimal("250000") for d in deals)
    assert all(d.currency == "USD" and " – " in d.name for d in deals)
    closed = [d for d in deals if d.stage not in OPEN_STAGES]
    assert all(d.closed_at and utc(d.closed_at) < MIDNIGHT and d.close_date < TODAY for d in closed)
    assert {d.stage for d in deals} == set(Stage)
    open_ = [d for d in deals if d.stage in OPEN_STAGES]
    overdue = sum(d.close_date < TODAY for d in open_)
    assert 0.05 <= overdue / len(open_) <= 0.2
    horizon = quarter_of(TODAY + timedelta(days=184)).end
    assert all(d.close_date <= horizon for d in open_)
    assert sum(bool(d.next_step) for d in open_) > len(open_) / 2


def test_stage_history_matches_every_deal(session: Session) -> None:
    history: dict[int, list[DealStageHistory]] = {}
    order = (DealStageHistory.deal_id, DealStageHistory.changed_at, DealStageHistory.id)
    for row in session.scalars(select(DealStageHistory).order_by(*order)):
        history.setdefault(row.deal_id, []).append(row)
    for deal in session.scalars(select(Deal)):
        rows = history[deal.id]
        assert (rows[0].from_stage, rows[0].to_stage) == (None, Stage.PROSPECTING)
        assert utc(rows[0].changed_at) == utc(deal.created_at)
        assert all(a.to_stage == b.from_stage for a, b in pairwise(rows))
        assert rows[-1].to_stage == deal.stage
        if deal.closed_at is not None:
            assert utc(rows[-1].changed_at) == utc(deal.closed_at)


def test_slips_are_recorded_as_close_date_changes(session: Session) -> None:
    slips = session.scalars(
        select(DealFieldHistory).where(DealFieldHistory.field == "close_date")
    ).all()
    assert len(slips) >= 20
    for slip in slips:
        assert slip.old_value and slip.new_value
        assert date.fromisoformat(slip.old_value) < date.fromisoformat(slip.new_value)
        assert utc(slip.changed_at) < MIDNIGHT


def test_amount_changes_end_at_the_deals_amount(session: Session) -> None:
    changes = session.execute(
        select(DealFieldHistory, Deal)
        .join(Deal, Deal.id == DealFieldHistory.deal_id)
        .where(DealFieldHistory.field == "amount")
    ).all()
    assert len(changes) >= 50
    fields = set(session.scalars(select(DealFieldHistory.field).distinct()).all())
    assert fields == {"close_date", "amount"}
    for change, deal in changes:
        assert change.old_value != change.new_value
        assert Decimal(change.new_value) == deal.amount
        assert utc(deal.created_at) < utc(change.changed_at) < MIDNIGHT


def test_no_activity_is_in_the_future_or_before_its_account(session: Session) -> None:
    latest = session.scalar(select(func.max(Activity.occurred_at)))
    assert latest is not None and utc(latest) < MIDNIGHT
    too_early = session.scalar(
        select(func.count())
        .select_from(Activity)
        .join(Account, Activity.account_id == Account.id)
        .where(Activity.occurred_at < Account.created_at)
    )
    assert too_early == 0
    unlinked = session.scalar(select(func.count()).where(Activity.deal_id.is_(None)))
    assert unlinked is not None and unlinked < 1000  # mostly linked to a deal
    subjects = session.scalar(select(func.count(func.distinct(Activity.subject))))
    assert subjects is not None and subjects > 500


def test_activities_belong_to_the_deal_owner_and_a_contact_of_the_account(
    session: Session,
) -> None:
    mismatched = session.scalar(
        select(func.count())
        .select_from(Activity)
        .join(Deal, Activity.deal_id == Deal.id)
        .join(Contact, Activity.contact_id == Contact.id)
        .where((Activity.user_id != Deal.owner_id) | (Contact.account_id != Deal.account_id))
    )
    assert mismatched == 0


def test_dana_has_the_walkthrough_pipeline(session: Session) -> None:
    rep = dana(session)
    open_deals = session.scalars(
        select(Deal).where(Deal.owner_id == rep.id, Deal.stage.in_(OPEN_STAGES))
    ).all()
    assert len(open_deals) >= 8
    assert any(d.name == "Acme Corp – Platform Expansion" for d in open_deals)
    assert any(d.close_date < TODAY for d in open_deals)
    last_touch = dict(
        session.execute(
            select(Activity.deal_id, func.max(Activity.occurred_at)).group_by(Activity.deal_id)
        ).all()
    )
    assert any(utc(last_touch[d.id]) < MIDNIGHT - timedelta(days=20) for d in open_deals)
    assert any(PROMISE.search(last_body(session, d.id)) for d in open_deals)


def last_body(session: Session, deal_id: int) -> str:
    latest = (Activity.occurred_at.desc(), Activity.id.desc())
    return session.scalars(
        select(Activity.body).where(Activity.deal_id == deal_id).order_by(*latest).limit(1)
    ).one()


def test_dana_has_overdue_and_due_today_tasks(session: Session) -> None:
    rep = dana(session)
    open_tasks = session.scalars(
        select(Task).where(Task.owner_id == rep.id, Task.completed_at.is_(None))
    ).all()
    assert sum(t.due_date is not None and t.due_date < TODAY for t in open_tasks) >= 2
    assert sum(t.due_date == TODAY for t in open_tasks) >= 1


def test_every_rep_has_open_and_completed_tasks(session: Session) -> None:
    for rep in session.scalars(select(User).where(User.role == Role.REP)):
        tasks = session.scalars(select(Task).where(Task.owner_id == rep.id)).all()
        assert any(t.completed_at is None for t in tasks), rep.name
        assert any(t.completed_at is not None for t in tasks), rep.name


def test_every_rep_has_quotas_for_each_quarter(session: Session) -> None:
    current = quarter_of(TODAY)
    for rep in session.scalars(select(User).where(User.role == Role.REP)):
        quotas = session.scalars(select(Quota).where(Quota.user_id == rep.id)).all()
        assert current.start in {q.period_start for q in quotas}, rep.name
        assert len(quotas) == 9
        for q in quotas:
            period = quarter_of(q.period_start)
            assert (q.period_start, q.period_end) == (period.start, period.end)
            assert Decimal("150000") <= q.amount <= Decimal("400000")


def test_second_run_writes_nothing(seeded: Seeded, session: Session) -> None:
    before = table_counts(session)
    again = seed_demo(session, seed=7, today=TODAY + timedelta(days=3))
    session.flush()
    assert again == replace(seeded.summary, created=False)
    assert table_counts(session) == before


def test_refuses_a_database_holding_other_crm_data(session: Session) -> None:
    session.execute(delete(Meta).where(Meta.key == DEMO_META_KEY))
    with pytest.raises(ValueError, match="only loads into an empty database"):
        seed_demo(session, today=TODAY)


def deal_facts(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as session:
        rows = session.execute(
            select(Deal.name, Deal.amount, Deal.stage, Deal.close_date).order_by(Deal.id)
        )
        return [tuple(row) for row in rows]


def test_same_seed_same_rows_on_any_backend(seeded: Seeded, tmp_path: Path) -> None:
    twin = seed_fresh(f"sqlite:///{tmp_path}/twin.db")
    assert deal_facts(twin.sessions) == deal_facts(seeded.sessions)
    other = seed_fresh(f"sqlite:///{tmp_path}/other.db", seed=8)
    assert deal_facts(other.sessions) != deal_facts(seeded.sessions)


@pytest.mark.parametrize("today", [date(2026, 12, 31), date(2027, 3, 29), date(2026, 6, 30)])
def test_any_anchor_day_keeps_the_invariants(tmp_path: Path, today: date) -> None:
    demo = seed_fresh(f"sqlite:///{tmp_path}/anchor.db", today=today)
    midnight = datetime(today.year, today.month, today.day, tzinfo=UTC)
    with demo.sessions() as session:
        latest = session.scalar(select(func.max(Activity.occurred_at)))
        assert latest is not None and utc(latest) < midnight
        first = quarter_of(today - relativedelta(months=18)).start
        assert session.scalar(select(func.min(Quota.period_start))) == first
        overdue = select(func.count()).where(Deal.stage.in_(OPEN_STAGES), Deal.close_date < today)
        assert (session.scalar(overdue) or 0) >= 1
