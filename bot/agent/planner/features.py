"""What the intent model sees of a question: hashed character n-grams and word pairs.

Character n-grams inside word boundaries survive typos and word order; hashing keeps the
model a fixed size with no vocabulary file. Shared by training and inference.
"""

from __future__ import annotations

import itertools
import zlib

import numpy as np

DIMENSIONS = 1 << 15
_NGRAMS = range(2, 6)


def feature_ids(text: str) -> list[int]:
    """The hashed feature ids of `text` (repeats kept: they count)."""
    words = text.split()
    grams = [f"w:{w}" for w in words]
    grams += [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f" {word} "
        grams += [padded[i : i + n] for n in _NGRAMS for i in range(len(padded) - n + 1)]
    return [zlib.crc32(g.encode()) % DIMENSIONS for g in grams]


def vector(text: str) -> np.ndarray:
    """A unit-length row: log counts of the features."""
    row = np.zeros(DIMENSIONS, dtype=np.float32)
    ids, counts = np.unique(np.array(feature_ids(text), dtype=np.int64), return_counts=True)
    row[ids] = np.log1p(counts)
    norm = float(np.linalg.norm(row))
    return row / norm if norm else row
