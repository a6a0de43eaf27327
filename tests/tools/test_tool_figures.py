"""Every tool's figures equal an independent SQL computation over the fixture CRM."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture

from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.principal import get_principal_by_email


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


def call(sessions: sessionmaker[Session], email: str, tool: str, **args: Any) -> dict[str, Any]:
    with sessions() as session:
        principal = get_principal_by_email(session, email)
    tools = {t.name: t for t in make_tools(ToolContext(principal, sessions, None, lambda: NOW))}
    message = tools[tool].invoke({"type": "tool_call", "id": "t1", "name": tool, "args": args})
    return message.artifact


def sql_one(sessions: sessionmaker[Session], query: str, **params: Any) -> Any:
    with sessions() as session:
        return session.execute(text(query), params).one()


def cents(value: Any) -> str:
    return str(Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01")))


OPEN = "('prospecting','qualification','proposal','negotiation')"
DEFAULTS = {"prospecting": "0.10", "qualification": "0.20", "proposal": "0.40"}
DEFAULTS["negotiation"] = "0.60"
WEEK_START = "2026-11-23"  # the Monday of NOW's week: the company baseline's cutoff


def reached_won(
    sessions: sessionmaker[Session], stage: str, owners: str | None, before: str | None
) -> tuple[int, int]:
    """Closed deals (of `owners`, closed before `before`) that reached `stage`, and won."""
    where = f" and d.owner_id in ({owners})" if owners else ""
    where += f" and d.closed_at < '{before}'" if before else ""
    reached, won = sql_one(
        sessions,
        "select count(distinct d.id), count(distinct case when d.stage = 'closed_won' "
        "then d.id end) from deals d join deal_stage_history h on h.deal_id = d.id "
        f"where d.stage in ('closed_won','closed_lost') and h.to_stage = :s{where}",
        s=stage,
    )
    return reached, won


def shrunk(won: int, reached: int, toward: Decimal) -> Decimal:
    return ((won + 10 * toward) / (reached + 10)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def blended_rate(sessions: sessionmaker[Session], stage: str, owners: str) -> Decimal:
    """The scope's closed deals shrunk toward the company's before the week, itself shrunk
    toward the defaults, each as if it were ten more deals."""
    base = shrunk(*reached_won(sessions, stage, None, WEEK_START)[::-1], Decimal(DEFAULTS[stage]))
    return shrunk(*reached_won(sessions, stage, owners, None)[::-1], base)


@pytest.mark.parametrize(("email", "owners"), [("rob@x.test", (3,)), ("mia@x.test", (2, 3, 4))])
def test_pipeline_summary_matches_sql(
    crm: sessionmaker[Session], email: str, owners: tuple[int, ...]
) -> None:
    scope = "me" if email.startswith("rob") else "team"
    got = call(crm, email, "pipeline_summary", scope=scope, period="this quarter")
    owner_list = ",".join(map(str, owners))
    weighted = Decimal(0)
    for stage in got["by_stage"]:
        count, amount = sql_one(
            crm,
            f"select count(*), sum(amount) from deals where owner_id in ({owner_list}) "
            "and stage = :s and close_date between '2026-10-01' and '2026-12-31'",
            s=stage["stage"],
        )
        assert (stage["count"], stage["amount"]) == (count, cents(amount))
        rate = blended_rate(crm, stage["stage"], owner_list)
        pct = (rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert (stage["win_rate"], stage["win_rate_pct"]) == (str(rate), str(pct))
        weighted += Decimal(cents(Decimal(cents(amount)) * rate))
    count, amount = sql_one(
        crm,
        f"select count(*), sum(amount) from deals where owner_id in ({owner_list}) and stage "
        f"in {OPEN} and close_date between '2026-10-01' and '2026-12-31'",
    )
    assert (got["open_count"], got["open_amount"]) == (count, cents(amount))
    assert got["weighted_amount"] == cents(weighted)
    won = sql_one(
        crm,
        f"select count(*), sum(amount) from deals where owner_id in ({owner_list})"
        " and stage='closed_won' and close_date between '2026-10-01' and '2026-12-31'",
    )
    quota = sql_one(
        crm,
        f"select sum(amount) from quotas where user_id in ({owner_list}) "
        "and period_start = '2026-10-01'",
    )[0]
    assert (got["won_count"], got["won_amount"], got["quota"]) == (
        won[0],
        cents(won[1]),
        cents(quota),
    )
    expected_pct = (Decimal(cents(won[1])) * 100 / Decimal(cents(quota))).quantize(Decimal("0.1"))
    assert got["attainment_pct"] == str(expected_pct)


def test_known_pipeline_figures_for_rob(crm: sessionmaker[Session]) -> None:
    got = call(crm, "rob@x.test", "pipeline_summary")
    # By hand: the company's closed deals before the week (3 won, 5 lost, 8 won) give baseline
    # rates 3/13, 3/12, 6/12, 7/11; Rob's one won deal pulls them to 0.3007, 0.3182, 0.5455,
    # 0.6695. Negotiation 120,000 x 0.6695 + proposal 45,000.50 x 0.5455 = 80,340 + 24,547.77.
    assert (got["open_amount"], got["weighted_amount"]) == ("165000.50", "104887.77")
    assert got["rates_basis"]["text"] == (
        "Win rates from the 1 closed deal of Rob Rep, blended with the company baseline of "
        "2026-11-23 (refreshed weekly)."
    )
    assert (got["won_amount"], got["quota"], got["attainment_pct"]) == (
        "80000.00",
        "200000.00",
        "40.0",
    )


def test_rep_asking_for_team_gets_own_figures_and_is_told(crm: sessionmaker[Session]) -> None:
    got = call(crm, "rob@x.test", "pipeline_summary", scope="team")
    assert got["scope_label"] == "Rob Rep"
    assert got["open_amount"] == "165000.50"
    assert "your own" in got["note"]


def test_find_deals_filters_match_sql(crm: sessionmaker[Session]) -> None:
    got = call(crm, "mia@x.test", "find_deals", min_amount=50000, period="this quarter")
    count, amount = sql_one(
        crm,
        f"select count(*), sum(amount) from deals where owner_id in (2,3,4) and stage in "
        f"{OPEN} and amount >= 50000 and close_date between '2026-10-01' and '2026-12-31'",
    )
    assert (got["total_count"], got["total_amount"]) == (count, cents(amount))
    assert {r["name"] for r in got["rows"]} == {
        "Acme Corp – Platform Expansion",
        "Globex – Analytics Suite",
    }


def test_find_deals_inactive_and_by_account(crm: sessionmaker[Session]) -> None:
    quiet = call(crm, "rob@x.test", "find_deals", inactive_days=14)
    # Umbrella's last call was 2026-10-01 and "Next Year" never had an activity.
    assert {r["id"] for r in quiet["rows"]} == {2, 7}
    acme = call(crm, "rob@x.test", "find_deals", account="acme corp", stage="all")
    assert {r["id"] for r in acme["rows"]} == {1, 3, 7}
    won = call(crm, "mia@x.test", "find_deals", stage="won", owner="rita")
    assert [r["id"] for r in won["rows"]] == [8]


def test_get_deal_detail(crm: sessionmaker[Session]) -> None:
    got = call(crm, "rob@x.test", "get_deal", deal="acme platfrom expansion")
    deal = got["deal"]
    assert (deal["id"], deal["amount"], deal["stage"], deal["close_date"]) == (
        1,
        "120000.00",
        "negotiation",
        "2026-12-15",
    )
    assert [i["subject"] for i in got["interactions"]] == ["Pricing discussion", "Discovery call"]
    assert [(t["title"], t["overdue"]) for t in got["tasks"]] == [
        ("Send revised quote to Acme", True),
        ("Prepare the MSA redlines", False),
    ]
    assert deal["days_in_stage"] == (NOW.date() - __import__("datetime").date(2026, 9, 2)).days


def test_account_overview(crm: sessionmaker[Session]) -> None:
    got = call(crm, "rob@x.test", "account_overview", account="umbrela helth")
    assert got["account"]["name"] == "Umbrella Health"
    assert [d["id"] for d in got["open_deals"]] == [2]
    assert [i["subject"] for i in got["interactions"]] == ["Umbrella org chart", "Pilot kickoff"]


def test_next_actions_ranked_with_reasons(crm: sessionmaker[Session]) -> None:
    items = call(crm, "rob@x.test", "next_actions")["items"]
    kinds = [(i["kind"], i.get("task_id") or i.get("deal_id")) for i in items]
    assert kinds[0] == ("overdue_task", 1)
    assert ("due_today", 2) in kinds
    assert ("promised_follow_up", 1) in kinds  # "I'll send the revised quote by Friday"
    assert ("past_close_date", 2) in kinds  # Umbrella closed 2026-11-10 on paper
    assert ("quiet_deal", 7) in kinds
    assert all(i["reason"] for i in items)
    assert not any(i.get("task_id") in (3, 4, 5) for i in items)  # future, done, other rep's
