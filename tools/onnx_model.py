"""all-MiniLM-L6-v2 under ONNX Runtime: the bundled weights exported once, run in fp32.

The export (tools/onnx_graph.py: the graph written from the safetensors weights, about a second,
no torch) runs once, on first use, in a child process, and is cached as one file in the model
cache folder. The graph includes the mean pooling and the normalisation, so its vectors equal
sentence-transformers' (cosine >= 0.9999, tests/tools/test_embeddings.py) and the index need not
be rebuilt.

Each session runs on one thread: a query embedding takes one core and waits for no other, and
a batch is cut into pieces that run side by side, one per core.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tools.onnx_graph import INPUTS

log = logging.getLogger(__name__)
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
PIECE = 32  # texts per ONNX call: short pieces of similar length waste little on padding


class OnnxEncoder:
    """Texts in, unit vectors out (float32), with the tokenizer shipped beside the weights."""

    def __init__(self, onnx_file: Path, model_dir: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        # A batch's buffers are released when its run ends: the arena would otherwise keep its
        # largest batch's activations for good (two pieces of 32 texts of 256 tokens side by
        # side left 876 MB resident; 152 MB with this, as fast). A query's few MB stay pooled.
        self._batch = ort.RunOptions()
        self._batch.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # tokenizer.json pads every text to 128; we pad per piece
        self.workers = max(1, threads or os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="embed")

    def encode(self, texts: list[str]) -> np.ndarray:
        """One vector per text, in order; a single text runs on the calling thread."""
        if len(texts) <= PIECE:
            return self._run(texts)
        # Sorted by length, so each piece pads to about its own longest text.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        pieces = [order[s : s + PIECE] for s in range(0, len(order), PIECE)]
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        results = self._pool.map(lambda p: self._run([texts[i] for i in p]), pieces)
        for piece, vectors in zip(pieces, results, strict=True):
            out[piece] = vectors
        return out

    @property
    def dimensions(self) -> int:
        return int(self.session.get_outputs()[0].shape[1] or 384)

    def _run(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encoded)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encoded):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        feed = dict(zip(INPUTS, (ids, mask, np.zeros_like(ids)), strict=True))
        options = self._batch if len(texts) > 1 else None
        vectors: np.ndarray = self.session.run(None, feed, options)[0]
        return vectors.astype(np.float32, copy=False)


def onnx_file(cache_dir: Path, version: str) -> Path:
    return cache_dir / f"all-MiniLM-L6-v2-{version}-fp32.onnx"


def export_in_child(model_dir: Path, target: Path) -> Path:
    """Export in a child process: the weights and the graph being written (about 300 MB at
    their peak) are freed with it, so a server that exports on its first search stays small."""
    done = subprocess.run(
        [sys.executable, "-m", "tools.onnx_model", str(model_dir), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not target.exists():
        raise RuntimeError(f"ONNX export failed: {done.stderr.strip()[-500:]}")
    return target


def export(model_dir: Path, target: Path) -> Path:
    """Write the model (encoder, mean pooling, normalisation) to `target` as ONNX, under another
    name first so a half-written file is never loaded."""
    import onnx

    from tools.onnx_graph import build

    model = build(model_dir)
    onnx.checker.check_model(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        partial = Path(scratch) / target.name
        onnx.save(model, str(partial))
        partial.replace(target)
    return target


if __name__ == "__main__":  # export_in_child: python -m tools.onnx_model MODEL_DIR TARGET
    export(Path(sys.argv[1]), Path(sys.argv[2]))
