"""Account and deal answers carry the account's billing: MRR, overdue invoices, the renewal.

Figures are checked against the sample exports by hand (support/billing_samples.py), on both
backends; an account billing knows nothing of gets no billing line at all.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import EUR_USD, INVOICES, TODAY
from test_billing_tools import call

from bot.agent.planner.compose import compose_answer
from bot.agent.planner.types import ToolResult
from bot.cli.render import print_artifacts
from bot.slack.blocks.tables import render_artifact
from tools.billing.brief import billing_sentence


def _acme_overdue() -> tuple[Decimal, int, int]:
    late = [
        (Decimal(r[3]) - Decimal(r[4]), (TODAY - date.fromisoformat(r[8])).days)
        for r in INVOICES
        if r[2] == "cus_acme" and r[6] in ("open", "uncollectible") and r[8] < TODAY.isoformat()
    ]
    return sum(o for o, _ in late), len(late), max(d for _, d in late)


def test_an_account_answer_shows_its_billing(billing_crm: sessionmaker[Session]) -> None:
    owed, count, oldest = _acme_overdue()
    a = call(billing_crm, "rob@x.test", "account_overview", account="acme")
    assert a["billing"] == {
        "currency": "USD",
        "mrr": "2100.00",  # Pro 2 x 1,000 and the 100 add-on, both billing today
        "overdue": f"{owed:.2f}",
        "overdue_invoices": count,
        "oldest_overdue_days": oldest,
        "next_renewal": "2026-12-01",
        "cancellation_scheduled": False,
    }


def test_a_deal_answer_shows_its_accounts_billing(billing_crm: sessionmaker[Session]) -> None:
    deal = call(billing_crm, "rob@x.test", "get_deal", deal="acme expansion")
    account = call(billing_crm, "rob@x.test", "account_overview", account="acme")
    assert deal["type"] == "deal" and deal["billing"] == account["billing"]


def test_billing_in_another_currency_is_converted(billing_crm: sessionmaker[Session]) -> None:
    globex = call(billing_crm, "rita@x.test", "account_overview", account="Globex")
    assert globex["billing"]["mrr"] == f"{Decimal('24000') / 12 * EUR_USD:.2f}"
    assert globex["billing"]["overdue_invoices"] == 0


def test_a_renewal_set_to_cancel_says_so(billing_crm: sessionmaker[Session]) -> None:
    initech = call(billing_crm, "otto@x.test", "account_overview", account="Initech")
    assert initech["billing"]["cancellation_scheduled"] is True
    assert "renewal 2026-12-01 (cancellation scheduled)" in billing_sentence(initech["billing"])


def test_no_billing_data_no_billing_line(crm: sessionmaker[Session]) -> None:
    a = call(crm, "rob@x.test", "account_overview", account="acme")
    assert a["type"] == "account" and "billing" not in a
    assert "Billing" not in said(a)


def test_the_answer_words_the_billing_figures(billing_crm: sessionmaker[Session]) -> None:
    owed, count, oldest = _acme_overdue()
    a = call(billing_crm, "rob@x.test", "account_overview", account="acme")
    assert (
        f"Billing: MRR $2,100 · ${owed:,.0f} overdue on {count} invoices, the oldest {oldest} days"
        " · renewal 2026-12-01." in said(a)
    )


def said(artifact: dict) -> str:
    return compose_answer("", [ToolResult("account_overview", {}, "", artifact)])


def test_slack_and_the_cli_show_the_same_billing_sentence(
    billing_crm: sessionmaker[Session],
) -> None:

    for tool, args in (
        ("account_overview", {"account": "acme"}),
        ("get_deal", {"deal": "acme expansion"}),
    ):
        a = call(billing_crm, "rob@x.test", tool, **args)
        sentence = billing_sentence(a["billing"])
        blocks = json.dumps(
            [asdict(v) for v in render_artifact(a)], default=str, ensure_ascii=False
        )
        assert sentence in blocks
        console = Console(width=400, record=True)
        print_artifacts(console, [a])
        assert sentence.removeprefix("Billing: ") in console.export_text()
