"""Meetings from `.ics` calendar files and exports, recurring events expanded, as `Item`s.

A meeting the capturing user declined, a cancelled one, and one not yet begun are left out;
attendees who declined are not participants.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from tools.capture.clean import clean_body
from tools.capture.items import CaptureError, Item, clean_addresses
from tools.emails import normalize_email
from tools.models import ActivityKind


@dataclass
class CalendarReader:
    """Reads events between `since` and `until` for the user at `me`; counts what it skips."""

    me: str
    since: datetime
    until: datetime
    declined: int = 0
    cancelled: int = 0

    def read(self, paths: list[Path]) -> Iterator[Item]:
        for path in paths:
            if not path.is_file():
                raise CaptureError(f"{path}: no such file.")
            try:
                calendar = icalendar.Calendar.from_ical(path.read_bytes())
            except ValueError as exc:
                raise CaptureError(f"{path}: not an iCalendar (.ics) file ({exc}).") from exc
            events = recurring_ical_events.of(calendar).between(self.since, self.until)
            for event in events:
                item = self._item(event, f"ics {path.name}")
                if item is not None:
                    yield item

    def _item(self, event: Any, source: str) -> Item | None:
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            self.cancelled += 1
            return None
        attendees = _attendees(event)
        if attendees.get(normalize_email(self.me)) == "DECLINED":
            self.declined += 1
            return None
        start = _aware(event.decoded("DTSTART"))
        if start > self.until:
            return None
        organizer = _address(event.get("ORGANIZER"))
        present = [a for a, status in attendees.items() if status != "DECLINED"]
        addresses = clean_addresses([organizer, *present] if organizer else present)
        summary = str(event.get("SUMMARY", "") or "Meeting")
        description = clean_body(str(event.get("DESCRIPTION", "") or ""))
        header = f"Meeting organized by {organizer or 'unknown'} with {', '.join(present)}."
        return Item(
            key=f"{event.get('UID', summary)}@{start.isoformat()}",
            kind=ActivityKind.MEETING,
            occurred_at=start,
            subject=summary,
            body=header + ("\n\n" + description if description else ""),
            addresses=addresses,
            source=source,
        )


def _address(value: Any) -> str:
    return str(value or "").removeprefix("mailto:").removeprefix("MAILTO:")


def _attendees(event: Any) -> dict[str, str]:
    found = event.get("ATTENDEE", [])
    values = found if isinstance(found, list) else [found]
    return {
        normalize_email(_address(v)): str(v.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
        for v in values
    }


def _aware(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):  # an all-day event: its day, at midnight UTC
        return datetime.combine(value, time(), UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
