"""Bulk embedding in bfloat16, for the commands that embed thousands of texts at once.

Where the CPU multiplies bf16 natively (AVX512-BF16 or AMX), torch's bf16 autocast runs the model
2.4x faster than ONNX Runtime's fp32 on this project's machine (641 against 261 texts/s,
benchmarks/embeddings.py), with vectors at cosine >= 0.9999 to the fp32 ones, so search results do
not change. It needs torch (about 3 s to import and 400 MB resident), so only `salesbot index`,
`seed-demo` and the importers use it, and only for a batch large enough to repay loading it
(tools/embeddings.py); `serve` and every query stay on ONNX Runtime.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

NATIVE_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


@lru_cache(maxsize=1)
def bf16_native(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """The CPU has bf16 matrix instructions; without them bf16 is emulated and slower."""
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return bool(NATIVE_FLAGS & set(line.partition(":")[2].split()))
    return False


class Bf16Encoder:
    """sentence-transformers under bf16 autocast; unit float32 vectors out."""

    def __init__(self, model_dir: Path, batch_size: int = 64) -> None:
        from tools.embeddings import TorchEncoder

        self._torch = TorchEncoder(model_dir, batch_size)

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
            raw: Any = self._torch.model.encode(
                texts, batch_size=self._torch.batch_size, convert_to_numpy=True
            )
        vectors = np.asarray(raw, dtype=np.float32)
        # Normalised in fp32: bf16's own normalisation leaves norms a few 1e-3 off unit.
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
