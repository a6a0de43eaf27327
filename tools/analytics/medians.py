"""The team median of each KPI, over the reps who have a value for it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

MONEY_KEYS = ("quota", "won_amount", "avg_deal_size", "pipeline_created")
ONE_PLACE_KEYS = ("attainment_pct", "win_rate_pct", "cycle_days")


def _median(values: list[Any], places: str) -> str | None:
    present = [Decimal(str(v)) for v in values if v is not None]
    if not present:
        return None
    return str(Decimal(median(present)).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def team_median(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Same keys as a KPI row's figures; None where no rep has a value."""
    out: dict[str, Any] = {k: _median([r[k] for r in rows], "0.01") for k in MONEY_KEYS}
    out |= {k: _median([r[k] for r in rows], "0.1") for k in ONE_PLACE_KEYS}
    kinds = rows[0]["activities_per_week"].keys() if rows else ()
    out["activities_per_week"] = {
        k: _median([r["activities_per_week"][k] for r in rows], "0.1") for k in kinds
    }
    return out
