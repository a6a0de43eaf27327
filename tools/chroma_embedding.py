"""Chroma's view of an embedder: loaded with Chroma, when a collection is opened.

Chroma registers an embedding function by its class's static `name()`, so each salesbot
embedder gets its own small subclass, named as before (existing collections open unchanged).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from tools.embeddings import Embedder, LocalEmbeddings, OpenAIEmbeddings


class ChromaEmbedding(EmbeddingFunction[Documents]):
    """Wraps one of tools/embeddings.py's embedders under its configuration."""

    embedder_class: type[Any] = LocalEmbeddings

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return [np.asarray(v, dtype=np.float32) for v in self.embedder(list(input))]

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        config = getattr(self.embedder, "get_config", None)
        return dict(config()) if callable(config) else {}

    @classmethod
    def build_from_config(cls, config: dict[str, Any]) -> ChromaEmbedding:
        return cls(cls.embedder_class.build_from_config(config))


_WRAPPERS: dict[type[Any], type[ChromaEmbedding]] = {}


def _wrapper_for(embedder_class: type[Any]) -> type[ChromaEmbedding]:
    if embedder_class not in _WRAPPERS:
        name = str(embedder_class.name())
        _WRAPPERS[embedder_class] = type(
            f"Chroma{embedder_class.__name__}",
            (ChromaEmbedding,),
            {"embedder_class": embedder_class, "name": staticmethod(lambda: name)},
        )
    return _WRAPPERS[embedder_class]


def for_chroma(embedder: Any) -> EmbeddingFunction[Documents]:
    """`embedder` itself when it already is a Chroma embedding function, else wrapped."""
    if isinstance(embedder, EmbeddingFunction):
        return embedder
    known: type[Any] = next(
        (c for c in (LocalEmbeddings, OpenAIEmbeddings) if isinstance(embedder, c)),
        type(embedder),
    )
    wrapper: EmbeddingFunction[Documents] = _wrapper_for(known)(embedder)
    return wrapper
