"""The win model: learns a known signal, backtests by quarter, and never sees past its cutoff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from support.nudge_builder import TODAY, Crm, ago, day, signal_deals

from tools.models import Deal, DealStageHistory, Stage
from tools.nudge_engine import backtest, fit_win_model, format_backtest
from tools.nudge_engine.facts import feature_vector, load_facts

S = Stage


@pytest.fixture
def history(sessions: sessionmaker[Session]) -> tuple[sessionmaker[Session], int]:
    """Two years of closed deals where 4+ engaged contacts win 90% of the time."""
    with sessions.begin() as session:
        crm = Crm(session)
        rep = crm.rep()
        signal_deals(crm, rep, start=date(2024, 11, 1), end=ago(1), every=3, noise=0.1)
    return sessions, rep


def test_backtest_beats_chance_every_quarter(history: tuple[sessionmaker[Session], int]) -> None:
    sessions, _ = history
    with sessions() as session:
        rows = backtest(session, 4, today=TODAY)
    assert [r["quarter"] for r in rows] == ["Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026"]
    for row in rows:
        assert row["n"] >= 15 and row["trained_on"] >= 80
        assert row["accuracy"] >= max(0.65, row["baseline"] + 0.15)
        assert row["brier"] < 0.25
    assert sum(r["accuracy"] for r in rows) / 4 >= 0.75  # 10% of outcomes are coin flips
    assert sum(r["auc"] for r in rows) / 4 >= 0.8
    table = format_backtest(rows)
    assert table.splitlines()[0].split()[:3] == ["quarter", "trained", "on"]
    assert "Q3 2026" in table and f"{rows[-1]['accuracy']:.3f}" in table


def test_contacts_drive_the_prediction(
    history: tuple[sessionmaker[Session], int], sessions: sessionmaker[Session]
) -> None:
    _, rep = history
    with sessions.begin() as session:
        crm = Crm(session)
        account = crm.account(rep)
        people = crm.contacts(account)
        hot, cold = (crm.deal(rep, created=ago(5), account=account) for _ in range(2))
        for i in range(5):
            crm.activity(hot, ago(4), contact=people[i])
        crm.activity(cold, ago(4), contact=people[0])
    with sessions() as session:
        model = fit_win_model(session, TODAY)
        facts = load_facts(session, Deal.id.in_([hot, cold]), day(TODAY))
    assert model is not None
    p_hot, p_cold = model.probabilities([facts[hot], facts[cold]])
    assert p_hot > 0.7 and p_cold < 0.2
    assert "5 contacts engaged" in model.drivers(facts[hot])
    pushes = model.contributions(facts[hot])
    assert pushes["contacts"] == max(pushes.values())


def test_no_model_without_enough_closed_deals_of_both_outcomes(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        crm = Crm(session)
        rep = crm.rep()
        for i in range(19):
            closed = ago(30 + i)
            crm.deal(
                rep,
                stage=S.CLOSED_WON if i % 2 else S.CLOSED_LOST,
                closed=closed,
                created=closed - timedelta(days=40),
            )
    with sessions() as session:
        assert fit_win_model(session, TODAY) is None  # 19 closed deals
    with sessions.begin() as session:
        Crm(session).deal(rep, stage=S.CLOSED_WON, closed=ago(10), created=ago(50))
    with sessions() as session:
        assert fit_win_model(session, TODAY) is not None
        # Before any loss had closed there was one class only.
        assert fit_win_model(session, ago(10) - timedelta(days=25)) is None


def test_features_ignore_everything_after_the_cutoff(sessions: sessionmaker[Session]) -> None:
    cutoff = day("2026-06-01", 0)
    with sessions.begin() as session:
        crm = Crm(session)
        rep = crm.rep()
        account = crm.account(rep)
        people = crm.contacts(account)
        path = [(S.PROSPECTING, "2026-04-01"), (S.QUALIFICATION, "2026-05-01")]
        deal = crm.deal(
            rep, stage=S.QUALIFICATION, created="2026-04-01", path=path, account=account
        )
        crm.activity(deal, "2026-05-20", contact=people[0])
        won = crm.deal(
            rep,
            stage=S.CLOSED_WON,
            created="2026-03-01",
            closed="2026-05-10",
            path=[(S.PROSPECTING, "2026-03-01"), (S.CLOSED_WON, "2026-05-10")],
            account=account,
        )
        crm.activity(won, "2026-03-02", contact=people[0])
    both = Deal.id.in_([deal, won])

    def features() -> dict[int, list[float]]:
        with sessions() as session:
            return {k: feature_vector(f) for k, f in load_facts(session, both, cutoff).items()}

    before = features()
    with sessions.begin() as session:
        crm = Crm(session)
        crm.activity(deal, "2026-06-01", contact=people[1])  # at the cutoff: not before it
        crm.activity(deal, "2026-06-15", contact=people[2])
        crm.activity(won, "2026-05-10", contact=people[1])  # the signature, at the close
        session.add(
            DealStageHistory(
                deal_id=deal,
                from_stage=S.QUALIFICATION,
                to_stage=S.PROPOSAL,
                changed_at=day("2026-06-10"),
            )
        )
    assert features() == before
    # qualification, 60 days old, 1 touch in 30 days and in all, 1 contact, 11 days quiet, 1 move
    assert before[deal][:2] == [1.0, 60.0] and before[deal][3:] == [1.0, 1.0, 1.0, 11.0, 1.0]
    # The closed deal is seen partway through its life: before its close and the signature.
    with sessions() as session:
        closed = load_facts(session, both, cutoff)[won]
    snapshot = closed.snapshot * 86_400  # day numbers to epoch seconds
    assert closed.won is True
    assert day("2026-03-02").timestamp() < snapshot < day("2026-05-10").timestamp()
    assert before[won][0] == 0.0 and before[won][4] == 1.0 and before[won][-1] == 0.0
