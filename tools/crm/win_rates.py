"""Stage win rates: the one definition every weighted pipeline, review and forecast uses.

P(won | the deal reached the stage) over the scope's own closed deals, shrunk toward the
company baseline (tools/crm/baseline.py) as if the baseline were PRIOR_DEALS more deals:

    rate = (won + PRIOR_DEALS * baseline rate) / (reached + PRIOR_DEALS)

A scope with little history gets about the baseline, a long one its own rate. Only the scope's
deals and the weekly baseline enter, so nothing another team does between two refreshes of the
baseline moves a rep's or a manager's figure: they cannot learn about other teams' deals by
asking twice and comparing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, case, distinct, func, select
from sqlalchemy.orm import Session

from tools.models import CLOSED_STAGES, OPEN_STAGES, Deal, DealStageHistory, Stage

if TYPE_CHECKING:
    from tools.crm.baseline import Baseline

# The baseline of a CRM with no closed deals at all.
DEFAULT_WIN_RATES: dict[Stage, Decimal] = {
    Stage.PROSPECTING: Decimal("0.10"),
    Stage.QUALIFICATION: Decimal("0.20"),
    Stage.PROPOSAL: Decimal("0.40"),
    Stage.NEGOTIATION: Decimal("0.60"),
}
PRIOR_DEALS = 10  # how many closed deals the baseline counts as
RATE_PLACES = Decimal("0.0001")
# Computing a whole company's rates (an admin's) takes about a second at a million deals.
RATES_TTL_SECONDS = 600.0
_CACHE_SIZE = 512
_cache: dict[tuple[Any, ...], tuple[float, StageRates]] = {}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class StageRates:
    """Win rates per open stage, how many closed deals of the scope they rest on, and the
    baseline's date (None: the built-in defaults, no company history yet)."""

    rates: dict[Stage, Decimal]
    closed: int
    baseline_as_of: date | None

    def pct(self, stage: Stage) -> str:
        """The rate as a percentage with one place: the only rounding any artifact shows."""
        return str((self.rates[stage] * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    def basis(self, label: str) -> dict[str, Any]:
        """Which history the rates come from, for the artifact (and the reader)."""
        base = (
            f"the company baseline of {self.baseline_as_of.isoformat()} (refreshed weekly)"
            if self.baseline_as_of
            else "salesbot's default rates (no company history yet)"
        )
        deals = f"{self.closed} closed deal{'s' * (self.closed != 1)}"
        return {
            "scope_closed_deals": self.closed,
            "baseline_as_of": self.baseline_as_of.isoformat() if self.baseline_as_of else None,
            "prior_deals": PRIOR_DEALS,
            "text": f"Win rates from the {deals} of {label}, blended with {base}.",
        }


def shrink(won: int, reached: int, toward: Decimal) -> Decimal:
    """`won` of `reached` pulled toward the rate `toward` by PRIOR_DEALS pseudo-deals."""
    value = (Decimal(won) + PRIOR_DEALS * toward) / Decimal(reached + PRIOR_DEALS)
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def closed_where(owner_ids: frozenset[int] | None, as_of: datetime | None) -> list[Any]:
    """Closed deals of the owners (None: everyone), closed before `as_of` when it is given."""
    where: list[ColumnElement[bool]] = [Deal.stage.in_(CLOSED_STAGES)]
    if owner_ids is not None:
        where.append(Deal.owner_id.in_(owner_ids))
    if as_of is not None:
        where.append(Deal.closed_at < as_of)
    return where


def reached_and_won(session: Session, where: list[Any]) -> dict[Stage, tuple[int, int]]:
    """Per open stage: closed deals matching `where` that reached it, and how many of them won."""
    won = case((Deal.stage == Stage.CLOSED_WON, Deal.id))
    rows = session.execute(
        select(DealStageHistory.to_stage, func.count(distinct(Deal.id)), func.count(distinct(won)))
        .join(Deal, Deal.id == DealStageHistory.deal_id)
        .where(*where, DealStageHistory.to_stage.in_(OPEN_STAGES))
        .group_by(DealStageHistory.to_stage)
    ).all()
    return {Stage(stage): (int(reached), int(n)) for stage, reached, n in rows}


def blend(
    counts: Mapping[Stage, tuple[int, int]], toward: Mapping[Stage, Decimal]
) -> dict[Stage, Decimal]:
    """Every open stage's shrunk rate from (reached, won) counts."""
    rates = {}
    for stage in OPEN_STAGES:
        reached, won = counts.get(stage, (0, 0))
        rates[stage] = shrink(won, reached, toward.get(stage, DEFAULT_WIN_RATES[stage]))
    return rates


def stage_win_rates(
    session: Session,
    owner_ids: frozenset[int] | None,
    baseline: Baseline,
    as_of: datetime | None = None,
) -> StageRates:
    """The scope's rates: its closed deals (before `as_of`, if given) shrunk toward `baseline`."""
    where = closed_where(owner_ids, as_of)
    counts = reached_and_won(session, where)
    closed = session.scalar(select(func.count()).select_from(Deal).where(*where)) or 0
    return StageRates(blend(counts, baseline.win_rates), int(closed), baseline.as_of)


def cached_stage_win_rates(
    session: Session, owner_ids: frozenset[int] | None, baseline: Baseline
) -> StageRates:
    """`stage_win_rates` now, kept until a stage changes anywhere or RATES_TTL_SECONDS pass.

    The newest deal_stage_history id (a primary-key lookup) moves whenever a deal changes
    stage, so a deal the scope closes is in the next answer; another team's change only costs
    a recomputation that gives the same figures. The time limit covers edits made outside
    salesbot (an owner changed in SQL, say).
    """
    newest = session.scalar(select(func.max(DealStageHistory.id)))
    url = str(session.get_bind().engine.url)
    key = (url, owner_ids, baseline.as_of, tuple(sorted(baseline.win_rates.items())), newest)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if hit is not None and now - hit[0] < RATES_TTL_SECONDS:
        return hit[1]
    rates = stage_win_rates(session, owner_ids, baseline)
    with _lock:
        _cache[key] = (now, rates)
        while len(_cache) > _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
    return rates
