"""The artifact forms of figures: percentages with one place, ratios with two, periods."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tools.crm.money import to_decimal
from tools.periods import Period


def pct(part: object, whole: object) -> str | None:
    """100 * part / whole with one decimal place, or None when `whole` is zero or missing."""
    top, bottom = Decimal(str(part or 0)), Decimal(str(whole or 0))
    if bottom == 0:
        return None
    return str((top * 100 / bottom).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def one_place(value: float | Decimal | None) -> str | None:
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def ratio(top: object, bottom: object) -> str | None:
    """top / bottom with two places, or None when `bottom` is not positive."""
    b = to_decimal(bottom)
    if b <= 0:
        return None
    return str((to_decimal(top) / b).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def period_dict(period: Period) -> dict[str, Any]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}
