"""The manager's Monday digest gets a revenue line when billing knows the team's accounts: the
billing tools' own figures (MRR, ARR, NRR, overdue, churn signals), run as the manager."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import EUR_USD, TODAY
from test_billing_tools import NOON, call

from bot.nudges.config import MANAGER_DIGEST, Due
from bot.nudges.digest import build_digest_blocks
from bot.nudges.digest_content import digest_content
from tools.crm.money import format_money

MIA = Due(2, MANAGER_DIGEST, TODAY, "Mia Manager", "UTC", None)


def test_the_digest_carries_the_teams_revenue_tools(billing_crm: sessionmaker[Session]) -> None:
    content = digest_content(billing_crm, MIA, NOON)
    assert content is not None
    assert content.revenue == call(
        billing_crm, "mia@x.test", "revenue_summary", scope="team", period="last 12 months"
    )
    assert content.unpaid == call(billing_crm, "mia@x.test", "unpaid_invoices", scope="team")
    assert content.churn == call(billing_crm, "mia@x.test", "churn_risk", scope="team")


def test_the_revenue_line_says_the_figures(billing_crm: sessionmaker[Session]) -> None:
    content = digest_content(billing_crm, MIA, NOON)
    assert content is not None
    text = str(build_digest_blocks(content, manager_name="Mia Manager", local_date=TODAY))
    # Mia's team bills Acme (Pro 2 x $1,000 and a $100 add-on a month) and Globex (EUR 24,000 a
    # year); Umbrella's subscription ended. Acme owes $2,900 overdue, Umbrella $500.
    mrr = Decimal("2100") + Decimal("24000") / 12 * EUR_USD
    assert f"*Revenue:* MRR {format_money(mrr)} · ARR {format_money(mrr * 12)}" in text
    assert f"{format_money(Decimal('3400'))} overdue on 2 accounts" in text
    churn = content.churn
    assert churn is not None and churn["total_count"] >= 1
    assert "churn signal" in text


def test_no_billing_data_no_revenue_line(crm: sessionmaker[Session]) -> None:
    content = digest_content(crm, MIA, NOON)
    assert content is not None and content.revenue is None
    text = str(build_digest_blocks(content, manager_name="Mia Manager", local_date=TODAY))
    assert "Revenue" not in text
