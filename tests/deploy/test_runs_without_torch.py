"""The slim install's promise, checked in the test environment: with torch, transformers,
sentence-transformers, scikit-learn and scipy made unimportable, salesbot still indexes, searches,
plans the day and backtests the win model (deploy/requirements-slim.txt leaves them all out)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from support.crm_fixture import crm_file

from tools.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]
ABSENT = ("torch", "transformers", "sentence_transformers", "sklearn", "scipy")
# A None entry in sys.modules makes `import name` raise ImportError, as in an install without it.
RUN = (
    "import runpy, sys\n"
    f"for name in {ABSENT!r}: sys.modules[name] = None\n"
    "sys.argv = ['salesbot', *sys.argv[1:]]\n"
    "runpy.run_module('bot', run_name='__main__')\n"
)


def salesbot(tmp_path: Path, url: str, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CHROMA_PATH": str(tmp_path / "chroma"),
        "EMBEDDING_CACHE_DIR": str(tmp_path / "models"),
        "COLUMNS": "200",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("OPENAI_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def test_indexing_and_search_need_no_torch(tmp_path: Path) -> None:
    url = crm_file(tmp_path / "crm.db")
    assert "Indexed 6 new" in salesbot(tmp_path, url, "index")
    said = salesbot(tmp_path, url, "ask", "--as", "rob@x.test", "what did they say about pricing?")
    assert "20% above budget" in said


def test_the_win_model_needs_no_scikit_learn(tmp_path: Path) -> None:
    # The demo has hundreds of closed deals, so the model is really fitted (the fixture has too
    # few, and a model that is never fitted would pass without numpy's fit ever running).
    url = crm_file(tmp_path / "demo.db", lambda s: seed_demo(s, seed=7, today=date(2026, 11, 27)))
    table = salesbot(tmp_path, url, "nudges", "backtest").splitlines()
    assert table[0].split()[:3] == ["quarter", "trained", "on"]
    # Rows read "Q4 2025  54  34  15  0.647 ...": a quarter of two words, then "trained on".
    trained_on = [int(row.split()[2]) for row in table[1:5]]
    assert len(trained_on) == 4 and min(trained_on) >= 20  # fitted, on MIN_CLOSED deals or more
    assert all(row.split()[5] != "n/a" for row in table[1:5])  # an accuracy: it predicted
