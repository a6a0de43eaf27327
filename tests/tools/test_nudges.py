"""The nudge engine on hand-built CRMs, on SQLite and PostgreSQL: every rule, ranking, batching."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker
from support.nudge_builder import TODAY, Crm, ago, signal_deals

from tools.crm.baseline import refresh_baseline
from tools.models import Stage
from tools.nudge_engine import Nudge, compute_nudges, find_promise
from tools.nudge_engine.next_actions import list_next_actions
from tools.nudge_engine.promises import action_title

S = Stage
Build = Callable[[Callable[[Crm], object]], object]


@pytest.fixture
def build(sessions: sessionmaker[Session]) -> Build:
    """Run a builder inside one committed transaction; return what it returns."""

    def run(fill: Callable[[Crm], object]) -> object:
        with sessions.begin() as session:
            return fill(Crm(session))

    return run


def nudges(
    sessions: sessionmaker[Session], reps: dict[int, date] | int, **kw: object
) -> dict[int, list[Nudge]] | list[Nudge]:
    with sessions() as session:
        if isinstance(reps, int):
            return compute_nudges(session, {reps: TODAY}, **kw)[reps]  # type: ignore[arg-type]
        return compute_nudges(session, reps, **kw)  # type: ignore[arg-type]


def kinds(items: list[Nudge]) -> list[tuple[str, int | None]]:
    return [(n.kind, n.task_id or n.deal_id) for n in items]


def test_overdue_and_due_today_tasks(sessions: sessionmaker[Session], build: Build) -> None:
    def fill(crm: Crm) -> tuple[int, ...]:
        rep, other = crm.rep(), crm.rep()
        deal = crm.deal(rep, stage=S.PROSPECTING, created=ago(3), name="Acme Corp – Expansion")
        crm.activity(deal, ago(1))
        late = crm.task(rep, ago(3), deal=deal, title="Send the revised quote")
        today = crm.task(rep, TODAY, title="Call the CFO")
        crm.task(rep, TODAY + timedelta(days=1))  # not due yet
        crm.task(rep, ago(5), done=True)
        crm.task(other, ago(5))
        return rep, deal, late, today

    rep, deal, late, today = build(fill)  # type: ignore[misc]
    items = nudges(sessions, rep)
    assert kinds(items) == [("overdue_task", late), ("due_today", today)]
    overdue, due = items
    assert (overdue.key, overdue.title, overdue.deal_id, overdue.deal) == (
        f"task:{late}",
        "Send the revised quote",
        deal,
        "Acme Corp – Expansion",
    )
    assert overdue.reason == f"Task overdue by 3 days (due {ago(3)})"
    assert (overdue.evidence, overdue.evidence_date, overdue.due_date) == (
        f"due_date {ago(3)}",
        ago(3).isoformat(),
        ago(3).isoformat(),
    )
    assert (overdue.amount, overdue.currency) == ("10000.00", "USD")
    assert (due.reason, due.deal_id, due.deal, due.amount) == ("Task due today", None, None, None)


def test_promise_in_the_last_activity(sessions: sessionmaker[Session], build: Build) -> None:
    def fill(crm: Crm) -> tuple[int, ...]:
        rep = crm.rep()
        acme = crm.account(rep, "Acme Corp")
        deal = crm.deal(rep, stage=S.NEGOTIATION, created=ago(40), account=acme)
        crm.activity(deal, ago(9), "Discovery call.")
        said = crm.activity(
            deal,
            "2026-11-23",
            "Their CFO pushed back on price. I'll send the revised quote by Friday. Thanks!",
        )
        kept = crm.deal(rep, stage=S.NEGOTIATION, created=ago(40), account=acme)
        crm.activity(kept, ago(4), "We will share the DPA next week.")
        crm.activity(kept, ago(2), "Sent the DPA; they are reviewing it.")
        return rep, deal, said

    rep, deal, said = build(fill)  # type: ignore[misc]
    items = nudges(sessions, rep)
    assert kinds(items) == [("promised_follow_up", deal)]
    promise = items[0]
    assert promise.key == f"deal:{deal}:promise:{said}"
    assert promise.title == "Send the revised quote to Acme Corp"
    assert promise.evidence == "I'll send the revised quote by Friday"
    assert (promise.evidence_date, promise.due_date) == ("2026-11-23", "2026-11-27")
    assert "2026-11-23" in promise.reason and "2026-11-27" in promise.reason


def test_promise_older_than_30_days_is_not_a_follow_up(
    sessions: sessionmaker[Session], build: Build
) -> None:
    def fill(crm: Crm) -> tuple[int, int]:
        rep = crm.rep()
        deal = crm.deal(rep, stage=S.PROSPECTING, created=ago(60))
        crm.activity(deal, ago(31), "I'll send the revised quote by Friday.")
        return rep, deal

    rep, deal = build(fill)  # type: ignore[misc]
    assert kinds(nudges(sessions, rep)) == [("quiet_deal", deal)]


@pytest.mark.parametrize(
    ("body", "said", "due", "title"),
    [
        (
            "Will get back to you by 2026-12-01 with the updated proposal.",
            "Will get back to you by 2026-12-01 with the updated proposal",
            date(2026, 12, 1),
            "Get back to Acme Corp with the updated proposal",
        ),
        (
            "Good call. we will share the DPA next week",
            "we will share the DPA next week",
            date(2026, 12, 4),
            "Share the DPA with Acme Corp",
        ),
        (
            "Promised Ann a reference call by December 3.",
            "Promised Ann a reference call by December 3",
            date(2026, 12, 3),
            None,
        ),
        (
            "I'll confirm the security answers and get back to you by Tuesday.",
            "I'll confirm the security answers and get back to you by Tuesday",
            date(2026, 12, 1),
            "Confirm the security answers and get back to Acme Corp",
        ),
    ],
)
def test_promise_patterns(body: str, said: str, due: date, title: str | None) -> None:
    promise = find_promise(body, TODAY)
    assert promise is not None
    assert (promise.said, promise.due) == (said, due)
    assert (action_title(promise.action, "Acme Corp") if promise.action else None) == title


@pytest.mark.parametrize("account", ["Smith \\1 Jones", "Acme\\", "A\\g<0>"])
def test_an_account_name_with_backslashes_is_used_as_written(account: str) -> None:
    assert action_title("send you the quote", account) == f"Send {account} the quote"


@pytest.mark.parametrize(
    "body", ["They will send the signed order form.", "Discussed pricing.", "Will they sign?"]
)
def test_not_a_promise(body: str) -> None:
    assert find_promise(body, TODAY) is None


def test_quiet_deals_by_stage(sessions: sessionmaker[Session], build: Build) -> None:
    def fill(crm: Crm) -> tuple[int, ...]:
        rep = crm.rep()
        late = crm.deal(rep, stage=S.NEGOTIATION, created=ago(60))
        crm.activity(late, ago(8), subject="Pricing call")
        fine = crm.deal(rep, stage=S.PROPOSAL, created=ago(60))  # proposal goes quiet after 10
        crm.activity(fine, ago(8))
        never = crm.deal(rep, stage=S.PROSPECTING, created=ago(30))
        return rep, late, never

    rep, late, never = build(fill)  # type: ignore[misc]
    items = {n.deal_id: n for n in nudges(sessions, rep)}
    assert set(items) == {late, never}
    quiet = items[late]
    assert (quiet.key, quiet.kind, quiet.evidence_date) == (
        f"deal:{late}:quiet",
        "quiet_deal",
        ago(8).isoformat(),
    )
    assert quiet.reason == "No activity for 8 days; negotiation deals go quiet after 7"
    assert quiet.evidence == f"last activity {ago(8)}: “Pricing call”"
    assert items[never].evidence == f"no activity since the deal was created on {ago(30)}"


def test_close_dates(sessions: sessionmaker[Session], build: Build) -> None:
    def fill(crm: Crm) -> tuple[int, ...]:
        rep = crm.rep()
        past = crm.deal(rep, stage=S.PROSPECTING, created=ago(20), close=ago(5))
        crm.activity(past, ago(1))  # a past close date is wrong however busy the deal is
        soon = crm.deal(rep, stage=S.PROSPECTING, created=ago(20), close=TODAY + timedelta(3))
        crm.activity(soon, ago(10))
        busy = crm.deal(rep, stage=S.PROSPECTING, created=ago(20), close=TODAY + timedelta(3))
        crm.activity(busy, ago(2))
        return rep, past, soon

    rep, past, soon = build(fill)  # type: ignore[misc]
    items = {n.deal_id: n for n in nudges(sessions, rep)}
    assert set(items) == {past, soon}
    assert (items[past].kind, items[past].key, items[past].evidence) == (
        "past_close_date",
        f"deal:{past}:close",
        f"close_date {ago(5)}",
    )
    assert items[past].reason == f"Close date {ago(5)} passed 5 days ago and the deal is still open"
    closing = items[soon]
    assert (closing.kind, closing.due_date) == ("close_date", "2026-11-29")
    assert closing.reason == "Closes in 3 days (2026-11-29) with no activity for 10 days"


def _stays(crm: Crm, owner: int, days: list[int]) -> None:
    """Closed deals that each spent `days[i]` days in proposal."""
    for stay in days:
        start = ago(300)
        path = [
            (S.PROSPECTING, start),
            (S.PROPOSAL, start + timedelta(days=5)),
            (S.CLOSED_LOST, start + timedelta(days=5 + stay)),
        ]
        crm.deal(owner, stage=S.CLOSED_LOST, created=start, path=path, closed=path[-1][1])


@pytest.mark.parametrize(
    ("history", "stalled"), [([10, 12, 14, 16, 18, 20], True), ([30] * 4, False)]
)
def test_stalled_beyond_the_baseline_p75(
    sessions: sessionmaker[Session], build: Build, history: list[int], stalled: bool
) -> None:
    def fill(crm: Crm) -> tuple[int, int]:
        rep = crm.rep()
        _stays(crm, crm.rep(), history)
        path = [(S.PROSPECTING, ago(60)), (S.PROPOSAL, ago(40))]
        deal = crm.deal(rep, stage=S.PROPOSAL, created=ago(60), path=path)
        crm.activity(deal, ago(1))
        return rep, deal

    rep, deal = build(fill)  # type: ignore[misc]
    items = nudges(sessions, rep)
    if not stalled:  # four stays are too few to call anything stalled
        assert items == []
        return
    assert kinds(items) == [("stalled", deal)]
    assert items[0].key == f"deal:{deal}:stalled"
    # The rep has no finished stays of their own: the company baseline's p75 stands.
    assert items[0].evidence == "in proposal for 40 days (usual p75: 18)"
    assert items[0].evidence_date == ago(40).isoformat()


def test_stalled_blends_the_reps_own_stays_and_ignores_other_teams_midweek(
    sessions: sessionmaker[Session], build: Build
) -> None:
    def fill(crm: Crm) -> tuple[int, int]:
        rep, other = crm.rep(), crm.rep()
        _stays(crm, other, [10, 12, 14, 16, 18, 20] * 5)  # their own p75: 18
        _stays(crm, rep, [60] * 6)  # the rep's own deals sit 60 days in proposal
        # The company's 36 stays (the baseline): p75 20.
        path = [(S.PROSPECTING, ago(60)), (S.PROPOSAL, ago(40))]
        deal = crm.deal(rep, stage=S.PROPOSAL, created=ago(60), path=path)
        crm.activity(deal, ago(1))
        late = crm.deal(other, stage=S.PROPOSAL, created=ago(60), path=path)
        crm.activity(late, ago(1))
        return rep, other

    rep, other = build(fill)  # type: ignore[misc]
    # Rep: (6 stays x 60 + 10 x 20) / 16 = 35; other: (30 x 18 + 10 x 20) / 40 = 18.5, so 19.
    [mine] = nudges(sessions, rep)  # type: ignore[misc]
    assert (mine.kind, mine.evidence) == ("stalled", "in proposal for 40 days (usual p75: 35)")
    [theirs] = nudges(sessions, other)  # type: ignore[misc]
    assert theirs.evidence == "in proposal for 40 days (usual p75: 19)"
    build(lambda crm: _stays(crm, crm.rep(), [90] * 30))  # another team's deals, mid-week
    assert nudges(sessions, rep) == [mine]
    assert nudges(sessions, other) == [theirs]


def test_likely_win_names_probability_and_drivers(
    sessions: sessionmaker[Session], build: Build
) -> None:
    def fill(crm: Crm) -> tuple[int, int, int]:
        rep = crm.rep()
        signal_deals(crm, crm.rep(), start=date(2025, 6, 1), end=ago(1), every=5, noise=0.0)
        account = crm.account(rep, "Acme Corp")
        people = crm.contacts(account)
        hot = crm.deal(rep, stage=S.PROSPECTING, created=ago(5), account=account, amount="90000")
        cold = crm.deal(rep, stage=S.PROSPECTING, created=ago(5), account=account, amount="90000")
        for i in range(5):
            crm.activity(hot, ago(3), contact=people[i])
        crm.activity(cold, ago(3), contact=people[0])
        return rep, hot, cold

    rep, hot, _ = build(fill)  # type: ignore[misc]
    items = nudges(sessions, rep)
    assert kinds(items) == [("likely_win", hot)]
    likely = items[0]
    assert likely.key == f"deal:{hot}:likely"
    pct = int(likely.reason.split("%")[0])
    assert pct >= 80
    assert likely.reason.startswith(f"{pct}% likely to close: ")
    assert "5 contacts engaged" in likely.reason
    assert "closed deals" in likely.evidence


def _busy_rep(crm: Crm) -> tuple[int, dict[str, int]]:
    """A rep with one of everything, on deals of different sizes."""
    rep = crm.rep()
    big = crm.deal(rep, stage=S.NEGOTIATION, created=ago(90), amount="1000000", close=ago(20))
    crm.activity(big, ago(20))
    small = crm.deal(rep, stage=S.NEGOTIATION, created=ago(90), amount="5000")
    crm.activity(small, ago(20))
    mid = crm.deal(rep, stage=S.PROSPECTING, created=ago(30), amount="80000")
    crm.activity(mid, ago(1), "I'll send the revised quote by tomorrow.")
    late = crm.task(rep, ago(10), deal=small, title="Chase the signature")
    today = crm.task(rep, TODAY, title="Update the forecast")
    return rep, {"big": big, "small": small, "mid": mid, "late": late, "today": today}


def test_value_first_order_limit_and_one_item_per_deal(
    sessions: sessionmaker[Session], build: Build
) -> None:
    rep, ids = build(_busy_rep)  # type: ignore[misc]
    everything = nudges(sessions, rep, limit=50)
    assert kinds(everything) == [
        ("past_close_date", ids["big"]),  # the $1M deal's close date, not also its quiet item
        ("overdue_task", ids["late"]),
        ("promised_follow_up", ids["mid"]),  # due today
        ("quiet_deal", ids["small"]),  # a task on the same deal may also appear
        ("due_today", ids["today"]),
    ]
    scores = [n.score for n in everything]
    assert scores == sorted(scores, reverse=True)
    assert nudges(sessions, rep, limit=3) == everything[:3]


def test_snoozed_keys_are_left_out(sessions: sessionmaker[Session], build: Build) -> None:
    rep, ids = build(_busy_rep)  # type: ignore[misc]
    snoozed = {rep: {f"deal:{ids['big']}:close", f"task:{ids['late']}"}}
    items = nudges(sessions, rep, limit=3, snoozed=snoozed)
    # The big deal's next strongest item takes the place of its snoozed close date.
    assert kinds(items) == [
        ("quiet_deal", ids["big"]),
        ("promised_follow_up", ids["mid"]),
        ("quiet_deal", ids["small"]),
    ]


def test_a_reopened_deal_is_judged_as_of_today(
    sessions: sessionmaker[Session], build: Build
) -> None:
    def fill(crm: Crm) -> int:
        rep = crm.rep()
        # Reopened: open again, but its closed_at from the first close is still there.
        deal = crm.deal(rep, stage=S.NEGOTIATION, created=ago(200), closed=ago(100))
        crm.activity(deal, ago(1), "Back on: they want the renewal after all.")
        return rep

    assert nudges(sessions, build(fill)) == []  # type: ignore[arg-type]


def test_nothing_to_do_gives_an_empty_list(sessions: sessionmaker[Session], build: Build) -> None:
    def fill(crm: Crm) -> tuple[int, int]:
        idle, healthy = crm.rep(), crm.rep()
        deal = crm.deal(healthy, stage=S.PROPOSAL, created=ago(5))
        crm.activity(deal, ago(1), "Good call, they are reviewing the proposal.")
        return idle, healthy

    idle, healthy = build(fill)  # type: ignore[misc]
    assert nudges(sessions, {idle: TODAY, healthy: TODAY}) == {idle: [], healthy: []}
    with sessions() as session:
        assert compute_nudges(session, {}) == {}


def test_each_rep_gets_their_own_local_today(sessions: sessionmaker[Session], build: Build) -> None:
    def fill(crm: Crm) -> tuple[int, int]:
        west, east = crm.rep(tz="America/Los_Angeles"), crm.rep(tz="Asia/Tokyo")
        crm.task(west, TODAY)
        crm.task(east, TODAY)
        return west, east

    west, east = build(fill)  # type: ignore[misc]
    got = nudges(sessions, {west: TODAY, east: TODAY + timedelta(days=1)})
    assert [n.kind for n in got[west]] == ["due_today"]  # type: ignore[call-overload]
    assert [n.reason for n in got[east]] == [  # type: ignore[call-overload]
        f"Task overdue by 1 day (due {TODAY})"
    ]


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_query_count_does_not_grow_with_reps(
    engine: Engine, sessions: sessionmaker[Session], build: Build
) -> None:
    def fill(crm: Crm) -> list[int]:
        signal_deals(crm, crm.rep(), start=date(2025, 6, 1), end=ago(1), every=10, noise=0.0)
        return [_busy_rep(crm)[0] for _ in range(50)]

    reps: list[int] = build(fill)  # type: ignore[assignment]
    refresh_baseline(sessions, TODAY)  # the scheduler's tick stores the week's baseline
    counts = []
    for group in (reps[:1], reps):
        with sessions() as session, counting(engine) as statements:
            got = compute_nudges(session, dict.fromkeys(group, TODAY))
        assert all(len(items) == 5 for items in got.values())
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 14  # three are billing reads: renewals, invoices, MRR moves


def test_next_actions_reuses_the_team_statistics(
    engine: Engine, sessions: sessionmaker[Session], build: Build
) -> None:
    rep, _ = build(_busy_rep)  # type: ignore[misc]
    refresh_baseline(sessions, TODAY)
    counts = []
    for _ in range(2):
        with sessions() as session, counting(engine) as statements:
            items = list_next_actions(session, rep, today=TODAY, limit=3)
        counts.append(len(statements))
    assert [i["kind"] for i in items] == ["past_close_date", "overdue_task", "promised_follow_up"]
    assert counts[1] == counts[0] - 4  # no baseline read, no model fit the second time
