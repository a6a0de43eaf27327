"""Cell values as CRM exports write them: dates, amounts, booleans, owners, HTML bodies."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%m/%d/%y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%H:%M:%S.%f")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"<(?:/?[a-zA-Z][^<>]*|!--.*?--)>", re.S)
_SPACES = re.compile(r"[^\S\n]+")  # any blank but a line break, the no-break space too


class ValueProblem(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def parse_datetime(text: str) -> datetime:
    """A timestamp in UTC from ISO 8601, `YYYY-MM-DD HH:MM`, US dates or epoch milliseconds.

    Exports without an offset are taken as UTC; slashed dates are month first (the US default
    of both HubSpot and Salesforce) unless the first number cannot be a month.
    """
    text = text.strip()
    if text.isdigit() and len(text) >= 12:
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    iso = text.replace("Z", "+00:00")
    if len(iso) > 5 and iso[-5] in "+-" and iso[-4:].isdigit() and ":" not in iso[-5:]:
        iso = f"{iso[:-2]}:{iso[-2:]}"  # Salesforce writes +0000
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = _with_formats(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _with_formats(text: str) -> datetime:
    day_part, _, time_part = text.partition(" ")
    day = _day(day_part)
    if day is None:
        raise ValueProblem(f"{text!r} is not a date and time (use YYYY-MM-DD HH:MM)")
    if not time_part:
        return datetime(day.year, day.month, day.day)
    for fmt in _TIME_FORMATS:
        try:
            clock = datetime.strptime(time_part.strip().upper(), fmt).time()
        except ValueError:
            continue
        return datetime.combine(day, clock)
    raise ValueProblem(f"{text!r} is not a date and time (use YYYY-MM-DD HH:MM)")


def parse_date(text: str) -> date:
    """A calendar day from the usual export formats; a timestamp keeps the date it shows."""
    text = text.strip()
    for candidate in dict.fromkeys((text, text.split(" ", 1)[0], text.split("T", 1)[0])):
        day = _day(candidate)
        if day is not None:
            return day
    raise ValueProblem(f"{text!r} is not a date (use YYYY-MM-DD or MM/DD/YYYY)")


def _day(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_amount(text: str) -> Decimal:
    """A money amount: currency signs and thousands separators allowed, `1.234,50` too."""
    # Currency signs, codes and grouping spaces go; any other letter means it is not an amount.
    cleaned = re.sub(r"^[A-Za-z]{3}(?=[\s\d$€£¥-])|(?<=[\s\d])[A-Za-z]{3}$", "", text.strip())
    cleaned = re.sub(r"[\s$€£¥'’]", "", cleaned)
    if not re.fullmatch(r"-?[\d,.]*\d[\d,.]*", cleaned):
        raise ValueProblem(f"{text!r} is not an amount")
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        head, _, tail = cleaned.rpartition(",")
        cleaned = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueProblem(f"{text!r} is not an amount") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueProblem(f"{text!r} is not an amount")
    return value.quantize(Decimal("0.01"))


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"true", "1", "yes", "y", "t"}:
        return True
    if value in {"false", "0", "no", "n", "f", ""}:
        return False
    raise ValueProblem(f"{text!r} is not true or false")


def email_in(text: str) -> str | None:
    """The email address inside an owner cell ("Dana Lee (dana@x.com)" or just the address)."""
    match = _EMAIL.search(text)
    return match.group(0).lower() if match else None


def plain_text(text: str) -> str:
    """HubSpot stores notes and emails as HTML; the search index wants the words."""
    if "<" not in text:
        return text.strip()
    text = re.sub(r"<(br|/p|/div|/li)\b[^>]*>", "\n", text, flags=re.I)
    text = html.unescape(_TAG.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def clip(text: str, length: int) -> str:
    """Cut to the column's length; PostgreSQL would refuse a longer value."""
    return text if len(text) <= length else text[: length - 1] + "…"
