"""How fast salesbot starts and answers, each figure beside what it is measured against.

    python -m benchmarks.startup            # 5 runs of each process, 30 answers in process

Prints and saves (benchmarks/results/startup.json):
1. wall time of `salesbot --help` (as `python -m bot --help`) beside `import typer, rich.markdown`
   alone, the floor for any Typer+Rich CLI;
2. wall time of a non-search `salesbot ask` on the demo CRM (SQLite, built once in the
   temporary folder, no index) beside `python -c pass`;
3. what `import bot.cli.app` and the `ask` command's module load, from `python -X importtime`:
   the heaviest imports and whether torch, chromadb, sklearn, openai or matplotlib are among them;
4. an offline answer in process (AgentRunner.ask, p50 / p99 over 30 per question), beside
   building the 14 tools anew (what every question paid before they were built once).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.scale import machine, percentile

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(tempfile.gettempdir()) / "salesbot-bench-startup"  # the demo CRM, built once
RESULTS = ROOT / "benchmarks" / "results" / "startup.json"
DEMO_USER = "dana@demo.salesbot.dev"
HEAVY = ("torch", "chromadb", "sklearn", "openai", "matplotlib", "sentence_transformers")
QUESTIONS = (
    "how's my pipeline this quarter?",
    "show my deals closing this quarter over 50k",
    "how is the Acme deal going?",
)


def demo_url() -> str:
    db = DATA / "demo.db"
    if not db.exists():
        from tools.db import make_engine, session_factory, upgrade
        from tools.demo import seed_demo

        DATA.mkdir(parents=True, exist_ok=True)
        engine = make_engine(f"sqlite:///{db}")
        upgrade(engine)
        with session_factory(engine).begin() as session:
            seed_demo(session, seed=7, today=date(2026, 11, 27))
        engine.dispose()
    return f"sqlite:///{db}"


def wall(argv: list[str], runs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)
        samples.append(time.perf_counter() - started)
    return {"p50_s": round(statistics.median(samples), 3), "max_s": round(max(samples), 3)}


def import_profile(statement: str) -> dict[str, Any]:
    """Top cumulative imports of `statement` (-X importtime), and which heavy packages load."""
    probe = f"{statement}; import sys; print(','.join(sorted(set(sys.modules))))"
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in out.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            rows.append((int(parts[1]), name.strip(), len(name) - len(name.lstrip())))
    top = [r for r in rows if r[2] <= 3]  # top-level imports of the statement
    top.sort(reverse=True)
    modules = set(out.stdout.strip().splitlines()[-1].split(","))
    return {
        "total_ms": round(max((r[0] for r in rows), default=0) / 1000, 1),
        "top": [{"module": m, "cumulative_ms": round(us / 1000, 1)} for us, m, _ in top[:8]],
        "heavy_loaded": [h for h in HEAVY if h in modules],
    }


def in_process(url: str, runs: int) -> dict[str, Any]:
    from bot.agent.runner import AgentRunner
    from tools.context import ToolContext
    from tools.crm_tools import make_tools
    from tools.db import make_engine, session_factory
    from tools.principal import get_principal_by_email

    sessions = session_factory(make_engine(url))
    with sessions() as session:
        principal = get_principal_by_email(session, DEMO_USER)
    runner = AgentRunner(sessions)
    answers = {}
    for question in QUESTIONS:
        runner.ask(principal, question)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            runner.ask(principal, question)
            samples.append((time.perf_counter() - started) * 1000)
        answers[question] = {
            "p50_ms": round(statistics.median(samples), 1),
            "p99_ms": round(percentile(samples, 99), 1),
        }
    builds = []
    for _ in range(runs):
        started = time.perf_counter()
        make_tools(ToolContext(principal, sessions))
        builds.append((time.perf_counter() - started) * 1000)
    runner.close()
    return {
        "offline_answer": answers,
        "make_tools_anew_p50_ms": round(statistics.median(builds), 1),
    }


def main() -> None:
    args = _parser().parse_args()
    url = demo_url()
    env = {**os.environ, "DATABASE_URL": url, "CHROMA_PATH": str(DATA / "chroma")}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    py = sys.executable
    report: dict[str, Any] = {"machine": machine()}
    report["help"] = wall([py, "-m", "bot", "--help"], args.runs)
    report["import_typer_rich"] = wall([py, "-c", "import typer, rich.markdown"], args.runs)
    ask = [py, "-m", "bot", "ask", QUESTIONS[0], "--as", DEMO_USER]
    report["ask_no_search"] = wall(ask, args.runs, env)
    report["python_pass"] = wall([py, "-c", "pass"], args.runs)
    report["imports_cli_app"] = import_profile("import bot.cli.app")
    report["imports_ask"] = import_profile("import bot.cli.questions, bot.services")
    report |= in_process(url, args.answers)
    report["machine"]["load_average_1m_end"] = machine()["load_average_1m"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each process")
    parser.add_argument("--answers", type=int, default=30, help="answers per question")
    return parser


if __name__ == "__main__":
    main()
