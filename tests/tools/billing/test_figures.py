"""Every billing figure equals an independent computation over the sample exports, in the
reporting currency, and each asker sees only the accounts they may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker
from support.billing_samples import ACCOUNT_OF, INVOICES, SUBS, TODAY, usd

from tools.billing.figures import (
    mrr_on,
    net_revenue_retention,
    overdue_by_account,
    overdue_invoices,
    renewals,
    revenue_by_account,
)
from tools.billing.lifetime import backtest, churn, lifetime_values
from tools.billing.risk import churn_risks
from tools.billing.scoping import BillingScope, billing_scope
from tools.principal import get_principal_by_email

D = date.fromisoformat
ADMIN_SEES, ROB_SEES = {1, 2, 3, 4}, {1, 4}


def _scope(session: Session, email: str) -> BillingScope:
    principal = get_principal_by_email(session, email)
    found = billing_scope(session, principal, None if email != "ada@x.test" else "team", "USD")
    assert found is not None
    return found


def _paid(visible: set[int], before: date = date.max) -> dict[int, Decimal]:
    """Independent: money received per account, from the sample rows."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    for _, _, cus, _, paid, cur, _, issued, _, paid_at, _ in INVOICES:
        account = ACCOUNT_OF.get(cus)
        day = D(paid_at or issued)
        if account in visible and Decimal(paid) > 0 and day < before:
            out[account] += usd(paid, cur)
    return dict(out)


def _mrr(day: date, accounts: set[int] | None = None) -> Decimal:
    total = Decimal(0)
    for _, cus, _, qty, cur, interval, amount, _, start, _, _, ended in SUBS:
        per_month = Decimal(amount) * int(qty) / (12 if interval == "year" else 1)
        running = D(start) <= day and (not ended or D(ended) > day)
        if running and (accounts is None or ACCOUNT_OF[cus] in accounts):
            total += usd(str(per_month), cur)
    return total


def _billing(day: date) -> set[int]:
    return {ACCOUNT_OF[s[1]] for s in SUBS if D(s[8]) <= day and (not s[11] or D(s[11]) > day)}


def test_revenue_by_account_matches_the_exports(billing_crm: sessionmaker[Session]) -> None:
    with billing_crm() as session:
        rows = revenue_by_account(session, _scope(session, "ada@x.test"), D("2020-01-01"), TODAY)
    assert {r["account_id"]: Decimal(r["revenue"]) for r in rows} == _paid(ADMIN_SEES)
    assert rows[0]["account"] == "Globex"  # 2 x 24,000 EUR at 1.10


def test_a_rep_sees_only_the_billing_of_accounts_they_may_see(
    billing_crm: sessionmaker[Session],
) -> None:
    with billing_crm() as session:
        bs = _scope(session, "rob@x.test")
        rows = revenue_by_account(session, bs, D("2020-01-01"), TODAY)
        mrr = mrr_on(session, bs, TODAY)
        late = overdue_invoices(session, bs, TODAY)
    assert {r["account_id"]: Decimal(r["revenue"]) for r in rows} == _paid(ROB_SEES)
    assert mrr == _mrr(TODAY, ROB_SEES)
    assert {r["account_id"] for r in late} <= ROB_SEES


def test_mrr_arr_and_net_revenue_retention(billing_crm: sessionmaker[Session]) -> None:
    year_ago = TODAY - timedelta(days=365)
    with billing_crm() as session:
        bs = _scope(session, "ada@x.test")
        mrr = mrr_on(session, bs, TODAY)
        nrr = net_revenue_retention(session, bs, TODAY)
    assert mrr == _mrr(TODAY) == Decimal("5100.00")
    cohort = _billing(year_ago)
    base, now = _mrr(year_ago, cohort), _mrr(TODAY, cohort)
    assert Decimal(nrr["mrr_then"]) == base and Decimal(nrr["mrr_now"]) == now
    assert nrr["nrr_pct"] == str((now / base * 100).quantize(Decimal("0.1")))


def test_overdue_invoices_with_amount_and_days(billing_crm: sessionmaker[Session]) -> None:
    with billing_crm() as session:
        rows = overdue_invoices(session, _scope(session, "ada@x.test"), TODAY)
    expected = [
        (r[1], usd(str(Decimal(r[3]) - Decimal(r[4])), r[5]), (TODAY - D(r[8])).days)
        for r in sorted(INVOICES, key=lambda r: r[8])
        if r[6] in ("open", "uncollectible") and D(r[8]) < TODAY and r[2] in ACCOUNT_OF
    ]
    assert [(r["invoice"], Decimal(r["owed"]), r["days_overdue"]) for r in rows] == expected
    by_account = overdue_by_account(rows)
    assert by_account[0]["account"] == "Acme Corp" and by_account[0]["owed"] == "2900.00"
    assert by_account[0]["max_days_overdue"] == 98


def test_renewals_in_the_next_sixty_days(billing_crm: sessionmaker[Session]) -> None:
    with billing_crm() as session:
        rows = renewals(session, _scope(session, "ada@x.test"), TODAY, TODAY + timedelta(days=60))
    expected = sorted(
        (s[9], s[0]) for s in SUBS if not s[11] and TODAY <= D(s[9]) <= TODAY + timedelta(60)
    )
    assert [r["renewal"] for r in rows] == [e[0] for e in expected]
    flagged = [r["account"] for r in rows if r["cancellation_scheduled"]]
    assert flagged == ["Initech"] and len(rows) == 3


def test_lifetime_value_realised_and_expected(billing_crm: sessionmaker[Session]) -> None:
    with billing_crm() as session:
        bs = _scope(session, "ada@x.test")
        rows, basis = lifetime_values(session, bs, TODAY)
        rate = churn(session, bs, TODAY)
    then, now = _billing(TODAY - timedelta(days=365)), _billing(TODAY)
    annual = Decimal(len(then - now)) / len(then)
    monthly = 1 - (1 - annual) ** (Decimal(1) / 12)
    assert rate["monthly"] == monthly and basis["annual_pct"] == "33.3"
    life = min(Decimal(60), 1 / monthly).quantize(Decimal("0.1"))
    paid = _paid(ADMIN_SEES)
    for row in rows:
        acc = row["account_id"]
        assert Decimal(row["realised"]) == paid[acc]
        run_rate = _mrr(TODAY, {acc}) if acc in now else Decimal(0)
        assert Decimal(row["mrr"]) == run_rate.quantize(Decimal("0.01"))
        extra = run_rate * life  # today's MRR, a yearly plan as a twelfth: not paid / months
        assert Decimal(row["expected"]) == (paid[acc] + extra).quantize(Decimal("0.01"))
    assert next(r for r in rows if r["account_id"] == 4)["expected"] == str(paid[4])  # churned


def test_the_backtest_compares_a_forecast_with_what_was_paid(
    billing_crm: sessionmaker[Session],
) -> None:
    later = D("2027-06-01")  # a year after a cutoff with a year of history before it
    with billing_crm() as session:
        found = backtest(session, _scope(session, "ada@x.test"), later)
    cutoff = later - timedelta(days=365)
    running = _billing(cutoff)
    before, until_then = _paid(running, cutoff), _paid(running, later)
    actual = sum(until_then.values(), Decimal(0)) - sum(before.values(), Decimal(0))
    prior = _billing(cutoff - timedelta(days=365))
    keep = (1 - Decimal(len(prior - running)) / len(prior)) ** (Decimal(1) / 12)
    months = sum((keep**k for k in range(12)), Decimal(0))
    predicted = sum((_mrr(cutoff, {a}) * months for a in running), Decimal(0))
    assert found["cutoff"] == cutoff.isoformat() and Decimal(found["actual"]) == actual
    assert Decimal(found["predicted"]) == predicted.quantize(Decimal("0.01"))
    assert found["error_pct"] is not None


def test_churn_signals_carry_their_evidence(billing_crm: sessionmaker[Session]) -> None:
    with billing_crm() as session:
        rows = churn_risks(session, _scope(session, "ada@x.test"), TODAY)
    signals = {r["account"]: set(r["signals"]) for r in rows}
    assert signals["Initech"] == {"cancellation_scheduled"}
    assert signals["Acme Corp"] == {"past_due", "long_overdue"}
    assert signals["Umbrella Health"] == {"failed_payment", "long_overdue"}
    acme = next(r for r in rows if r["account"] == "Acme Corp")
    assert any("98 days overdue" in e for e in acme["evidence"])
