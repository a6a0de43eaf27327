# ruff: noqa: E501  (one question and its call to a line)
"""The offline planner sends the billing questions to the billing tools, and nothing else."""

from __future__ import annotations

import pytest

from bot.agent.planner.plan import PlannedCall, Vocabulary, plan

ACCOUNTS = ("Acme Corp", "Globex", "Initech")
DEALS = ("Acme Corp – Renewal", "Globex – Analytics Suite")
MANAGER = Vocabulary("Mia Manager", True, ACCOUNTS, DEALS, ("Rob Rep",))
REP = Vocabulary("Rob Rep", False, ACCOUNTS, DEALS, ())


@pytest.mark.parametrize(
    ("question", "vocab", "expected"),
    [
        ("what is Acme worth to us?", REP, PlannedCall("account_value", {"account": "Acme Corp"})),
        ("what's the lifetime value of globex", REP, PlannedCall("account_value", {"account": "Globex"})),
        ("top accounts by lifetime value", MANAGER, PlannedCall("top_accounts_by_value", {"scope": "team"})),
        ("who has unpaid invoices?", MANAGER, PlannedCall("unpaid_invoices", {"scope": "team"})),
        ("which renewals are coming up this quarter?", MANAGER,
         PlannedCall("upcoming_renewals", {"scope": "team", "period": "this quarter"})),
        ("renewals next month", REP, PlannedCall("upcoming_renewals", {"period": "next month"})),
        ("who is at risk of churning?", MANAGER, PlannedCall("churn_risk", {"scope": "team"})),
        ("what is our MRR?", MANAGER, PlannedCall("revenue_summary", {"scope": "team"})),
    ],
)  # fmt: skip
def test_billing_questions_reach_the_billing_tools(
    question: str, vocab: Vocabulary, expected: PlannedCall
) -> None:
    assert plan(question, vocab) == [expected]


@pytest.mark.parametrize(
    "question",
    ["how is the Acme renewal going?", "show my deals worth over 50k", "show my overdue tasks"],
)
def test_crm_questions_stay_with_the_crm_tools(question: str) -> None:
    calls = plan(question, REP)
    assert all(
        c.name not in {"account_value", "upcoming_renewals", "unpaid_invoices"} for c in calls
    )
