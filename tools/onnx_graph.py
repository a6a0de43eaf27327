"""all-MiniLM-L6-v2 as an ONNX graph, written from its safetensors weights without torch.

The model is a plain BERT encoder (6 layers, 12 heads, 384 wide) followed by sentence-transformers'
mean pooling and normalisation. Writing those few operators out here, with the weights read by
`safetensors.numpy`, gives the same vectors as the PyTorch model (cosine >= 0.999999,
tests/tools/test_embeddings.py) in about a second, where tracing it through torch.onnx took 15 s
and needed torch and transformers installed: a slim install (deploy/requirements-slim.txt) has
neither. The operator pattern is the one torch's eager BERT exports, so ONNX Runtime's transformer
fusions (attention, skip layer norm, GELU) apply to it alike.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

OPSET = 17  # LayerNormalization is an operator from 17 on
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "embedding"


class _Graph:
    """Collects nodes and initializers; each helper returns its output's name."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._names: set[str] = set()
        self._count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        """An initializer; a name given again means the same constant, stored once."""
        if name not in self._names:
            self._names.add(name)
            self.initializers.append(self.numpy_helper.from_array(value, name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        self._count += 1
        out = f"{kind.lower()}_{self._count}"
        self.nodes.append(self.helper.make_node(kind, list(inputs), [out], **attributes))
        return out

    def linear(self, x: str, weights: dict[str, np.ndarray], prefix: str) -> str:
        # torch keeps a Linear's weight as (out, in); MatMul wants (in, out).
        w = self.const(f"{prefix}.weight", np.ascontiguousarray(weights[f"{prefix}.weight"].T))
        b = self.const(f"{prefix}.bias", weights[f"{prefix}.bias"])
        return self.op("Add", self.op("MatMul", x, w), b)

    def layer_norm(self, x: str, weights: dict[str, np.ndarray], prefix: str, eps: float) -> str:
        gamma = self.const(f"{prefix}.weight", weights[f"{prefix}.weight"])
        beta = self.const(f"{prefix}.bias", weights[f"{prefix}.bias"])
        return self.op("LayerNormalization", x, gamma, beta, axis=-1, epsilon=eps)


def build(model_dir: Path) -> Any:
    """The encoder, mean pooling and unit normalisation as one ONNX model (an `onnx.ModelProto`)."""
    from onnx import TensorProto, helper
    from safetensors.numpy import load_file

    config = json.loads((model_dir / "config.json").read_text())
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise ValueError(f"not a BERT model with GELU: {model_dir / 'config.json'}")
    weights = load_file(str(model_dir / "model.safetensors"))
    heads = int(config["num_attention_heads"])
    width = int(config["hidden_size"])
    eps = float(config["layer_norm_eps"])
    g = _Graph()

    ids, mask, types = INPUTS
    hidden = _embeddings(g, weights, ids, types, eps)
    # Padding gets the lowest float added before the softmax, as torch's eager attention does.
    mask_f = g.op("Cast", mask, to=TensorProto.FLOAT)
    one = g.const("one", np.array(1.0, np.float32))
    lowest = g.const("lowest", np.array(np.finfo(np.float32).min, np.float32))
    bias = g.op("Mul", g.op("Sub", one, mask_f), lowest)
    bias = g.op("Unsqueeze", bias, g.const("axes_1_2", np.array([1, 2], np.int64)))
    for layer in range(int(config["num_hidden_layers"])):
        hidden = _layer(g, weights, hidden, f"encoder.layer.{layer}", bias, heads, eps)

    embedding = _mean_pool_normalised(g, hidden, mask_f)
    g.nodes.append(helper.make_node("Identity", [embedding], [OUTPUT]))
    dims = ["batch", "tokens"]
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(name, TensorProto.INT64, dims) for name in INPUTS],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", width])],
        g.initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="salesbot"
    )
    model.ir_version = 8  # what ONNX Runtime 1.19 and later all read
    return model


def _embeddings(g: _Graph, weights: dict[str, np.ndarray], ids: str, types: str, eps: float) -> str:
    """Word, position and token-type embeddings summed, then layer-normed."""
    words = g.op(
        "Gather", g.const("word_embeddings", weights["embeddings.word_embeddings.weight"]), ids
    )
    kinds = g.op(
        "Gather",
        g.const("type_embeddings", weights["embeddings.token_type_embeddings.weight"]),
        types,
    )
    # Positions 0..tokens-1 of the position table (the model's own position_ids are that range).
    tokens = g.op(
        "Gather",
        g.op("Shape", ids),
        g.const("tokens_axis", np.array(1, np.int64)),
    )
    positions = g.op(
        "Range",
        g.const("zero", np.array(0, np.int64)),
        tokens,
        g.const("step", np.array(1, np.int64)),
    )
    places = g.op(
        "Gather",
        g.const("position_embeddings", weights["embeddings.position_embeddings.weight"]),
        positions,
    )
    summed = g.op("Add", g.op("Add", words, kinds), places)
    return g.layer_norm(summed, weights, "embeddings.LayerNorm", eps)


def _layer(
    g: _Graph,
    weights: dict[str, np.ndarray],
    hidden: str,
    at: str,
    bias: str,
    heads: int,
    eps: float,
) -> str:
    """One encoder layer: self-attention, then the feed-forward block, each with residual + norm."""
    width = weights[f"{at}.attention.self.query.weight"].shape[0]
    split = g.const("split_heads", np.array([0, 0, heads, width // heads], np.int64))
    merge = g.const("merge_heads", np.array([0, 0, width], np.int64))
    scale = g.const("scale", np.array(1.0 / math.sqrt(width // heads), np.float32))
    projected = {
        name: g.op("Reshape", g.linear(hidden, weights, f"{at}.attention.self.{name}"), split)
        for name in ("query", "key", "value")
    }
    q = g.op("Transpose", projected["query"], perm=[0, 2, 1, 3])
    k = g.op("Transpose", projected["key"], perm=[0, 2, 3, 1])
    v = g.op("Transpose", projected["value"], perm=[0, 2, 1, 3])
    scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), scale), bias)
    context = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
    context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), merge)
    attended = g.linear(context, weights, f"{at}.attention.output.dense")
    hidden = g.layer_norm(
        g.op("Add", attended, hidden), weights, f"{at}.attention.output.LayerNorm", eps
    )
    inner = _gelu(g, g.linear(hidden, weights, f"{at}.intermediate.dense"))
    out = g.linear(inner, weights, f"{at}.output.dense")
    return g.layer_norm(g.op("Add", out, hidden), weights, f"{at}.output.LayerNorm", eps)


def _gelu(g: _Graph, x: str) -> str:
    """The exact (erf) GELU BERT uses; opset 17 has no Gelu, and ONNX Runtime fuses this."""
    root2 = g.const("sqrt2", np.array(math.sqrt(2.0), np.float32))
    half = g.const("half", np.array(0.5, np.float32))
    one = g.const("one", np.array(1.0, np.float32))
    erf = g.op("Erf", g.op("Div", x, root2))
    return g.op("Mul", g.op("Mul", x, half), g.op("Add", erf, one))


def _mean_pool_normalised(g: _Graph, hidden: str, mask_f: str) -> str:
    """The mean over real tokens, then unit length (sentence-transformers' Pooling, Normalize)."""
    axis1 = g.const("axis_1", np.array([1], np.int64))
    weights = g.op("Unsqueeze", mask_f, g.const("axis_last", np.array([-1], np.int64)))
    summed = g.op("ReduceSum", g.op("Mul", hidden, weights), axis1, keepdims=0)
    count = g.op("ReduceSum", weights, axis1, keepdims=0)
    count = g.op("Max", count, g.const("count_floor", np.array(1e-9, np.float32)))
    mean = g.op("Div", summed, count)
    square = g.op("Mul", mean, mean)
    norm = g.op("Sqrt", g.op("ReduceSum", square, axis1, keepdims=1))
    norm = g.op("Max", norm, g.const("norm_floor", np.array(1e-12, np.float32)))
    return g.op("Div", mean, norm)
