"""A cheap, deterministic embedder for the search index's bookkeeping tests, and small helpers.

Which rows the index holds, and when they are embedded again, is the point there, not retrieval
quality: bag-of-words vectors (shared words make neighbours) load in no time, and the embedder
remembers every text it was given, so a test can tell "re-embedded" from "metadata rewritten".
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, ClassVar

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from sqlalchemy.orm import Session, sessionmaker

from tools.database_id import read_database_id
from tools.interactions import InteractionIndex, open_client

DIMENSIONS = 64


def word_vector(doc: str) -> list[float]:
    vec = [0.0] * DIMENSIONS
    for word in re.findall(r"\w+", doc.lower()):
        vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
    norm = sum(v * v for v in vec) ** 0.5 or 1.0
    return [v / norm for v in vec]


class WordVectors(EmbeddingFunction[Documents]):
    """Bag-of-words vectors from a named "model"; `embedded` lists every text it embedded."""

    embedded: ClassVar[list[str]] = []  # class-wide: the CLI builds its own instances

    def __init__(self, model: str = "word-vectors-1") -> None:
        self.model = model

    def __call__(self, input: Documents) -> Embeddings:
        WordVectors.embedded += list(input)
        return [word_vector(doc) for doc in input]  # type: ignore[misc]

    @staticmethod
    def name() -> str:
        return "test-word-vectors"

    def model_key(self) -> str:
        return self.model

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> WordVectors:
        return WordVectors(config["model"])


def make_index(
    sessions: sessionmaker[Session], chroma: Path, model: str = "word-vectors-1"
) -> InteractionIndex:
    return InteractionIndex(
        open_client(str(chroma)), WordVectors(model), read_database_id(sessions)
    )


def stored_documents(index: InteractionIndex) -> dict[str, str]:
    got = index.collection.get(include=["documents"])
    return dict(zip(got["ids"], got["documents"] or [], strict=True))
