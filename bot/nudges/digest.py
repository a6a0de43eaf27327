"""The manager's Monday digest as blocks: the team pipeline, the forecast, then top risks. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.nudges.digest_content import DigestContent
from bot.slack.blocks.kit import Block, context, divider, section
from bot.slack.blocks.limits import MAX_MESSAGE_BLOCKS
from bot.slack.blocks.text import esc, money, plural
from tools.artifacts import ArtifactType, past_due_sentence

_CHANGES = ("new", "advanced", "slipped", "pushed", "won", "lost")
MAX_RISK_REASONS = 2


def build_digest_blocks(
    content: DigestContent, *, manager_name: str, local_date: date
) -> list[Block]:
    """Greeting, the review's figures and changes, the forecast line, then each risk."""
    blocks = [section(f"*Good morning, {esc(manager_name, 'there')}!* Your team this week:")]
    if content.review.get("type") == ArtifactType.PIPELINE_REVIEW:
        blocks += review_blocks(content.review)
    elif content.review.get("type") == ArtifactType.NOTICE:  # e.g. deals in several currencies
        blocks.append(section(esc(content.review.get("text"))))
    if content.forecast.get("type") == ArtifactType.FORECAST:
        blocks.append(section(forecast_line(content.forecast)))
    if content.revenue is not None:
        blocks.append(section(revenue_line(content)))
    blocks.append(divider())
    rows = (
        content.risks.get("rows", [])
        if content.risks.get("type") == ArtifactType.DEAL_RISKS
        else []
    )
    if rows:
        total = content.risks.get("total_count", len(rows))
        blocks.append(section(f"*Top risks* ({plural(total, 'deal')} at risk in all)"))
        blocks += [_risk(row) for row in rows]
    else:
        blocks.append(section("No deal on your team looks at risk today."))
    blocks.append(context(f"Weekly digest for the week of {local_date.isoformat()}."))
    return blocks[:MAX_MESSAGE_BLOCKS]


def review_blocks(a: dict[str, Any]) -> list[Block]:
    """The pipeline this quarter in one section, and the week's changes in another."""
    cur = a.get("currency", "USD")
    period = a.get("period", {})
    quota = (
        f"quota {money(a, 'quota', cur)}, coverage {esc(a.get('coverage') or 'n/a')}x"
        if a.get("quota")
        else "no quota set"
    )
    figures = (
        f"*Team pipeline this quarter* ({esc(period.get('label'))})\n"
        f"Open {plural(a.get('open_count', 0), 'deal')} · {money(a, 'open_amount', cur)} "
        f"(weighted {money(a, 'weighted_amount', cur)}) · won "
        f"{plural(a.get('won_count', 0), 'deal')} · {money(a, 'won_amount', cur)} · {quota}"
    )
    counts = a.get("change_counts", {})
    changes = ", ".join(f"{counts.get(k, 0)} {k}" for k in _CHANGES)
    lines = [f"*Since {esc(a.get('since'))}:* {changes}"]
    for kind in ("slipped", "pushed", "won", "lost"):
        for row in a.get("changes", {}).get(kind, [])[:3]:
            lines.append(f"• {kind}: {esc(row.get('name'))} ({esc(row.get('owner'))})")
    note = [context(esc(a["note"]))] if a.get("note") else []
    due = past_due_sentence(a.get("past_due"), lambda m: money({"m": m}, "m", cur), escape=esc)
    return [section(figures + (f"\n{due}" if due else "")), section("\n".join(lines)), *note]


def forecast_line(a: dict[str, Any]) -> str:
    cur = a.get("currency", "USD")
    quota = (
        f" against quota {money(a, 'quota', cur)} ({esc(a.get('attainment_expected_pct'))}%)"
        if a.get("quota")
        else ""
    )
    mae = a.get("backtest_mae_pct")
    backtest = f" Backtest error over 4 quarters: {esc(mae)}%." if mae else ""
    return (
        f"*Forecast:* {money(a, 'expected', cur)} expected "
        f"({money(a, 'low', cur)} to {money(a, 'high', cur)}){quota}; "
        f"{money(a, 'closed_won', cur)} closed won so far.{backtest}"
    )


def revenue_line(content: DigestContent) -> str:
    """'*Revenue:* MRR $25,200 · ARR $302,400 · NRR 104.2% · $3,400 overdue on 2 accounts · 3
    accounts show churn signals.' Each figure is the billing tools' own; a notice is said."""
    revenue = content.revenue or {}
    if revenue.get("type") == ArtifactType.NOTICE:
        return f"*Revenue:* {esc(revenue.get('text'))}"
    cur = revenue.get("currency", "USD")
    figures = {r["label"]: r["value"] for r in revenue.get("summary", [])}
    parts = [f"MRR {money(figures, 'MRR', cur)}", f"ARR {money(figures, 'ARR', cur)}"]
    if nrr := figures.get("Net revenue retention (a year)"):
        parts.append(f"NRR {esc(nrr)}")
    unpaid = content.unpaid or {}
    if unpaid.get("type") == ArtifactType.REVENUE_LIST:
        owed = {r["label"]: r["value"] for r in unpaid.get("summary", [])}
        count = unpaid.get("total_count", 0)
        parts.append(
            f"{money(owed, 'Overdue in all', cur)} overdue on {plural(count, 'account')}"
            if count
            else "nothing overdue"
        )
    churn = content.churn or {}
    if churn.get("type") == ArtifactType.REVENUE_LIST and churn.get("total_count"):
        count = churn["total_count"]
        parts.append(
            f"{plural(count, 'account')} {'shows' if count == 1 else 'show'} churn signals"
        )
    return "*Revenue:* " + " · ".join(parts) + "."


def _risk(row: dict[str, Any]) -> Block:
    where = [esc(row[k]) for k in ("owner", "account") if row.get(k)]
    where.append(money(row))
    reasons = "\n".join(esc(r.get("text")) for r in row.get("risks", [])[:MAX_RISK_REASONS])
    return section(f"*{esc(row.get('name'))}*\n{reasons}\n" + " · ".join(where))


def digest_fallback_text(content: DigestContent, *, local_date: date) -> str:
    """The notification text of the digest."""
    label = content.review.get("scope_label") or "your team"
    return f"Weekly digest for {esc(label)}, week of {local_date.isoformat()}"
