"""The intent model: a linear classifier over character n-grams, read from a small .npz.

Trained by `benchmarks/planner_train.py` on the phrasing bank; inference is one sparse dot
product in numpy, so loading and answering take milliseconds and nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.agent.planner.features import DIMENSIONS, feature_ids

MODEL_PATH = Path(__file__).with_name("bank") / "intent_model.npz"


@dataclass(frozen=True)
class IntentModel:
    intents: tuple[str, ...]
    weights: np.ndarray  # DIMENSIONS x len(intents)
    bias: np.ndarray

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Each intent with its probability, likeliest first."""
        ids, counts = np.unique(np.array(feature_ids(text), dtype=np.int64), return_counts=True)
        values = np.log1p(counts).astype(np.float32)
        norm = float(np.linalg.norm(values)) or 1.0
        logits = (values / norm) @ self.weights[ids].astype(np.float32) + self.bias
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        order = np.argsort(-probs)
        return [(self.intents[i], float(probs[i])) for i in order]


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> IntentModel:
    """The trained model; cached, so only the first question pays for reading the file."""
    with np.load(path) as data:
        intents = tuple(str(x) for x in data["intents"])
        weights, bias = data["weights"], data["bias"].astype(np.float32)
    if weights.shape != (DIMENSIONS, len(intents)):
        raise ValueError(f"{path} does not match the planner's features; retrain it")
    return IntentModel(intents, weights, bias)
