"""The shared stage win rates are cached, and a new stage change is seen at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm_fixture import NOW
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from write_helpers import build_write_fixture

from tools.crm.pipeline import cached_stage_win_rates, stage_win_rates
from tools.models import Account, Deal, DealStageHistory, Stage


def _close_won_after_negotiation(session: Session, n: int) -> None:
    account = session.scalars(select(Account).order_by(Account.id)).first()
    assert account is not None and account.owner_id is not None
    for i in range(n):
        deal = Deal(
            name=f"Cache test {i}", account_id=account.id, owner_id=account.owner_id,
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


def test_cached_rates_equal_the_computed_ones_and_follow_new_history(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        build_write_fixture(session)  # the fixture CRM, with PostgreSQL's id sequences moved on
        session.commit()
    with sessions() as session:
        first = cached_stage_win_rates(session)
        assert first == stage_win_rates(session)
        assert cached_stage_win_rates(session) == first  # served again, same figures
        _close_won_after_negotiation(session, 6)
        after = cached_stage_win_rates(session)
        assert after == stage_win_rates(session)
        assert after[Stage.NEGOTIATION] > first[Stage.NEGOTIATION]
