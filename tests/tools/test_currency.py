"""Without exchange rates, money is never added up across currencies: totals per currency, or a
refusal naming the missing rate (with rates: tests/tools/analytics/test_multi_currency_book.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import build_fixture
from test_tool_figures import call, cents

from bot.nudges.digest import build_digest_blocks
from bot.nudges.digest_content import DigestContent
from bot.slack.blocks.home import build_home_blocks
from bot.slack.blocks.tables import deals_headline
from tools.crm.currency import format_total, scope_currencies
from tools.models import Deal

ANALYTICS = ("pipeline_review", "forecast", "rep_kpis")


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The fixture CRM with Rob's pilot in euros and Otto's only deal in pounds."""
    with sessions.begin() as session:
        build_fixture(session)
        session.execute(text("update deals set currency = 'EUR' where id = 2"))
        session.execute(text("update deals set currency = 'GBP' where owner_id = 6"))
    return sessions


def test_a_list_gives_one_total_per_currency(crm: sessionmaker[Session]) -> None:
    got = call(crm, "rob@x.test", "find_deals")
    with crm() as session:
        want = session.execute(
            text(
                "select currency, count(*), sum(amount) from deals where owner_id = 3 and stage "
                "in ('prospecting','qualification','proposal','negotiation') group by currency"
            )
        ).all()
    assert {(t["currency"], t["count"], t["amount"]) for t in got["totals_by_currency"]} == {
        (c, n, cents(a)) for c, n, a in want
    }
    assert (got["currency"], got["total_amount"]) == (None, None)  # no sum across currencies
    assert {r["currency"] for r in got["rows"]} == {"USD", "EUR"}
    assert format_total(got) == "$135,000 + €45,000.50"
    assert "$135,000 + €45,000.50" in deals_headline(got)


def test_a_single_currency_list_keeps_its_total_and_its_currency(
    crm: sessionmaker[Session],
) -> None:
    got = call(crm, "otto@x.test", "find_deals")
    assert (got["currency"], got["total_amount"]) == ("GBP", "99000.00")
    assert format_total(got) == "£99,000"


@pytest.mark.parametrize("tool", ["pipeline_summary", *ANALYTICS])
def test_figures_that_add_amounts_refuse_a_mixed_scope(
    crm: sessionmaker[Session], tool: str
) -> None:
    got = call(crm, "rob@x.test", tool)
    assert (got["type"], got["reason"], got["currencies"]) == (
        "notice",
        "missing_rate",
        ["EUR", "USD"],
    )
    assert got["data_owner_ids"] == [3]  # it shows amounts: only Rob's audience may see it
    assert {(t["currency"], t["count"], t["amount"]) for t in got["open_by_currency"]} == {
        ("USD", 2, "135000.00"),
        ("EUR", 1, "45000.50"),
    }
    assert "no exchange rate from EUR to USD is stored" in got["text"]
    assert (got["reporting_currency"], got["missing_rates"]) == ("USD", ["EUR"])
    assert "$135,000 in 2 deals" in got["text"] and "€45,000.50 in 1 deal" in got["text"]


def test_a_manager_whose_team_mixes_currencies_is_refused_too(
    crm: sessionmaker[Session],
) -> None:
    for tool, args in (("pipeline_review", {}), ("coaching_brief", {"rep": "Rita"})):
        got = call(crm, "mia@x.test", tool, **args)
        assert got["type"] == "notice" and got["reason"] == "missing_rate", tool
    risks = call(crm, "mia@x.test", "deal_risks")  # nothing is added up: rows in their own
    assert risks["type"] == "deal_risks" and risks["currency"] is None
    assert {r["currency"] for r in risks["rows"]} <= {"USD", "EUR"}
    digest = DigestContent(call(crm, "mia@x.test", "pipeline_review"), {}, risks)
    blocks = build_digest_blocks(digest, manager_name="Mia", local_date=date(2026, 11, 30))
    assert "no exchange rate from EUR to USD is stored" in str(blocks)


def test_a_scope_in_one_other_currency_reports_in_it(crm: sessionmaker[Session]) -> None:
    got = call(crm, "otto@x.test", "pipeline_summary")
    assert (got["type"], got["currency"], got["open_amount"]) == ("pipeline", "GBP", "99000.00")
    forecast = call(crm, "otto@x.test", "forecast")
    assert (forecast["type"], forecast["currency"]) == ("forecast", "GBP")


def test_the_home_tab_shows_the_refusal_instead_of_a_pipeline(crm: sessionmaker[Session]) -> None:
    notice = call(crm, "rob@x.test", "pipeline_summary")
    blocks = build_home_blocks(None, notice, user_name="Rob Rep")
    assert "no exchange rate from EUR to USD is stored" in str(blocks)


def test_a_whole_company_finds_every_currency_in_use(crm: sessionmaker[Session]) -> None:
    # The whole-company path skips through ix_deals_currency instead of reading every deal.
    with crm.begin() as session:
        session.execute(text("update deals set currency = 'CHF' where id = 1"))
    with crm() as session:
        every = sorted(set(session.scalars(select(Deal.currency))))
        assert scope_currencies(session, None) == every == ["CHF", "EUR", "GBP", "USD"]
        assert scope_currencies(session, frozenset({6})) == ["GBP"]


def test_no_deals_means_no_currencies(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        assert scope_currencies(session, None) == []
