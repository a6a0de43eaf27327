"""Pipeline by stage: amount bars with the weighted amount overlaid, counts and exact labels."""

from __future__ import annotations

from matplotlib.figure import Figure

from bot.charts.chart import Chart, make_chart, new_figure
from bot.charts.style import BLUE, DARK_BLUE, LABEL_SIZE, clean, headroom, money_axis, titled
from bot.charts.values import (
    Artifact,
    deals,
    money_label,
    number,
    rate_label,
    scope_title,
    stage_label,
)

NAME = "pipeline_by_stage"


def pipeline_chart(artifact: Artifact) -> Chart | None:
    """For a "pipeline" or "pipeline_review" artifact; None when it has no stages."""
    if not artifact.get("by_stage"):
        return None
    title = scope_title(artifact, "Pipeline by stage")
    return make_chart(NAME, title, pipeline_figure(artifact), pipeline_alt(artifact))


def pipeline_figure(artifact: Artifact) -> Figure:
    rows = artifact["by_stage"]
    cur = artifact.get("currency")
    figure = new_figure()
    titled(figure, scope_title(artifact, "Pipeline by stage"), _totals(artifact))
    ax = figure.add_subplot()
    x = list(range(len(rows)))
    amounts = [number(r.get("amount")) for r in rows]
    bars = ax.bar(x, amounts, 0.7, color=BLUE, label="Amount")
    weighted = [number(r.get("weighted_amount")) for r in rows]
    ax.bar(x, weighted, 0.4, color=DARK_BLUE, label="Weighted")
    labels = [f"{deals(r.get('count', 0))}\n{money_label(r.get('amount'), cur)}" for r in rows]
    ax.bar_label(bars, labels, padding=3, fontsize=LABEL_SIZE)
    ax.set_xticks(x, [_stage_tick(r) for r in rows])
    money_axis(ax, cur)
    clean(ax)
    headroom(ax, max(amounts + weighted))
    ax.legend(loc="upper right", frameon=False)
    return figure


def _stage_tick(row: Artifact) -> str:
    rate = row.get("win_rate_pct")
    text = f"{rate}%" if rate is not None else rate_label(row.get("win_rate"))
    suffix = f"\n(win rate {text})" if text else ""
    return f"{stage_label(row.get('stage'))}{suffix}"


def _totals(artifact: Artifact) -> str:
    cur = artifact.get("currency")
    open_amount = money_label(artifact.get("open_amount"), cur)
    parts = [
        f"Open {deals(artifact.get('open_count', 0))} · {open_amount}",
        f"weighted {money_label(artifact.get('weighted_amount'), cur)}",
    ]
    if artifact.get("coverage") is not None:
        parts.append(f"coverage {artifact['coverage']}x")
    return " · ".join(parts)


def pipeline_alt(artifact: Artifact) -> str:
    cur = artifact.get("currency")
    stages = "; ".join(
        f"{stage_label(r.get('stage'))}: {deals(r.get('count', 0))}, "
        f"{money_label(r.get('amount'), cur)} "
        f"(weighted {money_label(r.get('weighted_amount'), cur)})"
        for r in artifact.get("by_stage", [])
    )
    return (
        f"Bar chart. {scope_title(artifact, 'Pipeline by stage')}. {_totals(artifact)}. {stages}."
    )
