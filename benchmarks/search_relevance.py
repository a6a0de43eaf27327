"""Precision, recall and nDCG at 5 of interaction search, semantic-only against hybrid.

    python -m benchmarks.search_relevance                 # every labeled question
    python -m benchmarks.search_relevance --split report  # only the half not used for tuning

Each question in benchmarks/labels/search_relevance.json (made by benchmarks/relevance_data.py
from the demo generator's topics) goes the whole way a typed question goes offline: the planner
picks the tool and its arguments, then the search tool runs as that user, once with the
vectors alone ("semantic", the top 5 as before) and once hybrid (full text + vectors, fused,
cut off, folded). A question the planner does not send to search scores zero.

P@5: relevant among the hits shown (at most 5) / hits shown; no hits scores 0. R@5: relevant
found (shown, or folded into a shown hit as a near-duplicate) / min(5, relevant). nDCG@5:
binary gains in the order shown.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.relevance_data import DB_PATH, LABELS, TODAY, demo_sessions
from bot.agent.planner.plan import plan
from bot.agent.planner.types import Vocabulary
from tools.context import ToolContext
from tools.crm.names import list_visible_names
from tools.database_id import read_database_id
from tools.embeddings import LocalEmbeddings
from tools.indexing import index_activities
from tools.interactions import InteractionIndex, open_client
from tools.principal import Principal, get_principal_by_email
from tools.search_tool import run_search

RESULTS = Path(__file__).parent / "results" / "search_relevance.json"
K = 5
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 17, tzinfo=UTC)


def scores(hits: list[dict[str, Any]], relevant: set[int]) -> tuple[float, float, float]:
    shown = hits[:K]
    ids = [h["activity_id"] for h in shown]
    found = set(ids) | {i for h in shown for i in h.get("similar_ids", [])}
    precision = sum(i in relevant for i in ids) / len(ids) if ids else 0.0
    recall = min(1.0, len(found & relevant) / min(K, len(relevant)))
    dcg = sum(1 / math.log2(r + 2) for r, i in enumerate(ids) if i in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(K, len(relevant))))
    return precision, recall, dcg / ideal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("all", "tune", "report"), default="all")
    parser.add_argument("--max", type=int, default=0, help="only the first N questions")
    args = parser.parse_args()
    questions = json.loads(LABELS.read_text())["questions"]
    if args.split != "all":
        questions = [q for q in questions if q["split"] == args.split]
    questions = questions[: args.max or None]
    sessions = demo_sessions()
    index = InteractionIndex(
        open_client(str(DB_PATH.parent / "chroma")), LocalEmbeddings(), read_database_id(sessions)
    )
    if index.count() < 4000:
        with sessions() as session:
            index_activities(session, index)
    started = time.perf_counter()
    per_mode: dict[str, list[tuple[float, float, float]]] = {"semantic": [], "hybrid": []}
    groups: list[str] = []
    splits: list[str] = []
    routed = 0
    for q in questions:
        principal, vocab = _asker(sessions, q["as"])
        calls = plan(q["question"], vocab)
        call = calls[0] if calls else None
        relevant = set(q["relevant"])
        groups.append(f"{q['scope']}/{q['kind']}")
        splits.append(q["split"])
        ok = call is not None and call.name == "search_interactions"
        routed += ok
        ctx = ToolContext(principal, sessions, index, lambda: NOW)
        for mode, got in per_mode.items():
            if not ok:
                got.append((0.0, 0.0, 0.0))
                continue
            _, artifact = run_search(ctx, **call.args, mode=mode)  # type: ignore[union-attr]
            got.append(scores(artifact.get("hits", []), relevant))
    report = {
        "questions": len(questions),
        "split": args.split,
        "routed_to_search": routed,
        "seconds": round(time.perf_counter() - started, 1),
        **{mode: _means(got) for mode, got in per_mode.items()},
        "by_split": {
            half: {
                mode: _means([s for s, h in zip(got, splits, strict=True) if h == half])
                for mode, got in per_mode.items()
            }
            for half in sorted(set(splits))
        },
        "hybrid_by_question_kind": {
            g: _means([s for s, h in zip(per_mode["hybrid"], groups, strict=True) if h == g])
            for g in sorted(set(groups))
        },
    }
    print(json.dumps(report, indent=1))
    if args.split == "all" and not args.max:
        RESULTS.write_text(json.dumps(report, indent=1) + "\n")


_ASKERS: dict[str, tuple[Principal, Vocabulary]] = {}


def _asker(sessions: Any, email: str) -> tuple[Principal, Vocabulary]:
    if email not in _ASKERS:
        with sessions() as session:
            principal = get_principal_by_email(session, email)
            accounts, deals, people = list_visible_names(session, principal)
        vocab = Vocabulary(principal.name, principal.is_manager, accounts, deals, people)
        _ASKERS[email] = (principal, vocab)
    return _ASKERS[email]


def _means(got: list[tuple[float, float, float]]) -> dict[str, float]:
    n = max(1, len(got))
    return {
        f"{name}@{K}": round(sum(g[i] for g in got) / n, 3)
        for i, name in enumerate(("precision", "recall", "ndcg"))
    }


if __name__ == "__main__":
    main()
