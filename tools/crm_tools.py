"""LangChain tools over the CRM. Each runs as the principal bound in its ToolContext.

Tools return `(content, artifact)`: compact JSON for the model and the same figures as a
structured artifact that interfaces render exactly.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool
from sqlalchemy.orm import Session

from tools.analytics_tools import make_analytics_tools
from tools.arguments import amount_arg, clamp, days_arg, guarded
from tools.artifacts import (
    AccountArtifact,
    AccountBilling,
    ArtifactType,
    DealArtifact,
    DealListFigures,
    DealsArtifact,
    NextActionsArtifact,
    PipelineArtifact,
)
from tools.billing.brief import account_billing
from tools.billing_tools import make_billing_tools
from tools.context import ToolContext
from tools.crm.accounts import get_account_overview
from tools.crm.currency import scope_conversion, with_note
from tools.crm.deals import DealFilter, get_deal_detail, list_deals
from tools.crm.names import match_account, match_deal
from tools.crm.pipeline import pipeline_figures
from tools.crm.users import list_user_ids
from tools.display import lower_label
from tools.models import Deal, Stage
from tools.nudge_engine.next_actions import list_next_actions
from tools.periods import optional_period, period_arg
from tools.results import Result, as_result, not_found
from tools.scope import resolve_owner_scope
from tools.search_tool import make_search_tool
from tools.stages import OPEN_STAGES, parse_stages
from tools.write_tools import make_write_tools

MAX_ROWS = 50


def make_tools(ctx: ToolContext) -> list[BaseTool]:
    """The agent's tools, each bound to `ctx` (and so to the asking user); an argument they
    cannot use is answered with a notice."""
    return guarded(
        [
            _find_deals_tool(ctx),
            _get_deal_tool(ctx),
            _account_overview_tool(ctx),
            _pipeline_summary_tool(ctx),
            _next_actions_tool(ctx),
            make_search_tool(ctx),
            *make_analytics_tools(ctx),
            *make_billing_tools(ctx),
            *make_write_tools(ctx),
        ]
    )


def _find_deals_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def find_deals(
        stage: str | None = None,
        period: str | None = None,
        min_amount: float | None = None,
        account: str | None = None,
        owner: str | None = None,
        inactive_days: int | None = None,
        limit: int = 25,
    ) -> Result:
        """List deals matching filters, with their total count and amount.

        Args:
            stage: prospecting, qualification, proposal, negotiation, closed_won, closed_lost,
                "open" (default) or "closed".
            period: when the deal closes, in words: "this quarter", "next month", "last 30 days",
                "Q3", or "2026-01-01 to 2026-03-31".
            min_amount: only deals worth at least this much.
            account: an account name; typos are fine.
            owner: "me", "team", or a rep's name (managers).
            inactive_days: only deals with no activity in this many days.
            limit: how many rows to return (at most 50).
        """
        with ctx.sessions() as session:
            flt, notice = _deal_filter(
                session, ctx, stage, period, min_amount, account, owner, inactive_days
            )
            if isinstance(flt, tuple):
                return flt
            found = list_deals(
                session,
                ctx.principal,
                flt,
                today=ctx.today(),
                limit=clamp(limit, 1, MAX_ROWS),
                reporting=ctx.reporting_currency,
            )
        title = _deal_title(flt, stage)
        artifact: DealsArtifact = {"type": ArtifactType.DEALS, "title": title, **found}
        note = _list_note(notice, found)
        if note:
            artifact["note"] = note
        return as_result(artifact)

    return find_deals


def _list_note(notice: str | None, found: DealListFigures) -> str | None:
    converted = found.get("converted_total") or {}
    return with_note(notice, converted.get("note"))


def _deal_filter(
    session: Any,
    ctx: ToolContext,
    stage: str | None,
    period: str | None,
    min_amount: float | None,
    account: str | None,
    owner: str | None,
    inactive_days: int | None,
) -> tuple[Any, str | None]:
    account_id = None
    if account:
        match = match_account(session, ctx.principal, account)
        if match.id is None:
            return not_found("account", account, match.suggestions), None
        account_id = match.id
    owners = resolve_owner_scope(session, ctx.principal, owner)
    if owners.missing:
        return not_found("rep", owner or "", owners.suggestions), None
    flt = DealFilter(
        stages=parse_stages(stage),
        period=optional_period(period, ctx.today()),
        min_amount=amount_arg(min_amount, "min_amount"),
        account_id=account_id,
        owner_ids=owners.owner_ids,
        inactive_days=days_arg(inactive_days, "inactive_days"),
    )
    return flt, owners.notice


def _deal_title(flt: DealFilter, stage: str | None) -> str:
    """ "Open deals closing Q4 2026", "Won deals closed in 2026": words, never stage codes."""
    chosen = set(flt.stages)
    closed = bool(chosen) and chosen <= {Stage.CLOSED_WON, Stage.CLOSED_LOST}
    if chosen in ({*OPEN_STAGES}, set(Stage)):
        word = "open" if chosen == set(OPEN_STAGES) else "all"
    elif closed:
        word = {Stage.CLOSED_WON: "won", Stage.CLOSED_LOST: "lost"}.get(min(chosen), "closed")
        word = word if len(chosen) == 1 else "closed"
    else:
        word = ", ".join(lower_label(s.value) for s in flt.stages) or lower_label(stage)
    parts = [word, "deals"]
    if flt.period is not None:
        parts.append(f"closed in {flt.period.label}" if closed else f"closing {flt.period.label}")
    if flt.min_amount is not None:
        parts.append(f"of at least {flt.min_amount:,.0f}")
    if flt.inactive_days is not None:
        parts.append(f"with no activity in {flt.inactive_days} days")
    text = " ".join(parts)
    return text[0].upper() + text[1:]


def _get_deal_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def get_deal(deal: str) -> Result:
        """Show one deal: stage, amount, close date, owner, days in stage, contacts, the last
        five interactions and open tasks.

        Args:
            deal: the deal's name (typos are fine), an account name, or its id.
        """
        with ctx.sessions() as session:
            match = match_deal(session, ctx.principal, deal)
            if match.id is None:
                return not_found("deal", deal, match.suggestions)
            detail = get_deal_detail(session, ctx.principal, match.id, today=ctx.today())
            if detail is None:
                return not_found("deal", deal)
            artifact: DealArtifact = {"type": ArtifactType.DEAL, **detail}
            found = session.get(Deal, match.id)
            if found is not None and (b := _billing(session, ctx, found.account_id)):
                artifact["billing"] = b
        return as_result(artifact)

    return get_deal


def _account_overview_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def account_overview(account: str) -> Result:
        """Show an account: its open and closed deals, contacts and recent interactions.

        Args:
            account: the account's name; typos and lowercase are fine.
        """
        return account_result(ctx, account)

    return account_overview


def account_result(ctx: ToolContext, account: str) -> Result:
    """The account artifact for `account` as the asker sees it, or "not found" with suggestions."""
    with ctx.sessions() as session:
        match = match_account(session, ctx.principal, account)
        if match.id is None:
            return not_found("account", account, match.suggestions)
        overview = get_account_overview(session, ctx.principal, match.id)
        if overview is None:
            return not_found("account", account)
        artifact: AccountArtifact = {"type": ArtifactType.ACCOUNT, **overview}
        if b := _billing(session, ctx, match.id):
            artifact["billing"] = b
    return as_result(artifact)


def _billing(session: Session, ctx: ToolContext, account_id: int) -> AccountBilling | None:
    # An unpaid invoice belongs beside the deal a rep is about to push (issue 18).
    return account_billing(session, account_id, ctx.today(), ctx.reporting_currency)


def _pipeline_summary_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def pipeline_summary(scope: str = "me", period: str = "this quarter") -> Result:
        """Summarise the pipeline: open deals by stage (count, amount, weighted amount), won in
        the period, quota and attainment.

        Args:
            scope: "me", "team", or a rep's name.
            period: "this quarter" (default), "next quarter", "this month", "Q3", "this year".
        """
        with ctx.sessions() as session:
            owners = resolve_owner_scope(session, ctx.principal, scope)
            if owners.missing:
                return not_found("rep", scope, owners.suggestions)
            shown = owners.owner_ids
            if shown is None:
                shown = frozenset(list_user_ids(session))
            ids, today = owners.owner_ids, ctx.today()
            conv, missing = scope_conversion(
                session, ids, owners.label, sorted(shown), ctx.reporting_currency
            )
            if missing is not None:
                return as_result(missing)
            period_ = period_arg(period, today)
            figures = pipeline_figures(session, ids, period_, today, owners.label, conv.amount())
        artifact: PipelineArtifact = {
            "type": ArtifactType.PIPELINE,
            "scope_label": owners.label,
            **conv.header(),
            "data_owner_ids": sorted(shown),
            **figures,
            "note": with_note(owners.notice, conv.note()),
        }
        return as_result(artifact)

    return pipeline_summary


def _next_actions_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def next_actions(limit: int = 10) -> Result:
        """List my next actions, most valuable first, each with its reason: overdue tasks,
        deals past their close date, quiet deals, follow-ups I promised.

        Args:
            limit: how many actions (at most 25).
        """
        with ctx.sessions() as session:
            items = list_next_actions(
                session, ctx.principal.user_id, today=ctx.today(), limit=clamp(limit, 1, 25)
            )
        artifact: NextActionsArtifact = {
            "type": ArtifactType.NEXT_ACTIONS,
            "today": ctx.today().isoformat(),
            "data_owner_ids": [ctx.principal.user_id],
            "items": items,
        }
        return as_result(artifact)

    return next_actions
