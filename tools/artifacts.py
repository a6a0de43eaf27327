"""Every artifact a tool returns: its type (`ArtifactType`) and its shape (a `TypedDict`).

Artifacts stay plain dicts at run time (JSON for the model, the same figures for Slack, the CLI
and the planner); these declarations only let mypy check that producers build what renderers
read. `ArtifactType` is a `StrEnum`, so `ArtifactType.DEALS == "deals"` and JSON holds the old
strings. Every renderer table is keyed by `ArtifactType`, and
`tests/test_artifact_renderers.py` fails when a type lacks its Slack, CLI or planner rendering.

Nested rows (a deal, a stage, a hit) stay `Row`: their keys are the SQL layer's.
"""

# No `from __future__ import annotations` here: TypedDict reads NotRequired at run time only
# from real annotations, and the shape test reads `__required_keys__`.
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal, NotRequired, TypedDict, TypeVar

Row = dict[str, Any]
T = TypeVar("T")


class ArtifactType(StrEnum):
    """The "type" of every artifact, the key of every renderer table."""

    DEALS = "deals"
    DEAL = "deal"
    ACCOUNT = "account"
    PIPELINE = "pipeline"
    NEXT_ACTIONS = "next_actions"
    INTERACTIONS = "interactions"
    PIPELINE_REVIEW = "pipeline_review"
    FORECAST = "forecast"
    REP_KPIS = "rep_kpis"
    DEAL_RISKS = "deal_risks"
    COACHING_BRIEF = "coaching_brief"
    WRITE_PROPOSAL = "write_proposal"
    NOTICE = "notice"
    NOT_FOUND = "not_found"
    ACCOUNT_REVENUE = "account_revenue"
    REVENUE_LIST = "revenue_list"


def artifact_type(artifact: Mapping[str, Any] | None) -> ArtifactType | None:
    """The artifact's type, or None for anything that is no artifact of ours."""
    kind = artifact.get("type") if isinstance(artifact, Mapping) else None
    try:
        return ArtifactType(kind) if isinstance(kind, str) else None
    except ValueError:
        return None


def handler_for(table: Mapping[ArtifactType, T], artifact: Mapping[str, Any]) -> T | None:
    """What a renderer table holds for the artifact's type; None when it has nothing for it."""
    kind = artifact_type(artifact)
    return table.get(kind) if kind is not None else None


# --- the figures the SQL layer returns; the tools add the type, scope and note ---


class DealListFigures(TypedDict):
    data_owner_ids: list[int]
    total_count: int
    currency: str | None  # None: several currencies, see totals_by_currency
    total_amount: str | None
    totals_by_currency: list[Row]
    converted_total: Row | None  # their sum in the reporting currency, when every rate is known
    rows: list[Row]
    truncated: bool


class DealDetailFigures(TypedDict):
    data_owner_ids: list[int]
    deal: Row
    contacts: list[Row]
    interactions: list[Row]
    tasks: list[Row]


class AccountOverviewFigures(TypedDict):
    data_owner_ids: list[int]
    account: Row
    open_deals: list[Row]
    closed_deals: list[Row]
    contacts: list[Row]
    interactions: list[Row]


class PastDueFigures(TypedDict):
    """Open deals past their close date: how many, their total, the oldest few."""

    count: int
    amount: str
    deals: list[Row]


def past_due_sentence(figures: Any, show_money: Any, escape: Any = str) -> str | None:
    """ "Past due: 3 open deals, $40,000.00, past their close date (oldest: ...)", or None.

    `show_money` formats an amount string, `escape` a CRM name, for the surface drawing it.
    """
    if not figures or not figures.get("count"):
        return None
    oldest = ", ".join(
        f"{escape(d['name'])} ({d['close_date']}, {escape(d['owner'])})" for d in figures["deals"]
    )
    n = figures["count"]
    return (
        f"Past due: {n} open deal{'s' * (n != 1)}, {show_money(figures['amount'])}, past their "
        f"close date (oldest: {oldest})."
    )


class PipelineFigures(TypedDict):
    period: Row
    by_stage: list[Row]
    open_count: int
    open_amount: str
    weighted_amount: str
    won_count: int
    won_amount: str
    quota: str | None
    attainment_pct: str | None
    rates_basis: Row
    past_due: NotRequired[PastDueFigures]


class MoneyHeader(TypedDict):
    """The keys an artifact that adds amounts carries about its money (tools/crm/currency.py)."""

    currency: str
    converted_from: list[str]
    conversion_note: str | None


class ScopeHeader(TypedDict):
    """The keys every analytics artifact carries about its scope."""

    scope_label: str
    data_owner_ids: list[int]


class ReviewFigures(TypedDict):
    period: Row
    currency: NotRequired[str | None]  # from the conversion header (tools/crm/currency.py)
    by_stage: list[Row]
    open_count: int
    open_amount: str
    weighted_amount: str
    won_count: int
    won_amount: str
    quota: str | None
    quota_remaining: str | None
    coverage: str | None
    since: str
    changes: dict[str, list[Row]]
    change_counts: dict[str, int]
    rates_basis: Row
    past_due: NotRequired[PastDueFigures]


class ForecastFigures(TypedDict):
    period: Row
    currency: NotRequired[str | None]  # from the conversion header (tools/crm/currency.py)
    closed_won: str
    quota: str | None
    open_count: int
    open_amount: str
    expected: str
    low: str
    high: str
    method: str
    attainment_expected_pct: str | None
    backtest: list[Row]
    backtest_mae_pct: str | None
    rates_basis: Row


class KpiFigures(TypedDict):
    currency: NotRequired[str | None]  # from the conversion header (tools/crm/currency.py)
    rows: list[Row]
    team_median: Row


class RiskFigures(TypedDict):
    rows: list[Row]
    stay_basis: str


class CoachingFigures(TypedDict):
    period: Row
    currency: NotRequired[str | None]  # from the conversion header (tools/crm/currency.py)
    rep: Row
    kpis: Row
    team_median: Row
    risks: list[Row]
    talking_points: list[str]


# --- the artifacts ---


class DealsArtifact(DealListFigures):
    type: Literal[ArtifactType.DEALS]
    title: str
    note: NotRequired[str]


class AccountBilling(TypedDict):
    """An account's billing in brief (tools/billing/brief.py), amounts in `currency`."""

    currency: str
    mrr: str
    overdue: str
    overdue_invoices: int
    oldest_overdue_days: int | None
    next_renewal: str | None  # ISO day
    cancellation_scheduled: bool  # the subscription renewing next is set to cancel


class DealArtifact(DealDetailFigures):
    type: Literal[ArtifactType.DEAL]
    billing: NotRequired[AccountBilling]  # the deal's account has billing data


class AccountArtifact(AccountOverviewFigures):
    type: Literal[ArtifactType.ACCOUNT]
    billing: NotRequired[AccountBilling]


class PipelineArtifact(PipelineFigures, MoneyHeader):
    type: Literal[ArtifactType.PIPELINE]
    scope_label: str
    data_owner_ids: list[int]
    note: str | None


class NextActionsArtifact(TypedDict):
    type: Literal[ArtifactType.NEXT_ACTIONS]
    today: str
    data_owner_ids: list[int]
    items: list[Row]


class InteractionsArtifact(TypedDict):
    type: Literal[ArtifactType.INTERACTIONS]
    query: str
    data_owner_ids: list[int]
    hits: list[Row]
    summary: NotRequired[str]  # the extractive sentence before the list (tools/search/summary.py)
    searched: NotRequired[str]  # what was searched: "Acme Corp's calls since 2026-10-28"


class PipelineReviewArtifact(ScopeHeader, ReviewFigures):
    type: Literal[ArtifactType.PIPELINE_REVIEW]
    converted_from: list[str]
    conversion_note: str | None
    note: str | None


class ForecastArtifact(ScopeHeader, ForecastFigures):
    type: Literal[ArtifactType.FORECAST]
    converted_from: list[str]
    conversion_note: str | None
    note: str | None


class RepKpisArtifact(ScopeHeader, KpiFigures):
    type: Literal[ArtifactType.REP_KPIS]
    period: Row
    converted_from: list[str]
    conversion_note: str | None
    note: str | None


class DealRisksArtifact(ScopeHeader, RiskFigures):
    type: Literal[ArtifactType.DEAL_RISKS]
    total_count: int  # all deals at risk; `rows` holds at most the limit asked for
    currency: str | None
    note: str | None


class CoachingBriefArtifact(ScopeHeader, CoachingFigures):
    type: Literal[ArtifactType.COACHING_BRIEF]
    converted_from: list[str]
    conversion_note: str | None
    note: str | None


class WriteProposalArtifact(TypedDict):
    """A pending write as any surface redraws it, from the stored row alone."""

    type: Literal[ArtifactType.WRITE_PROPOSAL]
    id: str
    action: str
    status: str
    title: str
    fields: list[Row]
    before: Row | None
    after: Row
    currency: str
    data_owner_ids: list[int]
    undo_until: str | None
    result: Row | None
    note: NotRequired[str]  # only when just proposed: "Not saved yet ..."


class NoticeArtifact(TypedDict):
    """A sentence instead of figures: a refused argument, search unavailable, mixed currencies."""

    type: Literal[ArtifactType.NOTICE]
    text: str
    # Only for the refusal of a total over currencies without a rate (tools/crm/currency.py):
    reason: NotRequired[str]
    currencies: NotRequired[list[str]]
    reporting_currency: NotRequired[str]
    missing_rates: NotRequired[list[str]]
    open_by_currency: NotRequired[list[Row]]
    data_owner_ids: NotRequired[list[int]]


class NotFoundArtifact(TypedDict):
    """Both "does not exist" and "not yours", so a rep cannot probe other books."""

    type: Literal[ArtifactType.NOT_FOUND]
    what: str
    query: str
    suggestions: list[str]


class BillingLayout(ScopeHeader, MoneyHeader):
    """Billing figures drawn the same way on every surface: a title, figure lines, a table.

    `summary` rows are {"label", "value", "money"}; `columns` are {"key", "label", "money"}
    naming the keys of `rows` to show. Every value comes from SQL (tools/billing/).
    """

    title: str
    summary: list[Row]
    columns: list[Row]
    rows: list[Row]
    total_count: int
    note: str | None


class AccountRevenueArtifact(BillingLayout):
    """What one account is worth: revenue, MRR, lifetime value, overdue invoices, renewals."""

    type: Literal[ArtifactType.ACCOUNT_REVENUE]
    account: Row


class RevenueListArtifact(BillingLayout):
    """Accounts ranked by a billing figure: lifetime value, unpaid, renewals, churn risk."""

    type: Literal[ArtifactType.REVENUE_LIST]
    kind: str


Artifact = (
    DealsArtifact
    | DealArtifact
    | AccountArtifact
    | PipelineArtifact
    | NextActionsArtifact
    | InteractionsArtifact
    | PipelineReviewArtifact
    | ForecastArtifact
    | RepKpisArtifact
    | DealRisksArtifact
    | CoachingBriefArtifact
    | WriteProposalArtifact
    | NoticeArtifact
    | NotFoundArtifact
    | AccountRevenueArtifact
    | RevenueListArtifact
)

SHAPES: dict[ArtifactType, type[Any]] = {
    ArtifactType.DEALS: DealsArtifact,
    ArtifactType.DEAL: DealArtifact,
    ArtifactType.ACCOUNT: AccountArtifact,
    ArtifactType.PIPELINE: PipelineArtifact,
    ArtifactType.NEXT_ACTIONS: NextActionsArtifact,
    ArtifactType.INTERACTIONS: InteractionsArtifact,
    ArtifactType.PIPELINE_REVIEW: PipelineReviewArtifact,
    ArtifactType.FORECAST: ForecastArtifact,
    ArtifactType.REP_KPIS: RepKpisArtifact,
    ArtifactType.DEAL_RISKS: DealRisksArtifact,
    ArtifactType.COACHING_BRIEF: CoachingBriefArtifact,
    ArtifactType.WRITE_PROPOSAL: WriteProposalArtifact,
    ArtifactType.NOTICE: NoticeArtifact,
    ArtifactType.NOT_FOUND: NotFoundArtifact,
    ArtifactType.ACCOUNT_REVENUE: AccountRevenueArtifact,
    ArtifactType.REVENUE_LIST: RevenueListArtifact,
}
"""The declared shape of each type (`__required_keys__`, `__optional_keys__` at run time)."""
