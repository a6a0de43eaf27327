"""A cached CRM at benchmark scale: 10,000 reps, 1,000,000 deals, 5,000,000 activities.

Built from nudges_data's generator (numpy, executemany on SQLite, COPY on PostgreSQL), with a
reporting line on top (every tenth rep manages the nine after it) and one admin, so rep, manager
and admin scopes can be timed. A dataset is keyed by size and seed and kept between runs: a SQLite
file under benchmarks/.data/ (gitignored) or a PostgreSQL database named salesbot_bench_<key>.
A marker row in salesbot_meta is written last, so an interrupted load is rebuilt, not reused.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from benchmarks.nudges_data import Table, generate, load_postgres, load_sqlite
from tools.db import make_engine, session_factory, upgrade
from tools.models import Meta

DATA_DIR = Path(__file__).parent / ".data"
MARKER = "bench_dataset"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TEAM = 10  # a manager and the nine reps after them
ACTIVITIES_PER_DEAL = 5
DEALS_PER_REP = 100


@dataclass(frozen=True)
class Size:
    """Deals drive everything: a rep per 100 deals and five activities per deal."""

    deals: int
    seed: int = 7

    @property
    def reps(self) -> int:
        return max(self.deals // DEALS_PER_REP, 2 * TEAM)

    @property
    def key(self) -> str:
        return f"{self.deals}d_s{self.seed}"

    @property
    def open_deals(self) -> int:
        # nudges_data adds open // 5 closed deals: 5/6 open makes the total `deals`.
        return self.deals * 5 // 6

    @property
    def open_activity_mean(self) -> float:
        # Closed deals get 1 + round(5u) activities (mean 3.5); open ones make up the rest.
        closed = self.open_deals // 5
        return (ACTIVITIES_PER_DEAL * self.deals - 3.5 * closed) / self.open_deals


@dataclass(frozen=True)
class Dataset:
    url: str
    size: Size
    today: date
    info: dict[str, Any]

    @property
    def admin_id(self) -> int:
        return self.size.reps + 1


def sqlite_url(size: Size) -> str:
    return f"sqlite:///{DATA_DIR / f'scale-{size.key}.db'}"


def postgres_url(size: Size, server: str = DEFAULT_PG) -> str:
    return make_url(server).set(database=f"salesbot_bench_{size.key}").render_as_string(False)


def ensure(url: str, size: Size, log: Any = print) -> Dataset:
    """Reuse the dataset at `url` when its marker matches `size`, else (re)build it there."""
    found = _marker(url)
    if found is not None and found.get("key") == size.key:
        log(f"reusing {size.key} at {_safe(url)} (built {found['built_at']})")
        return Dataset(url, size, date.fromisoformat(found["today"]), found)
    log(f"building {size.key} at {_safe(url)} ...")
    _reset(url)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()  # the loader needs the database to itself
    today = date.today()
    # In a child process, so the parent's memory stays small for the timings that follow.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        info = pool.submit(_load, url, size, today).result()
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        session.merge(Meta(key=MARKER, value=info))
    engine.dispose()
    seconds = info["generate_seconds"] + info["load_seconds"]
    log(f"built {size.key}: {info['rows']} in {seconds:.1f}s")
    return Dataset(url, size, today, info)


def drop(url: str) -> None:
    """Remove a cached dataset (file or database)."""
    _reset(url, recreate=False)


def _marker(url: str) -> dict[str, Any] | None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not Path(str(parsed.database)).exists():
            return None
    elif not _pg_exists(url):
        return None
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, "salesbot_meta"):
                return None
            value = conn.execute(select(Meta.value).where(Meta.key == MARKER)).scalar()
        return value if isinstance(value, dict) else None
    finally:
        engine.dispose()


def _reset(url: str, recreate: bool = True) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(str(parsed.database))
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    name = parsed.database
    # Only ever a benchmark's own database (or a test's throwaway one) is dropped.
    assert name and name.startswith(("salesbot_bench_", "salesbot_test_")), name
    admin = make_engine(parsed.set(database="postgres").render_as_string(False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if recreate:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _pg_exists(url: str) -> bool:
    parsed = make_url(url)
    admin = make_engine(parsed.set(database="postgres").render_as_string(False))
    try:
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
            ).first()
        return found is not None
    finally:
        admin.dispose()


def _load(url: str, size: Size, today: date) -> dict[str, Any]:
    started = time.perf_counter()
    sqlite = make_url(url).get_backend_name() == "sqlite"
    tables = generate(
        size.reps / 10_000,
        today,
        pg=not sqlite,
        seed=size.seed,
        open_deals=size.open_deals,
        open_activity_mean=size.open_activity_mean,
    )
    tables = [_with_hierarchy(t, size, today) if t.name == "users" else t for t in tables]
    tables.append(_quotas(size, today))
    built = time.perf_counter()
    if sqlite:
        load_sqlite(str(make_url(url).database), tables)
    else:
        load_postgres(make_url(url).set(drivername="postgresql").render_as_string(False), tables)
    done = time.perf_counter()
    return {
        "key": size.key,
        "today": today.isoformat(),
        "built_at": datetime.now().isoformat(timespec="seconds"),
        "rows": {t.name: len(t.rows) for t in tables},
        "generate_seconds": round(built - started, 1),
        "load_seconds": round(done - built, 1),
    }


def _with_hierarchy(users: Table, size: Size, today: date) -> Table:
    """Every TEAM-th rep manages the next TEAM - 1; one admin sees everything."""
    table = Table("users", (*users.columns, "manager_id"))
    for row in users.rows:
        uid = row[0]
        lead = uid - (uid - 1) % TEAM
        role = "manager" if lead == uid else "rep"
        table.rows.append((*row[:3], role, row[4], None if lead == uid else lead))
    admin = size.reps + 1
    table.rows.append((admin, "admin@bench.test", "Bench Admin", "admin", "UTC", None))
    return table


def _quotas(size: Size, today: date) -> Table:
    """A quarterly quota per rep, so pipeline_summary computes attainment too."""
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end_month = start.month + 3
    end = date(start.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    end = date.fromordinal(end.toordinal() - 1)
    table = Table("quotas", ("id", "user_id", "period_start", "period_end", "amount"))
    table.rows = [
        (uid, uid, start.isoformat(), end.isoformat(), 750_000.0) for uid in range(1, size.reps + 1)
    ]
    return table


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def engine_for(dataset: Dataset) -> Engine:
    return make_engine(dataset.url)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Build (or reuse) a cached scale dataset.")
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--drop", action="store_true", help="remove the dataset instead")
    args = parser.parse_args()
    size = Size(args.deals, args.seed)
    url = sqlite_url(size) if args.backend == "sqlite" else postgres_url(size, args.pg)
    if args.drop:
        drop(url)
        print(f"dropped {_safe(url)}")
    else:
        ensure(url, size)


if __name__ == "__main__":
    main()
