"""What each due message says: a rep's ranked nudges, or a manager's Monday digest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.nudges.config import Due
from bot.nudges.digest import build_digest_blocks, digest_fallback_text
from bot.nudges.digest_blocks import digest_chart
from bot.nudges.digest_content import digest_content
from bot.slack.blocks.nudges import build_nudge_blocks, nudge_fallback_text
from tools.crm.deliveries import list_active_snoozes
from tools.db import Session, sessionmaker
from tools.nudge_engine import compute_nudges

if TYPE_CHECKING:
    from bot.charts import Chart

Item = dict[str, Any]


@dataclass(frozen=True)
class NudgeMessage:
    """A message ready to post, the items it shows (kept in the ledger), and charts uploaded
    into its thread after it is posted."""

    text: str
    blocks: list[dict[str, Any]]
    items: list[Item]
    charts: list[Chart] = field(default_factory=list)


def daily_messages(
    session: Session, dues: Sequence[Due], *, limit: int
) -> dict[str, NudgeMessage | None]:
    """Every rep's message, from ONE compute_nudges call; None where there is nothing to do."""
    reps = {d.user_id: d.local_date for d in dues}
    snoozed = list_active_snoozes(session, reps)
    nudges = compute_nudges(session, reps, limit=limit, snoozed=snoozed)
    found: dict[str, NudgeMessage | None] = {}
    for due in dues:
        items = [n.to_dict() for n in nudges.get(due.user_id, [])]
        found[due.key] = daily_message(due, items) if items else None
    return found


def daily_message(due: Due, items: list[Item]) -> NudgeMessage:
    blocks = build_nudge_blocks(items, user_name=due.name, local_date=due.local_date)
    text = nudge_fallback_text(items, local_date=due.local_date)
    return NudgeMessage(text, blocks, _plain(items))


def digest_message(
    sessions: sessionmaker[Session],
    due: Due,
    now: datetime,
    *,
    limit: int,
    reporting_currency: str = "USD",
) -> NudgeMessage | None:
    """The team's review, forecast and top risks; None for a manager with no team."""
    content = digest_content(sessions, due, now, reporting_currency)
    if content is None:
        return None
    blocks = build_digest_blocks(content, manager_name=due.name, local_date=due.local_date)
    text = digest_fallback_text(content, local_date=due.local_date)
    # One chart, the pipeline by stage: it travels with the message and is uploaded after it.
    chart = digest_chart(content.review)
    charts = [chart] if chart is not None else []
    return NudgeMessage(text, blocks, _plain(content.artifacts()), charts=charts)


def _plain(items: list[Item]) -> list[Item]:
    """JSON-safe copies (decimals and dates as text) for the ledger's JSON column."""
    return json.loads(json.dumps(items, default=str))
