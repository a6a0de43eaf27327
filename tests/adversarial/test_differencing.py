"""Differencing: a rep (or manager) asks, another team's deals close and move, they ask again.

Every figure they are shown (pipeline summary, pipeline review, forecast, deal risks, their
next actions and daily nudges, "stalled" included) must be byte-identical until the weekly
company baseline is refreshed; otherwise comparing two answers reveals other teams' deals.
Controls prove the test can fail: an admin's figures and the rep's own close do move them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_fixture import NOW, build_rows, insert

from tools.context import ToolContext
from tools.crm import win_rates
from tools.crm_tools import make_tools
from tools.models import OPEN_STAGES, Account, Deal, DealStageHistory, Stage
from tools.nudge_engine import compute_nudges, team
from tools.principal import get_principal_by_email

ROB, MIA, ADA = "rob@x.test", "mia@x.test", "ada@x.test"
ROB_ID, OTTO_ID = 3, 6  # Otto is on Max's team: outside Rob's and Mia's scope
ASKS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    ROB: [
        ("pipeline_summary", {"scope": "me"}),
        ("pipeline_review", {}),
        ("forecast", {}),
        ("deal_risks", {"limit": 50}),
        ("next_actions", {"limit": 25}),
    ],
    MIA: [
        ("pipeline_summary", {"scope": "team"}),
        ("pipeline_review", {}),
        ("forecast", {}),
        ("deal_risks", {"limit": 50}),
    ],
    ADA: [("pipeline_summary", {"scope": "team"}), ("deal_risks", {"limit": 50})],
}


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        insert(session, build_rows())
    return sessions


def shown(sessions: sessionmaker[Session], email: str, at: datetime = NOW) -> str:
    """Everything `email` is shown, as one JSON text, computed afresh (no cache kept)."""
    win_rates._cache.clear()
    team._cache.clear()
    with sessions() as session:
        principal = get_principal_by_email(session, email)
    tools = {t.name: t for t in make_tools(ToolContext(principal, sessions, None, lambda: at))}
    found = {}
    for name, args in ASKS[email]:
        message = tools[name].invoke({"type": "tool_call", "id": "x", "name": name, "args": args})
        found[name] = message.artifact
    if email == ROB:
        with sessions() as session:
            nudges = compute_nudges(session, {ROB_ID: at.date()}, limit=25)[ROB_ID]
        found["daily_nudges"] = [n.to_dict() for n in nudges]
    return json.dumps(found, sort_keys=True, default=str)


def _move(session: Session, deal: Deal, stage: Stage, when: datetime) -> None:
    session.add(
        DealStageHistory(deal_id=deal.id, from_stage=deal.stage, to_stage=stage, changed_at=when)
    )
    deal.stage = stage
    if stage in (Stage.CLOSED_WON, Stage.CLOSED_LOST):
        deal.closed_at = when


def other_team_activity(sessions: sessionmaker[Session]) -> None:
    """Otto's open deals close (won and lost) or advance, and old closed deals appear for him
    (as an import would bring them: closed long ago, with stays in every stage)."""
    with sessions.begin() as session:
        deals = session.scalars(
            select(Deal).where(Deal.owner_id == OTTO_ID, Deal.stage.in_(OPEN_STAGES))
        ).all()
        assert len(deals) >= 4
        for i, deal in enumerate(deals):
            target = [Stage.CLOSED_WON, Stage.CLOSED_LOST, Stage.NEGOTIATION][i % 3]
            _move(session, deal, target, NOW - timedelta(hours=1))
        account = session.scalars(select(Account).where(Account.owner_id == OTTO_ID)).first()
        last = session.scalar(select(func.max(Deal.id)))
        assert account is not None and last is not None
        for n in range(12):
            start = NOW - timedelta(days=400 + n)
            deal = Deal(
                id=last + 1 + n,  # the fixture wrote its ids itself: PostgreSQL's sequence is at 1
                name=f"Imported {n}", account_id=account.id, owner_id=OTTO_ID,
                stage=Stage.PROSPECTING, amount=Decimal("5000"), currency="USD",
                close_date=(start + timedelta(days=200)).date(), created_at=start,
            )  # fmt: skip
            session.add(deal)
            session.flush()
            session.add(
                DealStageHistory(deal_id=deal.id, to_stage=Stage.PROSPECTING, changed_at=start)
            )
            for k, stage in enumerate((*OPEN_STAGES[1:], Stage.CLOSED_WON), 1):
                _move(session, deal, stage, start + timedelta(days=90 * k))


def rob_closes_a_deal(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        deal = session.scalars(
            select(Deal).where(Deal.owner_id == ROB_ID, Deal.stage == Stage.NEGOTIATION)
        ).first()
        assert deal is not None
        _move(session, deal, Stage.CLOSED_WON, NOW - timedelta(hours=1))


def _differs(before: str, after: str) -> Callable[[str], bool]:
    return lambda key: json.loads(before)[key] != json.loads(after)[key]


def test_other_teams_closes_never_move_a_reps_or_managers_figures(
    crm: sessionmaker[Session],
) -> None:
    before = {email: shown(crm, email) for email in ASKS}
    assert '"stalled"' in before[ROB] and '"stalled"' in before[MIA]  # the figure is there

    other_team_activity(crm)

    assert shown(crm, ROB) == before[ROB]
    assert shown(crm, MIA) == before[MIA]
    changed = _differs(before[ADA], shown(crm, ADA))  # control: the whole company does move
    assert changed("pipeline_summary") and changed("deal_risks")


def test_the_next_weekly_baseline_is_the_only_door(crm: sessionmaker[Session]) -> None:
    before = json.loads(shown(crm, ROB))
    other_team_activity(crm)
    sunday = json.loads(shown(crm, ROB, NOW + timedelta(days=3, hours=8)))
    assert sunday["pipeline_summary"]["rates_basis"] == before["pipeline_summary"]["rates_basis"]
    assert sunday["pipeline_summary"]["by_stage"] == before["pipeline_summary"]["by_stage"]
    monday = json.loads(shown(crm, ROB, NOW + timedelta(days=4, hours=8)))
    assert monday["pipeline_summary"]["rates_basis"]["baseline_as_of"] == "2026-11-30"
    assert monday["pipeline_summary"]["by_stage"] != sunday["pipeline_summary"]["by_stage"]


def test_a_reps_own_close_moves_their_figures(crm: sessionmaker[Session]) -> None:
    before = shown(crm, ROB)
    rob_closes_a_deal(crm)
    changed = _differs(before, shown(crm, ROB))
    assert changed("pipeline_summary") and changed("pipeline_review") and changed("forecast")
