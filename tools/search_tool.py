"""The semantic search tool over interactions, scoped to the asking user."""

from __future__ import annotations

from datetime import UTC, datetime, time

from langchain_core.tools import BaseTool, tool

from tools.arguments import clamp, notice
from tools.artifacts import ArtifactType, InteractionsArtifact
from tools.context import ToolContext
from tools.crm.activities import any_activity, visible_interactions
from tools.crm.names import match_account, match_deal
from tools.crm.rows import owner_ids_of
from tools.interactions import SearchFilter, SearchUnavailableError
from tools.models import ActivityKind
from tools.periods import optional_period
from tools.results import Result, as_result, not_found

# Ask Chroma for more than we show: hits the asker may not see are dropped afterwards.
OVERFETCH = 3
UNAVAILABLE = (
    "Interaction search is unavailable right now; deals, accounts and pipeline still work."
)
NOT_BUILT = (
    "Interaction search has not been built for this CRM yet: an admin runs `salesbot index` "
    "once. Deals, accounts and pipeline already work."
)


def make_search_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def search_interactions(
        query: str,
        account: str | None = None,
        deal: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        limit: int = 5,
    ) -> Result:
        """Search emails, calls, meetings, notes and LinkedIn messages by meaning.

        Args:
            query: what to look for, e.g. "pricing objections" or "SOC 2 report".
            account: only this account (name, typos fine).
            deal: only this deal (name or id).
            kind: email, call, meeting, note or linkedin.
            since: only from this period or date on, e.g. "last month", "2026-01-01".
            limit: how many results (at most 20).
        """
        if ctx.index is None:
            return notice("Interaction search is not set up.")
        with ctx.sessions() as session:
            flt = SearchFilter()
            if account:
                match = match_account(session, ctx.principal, account)
                if match.id is None:
                    return not_found("account", account, match.suggestions)
                flt = SearchFilter(account_id=match.id)
            if deal:
                dmatch = match_deal(session, ctx.principal, deal)
                if dmatch.id is None:
                    return not_found("deal", deal, dmatch.suggestions)
                flt = SearchFilter(account_id=flt.account_id, deal_id=dmatch.id)
            flt = _with_kind_and_dates(flt, kind, since, ctx)
            n = clamp(limit, 1, 20)
            try:
                hits = ctx.index.search(query, ctx.principal, flt, limit=n * OVERFETCH)
                # This database's collection is empty: say so rather than "nothing found".
                unbuilt = not hits and ctx.index.count() == 0 and any_activity(session)
            except SearchUnavailableError:
                return notice(UNAVAILABLE)
            if unbuilt:
                return notice(NOT_BUILT)
            # Ids only from Chroma: rows, their text and the scope check all come from SQL.
            rows = visible_interactions(session, ctx.principal, [h.activity_id for h in hits])
        shown = rows[:n]
        artifact: InteractionsArtifact = {
            "type": ArtifactType.INTERACTIONS,
            "query": query,
            "data_owner_ids": owner_ids_of(shown),
            "hits": shown,
        }
        return as_result(artifact)

    return search_interactions


def _with_kind_and_dates(
    flt: SearchFilter, kind: str | None, since: str | None, ctx: ToolContext
) -> SearchFilter:
    kinds = {k.value for k in ActivityKind}
    kind_value = kind.strip().lower().rstrip("s") if kind else None
    period = optional_period(since, ctx.today())
    return SearchFilter(
        account_id=flt.account_id,
        deal_id=flt.deal_id,
        kind=kind_value if kind_value in kinds else None,
        since=datetime.combine(period.start, time(), UTC) if period else None,
    )
