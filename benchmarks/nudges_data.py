"""A synthetic CRM at scale for the nudge benchmark, generated with numpy and bulk-loaded.

Rows are built column-wise with numpy and written with `executemany` (SQLite) or `COPY`
(PostgreSQL). Closed deals carry a signal (engaged deals win more often) so the win model fits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

OPEN = ("prospecting", "qualification", "proposal", "negotiation")
KINDS = ("email", "call", "meeting", "note")
BODIES = (
    "Walked through the rollout plan with the project team.",
    "They compared us with two other vendors on price.",
    "Legal is reviewing the MSA; no blockers so far.",
    "Champion confirmed budget for next quarter.",
    "I'll send the revised quote by Friday.",
    "Will get back to you by 2026-12-01 with the updated proposal.",
)
PROMISE_SHARE = 0.1  # of activities whose body is one of the last two (promises)
DAY_US = 86_400_000_000


@dataclass
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def _stamp(now: datetime, days_ago: np.ndarray, pg: bool) -> list[str]:
    """Timestamps as the text each backend stores (SQLAlchemy's SQLite format; PG with +00)."""
    base = np.datetime64(now.replace(tzinfo=None), "us")
    when = base - (days_ago * DAY_US).astype("timedelta64[us]")
    text = np.char.replace(np.datetime_as_string(when, unit="us"), "T", " ")
    return [t + "+00" for t in text.tolist()] if pg else text.tolist()


def generate(
    scale: float,
    today: date,
    pg: bool,
    seed: int = 7,
    *,
    open_deals: int | None = None,
    open_activity_mean: float = 2.0,
) -> list[Table]:
    """10,000 reps and 1,000,000 open deals at scale 1.0, plus closed history and activities.

    `open_deals` and `open_activity_mean` let the scale benchmark hit exact totals (1M deals,
    5M activities) with the same shapes; the defaults are the nudge benchmark's.
    """
    rng = np.random.default_rng(seed)
    now = datetime.combine(today, time(15))
    reps = max(int(10_000 * scale), 2)
    open_n = open_deals if open_deals is not None else max(int(1_000_000 * scale), 10)
    closed_n, accounts_per_rep = open_n // 5, 25
    accounts = reps * accounts_per_rep
    users = Table("users", ("id", "email", "name", "role", "timezone"))
    zones = ("UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo")
    users.rows = [
        (i, f"rep{i}@bench.test", f"Rep {i}", "rep", zones[i % 4]) for i in range(1, reps + 1)
    ]
    acc_ids = np.arange(1, accounts + 1)
    owner_of_account = (acc_ids - 1) % reps + 1
    acc = Table("accounts", ("id", "name", "owner_id", "created_at"))
    created = _stamp(now, np.full(accounts, 1500.0), pg)
    acc.rows = list(
        zip(
            acc_ids.tolist(),
            (f"Account {i}" for i in acc_ids.tolist()),
            owner_of_account.tolist(),
            created,
            strict=True,
        )
    )
    con = Table("contacts", ("id", "account_id", "name"))
    con.rows = [
        (3 * (a - 1) + k + 1, a, f"Contact {a}-{k}") for a in acc_ids.tolist() for k in range(3)
    ]

    n = open_n + closed_n
    owner = rng.integers(1, reps + 1, n)
    account = owner + reps * rng.integers(0, accounts_per_rep, n)
    is_open = np.arange(n) < open_n
    engaged = rng.random(n)  # latent engagement: more contacts and touches, more wins
    won = (engaged + rng.normal(0, 0.25, n)) > 0.55
    age = np.where(is_open, rng.uniform(1, 365, n), rng.uniform(60, 730, n))  # days since created
    life = np.minimum(rng.uniform(14, 120, n), age - 1)
    closed_ago = np.where(is_open, 0, age - life)
    reached = np.where(
        is_open, rng.choice(4, n, p=[0.35, 0.3, 0.2, 0.15]), np.where(won, 3, rng.integers(0, 4, n))
    )
    stage = [
        OPEN[r] if o else ("closed_won" if w else "closed_lost")
        for r, o, w in zip(reached.tolist(), is_open.tolist(), won.tolist(), strict=True)
    ]
    amount = np.round(np.exp(rng.normal(np.log(30_000), 1.0, n)), 2)
    close = [
        (today + timedelta(days=int(d))).isoformat()
        for d in np.where(is_open, rng.integers(-30, 120, n), -np.ceil(closed_ago)).tolist()
    ]
    created_s = _stamp(now, age, pg)
    closed_s = [
        c if not o else None
        for c, o in zip(_stamp(now, closed_ago, pg), is_open.tolist(), strict=True)
    ]
    ids = np.arange(1, n + 1)
    deals = Table(
        "deals",
        (
            "id",
            "name",
            "account_id",
            "owner_id",
            "stage",
            "amount",
            "currency",
            "close_date",
            "created_at",
            "closed_at",
        ),
    )
    deals.rows = list(
        zip(
            ids.tolist(),
            (f"Deal {i}" for i in ids.tolist()),
            account.tolist(),
            owner.tolist(),
            stage,
            amount.tolist(),
            ["USD"] * n,
            close,
            created_s,
            closed_s,
            strict=True,
        )
    )
    return [
        users,
        acc,
        con,
        deals,
        _history(now, ids, age, closed_ago, reached, is_open, won, pg),
        _activities(
            rng, now, ids, account, owner, age, closed_ago, is_open, engaged, pg, open_activity_mean
        ),
        _tasks(rng, today, ids[:open_n], owner[:open_n], reps),
    ]


def _history(
    now: datetime,
    ids: np.ndarray,
    age: np.ndarray,
    closed_ago: np.ndarray,
    reached: np.ndarray,
    is_open: np.ndarray,
    won: np.ndarray,
    pg: bool,
) -> Table:
    """Each deal walks the open stages up to `reached`, evenly over its life, then closes."""
    table = Table("deal_stage_history", ("id", "deal_id", "from_stage", "to_stage", "changed_at"))
    steps = reached + 1 + (~is_open)
    deal = np.repeat(ids, steps)
    k = np.arange(steps.sum()) - np.repeat(np.cumsum(steps) - steps, steps)
    span = np.repeat(age - closed_ago, steps)
    opens = np.repeat(reached + 1, steps)
    when = np.repeat(age, steps) - span * np.minimum(k, opens) / opens
    closing = k == np.repeat(reached + 1, steps)
    outcome = np.repeat(np.where(won, "closed_won", "closed_lost"), steps)
    to = np.where(closing, outcome, np.array(OPEN)[np.minimum(k, 3)])
    prev = [None if j == 0 else OPEN[min(j - 1, 3)] for j in k.tolist()]
    stamps = _stamp(now, when, pg)
    table.rows = list(
        zip(range(1, len(deal) + 1), deal.tolist(), prev, to.tolist(), stamps, strict=True)
    )
    return table


def _activities(
    rng: np.random.Generator,
    now: datetime,
    ids: np.ndarray,
    account: np.ndarray,
    owner: np.ndarray,
    age: np.ndarray,
    closed_ago: np.ndarray,
    is_open: np.ndarray,
    engaged: np.ndarray,
    pg: bool,
    open_mean: float = 2.0,
) -> Table:
    table = Table(
        "activities",
        (
            "id",
            "account_id",
            "deal_id",
            "contact_id",
            "user_id",
            "kind",
            "occurred_at",
            "subject",
            "body",
        ),
    )
    count = np.where(is_open, rng.poisson(open_mean, len(ids)), 1 + np.round(engaged * 5)).astype(
        int
    )
    deal = np.repeat(np.arange(len(ids)), count)
    m = len(deal)
    ago = closed_ago[deal] + rng.random(m) * (age[deal] - closed_ago[deal])
    contact = (
        3 * (account[deal] - 1)
        + 1
        + np.minimum((rng.random(m) * (1 + 3 * engaged[deal])).astype(int), 2)
    )
    body_ix = np.where(rng.random(m) < PROMISE_SHARE, rng.integers(4, 6, m), rng.integers(0, 4, m))
    kinds = np.array(KINDS)[rng.integers(0, 4, m)].tolist()
    table.rows = list(
        zip(
            range(1, m + 1),
            account[deal].tolist(),
            ids[deal].tolist(),
            contact.tolist(),
            owner[deal].tolist(),
            kinds,
            _stamp(now, ago, pg),
            ["Touch point"] * m,
            [BODIES[i] for i in body_ix.tolist()],
            strict=True,
        )
    )
    return table


def _tasks(
    rng: np.random.Generator, today: date, deal_ids: np.ndarray, owners: np.ndarray, reps: int
) -> Table:
    table = Table("tasks", ("id", "owner_id", "deal_id", "title", "due_date", "completed_at"))
    n = reps * 10
    pick = rng.integers(0, len(deal_ids), n)
    due = [(today + timedelta(days=int(d))).isoformat() for d in rng.integers(-20, 20, n).tolist()]
    done = [None] * n  # open tasks only: completed ones never reach a nudge
    table.rows = list(
        zip(
            range(1, n + 1),
            owners[pick].tolist(),
            deal_ids[pick].tolist(),
            ["Follow up on the proposal"] * n,
            due,
            done,
            strict=True,
        )
    )
    return table


def load_sqlite(path: str, tables: Sequence[Table]) -> None:
    """executemany in one transaction, without a journal, fsync or foreign-key checks."""
    db = sqlite3.connect(path)
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "foreign_keys=OFF",
        "cache_size=-1000000",
    ):
        db.execute(f"PRAGMA {pragma}")
    with db:
        for t in tables:
            marks = ", ".join("?" * len(t.columns))
            db.executemany(
                f"INSERT INTO {t.name} ({', '.join(t.columns)}) VALUES ({marks})", t.rows
            )
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def load_postgres(conninfo: str, tables: Iterable[Table]) -> None:
    """COPY every table, then ANALYZE."""
    import psycopg

    with psycopg.connect(conninfo) as conn:
        with conn.cursor() as cur:
            for t in tables:
                with cur.copy(f"COPY {t.name} ({', '.join(t.columns)}) FROM STDIN") as copy:
                    for row in t.rows:
                        copy.write_row(row)
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
