"""Import speed: rows per second for a first import and a re-import, SQLite and PostgreSQL.

Writes HubSpot exports of `--companies` companies (10 rows each: the company, a contact, 2 deals,
5 interactions and a to-do; the default 5,000 gives 50,000 rows), imports them into a fresh
database, then imports the same files again (everything unchanged) and once more with every
deal's amount changed (10,000 updates with history). Indexing into Chroma is not timed here
(see benchmarks/foundation.py for the model's speed). Prints one line per figure and saves them
to benchmarks/results/import.json.

    python benchmarks/import_bench.py [--companies N] [--pg URL]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tools.db import make_engine, session_factory, upgrade
from tools.importers import ImportOptions, Source, run_import

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support.import_samples import add_users, write_scaled_hubspot  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "import.json"
PG_ADMIN = os.environ.get(
    "SALESBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def bench(url: str, paths: list[Path], rows: int) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        add_users(session)
    figures: dict[str, Any] = {}
    for label in ("first_import", "re_import_unchanged", "re_import_amounts_changed"):
        if label == "re_import_amounts_changed":
            _bump_amounts(paths[2])
        options = ImportOptions(Source.HUBSPOT, tuple(paths), now=datetime.now(UTC))
        started = time.perf_counter()
        report = run_import(sessions, options)
        seconds = time.perf_counter() - started
        figures[label] = {
            "seconds": round(seconds, 2),
            "rows_per_second": round(rows / seconds),
            "counts": report.summary(),
        }
        print(f"{make_url(url).get_backend_name():>10} {label:<26} {seconds:6.1f}s "
              f"{rows / seconds:8,.0f} rows/s")  # fmt: skip
    engine.dispose()
    return figures


def _bump_amounts(deals: Path) -> None:
    with deals.open(newline="") as f:
        table = list(csv.reader(f))
    at = table[0].index("Amount")
    for row in table[1:]:
        row[at] = str(int(row[at]) + 1)
    with deals.open("w", newline="") as f:
        csv.writer(f).writerows(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=5000)
    parser.add_argument("--pg", default=PG_ADMIN, help="admin URL; a scratch database is made")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "rows": args.companies * 10,
    }
    with tempfile.TemporaryDirectory() as tmp:
        for backend in ("sqlite", "postgresql"):
            # Fresh files per backend: the last run edits the deals export.
            paths = write_scaled_hubspot(Path(tmp) / backend, args.companies)
            if backend == "sqlite":
                results["sqlite"] = bench(f"sqlite:///{tmp}/bench.db", paths, results["rows"])
                continue
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            name = f"salesbot_import_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                results["postgresql"] = bench(url, paths, results["rows"])
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"saved {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
