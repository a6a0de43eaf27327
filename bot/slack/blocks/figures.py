"""Pipeline, next actions and interaction search results as blocks."""

from __future__ import annotations

from typing import Any

from bot.slack.blocks.kit import Block, button, context, field_sections, section
from bot.slack.blocks.text import esc, money, percent, plural, stage
from bot.slack.blocks.views import View
from bot.slack.ids import OPEN_DEAL_ACTION_ID
from tools.artifacts import past_due_sentence

Artifact = dict[str, Any]


def render_pipeline(artifact: Artifact) -> list[View]:
    return [View(pipeline_blocks(artifact))]


def pipeline_blocks(artifact: Artifact, *, title: str | None = None) -> list[Block]:
    """Stage fields (count, amount, weighted), the totals, then quota and attainment."""
    cur = artifact.get("currency", "USD")
    period = artifact.get("period", {})
    heading = title or (
        f"Pipeline for {esc(artifact.get('scope_label'), 'you')}, {esc(period.get('label'))}"
    )
    dates = f"{esc(period.get('start'))} to {esc(period.get('end'))}"
    stages = [_stage_field(s, cur) for s in artifact.get("by_stage", [])]
    totals = [
        f"*Open total*\n{plural(artifact.get('open_count', 0), 'deal')} · "
        f"{money(artifact, 'open_amount', cur)}",
        f"*Weighted*\n{money(artifact, 'weighted_amount', cur)}",
        f"*Closed won*\n{plural(artifact.get('won_count', 0), 'deal')} · "
        f"{money(artifact, 'won_amount', cur)}",
        f"*Quota*\n{money(artifact, 'quota', cur) if artifact.get('quota') else 'no quota'}",
        f"*Attainment*\n{_attainment(artifact)}",
    ]
    note = [context(esc(artifact["note"]))] if artifact.get("note") else []
    due = past_due_sentence(
        artifact.get("past_due"), lambda m: money({"m": m}, "m", cur), escape=esc
    )
    note += [section(due)] if due else []
    basis = (artifact.get("rates_basis") or {}).get("text")
    note += [context(esc(basis))] if basis else []
    return [section(f"*{heading}* ({dates})"), *field_sections(stages + totals), *note]


def _stage_field(row: Artifact, currency: str) -> str:
    return (
        f"*{stage(row.get('stage'))}*\n{plural(row.get('count', 0), 'deal')} · "
        f"{money(row, 'amount', currency)}\nweighted {money(row, 'weighted_amount', currency)}"
        f" at {_rate(row)}"
    )


def _rate(row: Artifact) -> str:
    # The one rounding every artifact shares (one place); "win_rate" alone in older artifacts.
    if row.get("win_rate_pct") is not None:
        return f"{esc(row['win_rate_pct'])}%"
    return percent(row.get("win_rate"))


def _attainment(artifact: Artifact) -> str:
    pct = artifact.get("attainment_pct")
    return f"{esc(pct)}%" if pct else "n/a"


def render_next_actions(artifact: Artifact) -> list[View]:
    items = artifact.get("items", [])
    if not items:
        return []
    intro = [section(f"*Next actions for {esc(artifact.get('today'), 'today')}*")]
    return [View(intro, next_action_blocks(items), len(items))]


def next_action_blocks(items: list[Artifact]) -> list[Block]:
    """Numbered actions with their reason, and a Details button when a deal is attached."""
    return [_next_action(i, item) for i, item in enumerate(items, 1)]


def _next_action(number: int, item: Artifact) -> Block:
    meta = [esc(item[k]) for k in ("deal", "account") if item.get(k)]
    if item.get("due_date"):
        meta.append(f"due {esc(item['due_date'])}")
    text = f"*{number}. {esc(item.get('title'))}*\n{esc(item.get('reason'))}"
    if meta:
        text += "\n" + " · ".join(meta)
    return section(text, accessory=open_deal_button(item.get("deal_id")))


def open_deal_button(deal_id: object) -> Block | None:
    """A Details button whose value is the deal id; the listener re-checks access."""
    if deal_id is None:
        return None
    return button("Details", OPEN_DEAL_ACTION_ID, str(deal_id))


def render_interactions(artifact: Artifact) -> list[View]:
    hits = artifact.get("hits", [])
    if not hits:
        return []
    intro = [section(f"*Interactions about “{esc(artifact.get('query'))}”*")]
    return [View(intro, [_hit(h) for h in hits], len(hits))]


def _hit(hit: Artifact) -> Block:
    deal = f" · {esc(hit['deal'])}" if hit.get("deal") else ""
    return section(
        f"{esc(hit.get('date'))} · {esc(hit.get('account'))} · {stage(hit.get('kind'))}{deal}\n"
        f"*{esc(hit.get('subject'))}*\n> {esc(hit.get('snippet'))}"
    )
