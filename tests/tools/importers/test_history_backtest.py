"""The forecast backtest on an imported Data Export with OpportunityHistory equals the one on
the same data loaded directly (benchmarks/history_backtest.py at a small size), on both
backends; the old import (final stage dated at creation) is far off."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from benchmarks.history_backtest import (
    as_old_import,
    backtest,
    generate,
    imported,
    load_direct,
    write_export,
)
from tools.db import make_engine, session_factory, upgrade


def test_imported_history_backtests_like_the_direct_load(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    deals = generate(400, seed=5)
    engine = make_engine(f"sqlite:///{tmp_path / 'direct.db'}")
    upgrade(engine)
    direct = session_factory(engine)
    load_direct(direct, deals)
    expected = backtest(direct)
    imported(sessions, write_export(tmp_path / "export", deals, history=True))
    assert backtest(sessions) == expected
    assert [r["quarter"] for r in expected] == ["Q1 2017", "Q2 2017", "Q3 2017", "Q4 2017"]
    as_old_import(direct)
    old = backtest(direct)
    assert all(float(o["error_pct"]) < -40 for o in old)  # the old import's invented history
    engine.dispose()
