"""The manager analytics as blocks: pipeline review, forecast and deal risks (see people.py for
rep KPIs and coaching briefs). Every figure is the artifact's; all CRM text goes through esc."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.blocks.figures import open_deal_button
from bot.slack.blocks.kit import Block, context, field_sections, section
from bot.slack.blocks.text import bullets, esc, money, plural, stage
from bot.slack.blocks.views import View
from tools.artifacts import ArtifactType, past_due_sentence
from tools.display import close_phrase

Artifact = dict[str, Any]
CHANGE_TITLES = {
    "new": "New",
    "advanced": "Advanced",
    "slipped": "Slipped (close date moved later)",
    "pushed": "Pushed to the next period",
    "won": "Won",
    "lost": "Lost",
}


def pct(value: object) -> str:
    """The artifact's percent string ("42.5") as "42.5%"; "n/a" for null."""
    return f"{esc(value)}%" if value not in (None, "") else "n/a"


def period_text(artifact: Artifact) -> str:
    period = artifact.get("period") or {}
    if not period:
        return ""
    return f"{esc(period.get('label'))} ({esc(period.get('start'))} to {esc(period.get('end'))})"


def heading(what: str, artifact: Artifact) -> Block:
    when = period_text(artifact)
    scope = esc(artifact.get("scope_label"), "you")
    return section(f"*{what} for {scope}*" + (f", {when}" if when else ""))


def note_blocks(artifact: Artifact) -> list[Block]:
    return (
        [context(f":information_source: {esc(artifact['note'])}")] if artifact.get("note") else []
    )


def basis_blocks(artifact: Artifact) -> list[Block]:
    """Which history the win rates (or "stalled") were measured against, in small print."""
    basis = artifact.get("rates_basis") or {}
    text = basis.get("text") if isinstance(basis, dict) else None
    text = text or artifact.get("stay_basis")
    return [context(esc(text))] if text else []


def deal_line(row: Artifact, currency: str | None = None) -> str:
    """One deal on one line: name, account, stage, amount, close date, owner."""
    return (
        f"*{esc(row.get('name'))}* · {esc(row.get('account'))} · {stage(row.get('stage'))} · "
        f"{money(row, 'amount', currency)} · "
        f"{esc(close_phrase(row.get('stage'), row.get('close_date')))} · "
        f"{esc(row.get('owner'))}"
    )


def render_pipeline_review(artifact: Artifact) -> list[View]:
    cur = artifact.get("currency")
    stages = [_stage_field(s, cur) for s in artifact.get("by_stage", [])]
    intro = [
        heading("Pipeline review", artifact),
        *note_blocks(artifact),
        *field_sections(stages + _review_totals(artifact)),
        *_past_due(artifact),
        *basis_blocks(artifact),
    ]
    return [View(intro), *_change_views(artifact)]


def _stage_field(row: Artifact, currency: str | None) -> str:
    return (
        f"*{stage(row.get('stage'))}*\n{plural(row.get('count', 0), 'deal')} · "
        f"{money(row, 'amount', currency)}\nweighted {money(row, 'weighted_amount', currency)}"
        f" at {pct(row.get('win_rate_pct'))}"
    )


def _past_due(a: Artifact) -> list[Block]:
    cur = a.get("currency")
    due = past_due_sentence(a.get("past_due"), lambda m: money({"m": m}, "m", cur), escape=esc)
    return [section(due)] if due else []


def _review_totals(a: Artifact) -> list[str]:
    cur = a.get("currency")
    coverage = f"{esc(a['coverage'])}x" if a.get("coverage") is not None else "n/a"
    return [
        f"*Open*\n{plural(a.get('open_count', 0), 'deal')} · {money(a, 'open_amount', cur)}",
        f"*Weighted*\n{money(a, 'weighted_amount', cur)}",
        f"*Closed won*\n{plural(a.get('won_count', 0), 'deal')} · {money(a, 'won_amount', cur)}",
        f"*Quota*\n{money(a, 'quota', cur) if a.get('quota') else 'no quota'}",
        f"*Quota remaining*\n{money(a, 'quota_remaining', cur)}",
        f"*Coverage*\n{coverage}",
    ]


def _change_views(a: Artifact) -> list[View]:
    changes, counts = a.get("changes") or {}, a.get("change_counts") or {}
    summary = " · ".join(f"{counts.get(k, 0)} {k}" for k in CHANGE_TITLES)
    views = [View([section(f"*Since {esc(a.get('since'))}*: {summary}")])]
    for kind, title in CHANGE_TITLES.items():
        rows = changes.get(kind) or []
        if rows:
            lines = [_change_line(kind, r, a.get("currency")) for r in rows]
            views.append(View([bullets(f"*{title}* ({counts.get(kind, len(rows))})", lines)]))
    return views


def _change_line(kind: str, row: Artifact, currency: str | None) -> str:
    line = deal_line(row, currency)
    if kind == "advanced":
        line += f" · {stage(row.get('from_stage'))} → {stage(row.get('to_stage'))}"
    elif kind in ("slipped", "pushed"):
        line += f" · was {esc(row.get('old_close_date'))} → {esc(row.get('new_close_date'))}"
    return line


def render_forecast(a: Artifact) -> list[View]:
    cur = a.get("currency")
    fields = [
        f"*Closed won so far*\n{money(a, 'closed_won', cur)}",
        f"*Expected*\n{money(a, 'expected', cur)}",
        f"*Range*\n{money(a, 'low', cur)} to {money(a, 'high', cur)}",
        f"*Quota*\n{money(a, 'quota', cur) if a.get('quota') else 'no quota'}",
        f"*Expected attainment*\n{pct(a.get('attainment_expected_pct'))}",
        f"*Open pipeline*\n{plural(a.get('open_count', 0), 'deal')} · "
        f"{money(a, 'open_amount', cur)}",
    ]
    intro = [
        heading("Forecast", a),
        *note_blocks(a),
        *field_sections(fields),
        context(f"Method: {esc(a.get('method'))}"),
        *basis_blocks(a),
    ]
    views = [View(intro)]
    backtest = a.get("backtest") or []
    if backtest:
        lines = [_backtest_line(r, cur) for r in backtest]
        title = f"*Backtest* (mean absolute error {pct(a.get('backtest_mae_pct'))})"
        views.append(View([bullets(title, lines)]))
    return views


def _backtest_line(row: Artifact, currency: str | None) -> str:
    label = esc((row.get("period") or {}).get("label"))
    return (
        f"{label}: forecast {money(row, 'forecast', currency)}, actual "
        f"{money(row, 'actual', currency)}, error {pct(row.get('error_pct'))}"
    )


def render_deal_risks(a: Artifact) -> list[View]:
    rows = a.get("rows") or []
    total = max(int(a.get("total_count") or 0), len(rows))
    intro = [
        section(f"*Deal risks for {esc(a.get('scope_label'), 'you')}*: {plural(total, 'deal')}"),
        *note_blocks(a),
        *basis_blocks(a),
    ]
    if not rows:
        return [View([*intro, section("_No deal shows a risk._")])]
    return [View(intro, [risk_deal_block(r, a.get("currency")) for r in rows], total)]


def risk_deal_block(row: Artifact, currency: str | None = None) -> Block:
    """A deal and each of its warnings, with a Details button."""
    risks = "".join(f"\n• {esc(r.get('text'))}" for r in row.get("risks") or [])
    return section(deal_line(row, currency) + risks, accessory=open_deal_button(row.get("id")))


RENDERERS: dict[ArtifactType, Callable[[Artifact], list[View]]] = {
    ArtifactType.PIPELINE_REVIEW: render_pipeline_review,
    ArtifactType.FORECAST: render_forecast,
    ArtifactType.DEAL_RISKS: render_deal_risks,
}
