"""The search relevance labels are the demo generator's ground truth, and the scores are right."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from benchmarks.relevance_data import LABELS, demo_sessions, labeled
from benchmarks.search_relevance import scores


def test_the_labels_are_derived_from_the_generator_not_picked(tmp_path: Path) -> None:
    stored = json.loads(LABELS.read_text())["questions"]
    # Rebuilt from a fresh demo and its topics: the file is exactly what the generator says.
    assert labeled(demo_sessions(tmp_path / "demo.db")) == stored
    assert len(stored) >= 300
    assert Counter(q["scope"] for q in stored).keys() == {"rep", "manager"}
    assert len({q["question"] for q in stored}) > 250  # many phrasings, few repeats
    assert all(q["relevant"] for q in stored)


def test_scores_count_shown_hits_and_folded_twins() -> None:
    hits = [
        {"activity_id": 1, "similar_ids": [9]},
        {"activity_id": 2, "similar_ids": []},
    ]
    precision, recall, ndcg = scores(hits, {1, 9, 7})
    assert precision == 0.5  # one of the two shown is relevant
    assert recall == 2 / 3  # 1 shown and 9 folded into it, of three relevant
    assert 0 < ndcg < 1
    assert scores([], {1}) == (0.0, 0.0, 0.0)
