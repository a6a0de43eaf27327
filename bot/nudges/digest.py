"""The manager's Monday digest as blocks: the team pipeline, then its top risks. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.blocks.figures import pipeline_blocks
from bot.blocks.kit import Block, context, divider, section
from bot.blocks.limits import MAX_MESSAGE_BLOCKS
from bot.blocks.text import esc, money

# Nudge kinds that say a deal is at risk (rather than a task to tick off or a likely win).
RISK_KINDS = frozenset({"stalled", "past_close_date", "close_date", "quiet_deal"})


def build_digest_blocks(
    pipeline: dict[str, Any], risks: list[dict[str, Any]], *, manager_name: str, local_date: date
) -> list[Block]:
    """Greeting, the pipeline artifact's figures, then each risk with its owner and reason."""
    blocks = [section(f"*Good morning, {esc(manager_name, 'there')}!* Your team this week:")]
    if pipeline.get("type") == "pipeline":
        blocks += pipeline_blocks(pipeline, title="Team pipeline this quarter")
    blocks.append(divider())
    if risks:
        blocks.append(section("*Top risks*"))
        blocks += [_risk(item) for item in risks]
    else:
        blocks.append(section("No deal on your team looks at risk today."))
    blocks.append(context(f"Weekly digest for the week of {local_date.isoformat()}."))
    return blocks[:MAX_MESSAGE_BLOCKS]


def _risk(item: dict[str, Any]) -> Block:
    where = [esc(item[k]) for k in ("owner", "deal", "account") if item.get(k)]
    if item.get("amount") not in (None, ""):
        where.append(money(item))
    text = f"*{esc(item.get('title'))}*\n{esc(item.get('reason'))}"
    return section(text + ("\n" + " · ".join(where) if where else ""))


def digest_fallback_text(pipeline: dict[str, Any], *, local_date: date) -> str:
    """The notification text of the digest."""
    label = pipeline.get("scope_label") or "your team"
    return f"Weekly digest for {esc(label)}, week of {local_date.isoformat()}"
