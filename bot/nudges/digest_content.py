"""What the manager's Monday digest reports: the team's pipeline review, forecast and risks,
and, when billing knows the team's accounts, its revenue, unpaid invoices and churn signals.

Each part is the artifact of the same agent tool a manager can ask for, run as the manager,
so the digest shows exactly the figures (and the scope) the tools would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.nudges.config import Due
from tools.artifacts import ArtifactType
from tools.bound_tools import bound, shared_tool
from tools.context import ToolContext
from tools.crm.users import get_user
from tools.db import Session, sessionmaker
from tools.principal import principal_for_user

TOP_RISKS = 3
Artifact = dict[str, Any]


@dataclass(frozen=True)
class DigestContent:
    """The three artifacts the digest is built from."""

    review: Artifact
    forecast: Artifact
    risks: Artifact
    revenue: Artifact | None = None  # revenue_summary, only when billing has the team's data
    unpaid: Artifact | None = None  # unpaid_invoices, beside it
    churn: Artifact | None = None  # churn_risk, beside it

    def artifacts(self) -> list[Artifact]:
        billing = [a for a in (self.revenue, self.unpaid, self.churn) if a is not None]
        return [self.review, self.forecast, self.risks, *billing]


def run_tool(ctx: ToolContext, name: str, args: dict[str, Any]) -> Artifact:
    """The artifact of agent tool `name`, run directly as `ctx.principal` (same scoping)."""
    tool = shared_tool(name)
    if tool is None:
        raise KeyError(name)
    with bound(ctx):
        message = tool.invoke({"type": "tool_call", "id": "digest", "name": name, "args": args})
    artifact = message.artifact
    return (
        artifact
        if isinstance(artifact, dict)
        else {"type": ArtifactType.NOTICE, "text": str(artifact)}
    )


def digest_content(
    sessions: sessionmaker[Session], due: Due, now: datetime, reporting_currency: str = "USD"
) -> DigestContent | None:
    """The team's review of the last 7 days, this quarter's forecast and its top risks.

    None for a user who is gone or manages nobody.
    """
    with sessions() as session:
        manager = get_user(session, due.user_id)
        if manager is None:
            return None
        principal = principal_for_user(session, manager)
    if not (principal.visible_owner_ids or frozenset()) - {due.user_id}:
        return None
    ctx = ToolContext(
        principal, sessions, None, clock=lambda: now, reporting_currency=reporting_currency
    )
    team = {"scope": "team", "period": "this quarter"}
    revenue = run_tool(ctx, "revenue_summary", {"scope": "team", "period": "last 12 months"})
    billed = has_billing(revenue)
    return DigestContent(
        review=run_tool(ctx, "pipeline_review", team),
        forecast=run_tool(ctx, "forecast", team),
        risks=run_tool(ctx, "deal_risks", {"scope": "team", "limit": TOP_RISKS}),
        revenue=revenue if billed else None,
        unpaid=run_tool(ctx, "unpaid_invoices", {"scope": "team"}) if billed else None,
        churn=run_tool(ctx, "churn_risk", {"scope": "team"}) if billed else None,
    )


def has_billing(revenue: Artifact) -> bool:
    """Whether the revenue artifact speaks of anything: money received, MRR, or a notice that
    the team's billing needs a rate (said in the digest rather than dropped)."""
    if revenue.get("type") == ArtifactType.NOTICE:
        return True
    mrr = next((r["value"] for r in revenue.get("summary", []) if r["label"] == "MRR"), None)
    return bool(revenue.get("rows")) or (mrr is not None and Decimal(mrr) != 0)
