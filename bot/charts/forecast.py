"""Forecast against quota (closed won, expected with its range, quota line) and its backtest."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.charts.chart import Chart, make_chart, new_figure
from bot.charts.style import (
    BLUE,
    DARK_BLUE,
    GREEN,
    GREY,
    LABEL_SIZE,
    LIGHT_GREEN,
    RED,
    clean,
    headroom,
    money_axis,
    titled,
)
from bot.charts.values import Artifact, has_value, money_label, number, pct_label, scope_title

NAME = "forecast"


def forecast_chart(artifact: Artifact) -> Chart | None:
    title = scope_title(artifact, "Forecast against quota")
    return make_chart(NAME, title, forecast_figure(artifact), forecast_alt(artifact))


def forecast_figure(artifact: Artifact) -> Figure:
    figure = new_figure()
    titled(figure, scope_title(artifact, "Forecast against quota"), _summary(artifact))
    backtest = artifact.get("backtest") or []
    if backtest:
        left, right = figure.subplots(1, 2, width_ratios=[1, 2])
        _draw_forecast(left, artifact)
        _draw_backtest(right, artifact, backtest)
    else:
        _draw_forecast(figure.add_subplot(), artifact)
    return figure


def _draw_forecast(ax: Axes, a: Artifact) -> None:
    """Expected (light) with closed won inside it (dark), the low-high range, the quota line."""
    cur = a.get("currency")
    expected, won = number(a.get("expected")), number(a.get("closed_won"))
    low, high, quota = number(a.get("low")), number(a.get("high")), number(a.get("quota"))
    ax.bar([0], [expected], 0.6, color=LIGHT_GREEN, label="Expected")
    ax.bar([0], [won], 0.6, color=GREEN, label="Closed won")
    ax.vlines([0], [low], [high], color=GREY, linewidth=2, label="Range (low–high)")
    ax.hlines([low, high], -0.08, 0.08, color=GREY, linewidth=2)
    # Labels beside the bar, clear of the range line drawn through its middle.
    for height, text in ((expected, "expected"), (won, "closed_won")):
        label = f"{text.replace('_', ' ').capitalize()} {money_label(a.get(text), cur)}"
        ax.annotate(label, (0.32, height), va="center", fontsize=LABEL_SIZE)
    if has_value(a.get("quota")):
        ax.axhline(quota, color=RED, linestyle="--", label=f"Quota {money_label(a['quota'], cur)}")
    ax.set_xticks([0], [str((a.get("period") or {}).get("label") or "This period")])
    ax.set_xlim(-0.8, 0.8)
    money_axis(ax, cur)
    clean(ax)
    headroom(ax, max(expected, high, quota, won))
    ax.legend(loc="upper left", frameon=False, fontsize=LABEL_SIZE)


def _draw_backtest(ax: Axes, a: Artifact, rows: list[Artifact]) -> None:
    """Each past quarter: what the method forecast beside what closed, with its error."""
    cur = a.get("currency")
    x = list(range(len(rows)))
    forecast = [number(r.get("forecast")) for r in rows]
    actual = [number(r.get("actual")) for r in rows]
    ax.bar([i - 0.2 for i in x], forecast, 0.4, color=BLUE, label="Forecast")
    actual_bars = ax.bar([i + 0.2 for i in x], actual, 0.4, color=DARK_BLUE, label="Actual")
    errors = [f"error {pct_label(r.get('error_pct'))}" for r in rows]
    ax.bar_label(actual_bars, errors, padding=3, fontsize=LABEL_SIZE)
    ticks = [f"{(r.get('period') or {}).get('label', '')}\n{_pair(r, cur)}" for r in rows]
    ax.set_xticks(x, ticks, fontsize=LABEL_SIZE - 1)
    ax.set_title(f"Backtest, mean abs. error {pct_label(a.get('backtest_mae_pct'))}", fontsize=11)
    money_axis(ax, cur)
    clean(ax)
    headroom(ax, max(forecast + actual))
    ax.legend(loc="upper left", frameon=False, fontsize=LABEL_SIZE)


def _pair(row: Artifact, currency: str | None) -> str:
    """Two short lines, so exact cents still fit under each quarter's pair of bars."""
    return (
        f"forecast {money_label(row.get('forecast'), currency)}\n"
        f"actual {money_label(row.get('actual'), currency)}"
    )


def _summary(a: Artifact) -> str:
    cur = a.get("currency")
    return (
        f"Expected {money_label(a.get('expected'), cur)} "
        f"(range {money_label(a.get('low'), cur)}–{money_label(a.get('high'), cur)}) · "
        f"quota {money_label(a.get('quota'), cur)} · "
        f"attainment {pct_label(a.get('attainment_expected_pct'))}"
    )


def forecast_alt(a: Artifact) -> str:
    cur = a.get("currency")
    quarters = "; ".join(
        f"{(r.get('period') or {}).get('label', '')}: forecast "
        f"{money_label(r.get('forecast'), cur)}, actual {money_label(r.get('actual'), cur)}, "
        f"error {pct_label(r.get('error_pct'))}"
        for r in a.get("backtest") or []
    )
    backtest = f" Backtest: {quarters}." if quarters else ""
    return (
        f"Bar chart. {scope_title(a, 'Forecast against quota')}. Closed won "
        f"{money_label(a.get('closed_won'), cur)}. {_summary(a)}.{backtest}"
    )
