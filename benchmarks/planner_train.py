"""Train the planner's intent model on the bank's training part; write the .npz it loads.

    python benchmarks/planner_bank.py && python benchmarks/planner_train.py

Softmax regression over hashed character n-grams (bot/agent/planner/features.py), fitted with
full-batch Adam in numpy: a fixed seed and a fixed number of steps give the same model each run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.agent.planner.features import DIMENSIONS, vector  # noqa: E402
from bot.agent.planner.model import MODEL_PATH  # noqa: E402
from bot.agent.planner.parse import parse  # noqa: E402
from bot.agent.planner.reading import model_text  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import planner_templates as pt  # noqa: E402

BANK = ROOT / "bot/agent/planner/bank/bank.jsonl"
STEPS, RATE, L2 = 250, 0.05, 1e-5


def texts_of(row: dict[str, str]) -> list[str]:
    """The question as the model reads it, and its concepts alone (see `model_text`)."""
    reps = pt.REPS if row["role"] == "manager" else ()
    p = parse(row["q"], pt.ACCOUNTS, pt.DEALS, reps, pt.ME)
    manager = row["role"] == "manager"
    return [model_text(p, manager), model_text(p, manager, concepts_only=True)]


def main() -> None:
    rows = [json.loads(line) for line in BANK.read_text().splitlines() if line]
    # Follow-ups mean something only after their context: the model learns questions alone.
    rows = [r for r in rows if r["split"] == "train" and not r.get("context")]
    intents = sorted({r["intent"] for r in rows})
    x = np.stack([vector(text) for r in rows for text in texts_of(r)])
    y = np.array([intents.index(r["intent"]) for r in rows for _ in range(2)])
    onehot = np.eye(len(intents), dtype=np.float32)[y]
    used = np.flatnonzero(x.any(axis=0))  # fit only the hashed features the bank uses
    x = x[:, used]
    w = np.zeros((len(used), len(intents)), dtype=np.float32)
    b = np.zeros(len(intents), dtype=np.float32)
    m = [np.zeros_like(w), np.zeros_like(b)]
    v = [np.zeros_like(w), np.zeros_like(b)]
    for step in range(1, STEPS + 1):
        logits = x @ w + b
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) / len(y)
        grads = [x.T @ grad + L2 * w, grad.sum(axis=0)]
        for i, (param, g) in enumerate(zip((w, b), grads, strict=True)):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            param -= RATE * (m[i] / (1 - 0.9**step)) / (np.sqrt(v[i] / (1 - 0.999**step)) + 1e-8)
    accuracy = float((np.argmax(x @ w + b, axis=1) == y).mean())
    full = np.zeros((DIMENSIONS, len(intents)), dtype=np.float16)
    full[used] = w
    np.savez_compressed(MODEL_PATH, intents=np.array(intents), weights=full, bias=b)
    size = MODEL_PATH.stat().st_size // 1024
    print(f"{len(rows)} training questions, train accuracy {100 * accuracy:.1f}% -> "
          f"{MODEL_PATH} ({size} KiB)")  # fmt: skip


if __name__ == "__main__":
    main()
