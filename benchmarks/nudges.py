"""Benchmark compute_nudges at scale: time and SQL statement count for 1,000 vs 10,000 reps.

    python benchmarks/nudges.py --scale 0.1     # 1,000 reps, 100,000 open deals
    python benchmarks/nudges.py                 # 10,000 reps, 1,000,000 open deals
    python benchmarks/nudges.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench

The database must be empty (a temp SQLite file by default); it is migrated, bulk-loaded, then
`compute_nudges` runs for the first 10% of the reps and for all of them, each in a fresh session,
counting statements with a `before_cursor_execute` listener. The figures go to
benchmarks/results/nudges.json under the backend's name.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.nudges_data import generate, load_postgres, load_sqlite
from tools.db import make_engine, session_factory, upgrade
from tools.models import OPEN_STAGES, Deal
from tools.nudge_engine import compute_nudges

RESULTS = Path(__file__).parent / "results" / "nudges.json"


def main() -> None:
    args = _parser().parse_args()
    if args.db:
        _bench(args.db, args)
        return
    with tempfile.TemporaryDirectory(prefix="nudges-bench-") as folder:
        _bench(f"sqlite:///{folder}/crm.db", args)


def _bench(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()  # the loader needs the database to itself
    report: dict[str, Any] = {"backend": engine.dialect.name, "scale": args.scale}
    # Generated in a child process, so the peak memory below is the engine's, not the generator's.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        report["generation"] = pool.submit(_load, url, args.scale, args.today).result()
    print(f"generated {report['generation']}")
    reps = list(range(1, report["generation"]["rows"]["users"] + 1))
    report["runs"] = [_run(engine, reps[: max(len(reps) // 10, 1)], args), _run(engine, reps, args)]
    report["peak_rss_mb_compute"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    for run in report["runs"]:
        print(
            f"{run['reps']:>6} reps: {run['seconds']:.1f}s, {run['statements']} statements, "
            f"{run['open_deals']:,} open deals ({run['deals_per_second']:,.0f}/s), "
            f"{run['nudges']:,} nudges"
        )
    print(f"peak RSS of the process running compute_nudges: {report['peak_rss_mb_compute']} MB")
    _save(Path(args.out), report)
    print(f"wrote {args.out} [{report['backend']}]")


def _save(path: Path, report: dict[str, Any]) -> None:
    """One entry per backend, so a PostgreSQL run does not overwrite the SQLite one."""
    saved = json.loads(path.read_text()) if path.exists() else {}
    saved[report["backend"]] = report
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(saved, indent=2) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10,000 reps, 1M deals")
    parser.add_argument("--db", help="an empty database URL (default: a temp SQLite file)")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--limit", type=int, default=5)
    parser.add_argument("--out", default=str(RESULTS))
    return parser


def _load(url: str, scale: float, today: date) -> dict[str, Any]:
    started = time.perf_counter()
    sqlite = make_url(url).get_backend_name() == "sqlite"
    tables = generate(scale, today, pg=not sqlite)
    built = time.perf_counter()
    if sqlite:
        load_sqlite(str(make_url(url).database), tables)
    else:
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        load_postgres(conninfo, tables)
    done = time.perf_counter()
    return {
        "rows": {t.name: len(t.rows) for t in tables},
        "generate_seconds": round(built - started, 1),
        "load_seconds": round(done - built, 1),
    }


def _run(engine: Engine, reps: list[int], args: argparse.Namespace) -> dict[str, Any]:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    sessions = session_factory(engine)
    with sessions() as session:
        deals = session.scalar(
            select(func.count())
            .select_from(Deal)
            .where(Deal.owner_id <= reps[-1], Deal.stage.in_(OPEN_STAGES))
        )
    event.listen(engine, "before_cursor_execute", count)
    started = time.perf_counter()
    with sessions() as session:
        got = compute_nudges(session, dict.fromkeys(reps, args.today), limit=args.limit)
    seconds = time.perf_counter() - started
    event.remove(engine, "before_cursor_execute", count)
    return {
        "reps": len(reps),
        "seconds": round(seconds, 2),
        "statements": len(statements),
        "open_deals": int(deals or 0),
        "deals_per_second": round((deals or 0) / seconds),
        "reps_per_second": round(len(reps) / seconds),
        "nudges": sum(len(v) for v in got.values()),
        "kinds": _kinds(got),
    }


def _kinds(got: dict[int, list[Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for items in got.values():
        for n in items:
            counts[n.kind] = counts.get(n.kind, 0) + 1
    return dict(sorted(counts.items()))


if __name__ == "__main__":
    main()
