"""The foundation's speed: demo seed, indexing with the real model, offline answers, search.

Seeds the demo CRM (seed 7, dated around today) into `--db` (default: a temporary SQLite file),
indexes its activities into a temporary Chroma folder with the bundled all-MiniLM-L6-v2 model,
then times 20 offline answers through `AgentRunner` (no LLM) over a mix of questions from Dana
(a rep) and Morgan (a manager), and 20 warm `search_interactions` calls. Prints one line per
figure and saves them to benchmarks/results/foundation.json. Medians and p90s are over the timed
runs only; one untimed run of each warms the agent graph, the model and Chroma first.

    python benchmarks/foundation.py [--db URL]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.agent.runner import AgentRunner
from tools.context import ToolContext
from tools.database_id import read_database_id
from tools.db import make_engine, session_factory, upgrade
from tools.demo import seed_demo
from tools.embeddings import LocalEmbeddings
from tools.indexing import index_activities
from tools.interactions import InteractionIndex, open_client
from tools.models import Account
from tools.principal import Principal, get_principal_by_email
from tools.scope import account_visible
from tools.search_tool import make_search_tool

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "foundation.json"
RUNS = 20
DANA, MORGAN = "dana@demo.salesbot.dev", "morgan@demo.salesbot.dev"
# "{account}" becomes the first account the asker may see, so every search finds something.
QUESTIONS = {
    DANA: (
        "what should I do today?",
        "how is the acme deal going?",
        "show my deals closing this quarter over 50k",
        "what did {account} say about pricing?",
        "how's my pipeline this quarter?",
    ),
    MORGAN: (
        "pipeline for my team this quarter",
        "which deals on my team close next month?",
        "how is Dana doing this quarter?",
        "what did {account} say about security?",
        "show my team's deals in negotiation",
    ),
}
SEARCHES = (
    "pricing objections",
    "security review and SOC 2 report",
    "budget approval is delayed",
    "they are evaluating a competitor",
    "legal redlines on the contract",
    "our champion is leaving",
    "integration with their CRM",
    "procurement timeline",
    "discount for a multi-year renewal",
    "implementation plan and go-live date",
)


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="salesbot-foundation-") as tmp:
        results = run(args.db or f"sqlite:///{tmp}/crm.db", Path(tmp) / "chroma")
    report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    return parser.parse_args()


def run(url: str, chroma: Path) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    results: dict[str, Any] = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
    results |= machine() | {"database": engine.url.get_backend_name()}
    results |= seed(sessions)
    index = InteractionIndex(
        open_client(str(chroma)), LocalEmbeddings(), read_database_id(sessions)
    )
    results |= build_index(sessions, index)
    principals = {email: principal(sessions, email) for email in QUESTIONS}
    runner = AgentRunner(sessions, index=index, llm=None)
    try:
        results["ask_ms"] = time_asks(sessions, runner, principals)
    finally:
        runner.close()
    results["search_ms"] = time_searches(sessions, index, principals)
    engine.dispose()
    return results


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def seed(sessions: sessionmaker[Session]) -> dict[str, Any]:
    """Seed only: plan and bulk-insert every row, committed."""
    started = time.perf_counter()
    with sessions.begin() as session:
        summary = seed_demo(session, seed=7, today=date.today())
    seconds = time.perf_counter() - started
    return {
        "seed_seconds": round(seconds, 3) if summary.created else None,
        "seed_already_loaded": not summary.created,
        "rows": {
            "users": summary.users,
            "accounts": summary.accounts,
            "deals": summary.deals,
            "activities": summary.activities,
            "tasks": summary.tasks,
        },
    }


def build_index(sessions: sessionmaker[Session], index: InteractionIndex) -> dict[str, Any]:
    """Model load, then every activity embedded and written to a fresh Chroma folder."""
    started = time.perf_counter()
    LocalEmbeddings.model()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with sessions() as session:
        done = index_activities(session, index)
    seconds = time.perf_counter() - started
    return {
        "model_load_seconds": round(loaded, 3),
        "index_seconds": round(seconds, 3),
        "indexed_activities": done,
        "index_activities_per_second": round(done / seconds, 1),
    }


def principal(sessions: sessionmaker[Session], email: str) -> Principal:
    with sessions() as session:
        return get_principal_by_email(session, email)


def first_account(sessions: sessionmaker[Session], who: Principal) -> str:
    with sessions() as session:
        query = select(Account.name).where(account_visible(who)).order_by(Account.name)
        return session.scalars(query.limit(1)).one()


def time_asks(
    sessions: sessionmaker[Session], runner: AgentRunner, principals: dict[str, Principal]
) -> dict[str, Any]:
    """RUNS answers, cycling through every (asker, question) pair in turn."""
    mix = [
        (principals[email], q.format(account=first_account(sessions, principals[email])))
        for email, questions in QUESTIONS.items()
        for q in questions
    ]
    runner.ask(*mix[0])
    times = [timed(partial(runner.ask, who, q)) for who, q in cycle(mix, RUNS)]
    return summary(times) | {"questions": [f"{w.email}: {q}" for w, q in mix]}


def time_searches(
    sessions: sessionmaker[Session], index: InteractionIndex, principals: dict[str, Principal]
) -> dict[str, Any]:
    """RUNS searches, alternating askers, each through the real tool with its scope checks."""
    tools = {
        email: make_search_tool(ToolContext(who, sessions, index))
        for email, who in principals.items()
    }
    calls = [(tool, query) for query in SEARCHES for tool in tools.values()]

    def search(tool: Any, query: str) -> None:
        call = {"type": "tool_call", "id": "b", "name": tool.name, "args": {"query": query}}
        hits = tool.invoke(call).artifact.get("hits")
        assert hits, f"no hits for {query!r}"

    search(*calls[0])
    times = [timed(partial(search, tool, query)) for tool, query in cycle(calls, RUNS)]
    return summary(times) | {"queries": list(SEARCHES)}


def cycle(items: list[Any], n: int) -> list[Any]:
    return [items[i % len(items)] for i in range(n)]


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def summary(times_ms: list[float]) -> dict[str, Any]:
    """Median and nearest-rank p90."""
    ranked = sorted(times_ms)
    return {
        "runs": len(ranked),
        "median": round(statistics.median(ranked), 1),
        "p90": round(ranked[math.ceil(0.9 * len(ranked)) - 1], 1),
        "max": round(ranked[-1], 1),
    }


def report(r: dict[str, Any]) -> None:
    rows = r["rows"]
    where = f"{r['database']}, {r['cpus']} CPUs, load {r['load_average_1m']}"
    seeded = "already loaded" if r["seed_already_loaded"] else f"{r['seed_seconds']:.2f} s"
    print(
        f"demo seed ({where}; {rows['users']} users, {rows['accounts']} accounts, "
        f"{rows['deals']} deals, {rows['activities']} activities, {rows['tasks']} tasks): {seeded}"
    )
    print(f"embedding model load: {r['model_load_seconds']:.2f} s")
    print(
        f"index {r['indexed_activities']} activities (all-MiniLM-L6-v2 on CPU, Chroma): "
        f"{r['index_seconds']:.1f} s, {r['index_activities_per_second']:.0f} activities/s"
    )
    for key, label in (
        ("ask_ms", "offline ask (AgentRunner, no LLM)"),
        ("search_ms", "semantic search (search_interactions, warm)"),
    ):
        t = r[key]
        print(f"{label}, {t['runs']} runs: median {t['median']:.0f} ms, p90 {t['p90']:.0f} ms")


if __name__ == "__main__":
    main()
