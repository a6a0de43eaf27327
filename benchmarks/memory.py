"""Resident memory (RSS) of `salesbot serve` at start and after N answered questions.

    python -m benchmarks.memory [--questions 200]

Starts `salesbot serve` in HTTP mode as slack_ack.py does (its own process, production settings,
a temporary SQLite copy of the test fixture CRM, the local Slack Web API), but with no LLM
configured, so the offline planner answers with the real tools: deals, pipeline, next actions
and semantic search (which loads the embedding model and builds the Chroma index on first use).
Questions are sent one at a time as signed app_mention events; RSS (VmRSS) and its peak (VmHWM)
are read from /proc after start and after every `--every` answers. Figures go to
benchmarks/results/memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the fakes and the fixture CRM live with the tests

from support.crm_fixture import crm_file  # noqa: E402
from support.fakes.slack_api import FakeSlackServer  # noqa: E402
from support.slack_harness import MEMBERS, SECRET, USERS, mention_event  # noqa: E402

from benchmarks.scale import machine  # noqa: E402
from benchmarks.slack_ack import Send, read_port, send_one, stop  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "memory.json"
QUESTIONS = (
    "what should I do today?",
    "show my deals closing this quarter",
    "how's my pipeline this quarter?",
    "what did they say about pricing?",
    "show my deals in negotiation",
)


def main() -> None:
    args = _parser().parse_args()
    with tempfile.TemporaryDirectory(prefix="salesbot-mem-") as tmp:
        result = measure(Path(tmp), args.questions, args.every)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


def measure(tmp: Path, questions: int, every: int, log: Any = print) -> dict[str, Any]:
    samples: list[dict[str, Any]] = []
    with FakeSlackServer(users=USERS, members=MEMBERS) as slack, serve(tmp, slack) as (url, pid):
        time.sleep(1)  # let start-up settle (scheduler off, listeners registered)
        samples.append({"answered": 0, **rss(pid)})
        log(f"at start: {samples[-1]['rss_mb']} MB")
        for i in range(questions):
            event = mention_event(slack, "UROB", "CTEAM", QUESTIONS[i % len(QUESTIONS)])
            sent = send_one(url, Send(f"EvMem{i:05d}", event))
            if sent.status != 200:
                raise SystemExit(f"event {i} got HTTP {sent.status}")
            _wait_answer(slack, str(event["ts"]))
            if (i + 1) % every == 0 or i + 1 == questions:
                samples.append({"answered": i + 1, **rss(pid)})
                log(f"after {i + 1} answers: {samples[-1]['rss_mb']} MB")
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "planner": "offline (no LLM configured)",
        "questions": list(QUESTIONS),
        "rss_start_mb": samples[0]["rss_mb"],
        "rss_end_mb": samples[-1]["rss_mb"],
        "rss_peak_mb": max(s["hwm_mb"] for s in samples),
        "samples": samples,
    }


def rss(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of the process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields["VmRSS"], "hwm_mb": fields["VmHWM"]}


def _wait_answer(slack: FakeSlackServer, ts: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = slack.calls("chat.postMessage") + slack.calls("chat.postEphemeral")
        if any(str(c.params.get("thread_ts")) == ts for c in calls):
            return
        time.sleep(0.05)
    raise SystemExit(f"no answer to {ts} within {timeout}s")


@contextmanager
def serve(tmp: Path, slack: FakeSlackServer) -> Iterator[tuple[str, int]]:
    """`salesbot serve` over the fixture CRM with the offline planner; yields URL and pid."""
    url = crm_file(tmp / "crm.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_"))}
    env |= {
        "DATABASE_URL": url,
        "CHROMA_PATH": str(tmp / "chroma"),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url,
        "SCHEDULER_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(
        cmd, env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield f"http://127.0.0.1:{read_port(process)}/slack/events", process.pid
    finally:
        if process.poll() is None:
            try:
                stop(process)
            except subprocess.TimeoutExpired:
                # Ctrl-C waits for answers in flight; on a starved box that can outlast the
                # wait, and the figures are already taken.
                process.kill()
                process.wait(timeout=30)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--every", type=int, default=25, help="sample RSS every N answers")
    parser.add_argument("--out", default=str(RESULTS))
    return parser


if __name__ == "__main__":
    main()
