"""Billing charts draw the tools' own figures: revenue by month and lifetime value."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from test_billing_tools import call

from bot.charts import charts_for
from bot.charts.revenue import lifetime_figure, monthly_figure


def test_revenue_by_month_is_one_bar_per_month_with_its_exact_figure(
    billing_crm: sessionmaker[Session],
) -> None:
    a = call(billing_crm, "ada@x.test", "revenue_summary", scope="team", period="this year")
    assert a["rows"]
    figure = monthly_figure(a)
    heights = [bar.get_height() for bar in figure.axes[0].patches]
    assert heights == [float(r["revenue"]) for r in a["rows"]]
    [chart] = charts_for([a])
    assert chart.name == "revenue_by_month"
    for r in a["rows"]:
        assert r["month"] in chart.alt


def test_lifetime_value_stacks_paid_and_expected_in_the_tools_order(
    billing_crm: sessionmaker[Session],
) -> None:
    a = call(billing_crm, "ada@x.test", "top_accounts_by_value", scope="team")
    assert len(a["rows"]) >= 2
    figure = lifetime_figure(a)
    patches = figure.axes[0].patches
    paid, still = patches[: len(a["rows"])], patches[len(a["rows"]) :]
    assert [p.get_width() for p in paid] == [float(r["realised"]) for r in a["rows"]]
    assert [p.get_width() + s.get_width() for p, s in zip(paid, still, strict=True)] == [
        float(r["expected"] or r["realised"]) for r in a["rows"]
    ]
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == [r["account"] for r in a["rows"]]
    [chart] = charts_for([a])
    assert chart.name == "lifetime_value" and a["rows"][0]["account"] in chart.alt


def test_unpaid_invoices_stay_a_table(billing_crm: sessionmaker[Session]) -> None:
    assert charts_for([call(billing_crm, "mia@x.test", "unpaid_invoices")]) == []
