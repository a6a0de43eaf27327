"""The interaction search tool: hybrid full-text and semantic search, scoped to the asker.

The work is in tools/search/; this module turns the model's arguments into filters and the
outcome into an artifact.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from langchain_core.tools import BaseTool, tool
from sqlalchemy.orm import Session

from prompts import load_prompt
from tools.arguments import clamp, notice
from tools.artifacts import ArtifactType, InteractionsArtifact
from tools.context import ToolContext
from tools.crm.activities import any_activity
from tools.crm.names import match_account, match_deal
from tools.crm.rows import owner_ids_of
from tools.interactions import SearchUnavailableError
from tools.periods import optional_period
from tools.results import Result, not_found
from tools.search.hybrid import Mode, Outcome, search
from tools.search.lexical import Narrowing
from tools.search.query import kind_value
from tools.search.rows import match_contact
from tools.search.summary import summarize

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
        contact: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        limit: int = 5,
    ) -> Result:
        """Search emails, calls, meetings, notes and LinkedIn messages by topic, words or meaning.

        Only interactions that match are returned (none when nothing does); the summary says
        how many matched. Time words in the query ("recently", "latest", "since the demo",
        "last month") filter and order by date.

        Args:
            query: what to look for, e.g. "pricing objections", "SOC 2", "competitors recently".
            account: only this account (name, typos fine).
            deal: only this deal (name or id).
            contact: only interactions with this person (full or first name).
            kind: email, call, meeting, note or linkedin.
            since: only from this period or date on, e.g. "last month", "2026-01-01".
            limit: how many results at most (at most 20).
        """
        return run_search(ctx, query, account, deal, contact, kind, since, limit)

    return search_interactions


def run_search(
    ctx: ToolContext,
    query: str,
    account: str | None = None,
    deal: str | None = None,
    contact: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    limit: int = 5,
    *,
    mode: Mode = "hybrid",
) -> Result:
    """The tool's work; `mode` "semantic" is the vectors alone (the benchmark's baseline)."""
    with ctx.sessions() as session:
        narrowing = Narrowing(kind=kind_value(kind))
        ignore: list[str] = []
        if account:
            match = match_account(session, ctx.principal, account)
            if match.id is None:
                return not_found("account", account, match.suggestions)
            narrowing = Narrowing(account_id=match.id, kind=narrowing.kind)
            ignore += [account, match.name or ""]
        if deal:
            dmatch = match_deal(session, ctx.principal, deal)
            if dmatch.id is None:
                return not_found("deal", deal, dmatch.suggestions)
            narrowing = Narrowing(narrowing.account_id, dmatch.id, kind=narrowing.kind)
            ignore += [deal, dmatch.name or ""]
        if contact:
            cmatch = match_contact(session, ctx.principal, contact, narrowing.account_id)
            if cmatch.id is not None:
                narrowing = Narrowing(
                    narrowing.account_id, narrowing.deal_id, cmatch.id, narrowing.kind
                )
                ignore += [contact, cmatch.name or ""]
            elif account or deal:
                return not_found("contact", contact, cmatch.suggestions)
            else:
                # "What did Globex say?": the name may be a company's as well as a person's.
                amatch = match_account(session, ctx.principal, contact)
                if amatch.id is None:
                    both = tuple(dict.fromkeys((*amatch.suggestions, *cmatch.suggestions)))
                    return not_found("account or contact", contact, both)
                narrowing = Narrowing(account_id=amatch.id, kind=narrowing.kind)
                ignore += [contact, amatch.name or ""]
        narrowing = _with_since(narrowing, since, ctx)
        try:
            outcome = search(
                session,
                ctx.principal,
                ctx.index,
                query,
                narrowing,
                today=ctx.today(),
                limit=clamp(limit, 1, 20),
                ignore=tuple(ignore),
                mode=mode,
            )
            unbuilt = _unbuilt(session, ctx, outcome)
        except SearchUnavailableError:
            return notice(UNAVAILABLE)
        if unbuilt:
            return notice(NOT_BUILT)
        names = {"account": account, "deal": deal, "contact": contact}
        artifact = _artifact(query, outcome, names)
    # What the model reads: the artifact and how to answer from it, citing what it uses.
    guide = {"how_to_answer": load_prompt("search_summary")}
    return json.dumps({**artifact, **guide}, separators=(",", ":"), default=str), artifact


def _unbuilt(session: Session, ctx: ToolContext, outcome: Outcome) -> bool:
    # This database's collection is empty: say so, rather than answer from full text alone
    # as if the search were whole.
    index = ctx.index
    return index is not None and index.count() == 0 and any_activity(session)


def _with_since(n: Narrowing, since: str | None, ctx: ToolContext) -> Narrowing:
    period = optional_period(since, ctx.today())
    if period is None:
        return n
    until = datetime.combine(min(period.end, ctx.today()) + timedelta(days=1), time(), UTC)
    start = datetime.combine(period.start, time(), UTC)
    return Narrowing(n.account_id, n.deal_id, n.contact_id, n.kind, start, until)


def _artifact(query: str, outcome: Outcome, names: dict[str, str | None]) -> InteractionsArtifact:
    topic = " ".join(outcome.reading.terms) or "anything"
    searched = _searched(outcome, names)
    return {
        "type": ArtifactType.INTERACTIONS,
        "query": query,
        "data_owner_ids": owner_ids_of(outcome.hits),
        "hits": outcome.hits,
        "summary": " ".join([summarize(outcome.hits, topic, searched), *outcome.notes]),
        "searched": searched,
    }


def _searched(outcome: Outcome, names: dict[str, str | None]) -> str:
    """What the search covered, in words: "Acme's calls with Patrick since 2026-10-28"."""
    n, r = outcome.narrowing, outcome.reading
    kind = f"{n.kind}s" if n.kind else "interactions"
    whose = f"{names['account']}'s {kind}" if names["account"] else f"your {kind}"
    parts = [whose]
    if names["deal"]:
        parts.append(f"on {names['deal']}")
    if names["contact"]:
        parts.append(f"with {names['contact']}")
    if outcome.anchor:
        parts.append(f"since the {r.since_event} on {outcome.anchor}")
    elif n.since:
        parts.append(f"since {n.since.date().isoformat()}")
    if n.until and not outcome.anchor:
        parts.append(f"until {(n.until - timedelta(days=1)).date().isoformat()}")
    return " ".join(parts)
