"""Exact nearest neighbours over a small set of stored vectors: the scope-first half of search.

A rep's or a manager's scope is a few hundred to a few thousand interactions. Their ids and
vectors come from SQL in one statement (the same WHERE clauses as every other search half, on
`interaction_vectors`, tools/search/stored_vectors.py), and the cosine distance to the question
is computed for every one of them: exact, so recall is 1.0, and the cost grows with the scope,
not with the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

# Above this many candidates, reading every vector costs more than the index's own search.
EXACT_LIMIT = 20_000


def nearest(
    query: Sequence[float], ids: Sequence[int], vectors: Any, k: int
) -> list[tuple[int, float]]:
    """(id, cosine distance) of the `k` vectors (rows of `vectors`, a matrix or a list of
    lists) nearest `query`, nearest first; ties by id."""
    if not ids or k <= 0:
        return []
    matrix = np.asarray(vectors, dtype=np.float32)
    q = np.asarray(query, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(q) or 1.0)
    similarity = (matrix @ q) / np.where(norms == 0, 1.0, norms)
    distance = 1.0 - similarity
    order = np.lexsort((np.asarray(ids), distance))[:k]
    return [(int(ids[i]), float(distance[i])) for i in order]
