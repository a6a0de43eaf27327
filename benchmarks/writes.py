"""Write-back latency: proposing a change (offline planner, end to end) and confirming it.

Seeds the demo CRM (seed 7) into `--db` (default: a temporary SQLite file), then, as the rep
Dana, times RUNS end-to-end `AgentRunner.ask` calls that propose ("push the <deal> close date
to next month", "remind me to ... Friday"), and RUNS `confirm_write` calls on those proposals
(the conditional status change, the deal update, history and audit rows in one transaction).
Logged interactions are confirmed without the search index here: indexing one activity is the
embedding model's cost, measured by benchmarks/foundation.py. Prints medians and p90s and saves
them to benchmarks/results/writes.json.

    python benchmarks/writes.py [--db URL]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.agent.runner import AgentRunner
from tools.db import make_engine, session_factory, upgrade
from tools.demo import seed_demo
from tools.models import OPEN_STAGES, AuditSurface, Deal
from tools.principal import Principal, get_principal_by_email
from tools.scope import deal_visible
from tools.writes.confirm import confirm_write

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "writes.json"
RUNS = 30
DANA = "dana@demo.salesbot.dev"


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    url = args.parse_args().db
    with tempfile.TemporaryDirectory() as tmp:
        results = run(url or f"sqlite:///{tmp}/crm.db")
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


def run(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        seed_demo(session, seed=7, today=date.today())
    runner = AgentRunner(sessions)
    dana = principal(sessions, DANA)
    deals = open_deals(sessions, dana)
    questions = [f"push the {deals[i % len(deals)]} close date to next month" for i in range(RUNS)]
    questions[1::2] = [
        f"remind me to send the contract number {i} Friday" for i in range(RUNS // 2)
    ]
    runner.ask(dana, "remind me to warm up Friday")  # builds the agent graph once, untimed
    ids: list[str] = []
    propose = timed(lambda q: ids.extend(_ids(runner.ask(dana, q).artifacts)), questions)
    keys = iter(range(len(ids)))

    def confirm(write_id: str) -> None:
        confirm_write(
            sessions,
            write_id,
            dana,
            f"bench:{next(keys)}",
            now=runner.clock(),
            surface=AuditSurface.CLI,
        )

    applied = timed(confirm, ids)
    runner.close()
    results = {"backend": engine.dialect.name, "runs": RUNS, "proposals": len(ids)}
    results |= {"propose_ms": propose, "confirm_ms": applied}
    for name in ("propose_ms", "confirm_ms"):
        print(f"{name}: median {results[name]['median']} ms, p90 {results[name]['p90']} ms")
    return results


def timed(call: Callable[[str], None], items: list[str]) -> dict[str, float]:
    times = []
    for item in items:
        started = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {
        "median": round(statistics.median(ordered), 1),
        "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
    }


def _ids(artifacts: list[dict[str, Any]]) -> list[str]:
    return [a["id"] for a in artifacts if a.get("type") == "write_proposal"]


def principal(sessions: sessionmaker[Session], email: str) -> Principal:
    with sessions() as session:
        return get_principal_by_email(session, email)


def open_deals(sessions: sessionmaker[Session], who: Principal) -> list[str]:
    with sessions() as session:
        query = select(Deal.name).where(Deal.stage.in_(OPEN_STAGES), deal_visible(who))
        return list(session.scalars(query.order_by(Deal.id).limit(RUNS)))


if __name__ == "__main__":
    main()
