"""Held-out accuracy of the offline planner on the phrasing bank: intent and slots.

    python benchmarks/planner_accuracy.py [--split heldout|train|all] [--bank PATH]

Prints accuracy per intent and per slot, a confusion table of the intents it mixed up, and
writes the same to benchmarks/results/planner_accuracy.txt. Run from an older checkout with
`--bank` pointing at this bank to measure the planner before the change: a planner without
`understand` is scored through the tool calls it plans (see `legacy_reading`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path.cwd()))

from bot.agent.planner import plan as planner  # noqa: E402
from bot.agent.planner.types import Vocabulary  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import planner_templates as pt  # noqa: E402

BANK = ROOT / "bot/agent/planner/bank/bank.jsonl"
OUT = ROOT / "benchmarks/results/planner_accuracy.txt"
SLOTS = ("account", "deal", "owner", "period", "stage", "min_amount", "limit", "order",
         "direction", "metric", "outcome", "inactive_days", "kind")  # fmt: skip
STAGE_OUTCOME = {"closed_won": "won", "closed_lost": "lost", "closed": "closed"}


def vocab(role: str) -> Vocabulary:
    reps = pt.REPS if role == "manager" else ()
    return Vocabulary(pt.ME, role == "manager", pt.ACCOUNTS, pt.DEALS, reps)


def legacy_reading(question: str, calls: list[Any]) -> tuple[str, dict[str, Any]]:
    """The intent and slots an older planner's tool calls amount to."""
    if not calls:
        return "help", {}
    name, args = calls[0].name, dict(calls[0].args)
    personal = {"my", "me", "i", "mine", "im"} & set(question.lower().replace("'", " ").split())
    slots: dict[str, Any] = {
        "account": args.get("account"),
        "deal": args.get("deal"),
        "owner": args.get("owner") or args.get("scope") or args.get("rep"),
        "period": args.get("period") or args.get("since"),
        "stage": args.get("stage"),
        "min_amount": args.get("min_amount"),
        "limit": args.get("limit"),
        "inactive_days": args.get("inactive_days"),
        "kind": args.get("kind"),
    }
    if slots["owner"] == "me" and not personal:
        slots["owner"] = None
    if name == "find_deals" and args.get("stage") in STAGE_OUTCOME:
        name, slots["outcome"], slots["stage"] = "closed_deals", STAGE_OUTCOME[args["stage"]], None
    return name, {k: v for k, v in slots.items() if v is not None}


def read(row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    v = vocab(row["role"])
    if hasattr(planner, "understand"):
        from bot.agent.planner.clarify import unsure

        reading = planner.understand(row["q"], v, tuple(row.get("context", ())))
        if unsure(reading):  # the planner would ask back instead of answering: not a hit
            return "clarify", {}
        return reading.intent, {k: val for k, val in reading.slots.items() if val is not None}
    if row.get("context"):
        return "help", {}  # an older planner reads no conversation
    return legacy_reading(row["q"], planner.plan(row["q"], v))


def score(rows: list[dict[str, Any]]) -> list[str]:
    intents: dict[str, list[bool]] = defaultdict(list)
    slots: dict[str, list[bool]] = defaultdict(list)
    confusion: Counter[tuple[str, str]] = Counter()
    all_slots: list[bool] = []
    follow: list[bool] = []
    misses: list[str] = []
    for row in rows:
        intent, got = read(row)
        ok = intent == row["intent"]
        intents[row["intent"]].append(ok)
        if not ok:
            confusion[(row["intent"], intent)] += 1
        want = row["slots"]
        right = True
        for slot in SLOTS:
            if slot in want or slot in got:
                hit = want.get(slot) == got.get(slot)
                slots[slot].append(hit)
                right &= hit
        all_slots.append(right)
        if row.get("context"):
            follow.append(ok and right)
        if not (ok and right):
            misses.append(f"  {row['q']!r}: want {row['intent']} {want}, got {intent} {got}")
    n = len(rows)
    total_intent = sum(sum(v) for v in intents.values())
    slot_checks = [x for v in slots.values() for x in v]
    lines = [
        f"questions: {n}",
        f"intent accuracy: {100 * total_intent / n:.1f}%",
        f"slot accuracy: {100 * sum(slot_checks) / max(1, len(slot_checks)):.1f}% "
        f"of {len(slot_checks)} slot readings; questions with every slot right: "
        f"{100 * sum(all_slots) / n:.1f}%",
        f"follow-ups fully right: {sum(follow)}/{len(follow)}",
        "",
        "per intent:",
        *(
            f"  {k:22} {100 * sum(v) / len(v):5.1f}%  ({len(v)})"
            for k, v in sorted(intents.items())
        ),
        "per slot:",
        *(f"  {k:22} {100 * sum(v) / len(v):5.1f}%  ({len(v)})" for k, v in sorted(slots.items())),
        "confusion (wanted -> read: count):",
        *(f"  {a} -> {b}: {c}" for (a, b), c in confusion.most_common(25)),
    ]
    return [*lines, "misses (first 40):", *misses[:40]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="heldout", choices=["heldout", "train", "all"])
    ap.add_argument("--bank", default=str(BANK))
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.bank).read_text().splitlines() if line]
    rows = [r for r in rows if args.split == "all" or r["split"] == args.split]
    lines = [f"split: {args.split}", *score(rows)]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
