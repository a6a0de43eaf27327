"""The company baseline: the whole CRM's stage win rates and stage-stay percentiles, weekly.

One row per stage per week in `stage_rate_baselines`, for the Monday it is dated (`as_of`),
computed from the history before midnight UTC that day and then never changed. Every rep's and
manager's figures are their own history shrunk toward it (tools/crm/win_rates.py,
tools/crm/stage_stats.py), so the only way another team's deals reach those figures is this
row, once a week. The scheduler's tick writes the new week's row (`refresh_baseline`); if none
ran, the first figure asked for that week does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tools.crm.stage_stats import (
    MIN_SAMPLES,
    history_start,
    merged,
    percentiles,
    stay_histograms,
)
from tools.crm.win_rates import DEFAULT_WIN_RATES, blend, closed_where, reached_and_won
from tools.day_numbers import start_of
from tools.models import OPEN_STAGES, Stage, StageRateBaseline

log = logging.getLogger(__name__)
PERIOD_DAYS = 7  # a new baseline every Monday


@dataclass(frozen=True, slots=True)
class Baseline:
    """Win rate and p75 days per open stage; `as_of` None is the built-in default."""

    as_of: date | None
    win_rates: dict[Stage, Decimal] = field(default_factory=lambda: dict(DEFAULT_WIN_RATES))
    p75: dict[Stage, int] = field(default_factory=dict)


DEFAULT_BASELINE = Baseline(None)


def period_start(day: date) -> date:
    """The Monday on or before `day`: the date of the baseline in force that day."""
    return day - timedelta(days=day.weekday())


def baseline_for(session: Session, day: date) -> Baseline:
    """The baseline in force on `day`: the stored one, or computed and stored now."""
    as_of = period_start(day)
    return load_baseline(session, as_of) or _refresh(session, as_of)


def baseline_at(session: Session, day: date) -> Baseline:
    """The latest stored baseline dated on or before `day`, never computed: for replaying the
    past (a backtest must not see a baseline built from what came after)."""
    as_of = session.scalar(
        select(StageRateBaseline.as_of)
        .where(StageRateBaseline.as_of <= day)
        .order_by(StageRateBaseline.as_of.desc())
        .limit(1)
    )
    return (load_baseline(session, as_of) if as_of else None) or DEFAULT_BASELINE


def refresh_baseline(sessions: sessionmaker[Session], day: date) -> Baseline:
    """Make sure the baseline in force on `day` is stored (the scheduler calls this)."""
    with sessions() as session:
        return baseline_for(session, day)


def load_baseline(session: Session, as_of: date) -> Baseline | None:
    rows = session.scalars(select(StageRateBaseline).where(StageRateBaseline.as_of == as_of)).all()
    return _from_rows(as_of, rows) if rows else None


def compute_baseline(session: Session, as_of: date) -> list[StageRateBaseline]:
    """The rows for `as_of`: every closed deal and finished stay before midnight UTC that day."""
    cutoff = start_of(as_of)
    counts = reached_and_won(session, closed_where(None, cutoff))
    rates = blend(counts, DEFAULT_WIN_RATES)
    stays = percentiles(merged(stay_histograms(session, history_start(as_of), until=cutoff)))
    now = datetime.now(UTC)
    rows = []
    for stage in OPEN_STAGES:
        reached, won = counts.get(stage, (0, 0))
        p75, n = stays.get(stage, (0, 0))
        rows.append(
            StageRateBaseline(
                as_of=as_of, stage=stage, reached=reached, won=won, win_rate=rates[stage],
                stays=n, p75_days=p75 if n >= MIN_SAMPLES else None, computed_at=now,
            )
        )  # fmt: skip
    return rows


def _refresh(session: Session, as_of: date) -> Baseline:
    rows = compute_baseline(session, as_of)
    computed = _from_rows(as_of, rows)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    try:
        # Its own transaction: the asker's session may be read-only, and the row must outlive it.
        with Session(engine) as writer, writer.begin():
            writer.add_all(rows)
    except SQLAlchemyError as exc:
        # Another process stored this week's row first (theirs wins, so everyone agrees), or the
        # database is busy: then these figures serve this answer and the next one stores them.
        log.info("stage baseline %s not stored here: %s", as_of, type(exc).__name__)
        return load_baseline(session, as_of) or computed
    log.info("stage baseline %s stored", as_of)
    return computed


def _from_rows(as_of: date, rows: Sequence[StageRateBaseline]) -> Baseline:
    rates = dict(DEFAULT_WIN_RATES)
    p75 = {}
    for row in rows:
        stage = Stage(row.stage)
        rates[stage] = Decimal(row.win_rate).quantize(Decimal("0.0001"))
        if row.p75_days is not None:
            p75[stage] = int(row.p75_days)
    return Baseline(as_of, rates, p75)
