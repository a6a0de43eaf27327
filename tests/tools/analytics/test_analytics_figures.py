"""Every analytics figure equals an independent computation over the fixture rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import support.analytics_expected as ex
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_calls import call
from support.analytics_fixture import NOW, Q4, TODAY, USERS, Fixture

MIA_TEAM = {2, 3, 4}
SCOPES = [("mia@x.test", MIA_TEAM), ("ada@x.test", None), ("rob@x.test", {3})]


def close(got: str, want: float | Decimal) -> None:
    """Money from float arithmetic: equal to the cent, give or take one for rounding order."""
    assert abs(Decimal(got) - Decimal(str(want))) <= Decimal("0.02"), (got, want)


@pytest.mark.parametrize(("email", "owners"), SCOPES)
def test_pipeline_review(
    crm: sessionmaker[Session], fx: Fixture, email: str, owners: set[int] | None
) -> None:
    got = call(crm, email, "pipeline_review")
    assert got["by_stage"] == ex.by_stage(fx, owners, *Q4)
    open_amount = sum(Decimal(s["amount"]) for s in got["by_stage"])
    assert got["open_amount"] == str(open_amount)
    assert got["open_count"] == sum(s["count"] for s in got["by_stage"])
    won_count, won_amount = ex.won_in(fx, owners, *Q4)
    assert (got["won_count"], got["won_amount"]) == (won_count, str(won_amount))
    quota = ex.quota(fx, owners, *Q4)
    assert got["quota"] == str(quota)
    assert got["quota_remaining"] == str(ex.cents(max(quota - won_amount, 0)))
    remaining = quota - won_amount
    want = (open_amount / remaining).quantize(Decimal("0.01")) if remaining > 0 else None
    assert got["coverage"] == (str(want) if want is not None else None)
    assert got["since"] == (TODAY - timedelta(days=7)).isoformat()
    closed = [d for d in ex.deals(fx, owners) if d.stage in (ex.WON, ex.LOST)]
    assert got["rates_basis"]["scope_closed_deals"] == len(closed)
    assert got["rates_basis"]["baseline_as_of"] == ex.WEEK_START.isoformat()


@pytest.mark.parametrize(("email", "owners"), SCOPES)
def test_pipeline_summary_and_review_show_the_same_rates(
    crm: sessionmaker[Session], fx: Fixture, email: str, owners: set[int] | None
) -> None:
    review = call(crm, email, "pipeline_review")
    summary = call(crm, email, "pipeline_summary", scope="me" if owners == {3} else "team")
    forecast = call(crm, email, "forecast")
    fields = ("stage", "win_rate_pct", "weighted_amount")
    assert [{k: r[k] for k in fields} for r in summary["by_stage"]] == [
        {k: r[k] for k in fields} for r in review["by_stage"]
    ]
    assert summary["weighted_amount"] == review["weighted_amount"]
    assert summary["rates_basis"] == review["rates_basis"] == forecast["rates_basis"]
    rates = ex.live_rates(fx, owners)
    assert [r["win_rate"] for r in summary["by_stage"]] == [str(rates[s]) for s in ex.OPEN_STAGES]


@pytest.mark.parametrize(("email", "owners"), SCOPES[:2])
def test_review_changes_name_the_deals(
    crm: sessionmaker[Session], fx: Fixture, email: str, owners: set[int] | None
) -> None:
    since = ex.midnight(TODAY - timedelta(days=30))
    got = call(crm, email, "pipeline_review", since="last 30 days")
    want = ex.changes(fx, owners, since, Q4[1])
    changes = got["changes"]
    for kind in ("new", "won", "lost"):
        assert {r["id"] for r in changes[kind]} == want[kind], kind
    assert {r["id"]: (r["from_stage"], r["to_stage"]) for r in changes["advanced"]} == want[
        "advanced"
    ]
    for kind in ("slipped", "pushed"):
        rows = {r["id"]: (r["old_close_date"], r["new_close_date"]) for r in changes[kind]}
        assert rows == want[kind], kind
    assert got["change_counts"] == {k: len(v) for k, v in changes.items()}
    if owners is None:  # the fixture holds every kind of change, so none is vacuous
        assert all(got["change_counts"][k] for k in ("advanced", "slipped", "pushed", "won"))


@pytest.mark.parametrize(("email", "owners"), SCOPES)
def test_forecast_and_backtest(
    crm: sessionmaker[Session], fx: Fixture, email: str, owners: set[int] | None
) -> None:
    got = call(crm, email, "forecast")
    want = ex.forecast(fx, owners, *Q4)
    assert got["closed_won"] == str(want["closed_won"])
    assert got["open_count"] == want["open_count"]
    for key in ("expected", "low", "high"):
        close(got[key], want[key])
    assert Decimal(got["low"]) <= Decimal(got["expected"]) <= Decimal(got["high"])
    quota = ex.quota(fx, owners, *Q4)
    assert got["attainment_expected_pct"] == ex.pct(Decimal(got["expected"]), quota)
    tests = ex.backtest(fx, owners)
    assert [t["period"]["start"] for t in got["backtest"]] == [
        t["start"].isoformat() for t in tests
    ]
    errors = []
    for row, t in zip(got["backtest"], tests, strict=True):
        close(row["forecast"], t["forecast"])
        assert row["actual"] == str(t["actual"])
        assert row["error_pct"] == ex.pct(Decimal(row["forecast"]) - t["actual"], t["actual"])
        if row["error_pct"] is not None:
            errors.append(abs(Decimal(row["error_pct"])))
    assert got["backtest_mae_pct"] == (ex.one(sum(errors) / len(errors)) if errors else None)


def test_forecast_of_a_period_not_yet_begun(crm: sessionmaker[Session], fx: Fixture) -> None:
    got = call(crm, "ada@x.test", "forecast", period="next quarter")
    start, end = Q4[1] + timedelta(days=1), Q4[1] + timedelta(days=90)
    assert got["period"]["start"] == start.isoformat() and got["closed_won"] == "0.00"
    want = ex.forecast(fx, None, start, end)
    for key in ("expected", "low", "high"):
        close(got[key], want[key])
    this_quarter = call(crm, "ada@x.test", "forecast")
    assert Decimal(got["expected"]) != Decimal(this_quarter["expected"])


def _people(owners: set[int] | None) -> list[tuple[int, str]]:
    return [
        (u, n) for u, n, _, role, _ in USERS if role == "rep" and (owners is None or u in owners)
    ]


@pytest.mark.parametrize(("email", "owners"), SCOPES)
def test_rep_kpis(
    crm: sessionmaker[Session], fx: Fixture, email: str, owners: set[int] | None
) -> None:
    got = call(crm, email, "rep_kpis")
    want = ex.kpi_rows(fx, _people(owners), *Q4)
    assert got["rows"] == want
    for key, places in (("attainment_pct", "0.1"), ("cycle_days", "0.1"), ("won_amount", "0.01")):
        median = ex.team_median(want, key)
        assert got["team_median"][key] == (
            str(median.quantize(Decimal(places), ROUND_HALF_UP)) if median is not None else None
        )


def test_last_quarter_kpis_have_closed_deals(crm: sessionmaker[Session], fx: Fixture) -> None:
    got = call(crm, "ada@x.test", "rep_kpis", period="last quarter")
    start, end = ex.previous_quarters(TODAY, 1)[0]
    assert got["rows"] == ex.kpi_rows(fx, _people(None), start, end)
    assert any(r["cycle_days"] for r in got["rows"])


@pytest.mark.parametrize(("email", "owners"), SCOPES)
def test_deal_risks(
    crm: sessionmaker[Session], fx: Fixture, email: str, owners: set[int] | None
) -> None:
    got = call(crm, email, "deal_risks", limit=50)
    want = ex.risky_deals(fx, owners)
    assert got["total_count"] == len(want)
    assert [(r["id"], [x["kind"] for x in r["risks"]]) for r in got["rows"]] == [
        (i, _ordered(k)) for i, k in want
    ]


def _ordered(kinds: list[str]) -> list[str]:
    order = ["close_date_passed", "no_activity", "stalled", "single_threaded", "no_next_step"]
    order += ["competitor", "pricing_objection"]
    return sorted(kinds, key=order.index)


def test_every_risk_kind_is_exercised_with_evidence(crm: sessionmaker[Session]) -> None:
    got = call(crm, "ada@x.test", "deal_risks", limit=50)
    kinds: dict[str, dict[str, Any]] = {}
    for row in got["rows"]:
        for risk in row["risks"]:
            kinds.setdefault(risk["kind"], risk)
    assert set(kinds) == set(ex.WEIGHTS)
    assert (
        kinds["stalled"]["evidence"]["days_in_stage"]
        > kinds["stalled"]["evidence"]["stage_p75_days"]
    )
    assert kinds["competitor"]["evidence"]["competitor"] in {
        "Salesforce",
        "HubSpot",
        "A competitor",
    }
    assert kinds["pricing_objection"]["evidence"]["keyword"]


def test_coaching_brief_compares_with_the_team_median(
    crm: sessionmaker[Session], fx: Fixture
) -> None:
    got = call(crm, "mia@x.test", "coaching_brief", rep="Rob")
    rows = ex.kpi_rows(fx, _people(MIA_TEAM), *Q4)
    assert got["rep"] == {"id": 3, "name": "Rob Rep"}
    assert got["kpis"] == next(r for r in rows if r["user_id"] == 3)
    assert got["data_owner_ids"] == [3]
    assert [r["id"] for r in got["risks"]] == [i for i, _ in ex.risky_deals(fx, {3})][:5]
    points = " ".join(got["talking_points"])
    assert got["kpis"]["pipeline_created"] and "Pipeline created" in points
    for point in got["talking_points"]:
        assert any(ch.isdigit() for ch in point)  # each one is grounded in a figure
    assert NOW  # the brief runs at the fixture's clock
