"""What was known about each deal at a moment: the win model's features and the rules' facts.

Everything is read "as of" a snapshot. For a deal still open at the cutoff that is the cutoff.
For a deal that closed before it, it is a point partway through its life (10-90% of the way from
creation to close, fixed per deal): the model then learns from deals seen mid-flight, the way it
sees the open deals it scores, instead of from their last day. Only activities and stage moves
strictly before the snapshot count, so nothing after a cutoff can leak into a fit or a test.
Instants are day numbers (see `dates.py`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from tools.models import CLOSED_STAGES, OPEN_STAGES, Activity, Deal, DealStageHistory, Stage
from tools.portable_sql import at_fraction, days_between, epoch_days

RECENT_DAYS = 30
STAGES = {s.value: s for s in Stage}
_ORDINAL = {s: i for i, s in enumerate(OPEN_STAGES)}


@dataclass(slots=True)
class DealFacts:
    """One deal as of its snapshot; `created`, `snapshot`, `last` and `stage_since` are days."""

    deal_id: int
    owner_id: int
    current: Stage  # the deal's stage today
    amount: float
    close_day: int  # the close date as a day number
    created: float
    snapshot: float
    won: bool | None  # the eventual outcome; None while the deal is still open
    stage: Stage = Stage.PROSPECTING  # the furthest open stage reached by the snapshot
    stage_since: float | None = None  # the last stage move before the snapshot
    moves: int = 0
    activities: int = 0
    recent: int = 0  # activities in the RECENT_DAYS before the snapshot
    contacts: int = 0
    last: float | None = None  # the last activity before the snapshot

    @property
    def age_days(self) -> int:
        return int(self.snapshot - self.created)

    @property
    def days_quiet(self) -> int:
        """Days since the last activity, or since creation when there was none."""
        return int(self.snapshot - (self.created if self.last is None else self.last))


def life_fraction(deal_id: int) -> float:
    """How far through its life a closed deal is observed: 0.1-0.9, spread by id."""
    return 0.1 + 0.8 * ((deal_id % 101) * 37 % 101) / 100


def snapshot_of(as_of: datetime) -> ColumnElement[Any]:
    """SQL for each deal's snapshot; `life_fraction` and `_deals` compute the same in Python."""
    cutoff = literal(as_of, DateTime(timezone=True))
    fraction = 0.1 + 0.8 * ((Deal.id % 101) * 37 % 101) / 100.0
    midway = at_fraction(Deal.created_at, Deal.closed_at, fraction)
    # A reopened deal may keep its old closed_at: only a closed stage makes it history.
    ended = and_(Deal.stage.in_(CLOSED_STAGES), Deal.closed_at < cutoff)
    return case((ended, midway), else_=cutoff)


def load_facts(
    session: Session, where: ColumnElement[bool], as_of: datetime
) -> dict[int, DealFacts]:
    """Facts of every deal matching `where` as of `as_of` (UTC), in three queries."""
    facts = _deals(session, where, as_of)
    _add_activity(session, where, as_of, facts)
    _add_stages(session, where, as_of, facts)
    return facts


def _deals(session: Session, where: ColumnElement[bool], as_of: datetime) -> dict[int, DealFacts]:
    cutoff = as_of.timestamp() / 86_400
    rows = session.connection().execute(
        select(
            Deal.id,
            Deal.owner_id,
            type_coerce(Deal.stage, String),
            cast(Deal.amount, Float),
            epoch_days(Deal.close_date),
            epoch_days(Deal.created_at),
            epoch_days(Deal.closed_at),
        ).where(where)
    )
    facts = {}
    for deal_id, owner, stage, amount, close_day, created, closed in rows:
        current = STAGES[stage]
        is_open = current in _ORDINAL
        if is_open or closed is None or closed >= cutoff:
            snapshot = cutoff
        else:
            snapshot = created + (closed - created) * life_fraction(deal_id)
        facts[deal_id] = DealFacts(
            deal_id,
            owner,
            current,
            amount or 0.0,
            math.floor(close_day),
            created,
            snapshot,
            None if is_open else current == Stage.CLOSED_WON,
            current if is_open else Stage.PROSPECTING,
        )
    return facts


def _add_activity(
    session: Session, where: ColumnElement[bool], as_of: datetime, facts: dict[int, DealFacts]
) -> None:
    snap = snapshot_of(as_of)
    recent = case((days_between(Activity.occurred_at, snap) <= RECENT_DAYS, 1), else_=0)
    rows = session.connection().execute(
        select(
            Activity.deal_id,
            func.count(),
            func.sum(recent),
            func.count(distinct(Activity.contact_id)),
            func.max(epoch_days(Activity.occurred_at)),
        )
        .join(Deal, Deal.id == Activity.deal_id)
        .where(where, Activity.occurred_at < snap)
        .group_by(Activity.deal_id)
    )
    for deal_id, total, last_30, contacts, last in rows:
        f = facts[deal_id]
        f.activities, f.recent, f.contacts, f.last = total, last_30 or 0, contacts, last


def _add_stages(
    session: Session, where: ColumnElement[bool], as_of: datetime, facts: dict[int, DealFacts]
) -> None:
    h = DealStageHistory
    rows = session.connection().execute(
        select(
            h.deal_id,
            func.max(case(_ORDINAL, value=h.to_stage)),
            func.max(epoch_days(h.changed_at)),
            func.sum(case((h.from_stage.is_not(None), 1), else_=0)),
        )
        .join(Deal, Deal.id == h.deal_id)
        .where(where, h.changed_at < snapshot_of(as_of), h.to_stage.in_(OPEN_STAGES))
        .group_by(h.deal_id)
    )
    for deal_id, furthest, since, moves in rows:
        f = facts[deal_id]
        f.stage, f.stage_since, f.moves = OPEN_STAGES[furthest], since, moves or 0


def feature_matrix(facts: Sequence[DealFacts]) -> np.ndarray:
    """The model's inputs, one row per deal, built column by column (a million in a second)."""
    stage = np.array([_ORDINAL[f.stage] for f in facts], dtype=float)
    snapshot = np.array([f.snapshot for f in facts])
    created = np.array([f.created for f in facts])
    last = np.array([f.created if f.last is None else f.last for f in facts])
    amount = np.array([f.amount for f in facts])
    counts = np.array([(f.recent, f.activities, f.contacts) for f in facts], dtype=float)
    moves = np.array([f.moves for f in facts], dtype=float)
    columns = (
        stage,
        np.maximum(np.trunc(snapshot - created), 0),
        np.log1p(np.maximum(amount, 0)),
        *counts.reshape(-1, 3).T,
        np.maximum(np.trunc(snapshot - last), 0),
        moves,
    )
    return np.column_stack(columns)


def feature_vector(f: DealFacts) -> list[float]:
    """The model's inputs for one deal, in the order of `win_model.FEATURES`."""
    return [float(x) for x in feature_matrix([f])[0]]
