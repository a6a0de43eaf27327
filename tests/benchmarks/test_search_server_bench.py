"""benchmarks/search.py's `--chroma-server` half at a tiny size: a real `chroma run` over the
embedded store's folder answers the same cases, and is gone afterwards (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.chroma_server import heartbeat

from benchmarks import search


def quiet(*_: object) -> None:
    """A log that prints nothing."""


@pytest.mark.slow
def test_the_same_store_searched_through_a_chroma_server(tmp_path: Path) -> None:
    folder = tmp_path / "real"
    index, count, _ = search.build_real(folder, 40, 1, 4, 600, quiet)
    truth = search.IndexTruth(index, search.metadata(40, 1, 4, 4 * 25))
    embedded = search.time_queries(index, reps=4, runs=2, exact=truth)
    search.close_embedded(index)
    del index

    served = search.time_server(folder, search.LocalEmbeddings(), 4, 2, truth, quiet)

    assert served["vectors"] == count == 40
    assert [r["case"] for r in served["queries"]] == [r["case"] for r in embedded]
    assert all(r["way"] == "filtered index" and r["p50_ms"] > 0 for r in served["queries"])
    by_case = {r["case"]: r for r in served["queries"]}
    assert by_case["admin, no filter"]["recall_at_10"] == 1.0  # 40 vectors: HNSW is exact
    assert by_case["rep scope"]["recall_at_10"] == 1.0  # the filter travels to the server
    assert (folder.parent / "real-server.log").exists()


def test_the_server_is_stopped_when_the_block_ends_by_an_error(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), search.chroma_server(tmp_path / "store", quiet) as port:
        assert heartbeat(port)
        raise KeyboardInterrupt  # as Ctrl-C would, mid-timing
    assert not heartbeat(port)
