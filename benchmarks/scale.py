"""The CRM and manager tools' p50/p99 at 1M deals, as a rep, a manager and an admin (live, and
as kept answers read back), on SQLite and PostgreSQL.

    python -m benchmarks.scale                          # SQLite, 1,000,000 deals
    python -m benchmarks.scale --backend postgresql     # salesbot_bench_* on 127.0.0.1:5432
    python -m benchmarks.scale --deals 6000 --runs 3    # a quick check

The dataset is built once per size and seed (benchmarks/scale_data.py) and reused. Every call goes
through the real tools from tools/crm_tools.make_tools with a real ToolContext, as the bot makes
them; each call asks as a different user of the role (reps and managers drawn at random), after
one untimed warm-up call per case. With fewer than 100 runs p99 is the slowest run.
Figures go to benchmarks/results/scale.json under the backend and a label (--label).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import delete

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.scale_data import DEFAULT_PG, TEAM, Dataset, Size, ensure, postgres_url, sqlite_url
from tools.analytics.precomputed import SnapshotPolicy
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.db import make_engine, session_factory, upgrade
from tools.models import AnalyticsSnapshot, User
from tools.principal import principal_for_user

RESULTS = Path(__file__).parent / "results" / "scale.json"

# (tool, arguments, roles): what the bot asks most, per role.
CASES: tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...] = (
    ("find_deals", {}, ("rep", "manager", "admin")),
    ("find_deals", {"period": "this quarter", "min_amount": 50000}, ("rep", "manager", "admin")),
    ("find_deals", {"inactive_days": 30}, ("rep", "manager", "admin")),
    ("pipeline_summary", {"scope": "me"}, ("rep",)),
    ("pipeline_summary", {"scope": "team"}, ("manager", "admin")),
    ("pipeline_review", {}, ("rep", "manager", "admin", "admin, kept")),
    ("forecast", {}, ("rep", "manager", "admin", "admin, kept")),
    ("rep_kpis", {}, ("manager", "admin", "admin, kept")),
    ("deal_risks", {}, ("rep", "manager", "admin", "admin, kept")),
)
# "admin" computes live (ANALYTICS_SNAPSHOT_MINUTES=0); "admin, kept" runs as serve does by
# default: the untimed first call computes and keeps the answer, the timed ones read it back.
LIVE = SnapshotPolicy(minutes=0)
KEPT = SnapshotPolicy()


def main() -> None:
    args = _parser().parse_args()
    size = Size(args.deals, args.seed)
    url = sqlite_url(size) if args.backend == "sqlite" else postgres_url(size, args.pg)
    report = run(
        ensure(url, size),
        runs=args.runs,
        admin_runs=args.admin_runs,
        budget_s=args.budget,
        warmup=not args.no_warmup,
        only=set(args.only.split(",")) if args.only else None,
    )
    report["label"] = args.label
    save(Path(args.out), report, args.label)
    print(f"wrote {args.out} [{report['backend']} / {args.label}]")


def run(
    dataset: Dataset,
    *,
    runs: int,
    admin_runs: int,
    budget_s: float | None = None,
    warmup: bool = True,
    only: set[str] | None = None,
    log: Any = print,
) -> dict[str, Any]:
    engine = make_engine(dataset.url)
    upgrade(engine)  # a cached dataset picks up index migrations added since it was built
    sessions = session_factory(engine)
    with sessions.begin() as session:  # answers kept by an earlier run would be read back
        session.execute(delete(AnalyticsSnapshot))
    now = datetime.combine(dataset.today, clock_time(15), UTC)
    rng = random.Random(dataset.size.seed)
    reps = dataset.size.reps
    pools = {
        "rep": [u for u in range(1, reps + 1) if (u - 1) % TEAM],
        "manager": list(range(1, reps + 1, TEAM)),
        "admin": [dataset.admin_id],
        "admin, kept": [dataset.admin_id],
    }
    with sessions() as session:
        users = {
            u: session.get(User, u)
            for pool in pools.values()
            for u in rng.sample(pool, min(len(pool), runs))
        }
        principals = {u: principal_for_user(session, user) for u, user in users.items() if user}
    available = {t.name for t in make_tools(ToolContext(principals[dataset.admin_id], sessions))}
    # Every timed call builds the asker's tools first, as the bot does per question; this is
    # that share, so the rest is the tool's own SQL and serialisation.
    build_ms = []
    for _ in range(10):
        started = time.perf_counter()
        make_tools(ToolContext(principals[dataset.admin_id], sessions))
        build_ms.append((time.perf_counter() - started) * 1000)
    log(f"make_tools per call: p50 {statistics.median(build_ms):.1f} ms")
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    for tool, call_args, roles in CASES:
        if only is not None and tool not in only:
            continue
        if tool not in available:
            log(f"skipped {tool}: not among make_tools' tools on this branch")
            results.append({"tool": tool, "skipped": "tool not present"})
            continue
        for role in roles:
            if budget_s is not None and time.perf_counter() - started > budget_s:
                log(f"skipped {tool} {json.dumps(call_args)} as {role}: time budget spent")
                results.append({"tool": tool, "args": call_args, "role": role, "skipped": "budget"})
                continue
            ids = [u for u in users if u in pools[role]] or pools[role]
            n = admin_runs if role.startswith("admin") else runs
            picks = [ids[i % len(ids)] for i in range(n + 1)]
            policy = KEPT if role == "admin, kept" else LIVE

            def call(
                uid: int,
                tool: str = tool,
                call_args: dict[str, Any] = call_args,
                policy: SnapshotPolicy = policy,
            ) -> Any:
                ctx = ToolContext(principals[uid], sessions, None, lambda: now, snapshots=policy)
                named = {t.name: t for t in make_tools(ctx)}
                return (
                    named[tool]
                    .invoke({"type": "tool_call", "id": "b", "name": tool, "args": call_args})
                    .artifact
                )

            timed = _time(call, picks if warmup else picks[1:], warmup)
            row = {"tool": tool, "args": call_args, "role": role, **timed}
            log(
                f"{tool:17} {json.dumps(call_args):48} {role:8} "
                f"p50 {row['p50_ms']:8.1f} ms  p99 {row['p99_ms']:8.1f} ms  ({row['runs']} runs)"
            )
            results.append(row)
    engine.dispose()
    return {
        "backend": engine.dialect.name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "dataset": dataset.info,
        "make_tools_ms_p50": round(statistics.median(build_ms), 1),
        "results": results,
    }


def _time(call: Callable[[int], Any], picks: list[int], warmup: bool = True) -> dict[str, Any]:
    # The warm-up call fills the connection pool and statement caches; it is not timed.
    first = call(picks[0]) if warmup else None
    samples = []
    for uid in picks[1:] if warmup else picks:
        started = time.perf_counter()
        artifact = call(uid)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "runs": len(samples),
        "p50_ms": round(statistics.median(samples), 1),
        "p99_ms": round(percentile(samples, 99), 1),
        "max_ms": round(max(samples), 1),
        "sample_artifact_type": (artifact or first or {}).get("type"),
    }


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile: with fewer than 100 samples p99 is the maximum."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def cpu_model() -> str:
    """The CPU's name as the kernel reports it; figures differ a lot between CPU generations."""
    cpuinfo = Path("/proc/cpuinfo")
    text = cpuinfo.read_text(errors="replace") if cpuinfo.exists() else ""
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """What the figures ran on; the load average says how busy the box was."""
    mem_kb = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        mem_kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def save(path: Path, report: dict[str, Any], label: str) -> None:
    """Keyed by backend then label, so one run never overwrites another's figures."""
    saved = json.loads(path.read_text()) if path.exists() else {}
    saved.setdefault(report["backend"], {})[label] = report
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(saved, indent=2) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--runs", type=int, default=30, help="timed calls per rep/manager case")
    parser.add_argument("--admin-runs", type=int, default=10, help="timed calls per admin case")
    parser.add_argument("--budget", type=float, help="skip the cases left after this many s")
    parser.add_argument("--no-warmup", action="store_true", help="time the first call too")
    parser.add_argument("--only", help="these tools only, comma-separated: deal_risks,forecast")
    parser.add_argument("--label", default="after", help="e.g. before/after an index change")
    parser.add_argument("--out", default=str(RESULTS))
    return parser


if __name__ == "__main__":
    main()
