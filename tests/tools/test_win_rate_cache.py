"""Scoped win rates are cached; a scope's own close is seen at once, another team's never
moves them, and the company baseline changes only with the week."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW
from support.write_helpers import build_write_fixture

from tools.crm.baseline import baseline_at, baseline_for, load_baseline, period_start
from tools.crm.win_rates import cached_stage_win_rates, stage_win_rates
from tools.models import Account, Deal, DealStageHistory, Stage, StageRateBaseline

ROB, OTTO = frozenset({3}), frozenset({6})
TODAY = NOW.date()


def _close_won_after_negotiation(session: Session, owner_id: int, n: int) -> None:
    account = session.scalars(select(Account).order_by(Account.id)).first()
    assert account is not None
    for i in range(n):
        deal = Deal(
            name=f"Cache test {owner_id}-{i}", account_id=account.id, owner_id=owner_id,
            stage=Stage.CLOSED_WON, amount=Decimal("1000"), close_date=date(2026, 1, 1),
            created_at=NOW, closed_at=NOW,
        )  # fmt: skip
        session.add(deal)
        session.flush()
        for old, new in ((None, Stage.NEGOTIATION), (Stage.NEGOTIATION, Stage.CLOSED_WON)):
            session.add(
                DealStageHistory(deal_id=deal.id, from_stage=old, to_stage=new, changed_at=NOW)
            )
    session.commit()


def test_cached_rates_follow_the_scopes_own_history_only(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        build_write_fixture(session)  # the fixture CRM, with PostgreSQL's id sequences moved on
        session.commit()
    with sessions() as session:
        base = baseline_for(session, TODAY)
        rob = cached_stage_win_rates(session, ROB, base)
        assert rob == stage_win_rates(session, ROB, base)
        assert cached_stage_win_rates(session, ROB, base) is rob  # served again
        everyone = cached_stage_win_rates(session, None, base)

        _close_won_after_negotiation(session, 6, 6)  # Otto, on another manager's team
        assert baseline_for(session, TODAY) == base  # the stored week's baseline, unchanged
        again = cached_stage_win_rates(session, ROB, base)
        assert again == rob and again is not rob  # recomputed (history moved), same figures
        assert cached_stage_win_rates(session, None, base).rates != everyone.rates  # admin sees it

        _close_won_after_negotiation(session, 3, 6)  # Rob's own closes show at once
        after = cached_stage_win_rates(session, ROB, base)
        assert after == stage_win_rates(session, ROB, base)
        assert after.rates[Stage.NEGOTIATION] > rob.rates[Stage.NEGOTIATION]
        assert after.closed == rob.closed + 6


def test_the_baseline_is_stored_once_a_week_and_replayed_only_backwards(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        build_write_fixture(session)
        session.commit()
    with sessions() as session:
        week = baseline_for(session, TODAY)
        assert week.as_of == period_start(TODAY) == date(2026, 11, 23)
        _close_won_after_negotiation(session, 6, 12)
        assert load_baseline(session, week.as_of) == week  # frozen for the week
        assert baseline_for(session, TODAY + timedelta(days=3)) == week  # Sunday: still it
        assert baseline_at(session, TODAY - timedelta(days=7)).as_of is None  # nothing before
        monday = baseline_for(session, TODAY + timedelta(days=4))  # the next Monday
        assert monday.as_of == date(2026, 11, 30)
        assert monday.win_rates[Stage.NEGOTIATION] > week.win_rates[Stage.NEGOTIATION]
        assert baseline_at(session, date(2026, 11, 29)) == week
        stored = session.scalar(select(func.count()).select_from(StageRateBaseline))
        assert stored == 8  # two weeks, four stages each
