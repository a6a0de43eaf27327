"""Billing charts: revenue received per month, and the accounts worth the most over their
lifetime (paid to date, and what they are expected to pay still). Other billing lists (unpaid
invoices, renewals, churn risk) are read better as the table they already are."""

from __future__ import annotations

from matplotlib.figure import Figure

from bot.charts.chart import Chart, make_chart, new_figure
from bot.charts.style import BLUE, DARK_BLUE, LABEL_SIZE, money_axis, titled
from bot.charts.values import Artifact, has_value, money_label, number

MAX_ACCOUNTS = 15  # more bars than this stop being readable at 675 px


def revenue_chart(artifact: Artifact) -> Chart | None:
    kind = artifact.get("kind")
    if not artifact.get("rows"):
        return None
    if kind == "revenue":
        return make_chart(
            "revenue_by_month", artifact["title"], monthly_figure(artifact), monthly_alt(artifact)
        )
    if kind == "lifetime_value":
        return make_chart(
            "lifetime_value", artifact["title"], lifetime_figure(artifact), lifetime_alt(artifact)
        )
    return None


def monthly_figure(artifact: Artifact) -> Figure:
    rows, cur = artifact["rows"], artifact.get("currency")
    figure = new_figure()
    titled(figure, artifact["title"], "Money received, by month paid")
    ax = figure.add_subplot()
    x = list(range(len(rows)))
    bars = ax.bar(x, [number(r.get("revenue")) for r in rows], 0.6, color=DARK_BLUE)
    ax.bar_label(
        bars, [money_label(r.get("revenue"), cur) for r in rows], padding=3, fontsize=LABEL_SIZE
    )
    ax.set_xticks(x, [str(r.get("month", "")) for r in rows])
    money_axis(ax, cur)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return figure


def monthly_alt(artifact: Artifact) -> str:
    cur = artifact.get("currency")
    months = "; ".join(
        f"{r.get('month', '')}: {money_label(r.get('revenue'), cur)}" for r in artifact["rows"]
    )
    return f"Bar chart. {artifact['title']}. {months}."


def lifetime_figure(artifact: Artifact) -> Figure:
    rows, cur = artifact["rows"][:MAX_ACCOUNTS], artifact.get("currency")
    figure = new_figure()
    shown, total = len(rows), artifact.get("total_count", len(rows))
    subtitle = "Paid to date, and expected still" + (
        f" · top {shown} of {total}" if shown < total else ""
    )
    titled(figure, artifact["title"], subtitle)
    ax = figure.add_subplot()
    y = list(range(len(rows)))
    paid = [number(r.get("realised")) for r in rows]
    still = [max(0.0, number(r.get("expected")) - p) for r, p in zip(rows, paid, strict=True)]
    ax.barh(y, paid, 0.6, color=DARK_BLUE, label="Paid to date")
    bars = ax.barh(y, still, 0.6, left=paid, color=BLUE, label="Expected still")
    ax.bar_label(bars, [_expected(r, cur) for r in rows], padding=4, fontsize=LABEL_SIZE)
    ax.set_yticks(y, [str(r.get("account", "")) for r in rows])
    ax.invert_yaxis()  # the most valuable on top, as in the artifact's order
    ax.set_xlim(0, max([p + s for p, s in zip(paid, still, strict=True)] + [1.0]) * 1.3)
    money_axis(ax, cur, axis="x")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower right", frameon=False, fontsize=LABEL_SIZE)
    return figure


def _expected(row: Artifact, currency: str | None) -> str:
    paid = money_label(row.get("realised"), currency)
    if not has_value(row.get("expected")):
        return f"paid {paid}"
    return f"{money_label(row.get('expected'), currency)} (paid {paid})"


def lifetime_alt(artifact: Artifact) -> str:
    cur = artifact.get("currency")
    accounts = "; ".join(
        f"{r.get('account', '')}: {_expected(r, cur)}" for r in artifact["rows"][:MAX_ACCOUNTS]
    )
    return f"Horizontal bar chart. {artifact['title']}. {accounts}."
