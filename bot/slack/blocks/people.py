"""Rep KPIs (the leaderboard) and the 1:1 coaching brief as blocks; figures are the artifact's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.blocks.analytics import heading, note_blocks, pct, period_text, risk_deal_block
from bot.slack.blocks.kit import context, field_sections, section
from bot.slack.blocks.text import bullets, esc, money
from bot.slack.blocks.views import View
from tools.artifacts import ArtifactType

Artifact = dict[str, Any]
ACTIVITY_KINDS = ("email", "call", "meeting", "note", "linkedin")


def render_rep_kpis(a: Artifact) -> list[View]:
    rows = a.get("rows") or []
    cur = a.get("currency")
    intro = [heading("Rep leaderboard", a), *note_blocks(a)]
    median = a.get("team_median")
    outro = [context(f"Team median: {_median_line(median, cur)}")] if median else []
    views = [View(intro, [section(_rep_text(r, cur)) for r in rows], len(rows))]
    return views + ([View(outro)] if outro else [])


def _rep_text(row: Artifact, currency: str | None) -> str:
    quota = f" of {money(row, 'quota', currency)}" if row.get("quota") else " (no quota)"
    return (
        f"*{esc(row.get('rank'))}. {esc(row.get('name'))}* — attainment "
        f"{pct(row.get('attainment_pct'))} · won {money(row, 'won_amount', currency)}{quota}\n"
        f"{_kpi_line(row, currency)}"
    )


def _median_line(median: Artifact, currency: str | None) -> str:
    return (
        f"attainment {pct(median.get('attainment_pct'))} · won "
        f"{money(median, 'won_amount', currency)} · {_kpi_line(median, currency)}"
    )


def _kpi_line(row: Artifact, currency: str | None) -> str:
    return (
        f"win rate {pct(row.get('win_rate_pct'))} · avg deal "
        f"{money(row, 'avg_deal_size', currency)} · cycle {_days(row.get('cycle_days'))} · "
        f"pipeline created "
        f"{money(row, 'pipeline_created', currency)} · per week: "
        f"{_activities(row.get('activities_per_week'))}"
    )


def _days(value: object) -> str:
    return f"{esc(value)} days" if value not in (None, "") else "n/a"


def _activities(per_week: object) -> str:
    if not isinstance(per_week, dict):
        return "n/a"
    return ", ".join(f"{esc(per_week.get(k, '0'))} {k}" for k in ACTIVITY_KINDS)


def render_coaching_brief(a: Artifact) -> list[View]:
    cur = a.get("currency")
    rep = a.get("rep") or {}
    kpis, median = a.get("kpis") or {}, a.get("team_median") or {}
    intro = [
        section(f"*1:1 brief: {esc(rep.get('name'))}*, {period_text(a)}"),
        *note_blocks(a),
        *field_sections(_against_median(kpis, median, cur)),
    ]
    views = [View(intro)]
    points = [esc(p) for p in a.get("talking_points") or []]
    if points:
        views.append(View([bullets("*Talking points*", points)]))
    risks = a.get("risks") or []
    if risks:
        title = [section(f"*Deals at risk* ({len(risks)})")]
        views.append(View(title, [risk_deal_block(r, cur) for r in risks], len(risks)))
    return views


def _against_median(kpis: Artifact, median: Artifact, currency: str | None) -> list[str]:
    def money_pair(key: str) -> str:
        return f"{money(kpis, key, currency)} (team {money(median, key, currency)})"

    return [
        f"*Attainment*\n{pct(kpis.get('attainment_pct'))} "
        f"(team {pct(median.get('attainment_pct'))})",
        f"*Won*\n{money_pair('won_amount')}",
        f"*Win rate*\n{pct(kpis.get('win_rate_pct'))} (team {pct(median.get('win_rate_pct'))})",
        f"*Avg deal size*\n{money_pair('avg_deal_size')}",
        f"*Sales cycle*\n{_days(kpis.get('cycle_days'))} (team {_days(median.get('cycle_days'))})",
        f"*Pipeline created*\n{money_pair('pipeline_created')}",
        f"*Activities per week*\n{_activities(kpis.get('activities_per_week'))}\n"
        f"team: {_activities(median.get('activities_per_week'))}",
    ]


RENDERERS: dict[ArtifactType, Callable[[Artifact], list[View]]] = {
    ArtifactType.REP_KPIS: render_rep_kpis,
    ArtifactType.COACHING_BRIEF: render_coaching_brief,
}
