"""Rich tables for the manager analytics artifacts: the figures exactly as the tools returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table

from bot.cli.text import cells, markup, safe
from tools.artifacts import ArtifactType, past_due_sentence
from tools.crm.money import format_money
from tools.display import count_of, label

_KINDS = ("new", "advanced", "slipped", "pushed", "won", "lost")


def _m(value: str | None, currency: str = "USD") -> str:
    return format_money(value, currency) if value is not None else "—"


def _pct(value: str | None) -> str:
    return f"{value}%" if value is not None else "—"


def _title(a: dict[str, Any], what: str) -> str:
    period = a.get("period") or {}
    when = f", {period['label']} ({period['start']} to {period['end']})" if period else ""
    return f"{what} for {a['scope_label']}{when}"


def _table(title: str, *columns: str, right: tuple[str, ...] = ()) -> Table:
    # Titles and every cell go through safe()/cells(): names and notes are CRM text.
    table = Table(title=safe(title), title_justify="left")
    for col in columns:
        table.add_column(col, justify="right" if col in right else "left")
    return table


def review(a: dict[str, Any]) -> RenderableType:
    cur = a.get("currency", "USD")
    money_cols = ("Deals", "Amount", "Win rate", "Weighted")
    stages = _table(_title(a, "Pipeline review"), "Stage", *money_cols, right=money_cols)
    for s in a["by_stage"]:
        stages.add_row(*cells(
            label(s["stage"]), s["count"], _m(s["amount"], cur), _pct(s["win_rate_pct"]),
            _m(s["weighted_amount"], cur),
        ))  # fmt: skip
    stages.add_row(*cells(
        markup("[b]Open total[/b]"), a["open_count"], _m(a["open_amount"], cur), "",
        _m(a["weighted_amount"], cur),
    ))  # fmt: skip
    stages.add_row(*cells("Closed won", a["won_count"], _m(a["won_amount"], cur), "", ""))
    coverage = f"{a['coverage']}x" if a.get("coverage") else "n/a"
    stages.caption = safe(
        f"Quota {_m(a.get('quota'), cur)}, remaining {_m(a.get('quota_remaining'), cur)}, "
        f"coverage {coverage}"
        + (f". {a['note']}" if a.get("note") else "")
        + "".join(
            f"\n{due}"
            for due in [past_due_sentence(a.get("past_due"), lambda m: _m(m, cur))]
            if due
        )
    )
    changes = _table(f"Changes since {a['since']}", "Change", "Deal", "Owner", "Amount", "Detail")
    for kind in _KINDS:
        for r in a["changes"].get(kind, []):
            detail = ""
            if kind == "advanced":
                detail = f"{label(r['from_stage'])} → {label(r['to_stage'])}"
            elif kind in ("slipped", "pushed"):
                detail = f"{r['old_close_date']} → {r['new_close_date']}"
            changes.add_row(
                *cells(label(kind), r["name"], r["owner"], _m(r["amount"], cur), detail)
            )
    counts = a.get("change_counts", {})
    changes.caption = safe(", ".join(f"{counts.get(k, 0)} {k}" for k in _KINDS))
    return Group(stages, changes)


def forecast(a: dict[str, Any]) -> RenderableType:
    cur = a.get("currency", "USD")
    head = _table(_title(a, "Forecast"), "Figure", "Value", right=("Value",))
    for name, value in (
        ("Closed won so far", _m(a["closed_won"], cur)),
        (f"Open deals ({a['open_count']})", _m(a["open_amount"], cur)),
        ("Expected", _m(a["expected"], cur)),
        ("Range (80%)", f"{_m(a['low'], cur)} – {_m(a['high'], cur)}"),
        ("Quota", _m(a.get("quota"), cur)),
        ("Expected attainment", _pct(a.get("attainment_expected_pct"))),
    ):
        head.add_row(*cells(name, value))
    head.caption = safe(a["method"] + (f" {a['note']}" if a.get("note") else ""))
    cols = ("Forecast", "Actual", "Error")
    back = _table("Backtest", "Quarter", *cols, right=cols)
    for t in a["backtest"]:
        back.add_row(*cells(
            t["period"]["label"], _m(t["forecast"], cur), _m(t["actual"], cur),
            _pct(t["error_pct"]),
        ))  # fmt: skip
    back.caption = safe(f"Mean absolute error {_pct(a.get('backtest_mae_pct'))}")
    return Group(head, back)


_KPI_COLS: tuple[str, ...] = (
    "#",
    "Rep",
    "Quota",
    "Won",
    "Attain.",
    "Win rate",
    "Avg deal",
    "Cycle d",
)
_KPI_COLS += ("Act./wk", "Pipeline created")


def _kpi_cells(r: dict[str, Any]) -> list[str]:
    acts = [v for v in r["activities_per_week"].values() if v is not None]
    per_week = f"{sum(float(v) for v in acts):.1f}" if acts else "—"
    return [
        _m(r["quota"]), _m(r["won_amount"]), _pct(r["attainment_pct"]), _pct(r["win_rate_pct"]),
        _m(r["avg_deal_size"]), r["cycle_days"] or "—", per_week, _m(r["pipeline_created"]),
    ]  # fmt: skip


def rep_kpis(a: dict[str, Any]) -> RenderableType:
    table = _table(_title(a, "Leaderboard"), *_KPI_COLS, right=_KPI_COLS[2:])
    for r in a["rows"]:
        table.add_row(*cells(r["rank"], r["name"], *_kpi_cells(r)))
    if a["rows"]:
        median = {
            **a["team_median"],
            "activities_per_week": a["team_median"]["activities_per_week"],
        }
        table.add_row(*cells("", markup("[b]team median[/b]"), *_kpi_cells(median)))
    table.caption = safe(a.get("note") or "")
    return table


def deal_risks(a: dict[str, Any]) -> RenderableType:
    table = _table(
        f"Deals at risk for {a['scope_label']}: "
        f"{count_of(len(a['rows']), a['total_count'], 'deal')}",
        "Deal", "Owner", "Stage", "Amount", "Close", "Risks",
        right=("Amount",),
    )  # fmt: skip
    for r in a["rows"]:
        why = "\n".join(x["text"] for x in r["risks"])
        table.add_row(
            *cells(r["name"], r["owner"], label(r["stage"]), _m(r["amount"]), r["close_date"], why)
        )
    table.caption = safe(a.get("note") or "")
    return table


def coaching_brief(a: dict[str, Any]) -> RenderableType:
    rep, team = a["kpis"], a["team_median"]
    cols = ("Rep", "Team median")
    table = _table(
        f"1:1 brief: {a['rep']['name']}, {a['period']['label']}", "KPI", *cols, right=cols
    )
    for name, key, show in (
        ("Quota attainment", "attainment_pct", _pct),
        ("Win rate", "win_rate_pct", _pct),
        ("Average deal", "avg_deal_size", _m),
        ("Cycle (days)", "cycle_days", lambda v: v or "—"),
        ("Pipeline created", "pipeline_created", _m),
    ):
        table.add_row(*cells(name, show(rep.get(key)), show(team.get(key))))
    points = Table(title="Talking points", title_justify="left", show_header=False)
    points.add_column("point")
    for p in a["talking_points"]:
        points.add_row(*cells(f"• {p}"))
    risks = a.get("risks") or []
    if not risks:
        return Group(table, points)
    at_risk = {"scope_label": a["rep"]["name"], "rows": risks, "total_count": len(risks)}
    return Group(table, points, deal_risks(at_risk))


MANAGER_RENDERERS: dict[ArtifactType, Callable[[dict[str, Any]], RenderableType]] = {
    ArtifactType.PIPELINE_REVIEW: review,
    ArtifactType.FORECAST: forecast,
    ArtifactType.REP_KPIS: rep_kpis,
    ArtifactType.DEAL_RISKS: deal_risks,
    ArtifactType.COACHING_BRIEF: coaching_brief,
}
