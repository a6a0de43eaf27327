"""How fast salesbot acknowledges Slack events while every agent run takes seconds.

Runs `salesbot serve` in HTTP mode, as users run it (its own process, production settings, so
listeners ack before they answer), over a temporary SQLite copy of the test fixture CRM, against
the local Slack Web API and a local OpenAI-compatible server that takes `--agent-seconds` per
answer. Sends `--events` signed app_mention events (distinct event ids) at `--rate` a second from
a thread pool, with about `--retry-fraction` of them sent again about three seconds later with
X-Slack-Retry-Num, as Slack retries. Measures each request's time from send to HTTP response,
waits (bounded) for every answer, then prints and saves (benchmarks/results/slack_ack.json) the
acknowledgement percentiles, the answers posted and the duplicate answers, which should be 0.

    python benchmarks/slack_ack.py [--events 200] [--rate 20] [--agent-seconds 5]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fakes and the fixture CRM live with the tests

from support.crm_fixture import crm_file  # noqa: E402
from support.fakes.openai_api import Delay, FakeOpenAIServer, Reply  # noqa: E402
from support.fakes.signing import event_body, post, signed_headers  # noqa: E402
from support.fakes.slack_api import FakeSlackServer  # noqa: E402
from support.slack_harness import MEMBERS, SECRET, USERS, mention_event  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "slack_ack.json"
RETRY_AFTER_SECONDS = 3.0  # Slack retries an event it has not seen acked within 3 seconds
PRODUCTION_WORKERS = 8  # SLACK_WORKERS' default


@dataclass(frozen=True)
class Send:
    event_id: str
    event: dict[str, Any]
    retry_num: int | None = None


@dataclass(frozen=True)
class Sent:
    send: Send
    status: int
    seconds: float  # from send to HTTP response
    started: float  # time.monotonic() at send


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="salesbot-bench-") as tmp:
        results = run(args, Path(tmp))
    report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="requests a second")
    parser.add_argument("--retry-fraction", type=float, default=0.1)
    parser.add_argument("--agent-seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=PRODUCTION_WORKERS, help="SLACK_WORKERS")
    parser.add_argument("--client-threads", type=int, default=32)
    return parser.parse_args()


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    script = [Delay(args.agent_seconds, Reply("Here is your plan for today."))] * args.events
    with (
        FakeSlackServer(users=USERS, members=MEMBERS) as slack,
        FakeOpenAIServer(script) as llm,
        serve(tmp, slack, llm, args.workers) as (url, process),
    ):
        sends = schedule(slack, args.events, args.retry_fraction, args.rate)
        began = time.monotonic()
        sent = fire(url, sends, args.rate, args.client_threads)
        threads = {s.send.event["ts"] for s in sent}
        drain = args.events * args.agent_seconds / args.workers
        answered = wait_for_answers(slack, threads, timeout=drain * 2 + 60)
        time.sleep(args.agent_seconds + 2)  # a duplicate would come one agent run later
        answers = answer_threads(slack)
        posted = slack.calls("chat.postMessage")
        sample = str(posted[0].params.get("text", "")) if posted else ""
        exit_code = stop(process)
        wall = time.monotonic() - began
    results = summarise(args, sent, answers, answered, len(llm.requests), exit_code, wall)
    return {**results, "sample_answer": sample}


@contextmanager
def serve(
    tmp: Path, slack: FakeSlackServer, llm: FakeOpenAIServer, workers: int
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`salesbot serve` on a fixture CRM; yields its events URL and the process."""
    url = crm_file(tmp / "crm.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_"))}
    env |= {
        "DATABASE_URL": url,
        "CHROMA_PATH": str(tmp / "chroma"),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url,
        "SLACK_WORKERS": str(workers),
        "SCHEDULER_ENABLED": "false",  # measure answering alone, not nudges on the fixture CRM
        "OPENAI_API_KEY": "bench",
        "OPENAI_BASE_URL": f"{llm.url}/v1",
        "OPENAI_MODEL": "bench-model",
        "LLM_TIMEOUT_SECONDS": "30",
        "LLM_MAX_RETRIES": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",
    }
    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(
        cmd, env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield f"http://127.0.0.1:{read_port(process)}/slack/events", process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def read_port(process: subprocess.Popen[str], timeout: float = 120) -> str:
    """The port from the startup line; the rest of the output is echoed to stderr."""
    assert process.stdout is not None
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            if not found and "/slack/events" in line:
                found.append(line.split("http://127.0.0.1:")[1].split("/")[0])
                ready.set()
            else:
                sys.stderr.write(f"[serve] {line}")
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout) or not found:
        raise SystemExit("salesbot serve did not start; see its output above")
    return found[0]


def schedule(slack: FakeSlackServer, events: int, retry_fraction: float, rate: float) -> list[Send]:
    """Every original in order; each retried one is sent again about 3 s after its original."""
    originals = [
        Send(f"EvBench{i:05d}", mention_event(slack, "UROB", "CTEAM", f"my day? ({i})"))
        for i in range(events)
    ]
    every = round(1 / retry_fraction) if retry_fraction > 0 else 0
    lag = round(RETRY_AFTER_SECONDS * rate)
    retried = [(i + lag, o) for i, o in enumerate(originals) if every and i % every == 0]
    sends = list(originals)
    for position, original in reversed(retried):  # from the back, so positions stay valid
        sends.insert(min(position + 1, len(sends)), replace(original, retry_num=1))
    return sends


def fire(url: str, sends: list[Send], rate: float, threads: int) -> list[Sent]:
    """Send at `rate` a second, each from a pool thread, whatever the earlier ones are doing."""
    start = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        futures = []
        for k, send in enumerate(sends):
            time.sleep(max(0.0, start + k / rate - time.monotonic()))
            futures.append(pool.submit(send_one, url, send))
        return [f.result() for f in futures]


def send_one(url: str, send: Send) -> Sent:
    body = event_body(send.event, send.event_id)
    headers = signed_headers(SECRET, body)
    started = time.monotonic()
    status, _ = post(url, body, headers, send.retry_num)
    return Sent(send, status, time.monotonic() - started, started)


def answer_threads(slack: FakeSlackServer) -> Counter[str]:
    """How many answers each thread got, public or private."""
    calls = slack.calls("chat.postMessage") + slack.calls("chat.postEphemeral")
    return Counter(str(c.params.get("thread_ts")) for c in calls)


def wait_for_answers(slack: FakeSlackServer, threads: set[str], timeout: float) -> dict[str, float]:
    """When (time.monotonic()) each thread was first answered; polls every 0.1 s."""
    first: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while len(first) < len(threads) and time.monotonic() < deadline:
        now = time.monotonic()
        for thread in answer_threads(slack):
            if thread in threads:
                first.setdefault(thread, now)
        time.sleep(0.1)
    return first


def stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=60)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def summarise(
    args: argparse.Namespace,
    sent: list[Sent],
    answers: Counter[str],
    answered: dict[str, float],
    llm_requests: int,
    exit_code: int,
    wall: float,
) -> dict[str, Any]:
    acks = [s.seconds * 1000 for s in sent]
    originals = {s.send.event["ts"]: s.started for s in sent if s.send.retry_num is None}
    waits = [answered[ts] - started for ts, started in originals.items() if ts in answered]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": {**vars(args), "process_before_response": False, "mode": "http subprocess"},
        "requests": len(sent),
        "retries_sent": sum(1 for s in sent if s.send.retry_num is not None),
        "statuses": dict(Counter(str(s.status) for s in sent)),
        "ack_ms": {
            "p50": round(percentile(acks, 50), 1),
            "p99": round(percentile(acks, 99), 1),
            "max": round(max(acks), 1),
            "over_3000": sum(1 for a in acks if a > 3000),
        },
        "answers_posted": sum(answers[ts] for ts in originals),
        "events_answered": sum(1 for ts in originals if answers[ts]),
        "duplicate_answers": sum(max(0, answers[ts] - 1) for ts in originals),
        "agent_runs": llm_requests,
        "answer_wait_s": {
            "p50": round(percentile(waits, 50), 1) if waits else None,
            "max": round(max(waits), 1) if waits else None,
        },
        "serve_exit_code": exit_code,
        "wall_s": round(wall, 1),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "slack_bolt": version("slack_bolt"),
            "platform": platform.platform(),
        },
    }


def report(r: dict[str, Any]) -> None:
    ack, cfg = r["ack_ms"], r["config"]
    print(
        f"{r['requests']} requests ({cfg['events']} events + {r['retries_sent']} retries) at "
        f"{cfg['rate']:g}/s, agent {cfg['agent_seconds']:g} s per answer, {cfg['workers']} workers"
    )
    print(f"HTTP statuses: {r['statuses']}")
    print(
        f"ack latency: p50 {ack['p50']} ms, p99 {ack['p99']} ms, max {ack['max']} ms "
        f"({ack['over_3000']} over Slack's 3 s)"
    )
    print(
        f"answers posted: {r['answers_posted']} for {r['events_answered']}/{cfg['events']} events; "
        f"duplicate answers: {r['duplicate_answers']}; agent runs: {r['agent_runs']}"
    )
    wait = r["answer_wait_s"]
    print(f"time to answer: p50 {wait['p50']} s, max {wait['max']} s (queued behind the workers)")
    print(f"salesbot serve exit code after Ctrl-C: {r['serve_exit_code']}; wall {r['wall_s']} s")


if __name__ == "__main__":
    main()
