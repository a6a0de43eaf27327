"""The planner's answers for the manager analytics artifacts, written from their figures only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.artifacts import ArtifactType, past_due_sentence
from tools.display import count_of, short_money

_CHANGE_LABELS = {
    "new": "New",
    "advanced": "Advanced",
    "slipped": "Slipped",
    "pushed": "Pushed out of the period",
    "won": "Won",
    "lost": "Lost",
}


def _m(amount: str | None, currency: str | None = "USD") -> str:
    """A total or estimate, rounded as sales teams say it (tools/display.py)."""
    return short_money(amount or "0", currency)


def _note(a: dict[str, Any]) -> list[str]:
    return [f"_{a['note']}_"] if a.get("note") else []


def _label(a: dict[str, Any]) -> str:
    period = (a.get("period") or {}).get("label")
    return f"{a.get('scope_label', '')}{f', {period}' if period else ''}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def review(a: dict[str, Any]) -> str:
    cur = a.get("currency", "USD")
    lines = [
        f"*Pipeline review for {_label(a)}*",
        f"Open: {_plural(a['open_count'], 'deal')}, {_m(a['open_amount'], cur)} "
        f"(weighted {_m(a['weighted_amount'], cur)}). "
        f"Won: {_plural(a['won_count'], 'deal')}, {_m(a['won_amount'], cur)}.",
    ]
    if a.get("quota"):
        cover = f", coverage {a['coverage']}x" if a.get("coverage") else ""
        lines.append(f"Quota {_m(a['quota'], cur)}, {_m(a['quota_remaining'], cur)} to go{cover}.")
    else:
        lines.append("No quota is set for this period.")
    if due := past_due_sentence(a.get("past_due"), lambda m: _m(m, cur)):
        lines.append(due)
    counts = a.get("change_counts", {})
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in _CHANGE_LABELS)
    lines.append(f"Since {a['since']}: {summary}.")
    return "\n".join(lines + _note(a))


def forecast(a: dict[str, Any]) -> str:
    cur = a.get("currency", "USD")
    quota = (
        f" against a quota of {_m(a['quota'], cur)} ({a['attainment_expected_pct']}% expected)"
        if a.get("quota")
        else ""
    )
    lines = [
        f"*Forecast for {_label(a)}*: {_m(a['expected'], cur)} expected, "
        f"range {_m(a['low'], cur)} to {_m(a['high'], cur)}{quota}.",
        f"Closed won so far: {_m(a['closed_won'], cur)}; "
        f"{_plural(a['open_count'], 'open deal')} worth {_m(a['open_amount'], cur)}.",
    ]
    tests = a.get("backtest", [])
    if tests and a.get("backtest_mae_pct"):
        lines.append(
            f"Backtest over {_plural(len(tests), 'quarter')}: mean absolute error "
            f"{a['backtest_mae_pct']}%."
        )
    lines.append(f"_{a['method']}_")
    return "\n".join(lines + _note(a))


def rep_kpis(a: dict[str, Any]) -> str:
    rows = a.get("rows", [])
    if not rows:
        return "\n".join([f"No reps with figures for {_label(a)}.", *_note(a)])
    first = rows[0]
    lines = [f"*Leaderboard for {_label(a)}*: {_plural(len(rows), 'rep')}, ranked."]
    if first.get("attainment_pct") is not None:
        lines.append(
            f"Leading: *{first['name']}* at {first['attainment_pct']}% of quota "
            f"({_m(first['won_amount'])} won)."
        )
    last = rows[-1]
    if len(rows) > 1 and last.get("attainment_pct") is not None:
        lines.append(f"Furthest behind: *{last['name']}* at {last['attainment_pct']}% of quota.")
    med = a.get("team_median", {})
    if med.get("attainment_pct") or med.get("win_rate_pct"):
        lines.append(
            f"Team median: attainment {med.get('attainment_pct') or 'n/a'}%, "
            f"win rate {med.get('win_rate_pct') or 'n/a'}%."
        )
    return "\n".join(lines + _note(a))


def deal_risks(a: dict[str, Any]) -> str:
    rows, total = a.get("rows", []), a.get("total_count", 0)
    if not rows:
        return "\n".join([f"No open deal looks at risk for {a['scope_label']}.", *_note(a)])
    top = rows[0]
    lines = [
        f"*{_plural(total, 'deal')} at risk for {a['scope_label']}*"
        f" ({count_of(len(rows), total, 'deal')} listed, riskiest first).",
        f"Riskiest: *{top['name']}* ({top['owner']}): "
        + "; ".join(r["text"].rstrip(".") for r in top["risks"][:2])
        + ".",
    ]
    return "\n".join(lines + _note(a))


def coaching_brief(a: dict[str, Any]) -> str:
    period = (a.get("period") or {}).get("label", "")
    points = a.get("talking_points", [])
    return f"*1:1 brief for {a['rep']['name']}, {period}*: {_plural(len(points), 'talking point')}."


MANAGER_RENDERERS: dict[ArtifactType, Callable[[dict[str, Any]], str]] = {
    ArtifactType.PIPELINE_REVIEW: review,
    ArtifactType.FORECAST: forecast,
    ArtifactType.REP_KPIS: rep_kpis,
    ArtifactType.DEAL_RISKS: deal_risks,
    ArtifactType.COACHING_BRIEF: coaching_brief,
}
