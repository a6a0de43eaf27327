"""The manager analytics tools: pipeline review, forecast, rep KPIs, deal risks, 1:1 briefs.

Each runs as the principal in its ToolContext: scope words only ever narrow what the asker may
already see, and a rep who asks for team figures gets their own with a note.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, timedelta
from typing import Any, cast

from langchain_core.tools import BaseTool, tool
from sqlalchemy.orm import Session

from tools.analytics.coaching import coaching_figures
from tools.analytics.fmt import period_dict
from tools.analytics.forecast import forecast_figures
from tools.analytics.kpis import kpi_figures
from tools.analytics.precomputed import Kept, SnapshotPolicy, keep, read_kept, snapshot_key
from tools.analytics.review import review_figures
from tools.analytics.risks import risk_figures
from tools.arguments import clamp
from tools.artifacts import (
    Artifact,
    ArtifactType,
    CoachingBriefArtifact,
    DealRisksArtifact,
    ForecastArtifact,
    PipelineReviewArtifact,
    RepKpisArtifact,
)
from tools.context import ToolContext
from tools.crm.currency import Conversion, scope_conversion, with_note
from tools.periods import optional_period, period_arg
from tools.results import Result, as_result, not_found
from tools.scope import AnalyticsScope, resolve_owner_scope, resolve_scope

DEFAULT_SINCE_DAYS = 7
MAX_RISK_ROWS = 50


def make_analytics_tools(ctx: ToolContext) -> list[BaseTool]:
    """The five analytics tools, each bound to `ctx` (and so to the asking user)."""
    return [
        _pipeline_review_tool(ctx),
        _forecast_tool(ctx),
        _rep_kpis_tool(ctx),
        _deal_risks_tool(ctx),
        _coaching_brief_tool(ctx),
    ]


def since_date(words: str | None, today: date) -> date:
    """The start of "what changed": a date or period in words, else a week ago."""
    found = optional_period(words, today)
    return found.start if found else today - timedelta(days=DEFAULT_SINCE_DAYS)


# Builds one artifact from the session, the scope (its money set) and how amounts convert.
Build = Callable[[Session, AnalyticsScope, Conversion], Artifact]


def _run(
    ctx: ToolContext,
    call: tuple[str, dict[str, Any]],
    scope_words: str | None,
    build: Build,
    *,
    adds_money: bool = True,
) -> Result:
    """`build` the artifact for the scope the words name, in the reporting currency.

    Amounts are converted in SQL (tools/crm/currency.py); figures that add amounts up are
    refused (with per-currency totals and the missing rate named) for a scope whose deals are
    in several currencies when a rate is missing. A large scope's slow answer is kept and read
    back for a while (tools/analytics/precomputed.py), labelled with when it was computed.
    """
    with ctx.sessions() as session:
        scope = resolve_scope(session, ctx.principal, scope_words)
        if scope is None:
            return not_found("rep", scope_words or "")
        shown = scope.data_owner_ids
        conv, missing = scope_conversion(
            session, scope.owner_ids, scope.label, shown, ctx.reporting_currency
        )
        if missing is not None and adds_money:
            return as_result(missing)
        policy = ctx.snapshot_policy()
        if not policy.applies(scope):
            return as_result(build(session, replace(scope, money=conv), conv))
        tool, args = call
        now = ctx.clock()
        key = snapshot_key(tool, args, scope, ctx.reporting_currency, ctx.today())
        kept = None if policy.refresh else read_kept(session, key, now, policy)
        if kept is not None:
            return as_result(_labelled(kept, policy))
        started = time.perf_counter()
        artifact = build(session, replace(scope, money=conv), conv)
        took = time.perf_counter() - started
        if policy.refresh or took >= policy.slow_seconds:
            user = ctx.principal.user_id
            keep(session, key, tool, args, user, artifact, now, round(took * 1000))
        return as_result(artifact)


def _labelled(kept: Kept, policy: SnapshotPolicy) -> Artifact:
    """The kept answer, its note saying when it was computed."""
    artifact: Any = dict(kept.artifact)
    when = kept.computed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    label = (
        f"Figures as of {when}: answers this large are computed in the background and "
        f"refreshed every {policy.minutes:g} minutes."
    )
    artifact["note"] = with_note(artifact.get("note"), label)
    return cast(Artifact, artifact)


def _pipeline_review_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def pipeline_review(
        scope: str | None = None, period: str = "this quarter", since: str | None = None
    ) -> Result:
        """Review the team's pipeline: open deals by stage with win rates and weighted amount,
        won so far, quota coverage, and what changed since a date (new, advanced, slipped,
        pushed, won, lost deals, each named). Use for "how did the team do this week?".

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
            period: the period whose pipeline to review: "this quarter" (default), "next month".
            since: changes since when: "last 7 days" (default), "this week", "2026-11-01".
        """
        today = ctx.today()
        per, start = period_arg(period, today), since_date(since, today)

        def build(s: Session, sc: AnalyticsScope, conv: Conversion) -> PipelineReviewArtifact:
            return {
                "type": ArtifactType.PIPELINE_REVIEW,
                **sc.header(),
                **review_figures(s, sc, per, start, today),
                **conv.header(),
                "note": with_note(sc.note, conv.note()),
            }

        call = {"scope": scope, "period": period, "since": since}
        return _run(ctx, ("pipeline_review", call), scope, build)

    return pipeline_review


def _forecast_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def forecast(period: str = "this quarter", scope: str | None = None) -> Result:
        """Forecast what will close won in a period: closed so far plus the open pipeline's
        expected wins from the team's stage-to-win rates and time to close, with a low-high
        range, against quota, and its backtest error over the last four quarters.

        Args:
            period: "this quarter" (default), "next quarter", "this month".
            scope: "team" (a manager's default), "me", or a rep's name.
        """
        today = ctx.today()
        per = period_arg(period, today)

        def build(s: Session, sc: AnalyticsScope, conv: Conversion) -> ForecastArtifact:
            return {
                "type": ArtifactType.FORECAST,
                **sc.header(),
                **forecast_figures(s, sc, per, ctx.clock(), today),
                **conv.header(),
                "note": with_note(sc.note, conv.note()),
            }

        return _run(ctx, ("forecast", {"period": period, "scope": scope}), scope, build)

    return forecast


def _rep_kpis_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def rep_kpis(scope: str | None = None, period: str = "this quarter") -> Result:
        """Rep leaderboard and KPIs: quota attainment, win rate, average deal size, sales cycle,
        activities per week by kind, pipeline created, and the team median. Use for
        "leaderboard", "who needs help?", "how are my reps doing?".

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
            period: "this quarter" (default), "last quarter", "this year".
        """
        today = ctx.today()
        per = period_arg(period, today)

        def build(s: Session, sc: AnalyticsScope, conv: Conversion) -> RepKpisArtifact:
            return {
                "type": ArtifactType.REP_KPIS,
                **sc.header(),
                "period": period_dict(per),
                **kpi_figures(s, sc, per, today),
                **conv.header(),
                "note": with_note(sc.note, conv.note()),
            }

        return _run(ctx, ("rep_kpis", {"scope": scope, "period": period}), scope, build)

    return rep_kpis


def _deal_risks_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def deal_risks(scope: str | None = None, limit: int = 10) -> Result:
        """Open deals at risk, riskiest first, each warning with its evidence: no activity,
        close date passed, stalled in stage, single-threaded, no next step, a competitor
        mentioned, an unresolved pricing objection.

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
            limit: how many deals to list (at most 50).
        """

        def build(s: Session, sc: AnalyticsScope, conv: Conversion) -> DealRisksArtifact:
            found = risk_figures(s, sc, ctx.clock(), ctx.today())
            rows = found["rows"]
            return {
                "type": ArtifactType.DEAL_RISKS,
                **sc.header(),
                **found,
                "total_count": len(rows),
                "rows": rows[: clamp(limit, 1, MAX_RISK_ROWS)],
                "currency": None,
                "note": with_note(sc.note, None),
            }

        # Each row carries its own deal's currency and nothing is added up.
        call = {"scope": scope, "limit": limit}
        return _run(ctx, ("deal_risks", call), scope, build, adds_money=False)

    return deal_risks


def _coaching_brief_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def coaching_brief(rep: str, period: str = "this quarter") -> Result:
        """Prepare a 1:1 with a rep: their KPIs against the team median, their deals at risk,
        and talking points grounded in those figures.

        Args:
            rep: the rep's name (first name is fine).
            period: "this quarter" (default), "last quarter".
        """
        today = ctx.today()
        per = period_arg(period, today)
        with ctx.sessions() as session:
            owners = resolve_owner_scope(session, ctx.principal, rep)
            team = resolve_scope(session, ctx.principal, None)
            ids = owners.owner_ids
            if owners.missing or ids is None or len(ids) != 1 or team is None:
                return not_found("rep", rep, owners.suggestions)
            (rep_id,) = ids
            conv, missing = scope_conversion(
                session, team.owner_ids, team.label, [rep_id], ctx.reporting_currency
            )
            if missing is not None:
                return as_result(missing)
            team = replace(team, money=conv)
            figures = coaching_figures(session, team, rep_id, per, ctx.clock(), today)
            if figures is None:
                return not_found("rep", rep)
        artifact: CoachingBriefArtifact = {
            "type": ArtifactType.COACHING_BRIEF,
            **team.header(),
            "data_owner_ids": [rep_id],
            **figures,
            **conv.header(),
            "note": conv.note(),
        }
        return as_result(artifact)

    return coaching_brief
