"""The billing tools answer the issue's questions with the SQL figures, as their asker."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import INVOICES, TODAY, usd

from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.principal import get_principal_by_email

NOON = datetime(TODAY.year, TODAY.month, TODAY.day, 17, tzinfo=UTC)


def call(crm: sessionmaker[Session], email: str, name: str, **args: Any) -> dict[str, Any]:
    with crm() as session:
        principal = get_principal_by_email(session, email)
    tools = {t.name: t for t in make_tools(ToolContext(principal, crm, None, lambda: NOON))}
    result = tools[name].invoke({"type": "tool_call", "id": "1", "name": name, "args": args})
    return dict(result.artifact)


def summary(artifact: dict[str, Any]) -> dict[str, Any]:
    return {r["label"]: r["value"] for r in artifact["summary"]}


def test_what_is_acme_worth_to_us(billing_crm: sessionmaker[Session]) -> None:
    a = call(billing_crm, "rob@x.test", "account_value", account="acme")
    paid = sum(usd(r[4], r[5]) for r in INVOICES if r[2] == "cus_acme")
    figures = summary(a)
    assert a["type"] == "account_revenue" and a["account"]["name"] == "Acme Corp"
    assert Decimal(figures["Paid to date"]) == paid
    assert figures["MRR"] == "2100.00" and figures["ARR"] == "25200.00"
    assert figures["Overdue"] == "2900.00" and figures["Next renewal"] == "2026-12-01"
    assert [r["invoice"] for r in a["rows"]] == ["A-0", "A-2"]


def test_an_account_out_of_scope_is_not_found(billing_crm: sessionmaker[Session]) -> None:
    a = call(billing_crm, "rob@x.test", "account_value", account="Initech")
    assert a["type"] == "not_found"


def test_who_has_unpaid_invoices_as_the_manager(billing_crm: sessionmaker[Session]) -> None:
    a = call(billing_crm, "mia@x.test", "unpaid_invoices")
    assert [(r["account"], r["owed"]) for r in a["rows"]] == [
        ("Acme Corp", "2900.00"),
        ("Umbrella Health", "500.00"),
    ]
    assert summary(a)["Overdue in all"] == "3400.00"


def test_renewals_this_quarter_and_churn_risk(billing_crm: sessionmaker[Session]) -> None:
    renewals = call(billing_crm, "ada@x.test", "upcoming_renewals", scope="team")
    assert [r["account"] for r in renewals["rows"]] == ["Acme Corp", "Initech", "Acme Corp"]
    risks = call(billing_crm, "ada@x.test", "churn_risk", scope="team")
    assert {r["account"] for r in risks["rows"]} == {"Acme Corp", "Initech", "Umbrella Health"}


def test_top_accounts_by_lifetime_value_in_the_reporting_currency(
    billing_crm: sessionmaker[Session],
) -> None:
    a = call(billing_crm, "ada@x.test", "top_accounts_by_value", scope="team")
    assert a["rows"][0]["account"] == "Globex" and a["rows"][0]["realised"] == "52800.00"
    assert a["currency"] == "USD" and a["converted_from"] == ["EUR"]
    revenue = call(billing_crm, "ada@x.test", "revenue_summary", scope="team")
    assert summary(revenue)["MRR"] == "5100.00"


def test_a_missing_rate_gives_a_notice_not_a_raw_sum(billing_crm: sessionmaker[Session]) -> None:
    with billing_crm.begin() as session:
        session.execute(text("delete from currency_rates"))
    a = call(billing_crm, "ada@x.test", "top_accounts_by_value", scope="team")
    assert a["type"] == "notice" and "EUR" in a["text"]
