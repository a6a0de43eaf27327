"""A burst of simultaneous Slack requests at `salesbot serve`, free and under a held write lock.

Runs `salesbot serve` in HTTP mode as users run it (its own process, production settings, the
offline planner) over a temporary SQLite copy of the test fixture CRM, against the local Slack
Web API. Each burst opens `--requests` connections at the same instant (a barrier), all signed:
app_mention events (`--retries` of them delivered twice within the burst, as Slack retries) and
"Show all" button presses. It prints and saves (benchmarks/results/slack_burst.json) the HTTP
answers, connection errors (resets), p50/p99/max ack latency, and answers posted per event.

The second burst runs while another process holds SQLite's write lock (BEGIN IMMEDIATE); the
lock is released only after every response is in, so `acked_while_locked` is causal, then the
answers are counted as before.

    python benchmarks/slack_burst.py [--requests 100] [--lock-seconds 5] [--code DIR] [--out F]

`--code` runs another checkout's `salesbot serve` (e.g. the main branch, for a before figure).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the fakes and the fixture CRM live with the tests
sys.path.insert(0, str(ROOT))

from support.crm_fixture import crm_file  # noqa: E402
from support.fakes.signing import action_body, event_body, signed_headers  # noqa: E402
from support.fakes.slack_api import FakeSlackServer  # noqa: E402
from support.slack_harness import MEMBERS, SECRET, USERS, mention_event  # noqa: E402

from benchmarks.scale import machine  # noqa: E402
from benchmarks.slack_ack import percentile, read_port, stop  # noqa: E402
from bot.slack.ids import SHOW_MORE_ACTION_ID  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "slack_burst.json"
ANSWER_WAIT_SECONDS = 180


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: the connection failed (reset, refused, timed out)
    error: str
    ms: float
    done: float  # time.monotonic() when the response (or the error) came


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="salesbot-burst-") as tmp:
        results = run(args, Path(tmp))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="connections per burst")
    parser.add_argument("--retries", type=int, default=10, help="events delivered twice")
    parser.add_argument("--lock-seconds", type=float, default=5.0, help="lock held after acks")
    parser.add_argument("--code", default=str(ROOT), help="checkout whose `salesbot serve` runs")
    parser.add_argument("--out", default=str(RESULTS), help="where the JSON results go")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, tmp: Path, log: Any = print) -> dict[str, Any]:
    db = tmp / "crm.db"
    with FakeSlackServer(users=USERS, members=MEMBERS) as slack, serve(db, slack, args.code) as url:
        warm_up(url, slack)
        runs = [burst(url, slack, args, "free", None, log)]
        with lock_holder(db) as release:
            runs.append(burst(url, slack, args, "write lock held", release, log))
        metrics = scrape_metrics(url)
    for line in metrics:
        log(f"  /metrics: {line}")
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": {**vars(args), "server": "salesbot serve (HTTP), offline planner, SQLite"},
        "runs": runs,
        "metrics": metrics,
        "machine": machine(),
    }


def scrape_metrics(events_url: str) -> list[str]:
    """The server's own count of the run: its /metrics lines for answers, latency, the work
    pool and Slack errors (none when the checkout under test has no /metrics)."""
    parts = urlsplit(events_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        conn.request("GET", "/metrics")
        response = conn.getresponse()
        text = response.read().decode()
    finally:
        conn.close()
    if response.status != 200:
        return []
    wanted = (
        "salesbot_answers_total",
        "salesbot_answer_duration_seconds_count",
        "salesbot_answer_duration_seconds_sum",
        "salesbot_work_pool",
        "salesbot_slack_",
        "salesbot_db_query_duration_seconds_count",
        "salesbot_db_query_duration_seconds_sum",
        "salesbot_planner_fallbacks_total",
    )
    return [line for line in text.splitlines() if line.startswith(wanted)]


def burst(
    url: str,
    slack: FakeSlackServer,
    args: argparse.Namespace,
    name: str,
    release: Any,
    log: Any,
) -> dict[str, Any]:
    slack.clear_calls()
    bodies, threads = requests(slack, args.requests, args.retries, name)
    replies = fire(url, bodies)
    released = time.monotonic()
    if release is not None:
        time.sleep(args.lock_seconds)  # the answers keep waiting for the lock meanwhile
        released = release()
    answered = wait_for_answers(slack, set(threads), len(bodies) - len(threads) - args.retries)
    result = summarise(name, replies, slack, threads, released, answered)
    report(result, log)
    return result


def requests(
    slack: FakeSlackServer, total: int, retries: int, name: str
) -> tuple[list[bytes], list[str]]:
    """Events (the first `retries` sent twice) and button presses, half and half."""
    count = max(1, (total - retries) // 2)
    tag = "".join(w[0] for w in name.split())
    events = [mention_event(slack, "UROB", "CTEAM", f"my day? ({i})") for i in range(count)]
    bodies = [event_body(e, f"EvBurst{tag}{i:04d}") for i, e in enumerate(events)]
    bodies += bodies[:retries]
    press = {
        "user": {"id": "UROB"},
        "channel": {"id": "CTEAM"},
        "response_url": slack.response_url,
        "actions": [
            {
                "action_id": SHOW_MORE_ACTION_ID,
                "block_id": "b",
                "value": json.dumps({"tool": "next_actions", "args": {}}),
            }
        ],
    }
    bodies += [action_body(press) for _ in range(total - len(bodies))]
    return [b.encode() for b in bodies], [str(e["ts"]) for e in events]


def fire(url: str, bodies: list[bytes]) -> list[Reply]:
    """Every request from its own thread and connection, released at once by a barrier."""
    barrier = threading.Barrier(len(bodies))
    replies: list[Reply] = []
    threads = [threading.Thread(target=send, args=(url, b, barrier, replies)) for b in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def send(url: str, body: bytes, barrier: threading.Barrier, replies: list[Reply]) -> None:
    headers = signed_headers(SECRET, body.decode())
    parts = urlsplit(url)
    barrier.wait()
    started = time.monotonic()
    status, error = None, ""
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("POST", parts.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError as exc:  # ConnectionResetError, refused, timeout
        error = type(exc).__name__
    finally:
        conn.close()
    done = time.monotonic()
    replies.append(Reply(status, error, (done - started) * 1000, done))


@contextmanager
def lock_holder(db: Path) -> Iterator[Any]:
    """Another process holds SQLite's write lock; yields a release() returning when it let go."""
    script = (
        "import sqlite3, sys\n"
        f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
        "sys.stdin.readline(); c.rollback(); print('released', flush=True)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdin is not None
    if holder.stdout.readline().strip() != "locked":
        raise SystemExit("the lock holder could not take the write lock")

    def release() -> float:
        holder.stdin.write("\n")  # type: ignore[union-attr]
        holder.stdin.flush()  # type: ignore[union-attr]
        holder.stdout.readline()  # type: ignore[union-attr]
        return time.monotonic()

    try:
        yield release
    finally:
        holder.kill()
        holder.wait()


def warm_up(url: str, slack: FakeSlackServer) -> None:
    """One request of each kind first, as on a server that has been up a while."""
    bodies, threads = requests(slack, 2, 0, "warm up")
    assert all(r.status == 200 for r in fire(url, bodies)), "warm-up requests failed"
    wait_for_answers(slack, set(threads), 1)


def thread_answers(slack: FakeSlackServer) -> tuple[Counter[str], Counter[str]]:
    """Per thread: answers posted, and error messages ("... (ref abc123)") posted."""
    answers: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for call in slack.calls("chat.postMessage") + slack.calls("chat.postEphemeral"):
        is_error = "(ref " in str(call.params.get("text", ""))
        (errors if is_error else answers)[str(call.params.get("thread_ts"))] += 1
    return answers, errors


def wait_for_answers(slack: FakeSlackServer, threads: set[str], presses: int) -> dict[str, float]:
    """When each thread was first answered; bounded, then a little longer to catch doubles."""
    first: dict[str, float] = {}
    deadline = time.monotonic() + ANSWER_WAIT_SECONDS
    while time.monotonic() < deadline:
        answers, errors = thread_answers(slack)
        now = time.monotonic()
        for thread in threads & (set(answers) | set(errors)):
            first.setdefault(thread, now)
        if len(first) == len(threads) and len(slack.calls("response_url")) >= presses:
            break
        time.sleep(0.05)
    time.sleep(2)  # a duplicate would come right behind the first answer
    return first


def summarise(
    name: str,
    replies: list[Reply],
    slack: FakeSlackServer,
    threads: list[str],
    released: float,
    answered: dict[str, float],
) -> dict[str, Any]:
    acks = [r.ms for r in replies if r.status is not None]
    answers, errors = thread_answers(slack)
    # From the lock's release (or, with no lock, from the last ack) to each event's answer.
    waits = [max(0.0, t - released) for t in answered.values()]
    return {
        "name": name,
        "requests": len(replies),
        "statuses": dict(Counter(str(r.status) for r in replies if r.status is not None)),
        "connection_errors": dict(Counter(r.error for r in replies if r.status is None)),
        "acked_while_locked": sum(1 for r in replies if r.status == 200 and r.done < released),
        "ack_ms": {
            "p50": round(percentile(acks, 50), 1) if acks else None,
            "p99": round(percentile(acks, 99), 1) if acks else None,
            "max": round(max(acks), 1) if acks else None,
        },
        "events": len(threads),
        "events_answered": sum(1 for t in threads if answers[t]),
        "answers_posted": sum(answers[t] for t in threads),
        "duplicate_answers": sum(max(0, answers[t] - 1) for t in threads),
        "error_messages": sum(errors[t] for t in threads),
        "presses_answered": len(slack.calls("response_url")),
        "answer_wait_s": {
            "p50": round(percentile(waits, 50), 1) if waits else None,
            "max": round(max(waits), 1) if waits else None,
        },
    }


def report(r: dict[str, Any], log: Any) -> None:
    ack = r["ack_ms"]
    log(f"[{r['name']}] {r['requests']} simultaneous requests: HTTP {r['statuses']}")
    log(f"  connection errors (resets): {r['connection_errors'] or 0}")
    log(f"  ack latency: p50 {ack['p50']} ms, p99 {ack['p99']} ms, max {ack['max']} ms")
    log(
        f"  answers: {r['answers_posted']} posted for {r['events_answered']}/{r['events']} events,"
        f" {r['duplicate_answers']} duplicates, {r['error_messages']} error messages;"
        f" {r['presses_answered']} presses answered"
    )
    if r["name"] != "free":
        wait = r["answer_wait_s"]
        log(
            f"  acked while the lock was held: {r['acked_while_locked']}/{r['requests']};"
            f" answered {wait['p50']} s (p50), {wait['max']} s (max) after its release"
        )


@contextmanager
def serve(db: Path, slack: FakeSlackServer, code: str) -> Iterator[str]:
    """`salesbot serve` from checkout `code` on a fixture CRM; yields its events URL."""
    url = crm_file(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_"))}
    env |= {
        "DATABASE_URL": url,
        "CHROMA_PATH": str(db.parent / "chroma"),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url,
        "SCHEDULER_ENABLED": "false",
        "LOG_LEVEL": "ERROR",
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",  # one line for the startup message, which carries the port
        "PYTHONPATH": code,
    }
    cmd = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(
        cmd, env=env, cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield f"http://127.0.0.1:{read_port(process)}/slack/events"
    finally:
        if process.poll() is None:
            try:
                stop(process)
            except subprocess.TimeoutExpired:
                process.kill()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
