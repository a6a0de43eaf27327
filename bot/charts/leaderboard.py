"""The rep leaderboard: quota attainment bars in the artifact's order, 100% and median lines."""

from __future__ import annotations

from matplotlib.figure import Figure

from bot.charts.chart import Chart, make_chart, new_figure
from bot.charts.style import BLUE, DARK_BLUE, GREY, LABEL_SIZE, RED, titled
from bot.charts.values import Artifact, has_value, money_label, number, pct_label, scope_title

NAME = "rep_leaderboard"
MAX_REPS = 20  # more bars than this stop being readable at 675 px


def leaderboard_chart(artifact: Artifact) -> Chart | None:
    if not artifact.get("rows"):
        return None
    title = scope_title(artifact, "Quota attainment")
    return make_chart(NAME, title, leaderboard_figure(artifact), leaderboard_alt(artifact))


def leaderboard_figure(artifact: Artifact) -> Figure:
    rows = artifact["rows"][:MAX_REPS]
    figure = new_figure()
    titled(figure, scope_title(artifact, "Quota attainment"), _subtitle(artifact))
    ax = figure.add_subplot()
    y = list(range(len(rows)))
    attainment = [number(r.get("attainment_pct")) for r in rows]
    colours = [DARK_BLUE if number(r.get("attainment_pct")) >= 100 else BLUE for r in rows]
    bars = ax.barh(y, attainment, 0.6, color=colours)
    ax.bar_label(bars, [_bar_label(r, artifact) for r in rows], padding=4, fontsize=LABEL_SIZE)
    ax.set_yticks(y, [f"{r.get('rank', i + 1)}. {r.get('name', '')}" for i, r in enumerate(rows)])
    ax.invert_yaxis()  # the leader on top, as in the artifact's order
    ax.axvline(100, color=RED, linestyle="--", label="Quota (100%)")
    median = (artifact.get("team_median") or {}).get("attainment_pct")
    if has_value(median):
        ax.axvline(number(median), color=GREY, linestyle=":", label=f"Team median {median}%")
    ax.set_xlim(0, max([*attainment, 100.0]) * 1.35)
    ax.set_xlabel("Quota attainment (%)")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower right", frameon=False, fontsize=LABEL_SIZE)
    return figure


def _bar_label(row: Artifact, artifact: Artifact) -> str:
    cur = artifact.get("currency")
    won = money_label(row.get("won_amount"), cur)
    if not has_value(row.get("attainment_pct")):
        return f"no quota · won {won}"
    return f"{row['attainment_pct']}% · {won} of {money_label(row.get('quota'), cur)}"


def _subtitle(artifact: Artifact) -> str:
    shown = len(artifact["rows"][:MAX_REPS])
    total = len(artifact["rows"])
    return f"Top {shown} of {total} reps" if shown < total else f"{total} reps"


def leaderboard_alt(artifact: Artifact) -> str:
    reps = "; ".join(
        f"{r.get('rank', '')}. {r.get('name', '')}: {pct_label(r.get('attainment_pct'))}"
        f" ({_bar_label(r, artifact)})"
        for r in artifact["rows"]
    )
    return f"Horizontal bar chart. {scope_title(artifact, 'Quota attainment')}. {reps}."
