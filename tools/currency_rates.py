"""Exchange rates into `currency_rates`: set by hand, or loaded from exports.

Sources: Salesforce `CurrencyType.csv` (undated rates from the corporate currency, `IsCorporate`
marks it) and `DatedConversionRate.csv` (rates from the corporate currency by `StartDate`), a
generic rates CSV (`from,to,rate[,valid_from]`), or `salesbot currency set EUR 1.08`.
Loading is an upsert on (from, to, valid_from): the same file twice changes nothing, and each
load that changes something writes one `audit_log` row. Conversion itself is
tools/crm/currency.py; this module only stores rates.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.currency import to_rate
from tools.importers.values import ValueProblem, parse_date
from tools.models import AuditLog, AuditSurface, CurrencyRate

CODE = re.compile(r"^[A-Za-z]{3}$")


class RatesFailed(Exception):
    """A rates file or value that cannot be used; the message says why and where."""


@dataclass
class RatesLoaded:
    """What one load did: rates added, changed and already as given."""

    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    corporate: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated

    def summary(self) -> str:
        return f"{self.added} added, {self.updated} changed, {self.unchanged} unchanged"


def currency_code(text: str, what: str = "currency") -> str:
    """A three-letter ISO code, upper-cased; anything else is RatesFailed."""
    code = text.strip().upper()
    if not CODE.match(code):
        raise RatesFailed(f"{what} {text!r} is not a three-letter currency code such as USD.")
    return code


def parse_rate(text: str) -> Decimal:
    """A positive rate: `1.08`, `17.25`, `0,0588` (decimal comma)."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RatesFailed(f"{text!r} is not a rate (a positive number such as 1.08).") from None
    if not value.is_finite() or value <= 0:
        raise RatesFailed(f"{text!r} is not a rate (a positive number such as 1.08).")
    return value


def set_rate(
    session: Session,
    from_currency: str,
    to_currency: str,
    rate: Decimal,
    *,
    valid_from: date | None = None,
    source: str = "cli",
    loaded: RatesLoaded | None = None,
    now: datetime | None = None,
) -> str:
    """Store 1 `from_currency` = `rate` `to_currency` (from `valid_from`, or undated).

    Returns "added", "updated" or "unchanged"; counted into `loaded` when given.
    """
    src, dst = currency_code(from_currency), currency_code(to_currency)
    if src == dst:
        raise RatesFailed(f"A rate from {src} to itself is always 1; nothing to store.")
    r = CurrencyRate
    on = r.valid_from.is_(None) if valid_from is None else r.valid_from == valid_from
    row = session.scalars(
        select(r).where(r.from_currency == src, r.to_currency == dst, on).order_by(r.id)
    ).first()
    when = now or datetime.now(UTC)
    if row is None:
        session.add(CurrencyRate(
            from_currency=src, to_currency=dst, rate=rate, valid_from=valid_from,
            source=source, updated_at=when,
        ))  # fmt: skip
        outcome, before = "added", None
    elif to_rate(row.rate) == rate:
        outcome, before = "unchanged", None
    else:
        before = str(to_rate(row.rate))
        row.rate, row.source, row.updated_at = rate, source, when
        outcome = "updated"
    if loaded is not None:
        setattr(loaded, outcome, getattr(loaded, outcome) + 1)
        if outcome != "unchanged":
            loaded.changes.append(_change(src, dst, valid_from, before, rate))
    return outcome


def _change(
    src: str, dst: str, valid_from: date | None, before: str | None, rate: Decimal
) -> dict[str, Any]:
    return {
        "pair": f"{src}/{dst}",
        "valid_from": valid_from.isoformat() if valid_from else None,
        "before": before,
        "after": str(rate),
    }


def audit_rates(session: Session, loaded: RatesLoaded, *, actor_id: int | None = None) -> None:
    """One audit row for a load that changed something (up to 50 changes listed)."""
    if not loaded.changed:
        return
    now = datetime.now(UTC)
    session.add(AuditLog(
        actor_id=actor_id, action="set_rates", entity="currency_rates",
        entity_id=loaded.source[:64], before=None,
        after={"summary": loaded.summary(), "changes": loaded.changes[:50]},
        surface=AuditSurface.CLI if loaded.source == "cli" else AuditSurface.IMPORT,
        created_at=now,
    ))  # fmt: skip


# --- files ---------------------------------------------------------------------------------


def read_table(path: Path) -> list[dict[str, str]]:
    """A CSV as rows keyed by normalised header (lowercase letters and digits only)."""
    text = _decoded(path)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=max(",;\t", key=first.count))
    lines = [cells for cells in reader if any(c.strip() for c in cells)]
    if not lines:
        raise RatesFailed(f"{path} is empty: expected a header row and rate rows.")
    header = [_key(h) for h in lines[0]]
    return [dict(zip(header, (c.strip() for c in cells), strict=False)) for cells in lines[1:]]


def _decoded(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RatesFailed(f"Cannot read {path}: {exc.strerror or exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Salesforce's Latin-1 exports


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _need(rows: list[dict[str, str]], path: Path, *keys: str) -> None:
    have = set(rows[0]) if rows else set()
    missing = [k for k in keys if k not in have]
    if not rows:
        raise RatesFailed(f"{path} has a header but no rate rows.")
    if missing:
        raise RatesFailed(f"{path} has no {', '.join(missing)} column: is it the right file?")


def _cell(row: dict[str, str], key: str, path: Path, number: int) -> str:
    value = row.get(key, "")
    if not value:
        raise RatesFailed(f"{path.name}, row {number}: {key} is empty.")
    return value


def _in_row(path: Path, number: int, call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except (RatesFailed, ValueProblem) as exc:
        raise RatesFailed(f"{path.name}, row {number}: {exc}") from None


def import_currency_types(session: Session, path: Path) -> RatesLoaded:
    """Salesforce `CurrencyType.csv`: `IsoCode`, `ConversionRate`, `IsCorporate`, `IsActive`.

    Each rate is 1 corporate = ConversionRate IsoCode, stored undated.
    """
    rows = read_table(path)
    _need(rows, path, "isocode", "conversionrate", "iscorporate")
    corporate = [r["isocode"] for r in rows if _true(r.get("iscorporate", ""))]
    if len(corporate) != 1:
        raise RatesFailed(
            f"{path}: expected one corporate currency (IsCorporate), found {len(corporate)}."
        )
    base = currency_code(corporate[0], "IsoCode")
    loaded = RatesLoaded(source=f"salesforce:{path.name}", corporate=base)
    for number, row in enumerate(rows, 2):
        code = _in_row(path, number, currency_code, _cell(row, "isocode", path, number), "IsoCode")
        if code == base:
            continue
        rate = _in_row(path, number, parse_rate, _cell(row, "conversionrate", path, number))
        set_rate(session, base, code, rate, source="salesforce", loaded=loaded)
    audit_rates(session, loaded)
    return loaded


def import_dated_rates(session: Session, path: Path, corporate: str | None = None) -> RatesLoaded:
    """Salesforce `DatedConversionRate.csv`: `IsoCode`, `ConversionRate`, `StartDate`.

    Each rate is 1 corporate = ConversionRate IsoCode from StartDate. The corporate currency is
    `corporate`, else the one of a CurrencyType import stored before.
    """
    rows = read_table(path)
    _need(rows, path, "isocode", "conversionrate", "startdate")
    base = (
        currency_code(corporate, "corporate currency")
        if corporate
        else _stored_corporate(session, path)
    )
    loaded = RatesLoaded(source=f"salesforce:{path.name}", corporate=base)
    for number, row in enumerate(rows, 2):
        code = _in_row(path, number, currency_code, _cell(row, "isocode", path, number), "IsoCode")
        if code == base:
            continue
        rate = _in_row(path, number, parse_rate, _cell(row, "conversionrate", path, number))
        start = _in_row(path, number, parse_date, _cell(row, "startdate", path, number))
        set_rate(session, base, code, rate, valid_from=start, source="salesforce", loaded=loaded)
    audit_rates(session, loaded)
    return loaded


def _stored_corporate(session: Session, path: Path) -> str:
    r = CurrencyRate
    found = session.scalars(
        select(r.from_currency).where(r.source == "salesforce", r.valid_from.is_(None)).distinct()
    ).all()
    if len(found) != 1:
        raise RatesFailed(
            f"{path}: DatedConversionRate has no corporate currency; import CurrencyType.csv "
            "first (or give it with --corporate USD)."
        )
    return found[0]


def import_rates_csv(session: Session, path: Path) -> RatesLoaded:
    """A generic rates CSV: `from`, `to`, `rate` (1 from = rate to), optional `valid_from`."""
    rows = read_table(path)
    _need(rows, path, "from", "to", "rate")
    loaded = RatesLoaded(source=f"csv:{path.name}")
    for number, row in enumerate(rows, 2):
        src = _in_row(path, number, currency_code, _cell(row, "from", path, number), "from")
        dst = _in_row(path, number, currency_code, _cell(row, "to", path, number), "to")
        rate = _in_row(path, number, parse_rate, _cell(row, "rate", path, number))
        text = row.get("validfrom", "")
        start = _in_row(path, number, parse_date, text) if text else None
        kw = {"valid_from": start, "source": "csv", "loaded": loaded}
        _in_row(path, number, set_rate, session, src, dst, rate, **kw)
    audit_rates(session, loaded)
    return loaded


def import_rates(session: Session, path: Path) -> RatesLoaded:
    """Any of the three rate files, told apart by their header."""
    rows = read_table(path)
    keys = set(rows[0]) if rows else set()
    if {"isocode", "startdate"} <= keys:
        return import_dated_rates(session, path)
    if {"isocode", "iscorporate"} <= keys:
        return import_currency_types(session, path)
    if {"from", "to", "rate"} <= keys:
        return import_rates_csv(session, path)
    raise RatesFailed(
        f"{path} is not a rates file: expected Salesforce CurrencyType.csv (IsoCode, "
        "ConversionRate, IsCorporate), DatedConversionRate.csv (IsoCode, ConversionRate, "
        "StartDate) or a CSV with from,to,rate[,valid_from] columns."
    )


def _true(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "y"}


def list_rates(session: Session) -> list[dict[str, Any]]:
    """Every stored rate: pair, valid from, rate and source."""
    r = CurrencyRate
    rows = session.scalars(
        select(r).order_by(
            r.from_currency, r.to_currency, r.valid_from.is_(None).desc(), r.valid_from
        )
    ).all()
    return [
        {
            "from": x.from_currency,
            "to": x.to_currency,
            "rate": str(to_rate(x.rate).normalize()),
            "valid_from": x.valid_from.isoformat() if x.valid_from else None,
            "source": x.source,
        }
        for x in rows
    ]
