"""The backtest on a CRM built so that its answer is known by hand.

Every quarter a cohort of five $10,000 deals enters prospecting five days before the quarter
starts; two are won and three lost 30 days into the quarter. So each past snapshot sees one
cohort, five deals of which two won in time: a 40% conversion. A quarter's forecast is then
5 x $10,000 x 0.4 = $20,000 with no new business (no deal is created and won in one quarter),
and the actual is $20,000: 0% error, except in Q3 2026, whose cohort won three ($30,000),
which the forecast made at the start of Q3 cannot know: -33.3%.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.analytics_calls import call

from tools.models import Account, Deal, DealStageHistory, Role, Stage, User

STARTS = [date(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(7, 35, 3)]
LUCKY = date(2026, 7, 1)


@pytest.fixture
def cohorts(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as s:
        s.add(User(id=1, name="Bea Rep", email="bea@x.test", role=Role.REP, timezone="UTC"))
        s.flush()
        s.add(
            Account(id=1, name="Cohort Co", owner_id=1, created_at=datetime(2024, 1, 1, tzinfo=UTC))
        )
        s.flush()
        deal_id = 0
        for start in STARTS:
            noon = datetime(start.year, start.month, start.day, 12, tzinfo=UTC)
            created, closed = noon - timedelta(days=5), noon + timedelta(days=30)
            wins = 3 if start == LUCKY else 2
            for i in range(5):
                deal_id += 1
                final = Stage.CLOSED_WON if i < wins else Stage.CLOSED_LOST
                s.add(Deal(id=deal_id, name=f"Cohort {deal_id}", account_id=1, owner_id=1,
                           stage=final, amount=Decimal("10000"), close_date=closed.date(),
                           created_at=created, closed_at=closed))  # fmt: skip
                s.flush()
                s.add(DealStageHistory(deal_id=deal_id, from_stage=None,
                                       to_stage=Stage.PROSPECTING, changed_at=created))  # fmt: skip
                s.add(DealStageHistory(deal_id=deal_id, from_stage=Stage.PROSPECTING,
                                       to_stage=final, changed_at=closed))  # fmt: skip
    return sessions


def test_backtest_matches_the_hand_computed_answer(cohorts: sessionmaker[Session]) -> None:
    got = call(cohorts, "bea@x.test", "forecast")
    rows = [
        (t["period"]["label"], t["forecast"], t["actual"], t["error_pct"]) for t in got["backtest"]
    ]
    assert rows == [
        ("Q4 2025", "20000.00", "20000.00", "0.0"),
        ("Q1 2026", "20000.00", "20000.00", "0.0"),
        ("Q2 2026", "20000.00", "20000.00", "0.0"),
        ("Q3 2026", "20000.00", "30000.00", "-33.3"),
    ]
    assert got["backtest_mae_pct"] == "8.3"
    # Q4 2026 so far: its cohort closed (2 won) and nothing is open any more.
    assert (got["closed_won"], got["open_count"], got["expected"]) == ("20000.00", 0, "20000.00")
