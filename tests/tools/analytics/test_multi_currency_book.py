"""A book in MXN, COP, PEN and USD with Salesforce's rate exports: every total converted.

The CRM is built by hand (seeded), the rates are loaded from CurrencyType.csv and
DatedConversionRate.csv files laid out like a Salesforce Data Export, and each figure the
tools report is checked against a conversion done here in Python from the files' own rows
(Decimal arithmetic, the rate in force on each deal's close date), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.charts.pipeline import pipeline_alt
from bot.nudges.digest import build_digest_blocks
from bot.nudges.digest_content import DigestContent
from tools.context import ToolContext
from tools.crm.currency import format_total
from tools.crm_tools import make_tools
from tools.currency_rates import import_currency_types, import_dated_rates, import_rates_csv
from tools.models import (
    Account,
    AuditLog,
    CurrencyRate,
    Deal,
    DealStageHistory,
    Quota,
    Role,
    Stage,
    User,
)
from tools.principal import get_principal_by_email

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
QUARTER = (date(2026, 10, 1), date(2026, 12, 31))
CENT = Decimal("0.01")
OPEN = (Stage.PROSPECTING, Stage.QUALIFICATION, Stage.PROPOSAL, Stage.NEGOTIATION)
REPS = {
    3: ("Rob Rep", "rob@x.test"),
    4: ("Rita Rep", "rita@x.test"),
    5: ("Raul Rep", "raul@x.test"),
}
SCALE = {"USD": 1, "MXN": 17, "COP": 4000, "PEN": 4}

# Salesforce Setup > Data Export column sets (the extra columns are ignored).
CURRENCY_TYPE = [
    "Id,IsoCode,ConversionRate,DecimalPlaces,IsActive,IsCorporate,CreatedDate,CreatedById,"
    "LastModifiedDate,LastModifiedById,SystemModstamp",
    "01L1,USD,1.000000,2,true,true,2016-03-01T10:00:00.000Z,0051,2016-03-01T10:00:00.000Z,0051,"
    "2016-03-01T10:00:00.000Z",
    "01L2,MXN,17.250000,2,true,false,2016-03-01T10:00:00.000Z,0051,2024-01-01T10:00:00.000Z,0051,"
    "2024-01-01T10:00:00.000Z",
    "01L3,COP,3950.250000,2,true,false,2016-03-01T10:00:00.000Z,0051,2024-01-01T10:00:00.000Z,"
    "0051,2024-01-01T10:00:00.000Z",
    "01L4,PEN,3.710000,2,true,false,2016-03-01T10:00:00.000Z,0051,2024-01-01T10:00:00.000Z,0051,"
    "2024-01-01T10:00:00.000Z",
    "01L5,EUR,0.921000,2,true,false,2016-03-01T10:00:00.000Z,0051,2024-01-01T10:00:00.000Z,0051,"
    "2024-01-01T10:00:00.000Z",
]
DATED = {  # IsoCode -> [(StartDate, ConversionRate)]: quarterly for MXN and COP, none for PEN
    "MXN": [("2025-07-01", "18.104"), ("2025-10-01", "17.8820"), ("2026-01-01", "17.313"),
            ("2026-04-01", "16.9941"), ("2026-07-01", "18.25"), ("2026-10-01", "18.6105")],
    "COP": [("0001-01-01", "4100"), ("2026-01-01", "3875.5"), ("2026-07-01", "4012.75")],
}  # fmt: skip


def write_exports(folder: Path) -> tuple[Path, Path]:
    kinds = folder / "CurrencyType.csv"
    kinds.write_text("\r\n".join(CURRENCY_TYPE) + "\r\n", encoding="latin-1")
    lines = ["Id,IsoCode,StartDate,NextStartDate,ConversionRate,CreatedDate,SystemModstamp"]
    for code, rows in DATED.items():
        for i, (start, rate) in enumerate(rows):
            nxt = rows[i + 1][0] if i + 1 < len(rows) else "9999-12-31"
            lines.append(f"04w{code}{i},{code},{start},{nxt},{rate},2025-01-01,2025-01-01")
    dated = folder / "DatedConversionRate.csv"
    dated.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return kinds, dated


# --- the independent computation -----------------------------------------------------------


def undated(code: str) -> Decimal:
    for line in CURRENCY_TYPE[1:]:
        cells = line.split(",")
        if cells[1] == code:
            return Decimal(cells[2])
    raise KeyError(code)


def per_usd(code: str, on: date) -> Decimal:
    """Units of `code` per 1 USD on `on`, as Salesforce applies dated rates to opportunities."""
    if code == "USD":
        return Decimal(1)
    dated = [(date.fromisoformat(s), Decimal(r)) for s, r in DATED.get(code, [])]
    begun = [x for x in dated if x[0] <= on]
    if begun:
        return max(begun)[1]
    return undated(code)


def convert(amount: Decimal, code: str, on: date, reporting: str) -> Decimal:
    """One deal's amount in `reporting`, to the cent (each deal is rounded, then added)."""
    if code == reporting:
        return amount
    exact = amount / per_usd(code, on) * per_usd(reporting, on)
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def total(deals: Iterable[BookDeal], reporting: str) -> str:
    found = sum((convert(d.amount, d.currency, d.close, reporting) for d in deals), Decimal(0))
    return str(found.quantize(CENT, rounding=ROUND_HALF_UP))


# --- the book ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookDeal:
    id: int
    owner: int
    stage: Stage
    amount: Decimal
    currency: str
    close: date
    created: datetime


def book_deals() -> list[BookDeal]:
    rnd = random.Random(14)
    deals = []
    for i in range(1, 121):
        code = rnd.choice(["USD", "MXN", "COP", "PEN"])
        stage = rnd.choice([*OPEN, Stage.CLOSED_WON, Stage.CLOSED_WON, Stage.CLOSED_LOST])
        close = date(2025, 7, 1) + timedelta(days=rnd.randrange(0, 640))
        if stage in (Stage.CLOSED_WON, Stage.CLOSED_LOST):  # closed by now; a third this quarter
            first = QUARTER[0] if rnd.random() < 0.35 else date(2025, 7, 1)
            close = first + timedelta(days=rnd.randrange(0, (NOW.date() - first).days))
        cents = rnd.randrange(5_000_00, 250_000_00) * SCALE[code]
        created = datetime.combine(close, datetime.min.time(), UTC) - timedelta(
            days=rnd.randrange(20, 200)
        )
        deals.append(
            BookDeal(i, rnd.choice(list(REPS)), stage, Decimal(cents) / 100, code, close, created)
        )
    return deals


DEALS = book_deals()
QUOTAS = {3: Decimal("400000"), 4: Decimal("350000"), 5: Decimal("500000")}  # USD, this quarter


def build_book(session: Session) -> None:
    session.add_all([
        User(id=1, name="Ada Admin", email="ada@x.test", role=Role.ADMIN, timezone="UTC"),
        User(id=2, name="Mia Manager", email="mia@x.test", role=Role.MANAGER, timezone="UTC"),
    ])  # fmt: skip
    session.flush()
    for uid, (name, email) in REPS.items():
        session.add(
            User(id=uid, name=name, email=email, role=Role.REP, manager_id=2, timezone="UTC")
        )
        session.flush()
        session.add(Account(id=uid, name=f"Cuenta {name}", owner_id=uid, created_at=NOW))
        session.add(
            Quota(user_id=uid, period_start=QUARTER[0], period_end=QUARTER[1], amount=QUOTAS[uid])
        )
    session.flush()
    for d in DEALS:
        closed = datetime.combine(d.close, datetime.min.time(), UTC) + timedelta(hours=12)
        is_closed = d.stage in (Stage.CLOSED_WON, Stage.CLOSED_LOST)
        session.add(Deal(
            id=d.id, name=f"Deal {d.id}", account_id=d.owner, owner_id=d.owner, stage=d.stage,
            amount=d.amount, currency=d.currency, close_date=d.close, created_at=d.created,
            closed_at=closed if is_closed else None,
        ))  # fmt: skip
        session.flush()
        session.add(DealStageHistory(
            deal_id=d.id, from_stage=None, to_stage=Stage.PROSPECTING, changed_at=d.created,
        ))  # fmt: skip
        if d.stage != Stage.PROSPECTING:
            moved = closed if is_closed else d.created + timedelta(days=5)
            session.add(DealStageHistory(
                deal_id=d.id, from_stage=Stage.PROSPECTING, to_stage=d.stage, changed_at=moved,
            ))  # fmt: skip


@pytest.fixture
def book(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    kinds, dated = write_exports(tmp_path)
    with sessions.begin() as session:
        build_book(session)
    with sessions.begin() as session:
        import_currency_types(session, kinds)
        import_dated_rates(session, dated)
    return sessions


def call(
    sessions: sessionmaker[Session], email: str, tool: str, reporting: str = "USD", **args: Any
) -> dict[str, Any]:
    with sessions() as session:
        principal = get_principal_by_email(session, email)
    ctx = ToolContext(principal, sessions, None, lambda: NOW, reporting_currency=reporting)
    tools = {t.name: t for t in make_tools(ctx)}
    message = tools[tool].invoke({"type": "tool_call", "id": "t1", "name": tool, "args": args})
    return message.artifact  # type: ignore[no-any-return]


def in_quarter(d: BookDeal) -> bool:
    return QUARTER[0] <= d.close <= QUARTER[1]


def cents(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


# --- the tests -----------------------------------------------------------------------------


def test_the_book_really_mixes_four_currencies() -> None:
    assert {d.currency for d in DEALS} == {"USD", "MXN", "COP", "PEN"}
    assert sum(1 for d in DEALS if in_quarter(d) and d.stage == Stage.CLOSED_WON) >= 3
    raw = sum((d.amount for d in DEALS), Decimal(0))
    assert Decimal(total(DEALS, "USD")) < raw / 10  # a raw sum would be wildly wrong


def test_the_exports_load_as_salesforce_means_them(book: sessionmaker[Session]) -> None:
    with book() as session:
        rows = session.execute(
            select(CurrencyRate.from_currency, CurrencyRate.to_currency, func.count())
            .group_by(CurrencyRate.from_currency, CurrencyRate.to_currency)
            .order_by(CurrencyRate.to_currency)
        ).all()
        audits = session.scalar(select(func.count()).select_from(AuditLog))
    # 1 USD = rate X: undated from CurrencyType, plus the dated rows per currency.
    assert [tuple(r) for r in rows] == [
        ("USD", "COP", 1 + 3), ("USD", "EUR", 1), ("USD", "MXN", 1 + 6), ("USD", "PEN", 1),
    ]  # fmt: skip
    assert audits == 2


@pytest.mark.parametrize("reporting", ["USD", "EUR"])
def test_pipeline_summary_is_converted_at_close_date_rates(
    book: sessionmaker[Session], reporting: str
) -> None:
    got = call(book, "mia@x.test", "pipeline_summary", reporting, scope="team")
    assert got["type"] == "pipeline" and got["currency"] == reporting
    quarter_open = [d for d in DEALS if in_quarter(d) and d.stage in OPEN]
    for row in got["by_stage"]:
        mine = [d for d in quarter_open if d.stage == row["stage"]]
        assert (row["count"], row["amount"]) == (len(mine), total(mine, reporting)), row
        want = cents(Decimal(total(mine, reporting)) * Decimal(row["win_rate"]))
        assert row["weighted_amount"] == want
    assert got["open_amount"] == total(quarter_open, reporting)
    won = [d for d in DEALS if in_quarter(d) and d.stage == Stage.CLOSED_WON]
    assert (got["won_count"], got["won_amount"]) == (len(won), total(won, reporting))
    if reporting == "USD":  # quotas are in the reporting currency
        quota = sum(QUOTAS.values(), Decimal(0))
        assert got["quota"] == cents(quota)
        want_pct = (Decimal(total(won, "USD")) * 100 / quota).quantize(Decimal("0.1"))
        assert got["attainment_pct"] == str(want_pct)
    assert f"Amounts converted to {reporting} at stored rates" in got["note"]
    assert "MXN at the rate of each deal's close date" in got["note"]
    assert "1 PEN = " in got["note"]


@pytest.mark.parametrize("reporting", ["USD", "EUR"])
def test_review_forecast_and_backtest_are_converted(
    book: sessionmaker[Session], reporting: str
) -> None:
    review = call(book, "mia@x.test", "pipeline_review", reporting)
    quarter_open = [d for d in DEALS if in_quarter(d) and d.stage in OPEN]
    won = [d for d in DEALS if in_quarter(d) and d.stage == Stage.CLOSED_WON]
    assert review["currency"] == reporting
    assert (review["open_amount"], review["won_amount"]) == (
        total(quarter_open, reporting),
        total(won, reporting),
    )
    forecast = call(book, "mia@x.test", "forecast", reporting)
    assert forecast["currency"] == reporting
    assert forecast["closed_won"] == total(won, reporting)
    # The open pipeline now (created by now), whatever the close dates.
    still_open = [d for d in DEALS if d.stage in OPEN and d.created < NOW]
    assert (forecast["open_count"], forecast["open_amount"]) == (
        len(still_open),
        total(still_open, reporting),
    )
    for test in forecast["backtest"]:  # each past quarter's actual, at its own dated rates
        start = date.fromisoformat(test["period"]["start"])
        end = date.fromisoformat(test["period"]["end"])
        actual = [d for d in DEALS if d.stage == Stage.CLOSED_WON and start <= d.close <= end]
        assert test["actual"] == total(actual, reporting), test["period"]


def test_kpis_and_the_one_to_one_brief_are_converted(book: sessionmaker[Session]) -> None:
    got = call(book, "mia@x.test", "rep_kpis")
    assert got["currency"] == "USD"
    start = datetime.combine(QUARTER[0], datetime.min.time(), UTC)
    end = datetime.combine(QUARTER[1] + timedelta(days=1), datetime.min.time(), UTC)
    for row in got["rows"]:
        uid = row["user_id"]
        won = [d for d in DEALS if d.owner == uid and in_quarter(d) and d.stage == Stage.CLOSED_WON]
        created = [d for d in DEALS if d.owner == uid and start <= d.created < end]
        assert row["won_amount"] == total(won, "USD"), row["name"]
        assert row["pipeline_created"] == total(created, "USD"), row["name"]
        want = (Decimal(total(won, "USD")) * 100 / QUOTAS[uid]).quantize(Decimal("0.1"))
        assert row["attainment_pct"] == str(want)
    brief = call(book, "mia@x.test", "coaching_brief", rep="Rob")
    rob_won = [d for d in DEALS if d.owner == 3 and in_quarter(d) and d.stage == Stage.CLOSED_WON]
    assert brief["currency"] == "USD" and brief["kpis"]["won_amount"] == total(rob_won, "USD")


def test_a_list_gives_each_currency_and_the_converted_sum(book: sessionmaker[Session]) -> None:
    got = call(book, "mia@x.test", "find_deals", owner="team", limit=50)
    still_open = [d for d in DEALS if d.stage in OPEN]
    per = {
        (c, len(ds), cents(sum((d.amount for d in ds), Decimal(0))))
        for c in ("USD", "MXN", "COP", "PEN")
        if (ds := [d for d in still_open if d.currency == c])
    }
    assert {(t["currency"], t["count"], t["amount"]) for t in got["totals_by_currency"]} == per
    assert got["converted_total"]["amount"] == total(still_open, "USD")
    assert (got["currency"], got["total_amount"]) == (None, None)
    assert format_total(got).endswith("converted to USD)")
    assert "converted to USD" in got["note"]
    # A single deal shows its own currency, unconverted.
    for row in got["rows"]:
        deal = next(d for d in DEALS if d.id == row["id"])
        assert (row["currency"], row["amount"]) == (deal.currency, cents(deal.amount))


def test_a_single_deal_keeps_its_own_currency(book: sessionmaker[Session]) -> None:
    cop = next(d for d in DEALS if d.currency == "COP" and d.stage in OPEN)
    owner = REPS[cop.owner][1]
    got = call(book, owner, "get_deal", deal=str(cop.id))
    deal = got["deal"]
    assert (got["type"], deal["currency"], deal["amount"]) == ("deal", "COP", cents(cop.amount))


def test_the_digest_and_the_chart_carry_converted_figures(book: sessionmaker[Session]) -> None:
    review = call(book, "mia@x.test", "pipeline_review")
    forecast = call(book, "mia@x.test", "forecast")
    risks = call(book, "mia@x.test", "deal_risks")
    blocks = str(
        build_digest_blocks(
            DigestContent(review, forecast, risks), manager_name="Mia", local_date=NOW.date()
        )
    )
    assert "converted to USD" in blocks
    open_usd = Decimal(review["open_amount"])
    assert f"${open_usd:,.0f}"[:-4] in blocks  # the converted open pipeline, in dollars
    alt = pipeline_alt(call(book, "mia@x.test", "pipeline_summary", scope="team"))
    assert " USD" not in alt and "COP" not in alt and "$" in alt


def test_a_missing_rate_is_named_and_nothing_is_summed_raw(book: sessionmaker[Session]) -> None:
    with book.begin() as session:
        session.execute(delete(CurrencyRate).where(CurrencyRate.to_currency == "PEN"))
    for tool in ("pipeline_summary", "pipeline_review", "forecast", "rep_kpis"):
        got = call(book, "mia@x.test", tool, scope="team")
        assert (got["type"], got["reason"], got["missing_rates"]) == (
            "notice",
            "missing_rate",
            ["PEN"],
        ), tool
        assert "no exchange rate from PEN to USD is stored" in got["text"]
    still_open = [d for d in DEALS if d.stage in OPEN]
    want = {
        (c, len(ds), cents(sum((d.amount for d in ds), Decimal(0))))
        for c in ("USD", "MXN", "COP", "PEN")
        if (ds := [d for d in still_open if d.currency == c])
    }
    assert {(t["currency"], t["count"], t["amount"]) for t in got["open_by_currency"]} == want
    listed = call(book, "mia@x.test", "find_deals", owner="team")
    assert listed["converted_total"] is None and "converted" not in format_total(listed)


def test_importing_the_same_exports_again_changes_nothing(
    book: sessionmaker[Session], tmp_path: Path
) -> None:
    kinds, dated = tmp_path / "CurrencyType.csv", tmp_path / "DatedConversionRate.csv"
    with book.begin() as session:
        again = [import_currency_types(session, kinds), import_dated_rates(session, dated)]
    assert [(x.added, x.updated) for x in again] == [(0, 0), (0, 0)]
    assert [x.unchanged for x in again] == [4, 9]
    with book() as session:
        assert session.scalar(select(func.count()).select_from(AuditLog)) == 2
    generic = tmp_path / "rates.csv"
    generic.write_text("from,to,rate,valid_from\nPEN,USD,0.27,\nUSD,MXN,19.5,2026-11-01\n")
    with book.begin() as session:
        loaded = import_rates_csv(session, generic)
    assert (loaded.added, loaded.updated) == (2, 0)
    got = call(book, "mia@x.test", "pipeline_summary", scope="team")
    quarter_open = [d for d in DEALS if in_quarter(d) and d.stage in OPEN]
    # PEN now has a direct rate (preferred to the path through USD); MXN from Nov 1 is 19.5.
    DATED["MXN"].append(("2026-11-01", "19.5"))
    try:
        want = sum(
            (
                (d.amount * Decimal("0.27")).quantize(CENT, rounding=ROUND_HALF_UP)
                if d.currency == "PEN"
                else convert(d.amount, d.currency, d.close, "USD")
                for d in quarter_open
            ),
            Decimal(0),
        )
    finally:
        DATED["MXN"].pop()
    assert got["open_amount"] == cents(want)
