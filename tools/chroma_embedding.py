"""Chroma's view of an embedder: loaded with Chroma, when a collection is opened."""

from __future__ import annotations

from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from tools.embeddings import Embedder


class ChromaEmbedding(EmbeddingFunction[Documents]):
    """Wraps one of tools/embeddings.py's embedders under its own name and configuration."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return [np.asarray(v, dtype=np.float32) for v in self.embedder(list(input))]

    def name(self) -> str:  # type: ignore[override]  # Chroma stores the embedder's own name
        return self.embedder.name()

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        config = getattr(self.embedder, "get_config", None)
        return dict(config()) if callable(config) else {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbedding:
        raise NotImplementedError("salesbot always passes its embedding function")


def for_chroma(embedder: Any) -> EmbeddingFunction[Documents]:
    """`embedder` itself when it already is a Chroma embedding function, else wrapped."""
    return embedder if isinstance(embedder, EmbeddingFunction) else ChromaEmbedding(embedder)
