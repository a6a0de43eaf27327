"""Load a deterministic demo CRM, dated relative to a given day, into an empty database."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session

from tools import demo_text as txt
from tools.models import (
    OPEN_STAGES,
    Account,
    Activity,
    ActivityKind,
    Base,
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

DEMO_META_KEY = "demo_seed"
DEALS = 400
ACTIVITIES = 4000
ACCOUNT_ACTIVITIES = 400  # check-ins tied to an account but to no deal
FIRST_REP = 1 + len(txt.MANAGERS)  # user index of the first rep, Dana
CENT = Decimal("0.01")
# Dana's first open deals carry the README walkthrough: a promise, a quiet deal, an overdue one.
DANA_SCRIPT = ({"promise": True, "quiet": False}, {"quiet": True}, {"overdue": True})
_COUNTS = ("users", "accounts", "contacts", "deals", "activities", "tasks", "quotas")
Row = dict[str, Any]


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the demo holds, and whether this call wrote them."""

    users: int
    accounts: int
    contacts: int
    deals: int
    activities: int
    tasks: int
    quotas: int
    created: bool  # False when the database already held this demo and nothing was written


def seed_demo(session: Session, *, seed: int = 7, today: date) -> DemoSummary:
    """Load the deterministic demo CRM dated relative to `today`; a second run writes nothing.

    Args:
        session: where to write; the caller commits.
        seed: the random seed; the same seed and `today` give identical rows.
        today: the day the demo is anchored to; every timestamp lies before it.

    Raises:
        ValueError: the database holds CRM data that is not this demo.
    """
    stored = session.get(Meta, DEMO_META_KEY)
    if stored is not None:
        return _summary(stored.value, created=False)
    if session.scalar(select(User.id).limit(1)) is not None:
        raise ValueError(
            "the database already holds CRM data; seed-demo only loads into an empty database"
        )
    counts = _write(session, _plan(random.Random(seed), _Clock(today)))
    session.add(
        Meta(key=DEMO_META_KEY, value={"seed": seed, "anchor": today.isoformat(), **counts})
    )
    session.flush()
    return _summary(counts, created=True)


def _summary(counts: dict[str, Any], *, created: bool) -> DemoSummary:
    return DemoSummary(**{k: int(counts[k]) for k in _COUNTS}, created=created)


@dataclass(frozen=True)
class _Clock:
    today: date

    @property
    def cutoff(self) -> datetime:
        """Midnight UTC starting `today`: nothing is dated at or after it.

        Not the wall clock: the rows depend only on `today`, and none is in the future at any
        hour of that day.
        """
        return datetime.combine(self.today, time(), UTC)

    def at(self, rng: random.Random, day: date, tz: str) -> datetime:
        """A working-hours moment on `day` in `tz` (weekends move back to Friday), in UTC."""
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)
        local = datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), ZoneInfo(tz))
        return min(local.astimezone(UTC), self.cutoff - timedelta(minutes=rng.randint(30, 90)))

    def between(self, rng: random.Random, start: datetime, end: datetime, tz: str) -> datetime:
        span = max((end.date() - start.date()).days, 0)
        moment = self.at(rng, start.date() + timedelta(days=rng.randint(0, span)), tz)
        return min(max(moment, start), end)


@dataclass
class _Deal:
    """A deal planned in memory; `account` and `owner` are plan indices until written."""

    account: int
    owner: int
    name: str
    stage: Stage
    amount: Decimal
    created_at: datetime
    close_date: date
    closed_at: datetime | None
    last_touch: datetime  # when its last activity happened
    history: list[tuple[Stage | None, Stage, datetime]] = field(default_factory=list)
    slips: list[tuple[date, date, datetime]] = field(default_factory=list)
    next_step: str | None = None
    promise: bool = False  # its last activity promises a follow-up by a date


@dataclass
class _Plan:
    """Every row to write; foreign keys hold indices into the lists they point at."""

    users: list[Row]
    accounts: list[Row]
    contacts: list[Row]
    deals: list[_Deal] = field(default_factory=list)
    activities: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)
    quotas: list[Row] = field(default_factory=list)

    def tz(self, user: int) -> str:
        return str(self.users[user]["timezone"])


def _plan(rng: random.Random, clock: _Clock) -> _Plan:
    accounts = _plan_accounts(rng)
    plan = _Plan(_plan_users(), accounts, _plan_contacts(rng, accounts))
    plan.deals = _plan_deals(rng, clock, plan)
    for a, account in enumerate(accounts):
        first = min(d.created_at for d in plan.deals if d.account == a)
        day = first.date() - timedelta(days=rng.randint(5, 120))
        account["created_at"] = min(clock.at(rng, day, plan.tz(account["owner_id"])), first)
    plan.activities = _plan_activities(rng, clock, plan)
    plan.tasks = _plan_tasks(rng, clock, plan)
    plan.quotas = _plan_quotas(rng, clock.today)
    return plan


def _plan_users() -> list[Row]:
    leaders = [(*txt.ADMIN, Role.ADMIN, None)] + [(*m, Role.MANAGER, None) for m in txt.MANAGERS]
    reps = [(*r, Role.REP, 1 + i // txt.REPS_PER_MANAGER) for i, r in enumerate(txt.REPS)]
    return [
        {"name": name, "email": f"{box}@{txt.DOMAIN}", "timezone": tz, "role": role}
        | {"manager_id": boss, "slack_user_id": None}
        for name, box, tz, role, boss in leaders + reps
    ]


def _plan_accounts(rng: random.Random) -> list[Row]:
    named = [*txt.FAMOUS_ACCOUNTS[1:], *txt.company_names(rng, 120 - len(txt.FAMOUS_ACCOUNTS))]
    rng.shuffle(named)
    named.insert(0, txt.FAMOUS_ACCOUNTS[0])  # Acme first, so the round-robin gives it to Dana
    return [
        {"name": name, "industry": industry, "owner_id": FIRST_REP + i % len(txt.REPS)}
        | {"created_at": None, "external_id": f"demo:account:{i + 1}"}
        for i, (name, industry) in enumerate(named)
    ]


def _plan_contacts(rng: random.Random, accounts: list[Row]) -> list[Row]:
    rows: list[Row] = []
    for a, account in enumerate(accounts):
        domain = f"{txt.slug(account['name'])}.example"
        for title in rng.sample(txt.TITLES, rng.randint(2, 5)):
            first, last = rng.choice(txt.FIRST_NAMES), rng.choice(txt.LAST_NAMES)
            email = f"{first}.{last}@{domain}".lower()
            rows.append({"account_id": a, "name": f"{first} {last}", "email": email})
            rows[-1] |= {"title": title, "external_id": f"demo:contact:{len(rows)}"}
    return rows


def _plan_deals(rng: random.Random, clock: _Clock, plan: _Plan) -> list[_Deal]:
    reps = range(FIRST_REP, len(plan.users))
    extra = Counter(rng.choices(reps, k=DEALS - 30 * len(reps)))
    products: dict[int, list[str]] = {}
    deals: list[_Deal] = []
    for rep in reps:
        owned = [a for a, acc in enumerate(plan.accounts) if acc["owner_id"] == rep]
        script = list(DANA_SCRIPT) if rep == FIRST_REP else []
        for j, outcome in enumerate(_outcomes(rng, 30 + extra[rep])):
            a = owned[j] if j < len(owned) else rng.choice(owned)
            left = products.setdefault(a, rng.sample(txt.PRODUCTS, len(txt.PRODUCTS)))
            product = "Platform Expansion" if (rep, j) == (FIRST_REP, 0) else left[-1]
            left.remove(product)
            name = f"{plan.accounts[a]['name']} – {product}"
            if outcome is None:
                forced = script.pop(0) if script else {}
                deals.append(_open_deal(rng, clock, a, rep, name, plan.tz(rep), forced))
            else:
                deals.append(_closed_deal(rng, clock, a, rep, name, plan.tz(rep), outcome))
    # Ordered by creation so ids, like a real CRM's, grow with time.
    return sorted(deals, key=lambda d: d.created_at)


def _outcomes(rng: random.Random, n: int) -> list[Stage | None]:
    """Final stages for a rep's deals (None = still open); the first is always open."""
    n_open = rng.randint(11, 16)
    n_won = round((n - n_open) * rng.uniform(0.45, 0.6))
    rest: list[Stage | None] = [None] * (n_open - 1) + [Stage.CLOSED_WON] * n_won
    rest += [Stage.CLOSED_LOST] * (n - n_open - n_won)
    rng.shuffle(rest)
    return [None, *rest]


def _open_deal(
    rng: random.Random, clock: _Clock, a: int, rep: int, name: str, tz: str, forced: dict[str, bool]
) -> _Deal:
    rolls = {"quiet": rng.random() < 0.18, "overdue": rng.random() < 0.1}
    rolls |= {"promise": rng.random() < 0.25, **forced}
    stage = rng.choices(OPEN_STAGES, weights=(25, 30, 25, 20))[0]
    quiet_days = rng.randint(21, 55) if rolls["quiet"] else rng.randint(1, 12)
    last_touch = clock.at(rng, clock.today - timedelta(days=quiet_days), tz)
    created = clock.at(rng, last_touch.date() - timedelta(days=rng.randint(10, 200)), tz)
    if rolls["overdue"]:
        close = clock.today - timedelta(days=rng.randint(3, 40))
    else:
        close = _future_close(rng, clock.today)
    deal = _Deal(a, rep, name, stage, _amount(rng), created, close, None, last_touch)
    deal.history = _history(rng, _path(rng, stage), created, last_touch, last_at_end=False)
    deal.slips = _slips(rng, deal, deal.last_touch, 0.6 if rolls["overdue"] else 0.25)
    deal.promise = rolls["promise"]
    if rng.random() < 0.8:
        deal.next_step = rng.choice(txt.NEXT_STEPS).format_map(txt.slots(rng, clock.today))
    return deal


def _closed_deal(
    rng: random.Random, clock: _Clock, a: int, rep: int, name: str, tz: str, final: Stage
) -> _Deal:
    closed_at = clock.at(rng, clock.today - timedelta(days=rng.randint(1, 540)), tz)
    created = clock.at(rng, closed_at.date() - timedelta(days=rng.randint(20, 150)), tz)
    last_touch = closed_at
    if final == Stage.CLOSED_WON:  # onboarding and check-ins follow a win
        tail = min(closed_at.date() + timedelta(days=rng.randint(3, 90)), clock.today)
        last_touch = max(clock.at(rng, tail, tz), closed_at)
    reached = Stage.NEGOTIATION if final == Stage.CLOSED_WON else rng.choice(OPEN_STAGES)
    deal = _Deal(
        a, rep, name, final, _amount(rng), created, closed_at.date(), closed_at, last_touch
    )
    path = [*_path(rng, reached), final]
    deal.history = _history(rng, path, created, closed_at, last_at_end=True)
    deal.slips = _slips(rng, deal, closed_at, 0.15)
    return deal


def _amount(rng: random.Random) -> Decimal:
    # Log-uniform between 5k and 250k: many small deals, a few large ones.
    return Decimal(round(5_000 * 50 ** rng.random(), -2)).quantize(CENT)


def _future_close(rng: random.Random, today: date) -> date:
    """A close date in this quarter (after today) or one of the next two."""
    start = quarter_of(today).start + relativedelta(
        months=3 * rng.choices((0, 1, 2), (45, 35, 20))[0]
    )
    lo, hi = max(start, today + timedelta(days=1)), quarter_of(start).end
    if lo > hi:
        lo, hi = today + timedelta(days=1), today + timedelta(days=30)
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _path(rng: random.Random, stage: Stage) -> list[Stage]:
    """Open stages from prospecting up to `stage`, now and then skipping qualification."""
    path = list(OPEN_STAGES[: OPEN_STAGES.index(stage) + 1])
    if len(path) > 2 and rng.random() < 0.1:
        path.remove(Stage.QUALIFICATION)
    return path


def _history(
    rng: random.Random, path: list[Stage], start: datetime, end: datetime, *, last_at_end: bool
) -> list[tuple[Stage | None, Stage, datetime]]:
    """One row per transition: None -> path[0] at `start`, the rest in order up to `end`."""
    span = int((end - start).total_seconds())
    cuts = sorted(rng.randint(1, span) for _ in path[1:])
    if last_at_end and cuts:
        cuts[-1] = span
    times = [start, *(start + timedelta(seconds=c) for c in cuts)]
    return list(zip([None, *path[:-1]], path, times, strict=True))


def _slips(
    rng: random.Random, deal: _Deal, end: datetime, chance: float
) -> list[tuple[date, date, datetime]]:
    """Close-date pushes ending at the deal's current close date, or none."""
    if rng.random() >= chance:
        return []
    moves = rng.randint(1, 2)
    dates = [deal.close_date]
    for _ in range(moves):
        dates.insert(0, dates[0] - timedelta(days=rng.choice((7, 14, 21, 30, 45))))
    if dates[0] <= deal.created_at.date():
        return []
    when = sorted(
        deal.created_at + (end - deal.created_at) * rng.uniform(0.3, 1) for _ in dates[1:]
    )
    return list(zip(dates[:-1], dates[1:], when, strict=True))


def _plan_activities(rng: random.Random, clock: _Clock, plan: _Plan) -> list[Row]:
    """Exactly ACTIVITIES rows: every deal gets two or more, the rest are account check-ins."""
    weights = [(d.last_touch - d.created_at).days + 10 for d in plan.deals]
    spare = ACTIVITIES - ACCOUNT_ACTIVITIES - 2 * len(plan.deals)
    extra = Counter(rng.choices(range(len(plan.deals)), weights=weights, k=spare))
    by_account: dict[int, list[int]] = {}
    for c, contact in enumerate(plan.contacts):
        by_account.setdefault(contact["account_id"], []).append(c)
    rows: list[Row] = []
    for d, deal in enumerate(plan.deals):
        rows += _deal_activities(rng, clock, plan, by_account[deal.account], d, 2 + extra[d])
    for a in rng.choices(range(len(plan.accounts)), k=ACCOUNT_ACTIVITIES):
        rows.append(_checkin(rng, clock, plan, by_account[a], a))
    rows.sort(key=lambda r: r["occurred_at"])
    for i, row in enumerate(rows):
        row["external_id"] = f"demo:activity:{i + 1}"
    return rows


def _deal_activities(
    rng: random.Random, clock: _Clock, plan: _Plan, contacts: list[int], d: int, n: int
) -> list[Row]:
    deal = plan.deals[d]
    tz = plan.tz(deal.owner)
    fixed = [deal.last_touch]
    if deal.stage == Stage.CLOSED_WON:  # the signature, then a tail of onboarding
        fixed.insert(0, deal.closed_at or deal.last_touch)
    loose = [
        clock.between(rng, deal.created_at, deal.last_touch, tz) for _ in range(n - len(fixed))
    ]
    rows = []
    for when in sorted(loose) + fixed:
        topic = _topic(rng, deal, when)
        if deal.promise and when == deal.last_touch and deal.closed_at is None:
            topic = "promise"
        rows.append(_activity(rng, plan, contacts, topic, when, d))
    return rows


def _topic(rng: random.Random, deal: _Deal, when: datetime) -> str:
    """What an activity on `deal` at `when` is likely about, given the stage it was in then."""
    if deal.closed_at is not None and when >= deal.closed_at:
        if when == deal.closed_at:
            return "won" if deal.stage == Stage.CLOSED_WON else "lost"
        return rng.choice(txt.PHASE_TOPICS["post_won"])
    stage = max((s for _, s, at in deal.history if at <= when), key=OPEN_STAGES.index)
    return rng.choice(txt.PHASE_TOPICS[stage.value])


def _checkin(rng: random.Random, clock: _Clock, plan: _Plan, contacts: list[int], a: int) -> Row:
    account = plan.accounts[a]
    owner = account["owner_id"]
    when = clock.between(rng, account["created_at"], clock.cutoff, plan.tz(owner))
    return _activity(rng, plan, contacts, "checkin", when, None, a)


def _activity(
    rng: random.Random,
    plan: _Plan,
    contacts: list[int],
    topic: str,
    when: datetime,
    d: int | None,
    a: int | None = None,
) -> Row:
    """One activity row; with a deal `d` the account and owner come from the deal."""
    deal = plan.deals[d] if d is not None else None
    a = deal.account if deal else a
    assert a is not None
    account = plan.accounts[a]
    spec = txt.TOPICS["followup" if topic == "promise" else topic]
    fits = [c for c in contacts if plan.contacts[c]["title"] in spec.titles]
    c = rng.choice(fits or contacts)
    person = plan.contacts[c]
    product = deal.name.split(" – ", 1)[1] if deal else "the platform"
    values = txt.slots(rng, when.date(), account=account["name"], product=product)
    values |= {"contact": person["name"].split()[0], "contact_full": person["name"]}
    values |= {"title": person["title"], "amount": f"${deal.amount:,.0f}" if deal else "$0"}
    if topic == "promise":
        kind = "email"
        subject, body = txt.promise_text(rng, values)
    else:
        kind = rng.choice(spec.kinds)
        subject, body = txt.activity_text(rng, topic, kind, values)
    user = deal.owner if deal else account["owner_id"]
    return {"account_id": a, "deal_id": d, "contact_id": c, "user_id": user} | {
        "kind": ActivityKind(kind),
        "occurred_at": when,
        "subject": subject,
        "body": body,
    }


def _plan_tasks(rng: random.Random, clock: _Clock, plan: _Plan) -> list[Row]:
    """Per rep: overdue, due today, upcoming and completed tasks, each on one of their deals."""
    today, rows = clock.today, []
    for rep in range(FIRST_REP, len(plan.users)):
        mine = [d for d, deal in enumerate(plan.deals) if deal.owner == rep]
        open_ = [d for d in mine if plan.deals[d].closed_at is None]
        due = [today - timedelta(days=rng.randint(1, 14)) for _ in range(rng.randint(2, 4))]
        due += [today] * max(rng.randint(0, 2), int(rep == FIRST_REP))
        due += [today + timedelta(days=rng.randint(1, 14)) for _ in range(rng.randint(3, 6))]
        rows += [_task(rng, clock, plan, rng.choice(open_), day, done=False) for day in due]
        for d in rng.choices(mine, k=rng.randint(8, 14)):
            deal = plan.deals[d]
            day = clock.between(rng, deal.created_at, deal.last_touch, plan.tz(rep)).date()
            rows.append(_task(rng, clock, plan, d, day, done=True))
    return sorted(rows, key=lambda r: r["created_at"])


def _task(rng: random.Random, clock: _Clock, plan: _Plan, d: int, due: date, done: bool) -> Row:
    deal = plan.deals[d]
    tz = plan.tz(deal.owner)
    asked = min(due - timedelta(days=rng.randint(2, 14)), clock.today - timedelta(days=1))
    created = max(clock.at(rng, asked, tz), deal.created_at)
    contact = rng.choice([c for c in plan.contacts if c["account_id"] == deal.account])
    account = plan.accounts[deal.account]["name"]
    values = txt.slots(rng, due, account=account, contact=contact["name"], deal=deal.name)
    finished = None
    if done:
        finished = max(clock.at(rng, due + timedelta(days=rng.randint(-3, 1)), tz), created)
    title = rng.choice(txt.TASK_TITLES).format_map(values)
    return {"owner_id": deal.owner, "deal_id": d, "title": title, "due_date": due} | {
        "completed_at": finished,
        "created_at": created,
    }


def _plan_quotas(rng: random.Random, today: date) -> list[Row]:
    """A quota per rep per calendar quarter, from 18 months back to two quarters ahead."""
    start = quarter_of(today - relativedelta(months=18)).start
    last = quarter_of(today + relativedelta(months=6)).start
    quarters = []
    while start <= last:
        quarters.append(quarter_of(start))
        start += relativedelta(months=3)
    rows = []
    for rep in range(FIRST_REP, FIRST_REP + len(txt.REPS)):
        base = rng.randrange(150_000, 300_001, 10_000)
        for i, q in enumerate(quarters):
            amount = min(400_000, base + i * rng.choice((0, 5_000, 10_000)))
            rows.append({"user_id": rep, "period_start": q.start, "period_end": q.end})
            rows[-1]["amount"] = Decimal(amount).quantize(CENT)
    return rows


def _write(session: Session, plan: _Plan) -> dict[str, int]:
    """Insert the plan in foreign-key order and return how many rows of each kind."""
    leaders = _insert(session, User, plan.users[:FIRST_REP])
    users = leaders + _insert(session, User, plan.users[FIRST_REP:], manager_id=leaders)
    accounts = _insert(session, Account, plan.accounts, owner_id=users)
    contacts = _insert(session, Contact, plan.contacts, account_id=accounts)
    deal_rows = [_deal_row(i, deal) for i, deal in enumerate(plan.deals)]
    deals = _insert(session, Deal, deal_rows, account_id=accounts, owner_id=users)
    stages = [
        {"deal_id": i, "from_stage": old, "to_stage": new, "changed_at": at}
        for i, deal in enumerate(plan.deals)
        for old, new, at in deal.history
    ]
    _insert(session, DealStageHistory, stages, deal_id=deals)
    slips = [
        {"deal_id": i, "field": "close_date", "old_value": old.isoformat()}
        | {"new_value": new.isoformat(), "changed_at": at, "changed_by_id": deal.owner}
        for i, deal in enumerate(plan.deals)
        for old, new, at in deal.slips
    ]
    _insert(session, DealFieldHistory, slips, deal_id=deals, changed_by_id=users)
    refs = {"account_id": accounts, "deal_id": deals, "contact_id": contacts, "user_id": users}
    activities = _insert(session, Activity, plan.activities, **refs)
    tasks = _insert(session, Task, plan.tasks, owner_id=users, deal_id=deals)
    quotas = _insert(session, Quota, plan.quotas, user_id=users)
    written = (users, accounts, contacts, deals, activities, tasks, quotas)
    return {name: len(ids) for name, ids in zip(_COUNTS, written, strict=True)}


def _deal_row(i: int, deal: _Deal) -> Row:
    return {
        "name": deal.name, "account_id": deal.account, "owner_id": deal.owner,
        "stage": deal.stage, "amount": deal.amount, "currency": "USD",
        "close_date": deal.close_date, "created_at": deal.created_at,
        "closed_at": deal.closed_at, "next_step": deal.next_step,
        "external_id": f"demo:deal:{i + 1}",
    }  # fmt: skip


def _insert(session: Session, model: type[Base], rows: list[Row], **refs: list[int]) -> list[int]:
    """Bulk-insert `rows`, turning plan indices in the `refs` columns into database ids."""
    if not rows:
        return []
    # The database picks the ids (RETURNING, in row order) so PostgreSQL's sequences stay in
    # step with the rows the app inserts later.
    fixed = [
        row | {k: ids[row[k]] for k, ids in refs.items() if row[k] is not None} for row in rows
    ]
    stmt = insert(model).returning(inspect(model).primary_key[0], sort_by_parameter_order=True)
    return list(session.scalars(stmt, fixed))
