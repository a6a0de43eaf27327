"""The billing tools: what an account is worth, lifetime value, unpaid invoices, renewals,
churn risk and revenue. Figures come from tools/billing/ in SQL, in the reporting currency;
each tool sees the accounts its asker may see (tools/scope.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from langchain_core.tools import BaseTool, tool
from sqlalchemy.orm import Session

from tools.arguments import clamp
from tools.artifacts import (
    AccountRevenueArtifact,
    Artifact,
    ArtifactType,
    NoticeArtifact,
    RevenueListArtifact,
)
from tools.billing import figures as fig
from tools.billing.lifetime import backtest, lifetime_values
from tools.billing.risk import churn_risks
from tools.billing.scoping import BillingScope, billing_scope
from tools.billing.views import (
    INVOICE_COLUMNS,
    LTV_COLUMNS,
    MONTH_COLUMNS,
    RENEWAL_COLUMNS,
    RISK_COLUMNS,
    UNPAID_COLUMNS,
    layout,
    line,
)
from tools.context import ToolContext
from tools.crm.currency import missing_words
from tools.crm.names import match_account
from tools.models import Account
from tools.periods import period_arg
from tools.results import Result, as_result, not_found

Build = Callable[[Session, BillingScope], Artifact]


def make_billing_tools(ctx: ToolContext) -> list[BaseTool]:
    """The six billing tools, each bound to `ctx` (and so to the asking user)."""
    return [
        _account_value_tool(ctx),
        _top_accounts_tool(ctx),
        _unpaid_tool(ctx),
        _renewals_tool(ctx),
        _churn_tool(ctx),
        _revenue_tool(ctx),
    ]


def _run(ctx: ToolContext, words: str | None, build: Build, *, everything: bool = False) -> Result:
    with ctx.sessions() as session:
        bs = billing_scope(
            session, ctx.principal, words, ctx.reporting_currency, everything=everything
        )
        if bs is None:
            return not_found("rep", words or "")
        if bs.money.blocked:
            return as_result(_blocked(bs))
        return as_result(build(session, bs))


def _blocked(bs: BillingScope) -> NoticeArtifact:
    text = (
        f"The billing of {bs.label} is in {', '.join(bs.money.currencies)} and "
        f"{missing_words(bs.money)}, so salesbot will not add it into one figure. Add the rate "
        f"with `salesbot currency set {bs.money.missing[0]} RATE`."
    )
    return {"type": ArtifactType.NOTICE, "text": text, "reason": "missing_rate"}


def _account_value_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def account_value(account: str) -> Result:
        """Tell what an account is worth to us: money paid to date, revenue in the last 12
        months, MRR and ARR, expected lifetime value, overdue invoices and the next renewal.
        Use for "what is Acme worth to us?" or "does Acme pay on time?".

        Args:
            account: the account's name; typos and lowercase are fine.
        """
        with ctx.sessions() as session:
            match = match_account(session, ctx.principal, account)
        if match.id is None:
            return not_found("account", account, match.suggestions)
        return _run(ctx, None, lambda s, bs: _account(s, bs, ctx, match.id or 0), everything=True)

    return account_value


def _account(session: Session, bs: BillingScope, ctx: ToolContext, account_id: int) -> Artifact:
    today = ctx.today()
    ltv, basis = lifetime_values(session, bs, today, account_id)
    row: dict[str, Any] = ltv[0] if ltv else {}
    mrr = fig.mrr_on(session, bs, today, account_id)
    year = fig.revenue_by_account(session, bs, today - timedelta(days=365), today + timedelta(1))
    last_12 = next((r["revenue"] for r in year if r["account_id"] == account_id), "0.00")
    late = fig.overdue_invoices(session, bs, today, account_id)
    renew = fig.renewals(session, bs, today, today + timedelta(days=366), account_id)
    summary = [
        line("Paid to date", row.get("realised", "0.00"), True),
        line("Revenue, last 12 months", last_12, True),
        line("MRR", mrr, True),
        line("ARR", mrr * 12, True),
        line("Expected lifetime value", row.get("expected"), True),
        line("Team churn (a year)", f"{basis['annual_pct']}%" if basis["annual_pct"] else None),
        line("Overdue", fig.overdue_by_account(late)[0]["owed"] if late else "0.00", True),
        line("Next renewal", renew[0]["renewal"] if renew else None),
    ]
    name = match_name(session, account_id)
    found: AccountRevenueArtifact = {
        "type": ArtifactType.ACCOUNT_REVENUE,
        "account": {"id": account_id, "name": name},
        **layout(bs, f"What {name} is worth", summary, INVOICE_COLUMNS, late),
    }
    return found


def match_name(session: Session, account_id: int) -> str:
    """The account's name (visibility was checked by match_account)."""
    account = session.get(Account, account_id)
    return account.name if account else ""


def _list(kind: str, bs: BillingScope, title: str, summary: list[Any], columns: list[Any],
          rows: list[Any], total: int | None = None) -> Artifact:  # fmt: skip
    found: RevenueListArtifact = {
        "type": ArtifactType.REVENUE_LIST,
        "kind": kind,
        **layout(bs, title, summary, columns, rows, total),
    }
    return found


def _top_accounts_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def top_accounts_by_value(scope: str | None = None, limit: int = 10) -> Result:
        """Rank accounts by lifetime value: paid to date, average per month, and expected
        lifetime value from the team's own churn (the method and its backtest included).

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
            limit: how many accounts to show (1-50).
        """
        n = clamp(limit, 1, 50)

        def build(s: Session, bs: BillingScope) -> Artifact:
            rows, basis = lifetime_values(s, bs, ctx.today())
            test = backtest(s, bs, ctx.today())
            summary = [
                line("Team churn (a year)", basis["annual_pct"] and f"{basis['annual_pct']}%"),
                line("Expected lifetime (months)", basis["expected_lifetime_months"]),
                line("Backtest: predicted 12 months", test["predicted"], True),
                line("Backtest: actually paid", test["actual"], True),
                line("Backtest error", test["error_pct"] and f"{test['error_pct']}%"),
            ]
            title = f"Top accounts by lifetime value for {bs.label}"
            return _list("lifetime_value", bs, title, summary, LTV_COLUMNS, rows[:n], len(rows))

        return _run(ctx, scope, build)

    return top_accounts_by_value


def _unpaid_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def unpaid_invoices(scope: str | None = None) -> Result:
        """List accounts with unpaid invoices past their due date: amount overdue, how many
        invoices, and how many days the oldest is overdue. Use for "who has unpaid invoices?".

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
        """

        def build(s: Session, bs: BillingScope) -> Artifact:
            rows = fig.overdue_by_account(fig.overdue_invoices(s, bs, ctx.today()))
            total = sum((Decimal(r["owed"]) for r in rows), Decimal(0))
            summary = [line("Overdue in all", total, True)]
            title = f"Unpaid overdue invoices for {bs.label}"
            return _list("unpaid_invoices", bs, title, summary, UNPAID_COLUMNS, rows)

        return _run(ctx, scope, build)

    return unpaid_invoices


def _renewals_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def upcoming_renewals(scope: str | None = None, period: str = "this quarter") -> Result:
        """List subscriptions renewing in a period, soonest first, with their MRR and any
        cancellation already scheduled. Use for "which renewals are coming up this quarter?".

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
            period: "this quarter" (default), "next month", "next 60 days"...
        """
        today = ctx.today()
        per = period_arg(period, today)

        def build(s: Session, bs: BillingScope) -> Artifact:
            rows = fig.renewals(s, bs, max(today, per.start), per.end)
            for r in rows:
                r["status"] = "cancellation scheduled" if r["cancellation_scheduled"] else ""
            summary = [line("Period", f"{per.label} ({per.start} to {per.end})")]
            title = f"Renewals for {bs.label}, {per.label}"
            return _list("renewals", bs, title, summary, RENEWAL_COLUMNS, rows)

        return _run(ctx, scope, build)

    return upcoming_renewals


def _churn_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def churn_risk(scope: str | None = None) -> Result:
        """List accounts showing churn signals in billing, each with its evidence: a
        cancellation scheduled, a subscription past due, a failed payment, an invoice more
        than 30 days overdue, a downgrade. Use for "who is at risk of churning?".

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
        """

        def build(s: Session, bs: BillingScope) -> Artifact:
            rows = churn_risks(s, bs, ctx.today())
            for r in rows:
                r["why"] = "; ".join(r["evidence"])
            title = f"Accounts at risk of churning for {bs.label}"
            return _list("churn_risk", bs, title, [], RISK_COLUMNS, rows)

        return _run(ctx, scope, build)

    return churn_risk


def _revenue_tool(ctx: ToolContext) -> BaseTool:
    @tool(response_format="content_and_artifact", parse_docstring=True)
    def revenue_summary(scope: str | None = None, period: str = "this year") -> Result:
        """Summarise billing revenue: money received per month in a period, MRR, ARR and net
        revenue retention over the last year.

        Args:
            scope: "team" (a manager's default), "me", or a rep's name.
            period: "this year" (default), "this quarter", "last year"...
        """
        today = ctx.today()
        per = period_arg(period, today)

        def build(s: Session, bs: BillingScope) -> Artifact:
            rows = fig.revenue_by_month(s, bs, per.start, per.end + timedelta(days=1))
            mrr = fig.mrr_on(s, bs, today)
            nrr = fig.net_revenue_retention(s, bs, today)
            summary = [
                line("MRR", mrr, True),
                line("ARR", mrr * 12, True),
                line("Net revenue retention (a year)", nrr["nrr_pct"] and f"{nrr['nrr_pct']}%"),
            ]
            title = f"Revenue for {bs.label}, {per.label}"
            return _list("revenue", bs, title, summary, MONTH_COLUMNS, rows)

        return _run(ctx, scope, build)

    return revenue_summary
