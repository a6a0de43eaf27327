"""Benchmark the manager analytics tools on the nudge benchmark's synthetic CRM (SQLite).

    python benchmarks/analytics.py --scale 0.01   # 100 reps, 10,000 open deals
    python benchmarks/analytics.py --scale 0.1    # 1,000 reps, 100,000 open deals

Each tool runs once as an admin (every rep) and once as a manager of ten reps; the seconds and
SQL statement counts are printed (no assertion: a figure, not a test).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.nudges_data import generate, load_sqlite
from tools.analytics_tools import make_analytics_tools
from tools.context import ToolContext
from tools.db import make_engine, session_factory, upgrade
from tools.models import Role
from tools.principal import Principal

CALLS = {
    "pipeline_review": {},
    "forecast": {},
    "rep_kpis": {},
    "deal_risks": {"limit": 10},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args()
    today = date(2026, 11, 26)
    with tempfile.TemporaryDirectory(prefix="analytics-bench-") as folder:
        path = f"{folder}/crm.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        load_sqlite(path, generate(args.scale, today, pg=False))
        engine = make_engine(f"sqlite:///{path}")
        statements = [0]
        event.listen(
            engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
        )
        sessions = session_factory(engine)
        now = datetime(2026, 11, 26, 15, tzinfo=UTC)
        who = {
            "admin": Principal(1, "a@x", "Admin", Role.ADMIN, "UTC", None),
            "manager of 10": Principal(
                1, "m@x", "Manager", Role.MANAGER, "UTC", frozenset(range(1, 11))
            ),
        }
        for label, principal in who.items():
            tools = {
                t.name: t
                for t in make_analytics_tools(ToolContext(principal, sessions, None, lambda: now))
            }
            for name, call_args in CALLS.items():
                statements[0] = 0
                started = time.perf_counter()
                tools[name].invoke(
                    {"type": "tool_call", "id": "b", "name": name, "args": call_args}
                )
                took = time.perf_counter() - started
                print(f"{label:>14} {name:<16} {took:7.2f}s {statements[0]:4d} statements")


if __name__ == "__main__":
    main()
