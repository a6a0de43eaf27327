"""How well the win model would have done: fit before each past quarter, score that quarter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from dateutil.relativedelta import relativedelta
from sqlalchemy import and_
from sqlalchemy.orm import Session

from tools.day_numbers import start_of
from tools.models import CLOSED_STAGES, Deal
from tools.nudge_engine.facts import load_facts
from tools.nudge_engine.logistic import accuracy, brier, roc_auc
from tools.nudge_engine.win_model import fit_win_model
from tools.periods import quarter_of


def backtest(session: Session, quarters: int = 4, *, today: date) -> list[dict[str, Any]]:
    """One row per completed calendar quarter before `today`, oldest first.

    For a quarter starting on S: the model is fitted on deals closed before S, then predicts
    every deal that was open at S and closed during the quarter, from its facts as of S.
    """
    current = quarter_of(today).start
    starts = [current - relativedelta(months=3 * k) for k in range(quarters, 0, -1)]
    return [_quarter(session, start) for start in starts]


def _quarter(session: Session, start: date) -> dict[str, Any]:
    end = start + relativedelta(months=3)
    row: dict[str, Any] = {
        "quarter": quarter_of(start).label,
        "start": start.isoformat(),
        "end": (end - timedelta(days=1)).isoformat(),
    }
    opened_before, closed_within = start_of(start), start_of(end)
    held = and_(
        Deal.stage.in_(CLOSED_STAGES),
        Deal.created_at < opened_before,
        Deal.closed_at >= opened_before,
        Deal.closed_at < closed_within,
    )
    facts = list(load_facts(session, held, opened_before).values())
    actual = np.array([bool(f.won) for f in facts])
    model = fit_win_model(session, start)
    row |= {"n": len(facts), "won": int(actual.sum()), "trained_on": 0}
    if model is None or not facts:
        return row | {"accuracy": None, "baseline": None, "auc": None, "brier": None}
    p = model.probabilities(facts)
    majority = model.base_rate >= 0.5
    return row | {
        "trained_on": model.trained_on,
        "accuracy": round(accuracy(actual, p >= 0.5), 3),
        "baseline": round(float(np.mean(actual == majority)), 3),
        "auc": round(roc_auc(actual, p), 3) if 0 < actual.sum() < len(p) else None,
        "brier": round(brier(actual, p), 3),
    }


def format_backtest(rows: list[dict[str, Any]]) -> str:
    """A plain-text table of `backtest` rows, for a terminal or a code block."""
    head = ("quarter", "trained on", "deals", "won", "accuracy", "baseline", "AUC", "Brier")
    lines = [head]
    for r in rows:
        lines.append(
            (
                r["quarter"],
                str(r["trained_on"]),
                str(r["n"]),
                str(r["won"]),
                *(_num(r.get(k)) for k in ("accuracy", "baseline", "auc", "brier")),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = ["  ".join(_pad(line, widths)) for line in lines]
    note = "baseline: accuracy of always predicting the training set's majority outcome"
    return "\n".join([*text, note])


def _pad(cells: tuple[str, ...], widths: list[int]) -> list[str]:
    first, *rest = zip(cells, widths, strict=True)
    return [first[0].ljust(first[1]), *(cell.rjust(w) for cell, w in rest)]


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
