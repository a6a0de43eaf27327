"""Tools only the offline planner calls: rankings, quota standing, due tasks, contacts.

They answer the shapes of question the planner reads (tools/crm/deal_order.py,
tools/crm/due_tasks.py hold their SQL); the LLM keeps its smaller tool list, so its prompt
does not grow.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from langchain_core.tools import BaseTool, tool

from tools.analytics.fmt import period_dict
from tools.analytics.kpis import kpi_figures
from tools.arguments import clamp, guarded
from tools.artifacts import (
    ArtifactType,
    DealsArtifact,
    NextActionsArtifact,
    NoticeArtifact,
    RepKpisArtifact,
)
from tools.context import ToolContext
from tools.crm.currency import scope_conversion, with_note
from tools.crm.deal_order import ORDERS, amount_by_owner, ranked_deals
from tools.crm.due_tasks import list_due_tasks
from tools.crm.money import format_money
from tools.crm_tools import _deal_filter, account_result
from tools.models import OPEN_STAGES, Stage
from tools.periods import Period, optional_period, period_arg
from tools.results import Result, as_result, not_found
from tools.scope import resolve_scope

MAX_ROWS = 50
_ORDER_TITLES = {
    "amount": "Biggest", "amount_asc": "Smallest", "close_date": "Soonest closing",
    "age": "Oldest", "inactivity": "Longest without activity:",
}  # fmt: skip


def make_planner_tools(ctx: ToolContext) -> list[BaseTool]:
    """The planner-only tools, each bound to `ctx` (and so to the asking user)."""
    return guarded(
        [
            _rank_deals_tool(ctx),
            _due_tasks_tool(ctx),
            _account_contacts_tool(ctx),
            _rank_reps_tool(ctx),
            _quota_standing_tool(ctx),
        ]
    )


def _rank_deals_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def rank_deals(
        order: str = "amount",
        limit: int = 10,
        stage: str | None = None,
        period: str | None = None,
        min_amount: float | None = None,
        account: str | None = None,
        owner: str | None = None,
        inactive_days: int | None = None,
    ) -> Result:
        """Rank deals: biggest, smallest, soonest closing, oldest or longest without activity.

        Args:
            order: amount, amount_asc, close_date, age or inactivity.
            limit: how many (at most 50).
            stage: as find_deals; open by default.
            period: when the deals close.
            min_amount: only deals worth at least this much.
            account: an account name.
            owner: "me", "team" or a rep's name.
            inactive_days: only deals with no activity in this many days.
        """
        if order not in ORDERS:
            return as_result(_notice(f"I can rank deals by {', '.join(ORDERS)}, not '{order}'."))
        with ctx.sessions() as session:
            flt, notice = _deal_filter(
                session, ctx, stage, period, min_amount, account, owner, inactive_days
            )
            if isinstance(flt, tuple):
                return flt
            found = ranked_deals(
                session, ctx.principal, flt, order, today=ctx.today(),
                limit=clamp(limit, 1, MAX_ROWS), reporting=ctx.reporting_currency,
            )  # fmt: skip
        what = "deal" if limit == 1 else "deals"
        when = f" closing {flt.period.label}" if flt.period else ""
        title = f"{_ORDER_TITLES[order].rstrip(':')} {(stage or 'open').replace('_', ' ')} {what}"
        artifact: DealsArtifact = {"type": ArtifactType.DEALS, "title": title + when, **found}
        if notice:
            artifact["note"] = notice
        return as_result(artifact)

    return rank_deals


def _notice(text: str) -> NoticeArtifact:
    return {"type": ArtifactType.NOTICE, "text": text}


def _due_tasks_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def due_tasks(period: str = "this week") -> Result:
        """List my open tasks due in a period, soonest first.

        Args:
            period: "this week" (default), "today", "next week", a date or a range.
        """
        today = ctx.today()
        per = period_arg(period, today, default="this week")
        with ctx.sessions() as session:
            items = list_due_tasks(session, ctx.principal.user_id, per, today=today)
        for item in items:
            item["reason"] = f"{item['reason']} ({per.label})"
        artifact: NextActionsArtifact = {
            "type": ArtifactType.NEXT_ACTIONS,
            "today": today.isoformat(),
            "data_owner_ids": [ctx.principal.user_id],
            "items": items,
        }
        return as_result(artifact)

    return due_tasks


def _account_contacts_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def account_contacts(account: str) -> Result:
        """List an account's contacts with their titles.

        Args:
            account: the account's name; typos are fine.
        """
        return account_result(ctx, account)

    return account_contacts


def _rank_reps_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def rank_reps(
        metric: str = "pipeline", direction: str = "most", period: str | None = None
    ) -> Result:
        """Rank the reps in scope by open pipeline or by what they won.

        Args:
            metric: "pipeline" (open deals) or "won".
            direction: "most" or "least".
            period: deals closing (pipeline) or closed (won) in this period; all open when blank.
        """
        today = ctx.today()
        per = optional_period(period, today)
        if metric == "won" and per is None:
            per = period_arg(None, today)
        with ctx.sessions() as session:
            # Reps rank the team; a rep's "team" is their own book, and the note says so.
            scope = resolve_scope(session, ctx.principal, "team")
            if scope is None:
                return not_found("rep", "team")
            conv, missing = scope_conversion(
                session, scope.owner_ids, scope.label, scope.data_owner_ids, ctx.reporting_currency
            )
            if missing is not None:
                return as_result(missing)
            stages = OPEN_STAGES if metric == "pipeline" else (Stage.CLOSED_WON,)
            rows = amount_by_owner(session, scope.owner_ids, stages, per, conv.amount())
        rows.sort(
            key=lambda r: (-float(r[2]), r[0]) if direction != "least" else (float(r[2]), r[0])
        )
        text = _ranking_text(rows, metric, direction, per, conv.currency)
        return as_result(_notice(f"{text}\n_{scope.note}_" if scope.note else text))

    return rank_reps


def _ranking_text(
    rows: list[tuple[str, int, object]], metric: str, direction: str, per: Period | None, cur: str
) -> str:
    what = "open pipeline" if metric == "pipeline" else "won"
    when = f", {per.label}" if per else ""
    if not rows:
        return f"No rep in your scope has {what} deals{when}."
    head = f"*Reps by {what}{when}, {direction} first:*"
    lines = [
        f"{i}. {name}: {format_money(str(total), cur)} ({count} deal{'s' * (count != 1)})"
        for i, (name, count, total) in enumerate(rows, 1)
    ]
    return "\n".join([head, *lines])


def _quota_standing_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def quota_standing(direction: str = "behind", period: str = "this quarter") -> Result:
        """Which reps are behind or ahead of quota pace, from their KPIs.

        Args:
            direction: "behind" or "ahead".
            period: the quota period; "this quarter" by default.
        """
        today = ctx.today()
        per = period_arg(period, today)
        pace = pace_pct(per, today)
        with ctx.sessions() as session:
            # Reps rank the team; a rep's "team" is their own book, and the note says so.
            scope = resolve_scope(session, ctx.principal, "team")
            if scope is None:
                return not_found("rep", "team")
            conv, missing = scope_conversion(
                session, scope.owner_ids, scope.label, scope.data_owner_ids, ctx.reporting_currency
            )
            if missing is not None:
                return as_result(missing)
            figures = kpi_figures(session, replace(scope, money=conv), per, today)
        rows = [r for r in figures["rows"] if r.get("attainment_pct") is not None]
        behind = [r for r in rows if float(r["attainment_pct"]) < pace]
        chosen = behind if direction != "ahead" else [r for r in rows if r not in behind]
        unset = [r["name"] for r in figures["rows"] if r.get("attainment_pct") is None]
        pace_words = f"{pace:.0f}% of {per.label} has passed"
        below = "below" if direction != "ahead" else "at or above"
        note = f"Pace: {pace_words}; {direction} means attainment {below} that."
        if unset:
            note += f" No quota set for {', '.join(unset)}."
        artifact: RepKpisArtifact = {
            "type": ArtifactType.REP_KPIS,
            **scope.header(),
            "period": period_dict(per),
            "rows": chosen,
            "team_median": figures["team_median"],
            **conv.header(),
            "note": with_note(note, with_note(scope.note, conv.note())),
        }
        return as_result(artifact)

    return quota_standing


def pace_pct(per: Period, today: date) -> float:
    """How much of the period has passed, in percent (100 once it is over)."""
    if today >= per.end:
        return 100.0
    if today < per.start:
        return 0.0
    return 100.0 * ((today - per.start).days + 1) / ((per.end - per.start).days + 1)
