"""Win likelihood: a logistic regression over the team's closed deals, explained feature by feature.

A closed deal is described as it was just before it closed (its last open stage, the activity
before the close), an open deal as it is at the cutoff; see `facts.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from tools.crm.money import format_money
from tools.day_numbers import start_of
from tools.models import CLOSED_STAGES, Deal
from tools.nudge_engine.facts import DealFacts, feature_matrix, feature_vector, load_facts
from tools.nudge_engine.logistic import LogisticModel

FEATURES = (
    "stage",
    "age_days",
    "log_amount",
    "activities_30d",
    "activities_total",
    "contacts",
    "days_quiet",
    "stage_moves",
)
MIN_CLOSED = 20
MAX_TRAINING = 20_000  # the most recent closed deals: recent behaviour, bounded fitting time


@dataclass(frozen=True)
class WinModel:
    """A fitted model and what it was fitted on."""

    model: LogisticModel
    trained_on: int
    won: int
    as_of: date

    @property
    def base_rate(self) -> float:
        return self.won / self.trained_on

    def probabilities(self, facts: Sequence[DealFacts]) -> np.ndarray:
        """P(won) for each deal, in order."""
        if not facts:
            return np.zeros(0)
        return self.model.probabilities(feature_matrix(facts))

    def contributions(self, f: DealFacts) -> dict[str, float]:
        """Each feature's push on the log-odds: its coefficient times its standardised value."""
        scaled = self.model.scaler.transform(np.array(feature_vector(f), dtype=float))
        return dict(zip(FEATURES, (scaled * self.model.coef).tolist(), strict=True))

    def drivers(self, f: DealFacts, top: int = 3) -> list[str]:
        """The features that raise this deal's likelihood most, in words."""
        ranked = sorted(self.contributions(f).items(), key=lambda kv: -kv[1])
        chosen = [name for name, push in ranked[:top] if push > 0] or [ranked[0][0]]
        return [describe(name, f) for name in chosen]


def describe(feature: str, f: DealFacts) -> str:
    """One feature of one deal in plain words."""
    n = {
        "age_days": f.age_days,
        "activities_30d": f.recent,
        "activities_total": f.activities,
        "contacts": f.contacts,
        "days_quiet": f.days_quiet,
        "stage_moves": f.moves,
    }.get(feature, 0)
    words = {
        "stage": f"in {f.stage.value}",
        "age_days": f"{n} days old",
        "log_amount": f"a {format_money(str(round(f.amount, 2)))} deal",
        "activities_30d": f"{n} touch{'es' * (n != 1)} in the last 30 days",
        "activities_total": f"{n} interaction{'s' * (n != 1)} so far",
        "contacts": f"{n} contact{'s' * (n != 1)} engaged",
        "days_quiet": "active this week" if n <= 7 else f"last touch {n} days ago",
        "stage_moves": f"{n} stage move{'s' * (n != 1)}",
    }
    return words[feature]


def fit_win_model(session: Session, as_of: date) -> WinModel | None:
    """Fit on deals closed before `as_of` (at most MAX_TRAINING, the latest).

    Returns None with fewer than MIN_CLOSED closed deals, or when they are all won or all lost.
    """
    cutoff = start_of(as_of)
    closed = and_(Deal.stage.in_(CLOSED_STAGES), Deal.closed_at < cutoff)
    latest = (
        select(Deal.id)
        .where(closed)
        .order_by(Deal.closed_at.desc(), Deal.id.desc())
        .limit(MAX_TRAINING)
    )
    facts = list(load_facts(session, and_(closed, Deal.id.in_(latest)), cutoff).values())
    labels = np.array([bool(f.won) for f in facts])
    if len(facts) < MIN_CLOSED or labels.all() or not labels.any():
        return None
    model = LogisticModel.fit(feature_matrix(facts), labels)
    return WinModel(model, len(facts), int(labels.sum()), as_of)
