"""Every benchmark script runs end to end at a tiny size, so none of them rots.

No timing is asserted: the scripts print figures; these tests check they produce them, from the
real tools, on both backends where a database is involved.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from benchmarks import memory, nudges, plans, scale, search, slack_burst, tokens
from benchmarks.scale_data import Size, ensure

TINY = Size(600)  # 20 reps (two teams), 600 deals, ~3,000 activities


def quiet(*_: object) -> None:
    """A log that prints nothing."""


def test_scale_and_plans_on_a_tiny_dataset(db_url: str) -> None:
    dataset = ensure(db_url, TINY, log=quiet)
    assert ensure(db_url, TINY, log=quiet).info == dataset.info  # cached: not rebuilt
    with create_engine(dataset.url).connect() as conn:
        assert conn.execute(text("select count(*) from deals")).scalar() == 600
        roles = dict(conn.execute(text("select role, count(*) from users group by role")).all())
    assert roles == {"rep": 18, "manager": 2, "admin": 1}

    report = scale.run(dataset, runs=2, admin_runs=1, log=quiet)
    timed = [r for r in report["results"] if "skipped" not in r]
    assert {(r["tool"], r["role"]) for r in timed} >= {
        ("find_deals", "rep"),
        ("find_deals", "manager"),
        ("find_deals", "admin"),
        ("pipeline_summary", "rep"),
        ("pipeline_summary", "admin"),
        ("forecast", "admin"),
        ("deal_risks", "admin, kept"),
    }
    assert all(r["p50_ms"] > 0 and r["p99_ms"] >= r["p50_ms"] for r in timed)
    # Each tool answered with its own artifact, a kept one included (never an error's).
    expected = {"find_deals": "deals", "pipeline_summary": "pipeline"}
    assert all(r["sample_artifact_type"] == expected.get(r["tool"], r["tool"]) for r in timed)

    explained = plans.explain_all(dataset)
    statements = [s for case in explained["cases"] for s in case["statements"]]
    assert statements and all(s["plan"] for s in statements)
    doc = plans.render({explained["backend"]: {"after": explained}}, {})
    assert "find_deals" in doc and "```sql" in doc


def test_percentile_is_nearest_rank() -> None:
    assert scale.percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert scale.percentile([float(i) for i in range(1, 11)], 99) == 10.0


def test_tokens_counts_every_part_and_each_call_stays_cheap(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/t.db"
    before = tokens.measure(600, url=url, log=quiet, all_tools=True)
    now = tokens.measure(600, url=url, log=quiet)
    assert [r["tool_count"] for r in before] == [20] * len(tokens.CASES)  # 14 CRM, 6 billing
    for old, new in zip(before, now, strict=True):
        assert all(n > 0 for n in new["tokens"].values())
        assert new["offered_tool_called"], new["question"]  # the tool it needs was offered
        assert new["total_input_tokens"] <= 2500
        assert new["total_input_tokens"] < old["total_input_tokens"]


@pytest.mark.slow
def test_search_on_real_and_synthetic_vectors(tmp_path: Path) -> None:
    notes = search.texts(50, seed=1)
    assert len(set(notes)) == 50  # varied, not six bodies repeated
    embedder = search.LocalEmbeddings()
    assert search.throughput(embedder, notes[:16])["texts_per_second"] > 0
    index, count, _ = search.build_real(tmp_path / "real", 40, 1, 4, 600, quiet)
    assert count == 40
    truth = search.IndexTruth(index, search.metadata(40, 1, 4, 4 * 25))
    rows = search.time_queries(index, reps=4, runs=2, exact=truth)
    by_case = {r["case"]: r for r in rows}
    assert by_case["admin, no filter"]["recall_at_10"] == 1.0  # 40 vectors: the index is exact
    assert by_case["rep scope"]["recall_at_10"] == 1.0
    # None where the scope holds nothing to recall (rep 2 has no interaction at account 2 here)
    assert all(r["recall_at_10"] in (1.0, None) for r in rows)
    folder = tmp_path / "synthetic"
    index, count = search.build_synthetic(folder, 300, 1, 4, 600, quiet)
    assert count == 300
    scope = search.ScopeTable(folder, search.metadata(300, 1 + 3, 4, 4 * 25), count, 1)
    rows = search.time_queries(index, reps=4, runs=2, scopes=[scope])
    first = [r for r in rows if r["way"] == "scope first, SQLite"]
    assert len(first) == 4 and all(r["p50_ms"] > 0 for r in first)
    assert first[0]["recall_at_10"] == first[1]["recall_at_10"] == 1.0  # exact over the scope


def test_memory_of_serve_after_a_few_answers(tmp_path: Path) -> None:
    report = memory.measure(tmp_path, questions=3, every=3, log=quiet)
    assert [s["answered"] for s in report["samples"]] == [0, 3]
    assert report["rss_start_mb"] > 0 and report["rss_peak_mb"] >= report["rss_end_mb"]


def test_nudges_at_a_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "nudges.json"
    args = argparse.Namespace(
        scale=0.002, db=None, today=scale.datetime(2026, 11, 26).date(), limit=5, out=str(out)
    )
    nudges._bench(f"sqlite:///{tmp_path}/n.db", args)
    runs = json.loads(out.read_text())["sqlite"]["runs"]
    assert runs[-1]["reps"] == 20 and runs[-1]["nudges"] > 0


def test_slack_burst_free_and_under_a_write_lock(tmp_path: Path) -> None:
    args = slack_burst.parse_args(["--requests", "6", "--retries", "1", "--lock-seconds", "0"])
    report = slack_burst.run(args, tmp_path, log=quiet)
    free, locked = report["runs"]
    for run in (free, locked):
        assert run["statuses"] == {"200": 6} and run["connection_errors"] == {}
        assert run["events_answered"] == run["events"] == 2
        assert run["duplicate_answers"] == 0 and run["error_messages"] == 0
        assert run["presses_answered"] == 3 and run["ack_ms"]["max"] >= run["ack_ms"]["p50"] > 0
    assert locked["acked_while_locked"] == 6  # every response came before the lock was released
