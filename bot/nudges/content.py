"""What each due message says: a rep's ranked nudges, or a manager's Monday digest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.nudges import build_nudge_blocks, nudge_fallback_text
from bot.nudges.config import Due
from bot.nudges.digest import RISK_KINDS, build_digest_blocks, digest_fallback_text
from tools.context import ToolContext
from tools.crm.deliveries import list_active_snoozes
from tools.crm_tools import make_tools
from tools.models import User
from tools.nudges import compute_nudges
from tools.principal import principal_for_user

if TYPE_CHECKING:
    from bot.charts import Chart

Item = dict[str, Any]
TOP_RISKS = 3


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
    sessions: sessionmaker[Session], due: Due, now: datetime, *, limit: int
) -> NudgeMessage | None:
    """The team's pipeline this quarter and its top risks; None for a manager with no team."""
    with sessions() as session:
        manager = session.get(User, due.user_id)
        if manager is None:
            return None
        principal = principal_for_user(session, manager)
        team = sorted((principal.visible_owner_ids or frozenset()) - {due.user_id})
        if not team:
            return None
        risks = team_risks(session, team, due, limit=limit)
    ctx = ToolContext(principal, sessions, None, clock=lambda: now)
    pipeline = tool_artifact(ctx, "pipeline_summary", {"scope": "team", "period": "this quarter"})
    blocks = build_digest_blocks(pipeline, risks, manager_name=due.name, local_date=due.local_date)
    text = digest_fallback_text(pipeline, local_date=due.local_date)
    return NudgeMessage(text, blocks, _plain([pipeline, *risks]))


def team_risks(session: Session, team: Sequence[int], due: Due, *, limit: int) -> list[Item]:
    """The team's riskiest deal items (stalled, slipping, quiet), each with its owner's name."""
    nudges = compute_nudges(session, dict.fromkeys(team, due.local_date), limit=limit)
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(team))).all())
    risky = [n for rep in nudges.values() for n in rep if n.kind in RISK_KINDS]
    risky.sort(key=lambda n: -n.score)
    return [{**n.to_dict(), "owner": names.get(n.user_id)} for n in risky[:TOP_RISKS]]


def tool_artifact(ctx: ToolContext, name: str, args: dict[str, Any]) -> Item:
    """The artifact of agent tool `name`, run directly as `ctx.principal` (same scoping)."""
    tool = {t.name: t for t in make_tools(ctx)}[name]
    message = tool.invoke({"type": "tool_call", "id": "nudge", "name": name, "args": args})
    artifact = message.artifact
    return artifact if isinstance(artifact, dict) else {"type": "notice", "text": str(artifact)}


def _plain(items: list[Item]) -> list[Item]:
    """JSON-safe copies (decimals and dates as text) for the ledger's JSON column."""
    return json.loads(json.dumps(items, default=str))  # type: ignore[no-any-return]
