"""Write the planner's phrasing bank: templates x fillers x typos x rep and manager voices.

    python benchmarks/planner_bank.py   # -> bot/agent/planner/bank/bank.jsonl

A fixed seed makes the same bank every run. Whole templates are held out (every fifth of an
intent), so the held-out score measures phrasings the model never saw, not copies of them.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import planner_templates as pt

OUT = Path(__file__).resolve().parents[1] / "bot/agent/planner/bank/bank.jsonl"
PER_INTENT = 115
SEED = 13
PREFIXES = ["", "", "", "hey ", "quick q: ", "can you tell me ", "pls ", "so ", "@salesbot ",
            "um, ", "could you check "]  # fmt: skip
SUFFIXES = ["", "", "?", "?", " please", " thx", "??", " asap", " thanks"]
# Typos people make in the words that carry the intent (spelling.py must undo them).
COMMON_TYPOS = {
    "pipeline": ["pipline", "pipleine", "pipelne"], "closing": ["closng", "clsoing"],
    "quarter": ["quater", "quartr"], "biggest": ["bigest", "biggset"], "deals": ["deasl", "dels"],
    "contacts": ["contcts", "contacs"], "quota": ["qouta", "quoat"], "forecast": ["forcast"],
    "largest": ["largst"], "behind": ["behnd"], "negotiation": ["negotation"],
    "overdue": ["overdo"], "leaderboard": ["leaderbord"], "month": ["mnth"],
}  # fmt: skip
PLACEHOLDER = re.compile(r"\{(\w+)\}")
POOLS = {
    "acct": pt.ACCOUNT_WORDS, "deal": pt.DEAL_WORDS, "rep": pt.REP_WORDS, "cp": pt.CLOSE_PERIODS,
    "pp": pt.PAST_PERIODS, "tp": pt.TASK_PERIODS, "n": pt.COUNTS, "amt": pt.AMOUNTS,
}  # fmt: skip
SLOT_OF = {"acct": "account", "deal": "deal", "rep": "owner", "cp": "period", "pp": "period",
           "tp": "period", "n": "limit", "amt": "min_amount"}  # fmt: skip


def typo(words: str, rng: random.Random) -> str:
    """One domain word misspelled, the way fast typists do."""
    tokens = words.split()
    spots = [i for i, t in enumerate(tokens) if t.lower().strip("?'s") in COMMON_TYPOS]
    if not spots:
        return words
    i = rng.choice(spots)
    word = tokens[i].lower().strip("?'s")
    tokens[i] = tokens[i].lower().replace(word, rng.choice(COMMON_TYPOS[word]))
    return " ".join(tokens)


def fill(template: str, slots: dict[str, Any], rng: random.Random) -> tuple[str, dict[str, Any]]:
    values: dict[str, Any] = {}

    def pick(m: re.Match[str]) -> str:
        said, canonical = rng.choice(POOLS[m[1]])
        values[m[1]] = canonical
        return str(said)

    text = PLACEHOLDER.sub(pick, template)
    filled = {}
    for slot, value in slots.items():
        ref = PLACEHOLDER.fullmatch(value) if isinstance(value, str) else None
        filled[slot] = values[ref[1]] if ref else value
    if "min_amount" in filled:
        filled["min_amount"] = float(filled["min_amount"])
    return text, filled


def vary(text: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        text = typo(text, rng)
    text = rng.choice(PREFIXES) + text + rng.choice(SUFFIXES)
    roll = rng.random()
    if roll < 0.45:
        return text.lower()
    if roll < 0.6:
        return text.replace("'", "")
    return text[0].upper() + text[1:]


def entries(rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for intent, templates in pt.T.items():
        per = -(-PER_INTENT // len(templates))
        for number, (template, slots) in enumerate(templates):
            group = f"{intent}/{number}"
            split = "heldout" if number % 5 == 4 else "train"
            seen: set[str] = set()
            for _ in range(per * 3):
                if len(seen) >= per:
                    break
                text, filled = fill(template, slots, rng)
                # Team questions and questions naming a rep come from managers.
                manager = intent in pt.MANAGER_ONLY or "{rep}" in template
                role = "manager" if manager or slots.get("owner") == "team" else None
                role = role or rng.choice(["rep", "manager"])
                question = vary(text, rng)
                if question in seen:
                    continue
                seen.add(question)
                rows.append({"q": question, "role": role, "intent": intent, "slots": filled,
                             "group": group, "split": split})  # fmt: skip
    for number, (before, after, intent, slots) in enumerate(pt.FOLLOW_UPS):
        split = "heldout" if number % 3 == 2 else "train"
        rows.append({"q": after, "context": [before], "role": "manager", "intent": intent,
                     "slots": slots, "group": f"follow_up/{number}", "split": split})  # fmt: skip
    return rows


def main() -> None:
    rows = entries(random.Random(SEED))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    held = sum(r["split"] == "heldout" for r in rows)
    print(f"{len(rows)} questions ({held} held out) -> {OUT}")


if __name__ == "__main__":
    main()
