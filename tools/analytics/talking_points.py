"""1:1 talking points, each one sentence built from a figure in the brief. Pure."""

from __future__ import annotations

from typing import Any

from tools.crm.money import format_money

# (key, what it is, the unit after the figure, whether higher is better)
_COMPARED = (
    ("attainment_pct", "Quota attainment", "%", True),
    ("win_rate_pct", "Win rate", "%", True),
    ("avg_deal_size", "Average deal size", "$", True),
    ("cycle_days", "Sales cycle", " days", False),
    ("pipeline_created", "Pipeline created", "$", True),
)


def _show(value: str, unit: str) -> str:
    return format_money(value) if unit == "$" else f"{value}{unit}"


def kpi_point(
    key: str, label: str, unit: str, higher: bool, rep: dict[str, Any], team: dict[str, Any]
) -> str | None:
    mine, median = rep.get(key), team.get(key)
    if mine is None or median is None:
        return None
    diff = float(mine) - float(median)
    if diff == 0:
        verdict = "level with"
    else:
        better = (diff > 0) == higher
        verdict = "ahead of" if better else "behind"
    return f"{label} {_show(mine, unit)}, {verdict} the team median of {_show(median, unit)}."


def activity_point(rep: dict[str, Any], team: dict[str, Any]) -> str | None:
    mine = rep.get("activities_per_week", {})
    median = team.get("activities_per_week", {})
    total = sum(float(v) for v in mine.values() if v is not None)
    team_total = sum(float(v) for v in median.values() if v is not None)
    if not mine or not median:
        return None
    return (
        f"{total:.1f} activities a week (meetings {mine.get('meeting') or '0.0'}), against a "
        f"team median of {team_total:.1f}."
    )


def risk_points(risks: list[dict[str, Any]]) -> list[str]:
    """One point for the deals at risk: their count and the riskiest. The brief lists them all
    under its talking points, so a count never introduces a shorter list here."""
    if not risks:
        return []
    top = risks[0]
    why = "; ".join(r["text"].rstrip(".") for r in top["risks"][:2])
    count = f"{len(risks)} open deal{'s' * (len(risks) != 1)} flagged at risk"
    lead = "the riskiest" if len(risks) > 1 else "it is"
    return [f"{count}; {lead}: {top['name']} ({format_money(top['amount'])}): {why}."]


def talking_points(
    rep: dict[str, Any], team: dict[str, Any], risks: list[dict[str, Any]]
) -> list[str]:
    """KPI comparisons against the team median, activity, then the riskiest deals."""
    points = [kpi_point(*spec, rep, team) for spec in _COMPARED]
    points.append(activity_point(rep, team))
    return [p for p in points if p] + risk_points(risks)
