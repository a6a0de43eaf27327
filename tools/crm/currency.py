"""Money in several currencies: the one place amounts are converted before they are added up.

Totals are given in the reporting currency (the `REPORTING_CURRENCY` setting, USD by default).
Every figure that adds amounts (pipeline, won, forecast, quota attainment, KPIs, the digest,
the charts) sums `Conversion.amount()`: a SQL expression that multiplies each deal's amount by
the rate stored in `currency_rates` for its currency, the dated rate in force on the deal's
close date where there are dated rates. A currency with no rate to the reporting currency is
never added in raw: a scope whose deals are in several currencies, one of them without a rate,
gets its totals per currency and a sentence naming the missing rate. A scope in one currency
without a rate keeps its own currency. A single deal always shows its own currency.

Rates are read as stored, in either direction, and through one other currency (Salesforce's
rates are all from the corporate currency: MXN to EUR is USD->EUR / USD->MXN).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Numeric, case, func, literal, select, true
from sqlalchemy.orm import Session

from tools.artifacts import ArtifactType, MoneyHeader, NoticeArtifact
from tools.crm.money import format_money, money, to_decimal
from tools.models import OPEN_STAGES, CurrencyRate, Deal

DEFAULT_CURRENCY = "USD"
RATE_TYPE = Numeric(28, 12)


@dataclass(frozen=True, slots=True)
class Leg:
    """One stored pair on the way to the reporting currency; `inverse`: divide by its rate."""

    from_currency: str
    to_currency: str
    inverse: bool = False


@dataclass(frozen=True)
class Conversion:
    """How a scope's amounts become one figure: its currencies, their paths, what is missing."""

    reporting: str
    currencies: tuple[str, ...] = ()
    paths: Mapping[str, tuple[Leg, ...]] = field(default_factory=dict)
    constants: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @property
    def currency(self) -> str:
        """The currency the totals are in: the reporting one, or a lone unconvertible one."""
        if len(self.currencies) == 1 and self.currencies[0] in self.missing:
            return self.currencies[0]
        return self.reporting

    @property
    def blocked(self) -> bool:
        """Several currencies and a rate missing: the amounts cannot be added into one figure."""
        return bool(self.missing) and len(self.currencies) > 1

    @property
    def converted(self) -> tuple[str, ...]:
        """The scope's currencies that are converted (all but the reporting one)."""
        return tuple(c for c in self.currencies if c in self.paths)

    def amount(
        self, amount: Any = Deal.amount, currency: Any = Deal.currency, on: Any = Deal.close_date
    ) -> ColumnElement[Any]:
        """SQL: `amount` in the reporting currency, to the cent, at the rate in force on `on`."""
        if not self.paths or self.blocked:
            return amount
        whens = [
            (currency == code, self._through(amount, legs, on))
            for code, legs in sorted(self.paths.items())
        ]
        return case(*whens, else_=amount)

    def _through(self, amount: Any, legs: tuple[Leg, ...], on: Any) -> Any:
        value = amount
        for leg in legs:
            rate = self._rate(leg, on)
            value = value / rate if leg.inverse else value * rate
        # Each deal is converted to the cent, then added: every figure sums the same cents.
        return func.round(value, 2)

    def _rate(self, leg: Leg, on: Any) -> Any:
        pair = (leg.from_currency, leg.to_currency)
        if pair in self.constants:  # one stored rate: it applies on every date
            return literal(self.constants[pair], RATE_TYPE)
        return rate_on(leg.from_currency, leg.to_currency, on)

    def note(self) -> str | None:
        """The sentence an answer carries about conversion, None when nothing was converted."""
        if self.blocked or not self.converted:
            return None
        parts = [self._rate_words(code) for code in self.converted]
        return f"Amounts converted to {self.reporting} at stored rates: {'; '.join(parts)}."

    def _rate_words(self, code: str) -> str:
        legs = self.paths[code]
        if all((leg.from_currency, leg.to_currency) in self.constants for leg in legs):
            value = Decimal(1)
            for leg in legs:
                rate = self.constants[(leg.from_currency, leg.to_currency)]
                value = value / rate if leg.inverse else value * rate
            return f"1 {code} = {_figure(value)} {self.reporting}"
        return f"{code} at the rate of each deal's close date"

    def header(self) -> MoneyHeader:
        """The keys an artifact carries about its money."""
        return {
            "currency": self.currency,
            "converted_from": list(self.converted),
            "conversion_note": self.note(),
        }


def _figure(value: Decimal) -> str:
    text = f"{value:.6g}"
    return format(Decimal(text), "f") if "e" in text else text


def rate_on(from_currency: str, to_currency: str, on: Any) -> Any:
    """SQL scalar: the stored rate of the pair in force on `on` (a date column or value).

    The latest dated rate begun by then; else the undated rate; else (a date before every dated
    rate) the earliest dated one. (Outer columns only in WHERE: SQLite cannot see them in the
    ORDER BY of a subquery inside an aggregate.)
    """
    r = CurrencyRate
    pair = (r.from_currency == from_currency, r.to_currency == to_currency)

    def at(day: Any) -> Any:
        return (
            select(r.rate)
            .where(*pair, day)
            .order_by(r.id.desc())
            .limit(1)
            .correlate_except(r)
            .scalar_subquery()
        )

    latest = select(func.max(r.valid_from)).where(*pair, r.valid_from <= on)
    first = select(func.min(r.valid_from)).where(*pair)
    return func.coalesce(
        at(r.valid_from == latest.correlate_except(r).scalar_subquery()),
        at(r.valid_from.is_(None)),
        at(r.valid_from == first.scalar_subquery()),
    )


def load_conversion(session: Session, currencies: Iterable[str], reporting: str) -> Conversion:
    """The paths from each of `currencies` to `reporting` through the stored rates."""
    codes = tuple(sorted(set(currencies)))
    r = CurrencyRate
    pairs = session.execute(
        select(r.from_currency, r.to_currency, func.count(), func.min(r.rate)).group_by(
            r.from_currency, r.to_currency
        )
    ).all()
    stored = {(a, b) for a, b, _, _ in pairs}
    constants = {(a, b): to_rate(v) for a, b, n, v in pairs if n == 1}
    paths: dict[str, tuple[Leg, ...]] = {}
    missing = []
    for code in codes:
        if code == reporting:
            continue
        path = _path(stored, code, reporting)
        if path is None:
            missing.append(code)
        else:
            paths[code] = path
    return Conversion(reporting, codes, paths, constants, tuple(missing))


def to_rate(value: object) -> Decimal:
    """A stored rate as an exact Decimal (SQLite hands back floats)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def _path(stored: set[tuple[str, str]], start: str, goal: str) -> tuple[Leg, ...] | None:
    """The shortest chain of stored pairs (either direction) from `start` to `goal`."""
    links: dict[str, list[Leg]] = {}
    for a, b in sorted(stored):
        links.setdefault(a, []).append(Leg(a, b))
        if (b, a) not in stored:
            links.setdefault(b, []).append(Leg(a, b, inverse=True))
    queue: deque[tuple[str, tuple[Leg, ...]]] = deque([(start, ())])
    seen = {start}
    while queue:
        code, legs = queue.popleft()
        if code == goal:
            return legs
        for leg in links.get(code, []):
            nxt = leg.from_currency if leg.inverse else leg.to_currency
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, (*legs, leg)))
    return None


def scope_currencies(session: Session, owner_ids: frozenset[int] | None) -> list[str]:
    """Every currency the owners' deals (all of them, open or closed) are in, sorted."""
    if owner_ids is None:
        found = _currencies_in_use(session)
    else:
        owned = Deal.owner_id.in_(owner_ids)
        found = list(session.scalars(select(Deal.currency).where(owned).distinct()))
    return sorted({c or DEFAULT_CURRENCY for c in found})


def _currencies_in_use(session: Session) -> list[str]:
    """Every deal's currency, by skipping through ix_deals_currency from one code to the next:
    a probe per currency (a handful) where DISTINCT reads all the deals (155 ms at a million
    on PostgreSQL, which does not skip by itself)."""
    codes = select(func.min(Deal.currency).label("code")).cte("codes", recursive=True)
    following = select(func.min(Deal.currency)).where(Deal.currency > codes.c.code)
    codes = codes.union_all(select(following.scalar_subquery()).where(codes.c.code.is_not(None)))
    return [c for c in session.scalars(select(codes.c.code)) if c is not None]


def scope_conversion(
    session: Session,
    owner_ids: frozenset[int] | None,
    label: str,
    shown: list[int],
    reporting: str = DEFAULT_CURRENCY,
) -> tuple[Conversion, NoticeArtifact | None]:
    """How the scope's amounts add up, or the per-currency notice when a rate is missing."""
    conv = load_conversion(session, scope_currencies(session, owner_ids), reporting)
    if not conv.blocked:
        return conv, None
    return conv, _missing_notice(session, owner_ids, label, conv, shown)


def totals_by_currency(session: Session, *where: Any) -> list[dict[str, Any]]:
    """Count and amount of the deals matching `where`, per currency, largest count first."""
    rows = session.execute(
        select(Deal.currency, func.count(), func.coalesce(func.sum(Deal.amount), 0))
        .where(*where)
        .group_by(Deal.currency)
    ).all()
    totals = [
        {"currency": c or DEFAULT_CURRENCY, "count": int(n), "amount": money(a)} for c, n, a in rows
    ]
    return sorted(totals, key=lambda t: (-t["count"], t["currency"]))


def converted_total(
    session: Session, totals: list[dict[str, Any]], reporting: str, *where: Any
) -> dict[str, Any] | None:
    """The matching deals' amounts added in `reporting` when they are in several currencies
    and every one has a rate; None otherwise (one currency, or a rate missing)."""
    conv = load_conversion(session, (t["currency"] for t in totals), reporting)
    if len(conv.currencies) < 2 or conv.missing:
        return None
    amount = session.scalar(select(func.sum(conv.amount())).where(*where))
    return {"currency": reporting, "amount": money(amount), "note": conv.note()}


def _missing_notice(
    session: Session,
    owner_ids: frozenset[int] | None,
    label: str,
    conv: Conversion,
    shown: list[int],
) -> NoticeArtifact:
    owned = true() if owner_ids is None else Deal.owner_id.in_(owner_ids)
    totals = totals_by_currency(session, owned, Deal.stage.in_(OPEN_STAGES))
    parts = [
        f"{format_money(to_decimal(t['amount']), t['currency'])} in {t['count']} "
        f"deal{'s' * (t['count'] != 1)}"
        for t in totals
    ]
    opened = "; ".join(parts) if parts else "none"
    text = (
        f"The deals of {label} are in {len(conv.currencies)} currencies "
        f"({', '.join(conv.currencies)}) and {missing_words(conv)}, so salesbot will not add "
        f"them into one figure. Open pipeline per currency: {opened}. Add the rate with "
        f"`salesbot currency set {conv.missing[0]} RATE` (1 {conv.missing[0]} in "
        f"{conv.reporting}) or import your CRM's exchange rates; ask for a list of deals to "
        "see each deal in its own currency."
    )
    return {
        "type": ArtifactType.NOTICE,
        "text": text,
        "reason": "missing_rate",
        "currencies": list(conv.currencies),
        "reporting_currency": conv.reporting,
        "missing_rates": list(conv.missing),
        "open_by_currency": totals,
        "data_owner_ids": shown,
    }


def missing_words(conv: Conversion) -> str:
    """The words naming the missing rates: no exchange rate from COP (and PEN) to USD..."""
    codes = list(conv.missing)
    names = codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} and {codes[-1]}"
    return f"no exchange rate from {names} to {conv.reporting} is stored"


def with_note(note: str | None, conversion_note: str | None) -> str | None:
    """An artifact's note with the conversion sentence after it, so every surface shows it."""
    return " ".join(n for n in (note, conversion_note) if n) or None


def single_currency(totals: list[dict[str, Any]]) -> str | None:
    """The one currency of a set of totals (the default when there are none), else None."""
    codes = {t["currency"] for t in totals}
    if not codes:
        return DEFAULT_CURRENCY
    return codes.pop() if len(codes) == 1 else None


def total_of(totals: list[dict[str, Any]]) -> str | None:
    """The single total when every deal is in one currency; None when they are mixed."""
    if single_currency(totals) is None:
        return None
    return money(sum((to_decimal(t["amount"]) for t in totals), Decimal(0)))


def format_total(artifact: dict[str, Any]) -> str:
    """A list's total in words: "$1,200", or "$1,200 + €300" when the currencies are mixed,
    followed by "(= $1,524 converted to USD)" when every currency has a rate."""
    if artifact.get("total_amount") is not None:
        return format_money(artifact["total_amount"], artifact.get("currency") or DEFAULT_CURRENCY)
    totals = artifact.get("totals_by_currency") or []
    text = " + ".join(format_money(t["amount"], t["currency"]) for t in totals) or "0"
    conv = artifact.get("converted_total")
    if conv:
        code = conv["currency"]
        text += f" (= {format_money(conv['amount'], code)} converted to {code})"
    return text
