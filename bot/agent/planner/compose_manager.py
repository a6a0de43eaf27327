"""The planner's answers for the manager analytics artifacts, written from their figures only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.artifacts import ArtifactType, past_due_sentence
from tools.crm.money import format_money

MAX_ROWS = 10
MAX_CHANGES = 5
_CHANGE_LABELS = {
    "new": "New",
    "advanced": "Advanced",
    "slipped": "Slipped",
    "pushed": "Pushed out of the period",
    "won": "Won",
    "lost": "Lost",
}


def _m(amount: str | None, currency: str | None = "USD") -> str:
    return format_money(amount or "0", currency or "USD")


def _note(a: dict[str, Any]) -> list[str]:
    return [f"_{a['note']}_"] if a.get("note") else []


def _label(a: dict[str, Any]) -> str:
    period = (a.get("period") or {}).get("label")
    return f"{a.get('scope_label', '')}{f', {period}' if period else ''}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _change_line(kind: str, row: dict[str, Any]) -> str:
    text = f"  - *{row['name']}* ({row['owner']}, {_m(row['amount'], row.get('currency'))})"
    if kind == "advanced":
        text += f": {row['from_stage']} → {row['to_stage']}"
    if kind in ("slipped", "pushed"):
        text += f": close date {row['old_close_date']} → {row['new_close_date']}"
    return text


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
    for kind, title in _CHANGE_LABELS.items():
        rows = a.get("changes", {}).get(kind, [])
        if rows:
            lines.append(f"- {title}:")
            lines += [_change_line(kind, r) for r in rows[:MAX_CHANGES]]
            if len(rows) > MAX_CHANGES:
                lines.append(f"  - …and {len(rows) - MAX_CHANGES} more.")
    return "\n".join(lines + _note(a))


def _signed(pct: str | None) -> str:
    if pct is None:
        return "n/a"
    return f"+{pct}%" if not pct.startswith("-") else f"{pct}%"


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
    if tests:
        lines.append("Backtest, same method at the start of each quarter:")
        lines += [
            f"- {t['period']['label']}: forecast {_m(t['forecast'], cur)}, "
            f"actual {_m(t['actual'], cur)} ({_signed(t['error_pct'])})"
            for t in tests
        ]
        # A blank line ends the list, so what follows is not read as part of its last item.
        lines.append("")
        if a.get("backtest_mae_pct"):
            lines.append(f"Mean absolute error: {a['backtest_mae_pct']}%.")
    lines.append(f"_{a['method']}_")
    return "\n".join(lines + _note(a))


def _kpi_line(r: dict[str, Any]) -> str:
    attain = f"{r['attainment_pct']}%" if r.get("attainment_pct") else "no quota"
    quota = f" of {_m(r['quota'])}" if r.get("quota") else ""
    parts = [
        f"{r['rank']}. *{r['name']}*: {attain} ({_m(r['won_amount'])}{quota})",
        f"win rate {r['win_rate_pct']}%" if r.get("win_rate_pct") else "no deals closed",
        f"avg deal {_m(r['avg_deal_size'])}" if r.get("avg_deal_size") else "",
        f"cycle {r['cycle_days']} days" if r.get("cycle_days") else "",
        f"pipeline created {_m(r['pipeline_created'])}",
    ]
    return " · ".join(p for p in parts if p)


def rep_kpis(a: dict[str, Any]) -> str:
    rows = a.get("rows", [])
    if not rows:
        return "\n".join([f"No reps with figures for {_label(a)}.", *_note(a)])
    lines = [f"*Leaderboard for {_label(a)}*", *(_kpi_line(r) for r in rows[:MAX_ROWS])]
    lines.append("")  # ends the list (see forecast)
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


def _risk_line(row: dict[str, Any]) -> str:
    why = "; ".join(r["text"].rstrip(".") for r in row["risks"])
    return f"- *{row['name']}* ({row['owner']}, {_m(row['amount'], row.get('currency'))}): {why}."


def deal_risks(a: dict[str, Any]) -> str:
    rows, total = a.get("rows", []), a.get("total_count", 0)
    if not rows:
        return "\n".join([f"No open deal looks at risk for {a['scope_label']}.", *_note(a)])
    lines = [f"*{_plural(total, 'deal')} at risk for {a['scope_label']}*, riskiest first:"]
    lines += [_risk_line(r) for r in rows[:MAX_ROWS]]
    if total > min(len(rows), MAX_ROWS):
        lines.append(f"…and {total - min(len(rows), MAX_ROWS)} more.")
    return "\n".join(lines + _note(a))


def coaching_brief(a: dict[str, Any]) -> str:
    period = (a.get("period") or {}).get("label", "")
    lines = [f"*1:1 brief for {a['rep']['name']}, {period}*", "Talking points:"]
    lines += [f"- {p}" for p in a.get("talking_points", [])]
    return "\n".join(lines)


MANAGER_RENDERERS: dict[ArtifactType, Callable[[dict[str, Any]], str]] = {
    ArtifactType.PIPELINE_REVIEW: review,
    ArtifactType.FORECAST: forecast,
    ArtifactType.REP_KPIS: rep_kpis,
    ArtifactType.DEAL_RISKS: deal_risks,
    ArtifactType.COACHING_BRIEF: coaching_brief,
}
