"""The plan of every SQL statement the bot's tools run at 1M deals, on SQLite and PostgreSQL.

    python -m benchmarks.plans                          # SQLite, label "after"
    python -m benchmarks.plans --backend postgresql
    python -m benchmarks.plans --render                 # only rewrite docs/QUERY_PLANS.md

Each case calls the real tool (tools/crm_tools.make_tools, a real ToolContext) as a rep, a
manager and an admin while a `before_cursor_execute` listener records the statements; each
statement is then timed (median of three runs) and explained with its own parameters: EXPLAIN
QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL. Results go to benchmarks/results/plans.json
under backend and label, and docs/QUERY_PLANS.md is rendered from every label found there, next
to the tool-level p50/p99 of benchmarks/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.scale import RESULTS as SCALE_RESULTS
from benchmarks.scale import machine
from benchmarks.scale_data import DEFAULT_PG, TEAM, Size, ensure, postgres_url, sqlite_url
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.db import make_engine, session_factory, upgrade
from tools.models import User
from tools.principal import principal_for_user

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "plans.json"
DOC = ROOT / "docs" / "QUERY_PLANS.md"
CASES: tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...] = (
    ("find_deals", {}, ("rep", "manager", "admin")),
    ("find_deals", {"period": "this quarter", "min_amount": 50000}, ("rep", "admin")),
    ("find_deals", {"inactive_days": 30}, ("rep", "admin")),
    ("pipeline_summary", {"scope": "me"}, ("rep",)),
    ("pipeline_summary", {"scope": "team"}, ("manager", "admin")),
    ("pipeline_review", {}, ("rep", "manager")),
)


def main() -> None:
    args = _parser().parse_args()
    out = Path(args.out)
    if not args.render:
        size = Size(args.deals, args.seed)
        url = sqlite_url(size) if args.backend == "sqlite" else postgres_url(size, args.pg)
        report = explain_all(ensure(url, size), migrate=not args.no_migrate, repeat=args.repeat)
        saved = json.loads(out.read_text()) if out.exists() else {}
        saved.setdefault(report["backend"], {})[args.label] = report
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(saved, indent=2) + "\n")
        print(f"wrote {out} [{report['backend']} / {args.label}]")
    if out.exists():
        Path(args.doc).write_text(render(json.loads(out.read_text()), _scale_results()))
        print(f"wrote {args.doc}")


def explain_all(dataset: Any, *, migrate: bool = True, repeat: int = 3) -> dict[str, Any]:
    engine = make_engine(dataset.url)
    if migrate:
        upgrade(engine)
    sessions = session_factory(engine)
    now = datetime.combine(dataset.today, clock_time(15), UTC)
    ids = {"rep": 2, "manager": 1 + TEAM, "admin": dataset.admin_id}
    with sessions() as session:
        principals = {r: principal_for_user(session, session.get(User, u)) for r, u in ids.items()}
    names = {t.name for t in make_tools(ToolContext(principals["admin"], sessions))}
    cases = []
    for tool, args, roles in CASES:
        if tool not in names:
            print(f"skipped {tool}: not among make_tools' tools on this branch")
            continue
        for role in roles:
            ctx = ToolContext(principals[role], sessions, None, lambda: now)
            statements = _capture(engine, ctx, tool, args)
            cases.append(
                {
                    "tool": tool,
                    "args": args,
                    "role": role,
                    "statements": [_explain(engine, sql, p, repeat) for sql, p in statements],
                }
            )
            total = sum(s["ms"] for s in cases[-1]["statements"])
            print(f"{tool} {json.dumps(args)} {role}: {len(statements)} statements, {total:.0f} ms")
    engine.dispose()
    return {
        "backend": engine.dialect.name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "dataset": dataset.info,
        "cases": cases,
    }


def _capture(engine: Engine, ctx: ToolContext, tool: str, args: dict[str, Any]) -> list[Any]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    named = {t.name: t for t in make_tools(ctx)}
    event.listen(engine, "before_cursor_execute", record)
    try:
        named[tool].invoke({"type": "tool_call", "id": "p", "name": tool, "args": args})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _explain(engine: Engine, sql: str, params: Any, repeat: int) -> dict[str, Any]:
    pg = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            conn.exec_driver_sql(sql, params).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        prefix = "EXPLAIN (ANALYZE, COSTS OFF) " if pg else "EXPLAIN QUERY PLAN "
        rows = conn.exec_driver_sql(prefix + sql, params).fetchall()
    plan = [r[0] for r in rows] if pg else _sqlite_tree(rows)
    return {
        "sql": sql,
        "params": _jsonable(params),
        "ms": round(statistics.median(times), 1),
        "plan": plan,
    }


def _sqlite_tree(rows: list[Any]) -> list[str]:
    """EXPLAIN QUERY PLAN rows (id, parent, _, detail) as an indented tree."""
    depth = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def _jsonable(params: Any) -> Any:
    if isinstance(params, dict):
        return {k: _jsonable(v) for k, v in params.items()}
    if isinstance(params, list | tuple):
        return [_jsonable(v) for v in params]
    return params if isinstance(params, int | float | str | None) else str(params)


def _scale_results() -> dict[str, Any]:
    return json.loads(SCALE_RESULTS.read_text()) if SCALE_RESULTS.exists() else {}


def render(plans: dict[str, Any], scale: dict[str, Any]) -> str:
    """docs/QUERY_PLANS.md: tool timings before/after, then every statement's plan."""
    out = [
        "# Query plans at 1M deals",
        "",
        "Generated by `python -m benchmarks.plans` (and `--backend postgresql`) from the cached",
        "dataset of benchmarks/scale_data.py: 10,000 reps (every tenth manages the nine after it),",
        "999,999 deals, ~5,000,000 activities. Each case calls the real tool and records the SQL",
        "it runs; each statement is timed (median of 3) and explained with its own parameters",
        "(EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).",
        "",
        '"before" is the code and schema before migration 0006 and the list_deals rewrite, timed',
        "through the tools (benchmarks/scale.py, 1 to 2 runs per case: each call took seconds);",
        "the plans below are this branch's. The box has 2 cores shared with other jobs and the",
        "runs were at `nice 19`; each run's load average is noted. Rep and manager statements",
        "take about a millisecond; the rest of a rep's ~15-25 ms tool call is Python (building",
        "the tools, the ORM, JSON).",
        "",
        "What is still slow: `pipeline_summary`'s win rates (`stage_win_rates`) aggregate the",
        "stage history of every closed deal (~167k deals, ~580k history rows) on each call, for",
        "every asker alike: about 0.8 s on PostgreSQL and 0.9 s on SQLite at 1M deals, which is",
        "nearly all of a rep's pipeline summary. (Since measured: the rates come from the asker's",
        "own closed deals plus a weekly company baseline stored in `stage_rate_baselines`, so a",
        "rep's or manager's summary reads only their scope's history, and the company-wide",
        "aggregate runs once a week, or per call only for an admin; not re-timed.) An admin's",
        "`find_deals` counts and",
        "lists the owners of all ~833k open deals: 0.3-1.5 s.",
        "",
        "## What changed",
        "",
        "- `list_deals` grouped every activity by deal (`last_activity_subquery`) in each of its",
        "  three statements, and joined accounts and users just to count. Now totals and owners",
        "  read `deals` alone, the inactivity filter is a `NOT EXISTS` probe of",
        "  `ix_activities_deal_occurred`, and only the page of rows is joined, with its last",
        "  activity time as a correlated `max()` (one index probe per returned row).",
        "- Migration 0006: `deals (close_date, id)` for an admin's soonest-close page and date",
        "  ranges; `deals (stage, close_date)` for pipeline totals, won-in-period and the closed",
        "  deals behind the win rates; `deal_stage_history (deal_id, to_stage, changed_at)` so",
        "  win rates and days-in-stage read the history from the index.",
        "",
    ]
    out += _timing_table(scale)
    for backend, labels in plans.items():
        for label in ("before", "after"):
            report = labels.get(label)
            if report is None:
                continue
            m = report["machine"]
            out += [
                f"## {backend}: {label}",
                "",
                f"Measured {report['measured_at']}, {m['cpus']} cores, {m['memory_gib']} GiB, "
                f"load average {m['load_average_1m']}.",
                "",
            ]
            for case in report["cases"]:
                total = sum(s["ms"] for s in case["statements"])
                out += [
                    f"### {case['tool']} {json.dumps(case['args'])} as {case['role']} "
                    f"({len(case['statements'])} statements, {total:.0f} ms)",
                    "",
                ]
                for s in case["statements"]:
                    out += [
                        f"{s['ms']} ms",
                        "",
                        "```sql",
                        " ".join(s["sql"].split()),
                        "```",
                        "",
                        "```",
                        *s["plan"],
                        "```",
                        "",
                    ]
    return "\n".join(out) + "\n"


def _timing_table(scale: dict[str, Any]) -> list[str]:
    rows = ["## Tool timings (benchmarks/scale.py)", ""]
    rows += [
        "| backend | tool | args | role | before p50 / p99 ms | after p50 / p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for backend, labels in scale.items():
        before = {_key(r): r for r in labels.get("before", {}).get("results", [])}
        for r in labels.get("after", {}).get("results", []):
            if "skipped" in r:
                continue
            b = before.get(_key(r))
            was = f"{b['p50_ms']} / {b['p99_ms']}" if b and "p50_ms" in b else "-"
            rows.append(
                f"| {backend} | {r['tool']} | `{json.dumps(r['args'])}` | {r['role']} | {was} | "
                f"{r['p50_ms']} / {r['p99_ms']} |"
            )
    return [*rows, ""]


def _key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["tool"], json.dumps(row.get("args", {}), sort_keys=True), row.get("role", ""))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL")
    parser.add_argument("--label", default="after")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per statement")
    parser.add_argument("--no-migrate", action="store_true", help="explain the schema as it is")
    parser.add_argument("--render", action="store_true", help="only render the markdown")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--doc", default=str(DOC))
    return parser


if __name__ == "__main__":
    main()
