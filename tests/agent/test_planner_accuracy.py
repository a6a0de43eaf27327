"""The planner's held-out accuracy on the phrasing bank meets the issue's aims.

Held-out questions come from templates the intent model never saw (benchmarks/planner_bank.py
holds out whole templates), so this measures generalization, not memory.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import planner_accuracy  # noqa: E402

BANK = ROOT / "bot/agent/planner/bank/bank.jsonl"


def _rows(split: str) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in BANK.read_text().splitlines() if line]
    return [r for r in rows if r["split"] == split]


def test_the_bank_covers_every_intent_forty_times_and_holds_out_whole_templates() -> None:
    rows = _rows("train") + _rows("heldout")
    assert len(rows) >= 1500
    per_intent: dict[str, int] = {}
    for row in rows:
        per_intent[str(row["intent"])] = per_intent.get(str(row["intent"]), 0) + 1
    assert min(per_intent.values()) >= 40, per_intent
    train_groups = {r["group"] for r in _rows("train")}
    assert not train_groups & {r["group"] for r in _rows("heldout")}


def test_held_out_intent_and_slot_accuracy_meet_the_aims() -> None:
    lines = planner_accuracy.score(_rows("heldout"))
    figures = {line.split(":")[0]: line for line in lines[:4]}
    intent = float(figures["intent accuracy"].split(":")[1].strip().rstrip("%"))
    slots = float(figures["slot accuracy"].split(":")[1].split("%")[0])
    assert intent >= 97.0, "\n".join(lines)
    assert slots >= 95.0, "\n".join(lines)
