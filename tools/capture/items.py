"""What every capture source produces: one conversation, cleaned, with its participants."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from tools.emails import normalize_email
from tools.models import ActivityKind

SUBJECT_LIMIT = 300


class CaptureError(ValueError):
    """Something that cannot be captured, said in words the user can act on."""


@dataclass(frozen=True)
class BadItem:
    """One message, event or file that could not be read: counted and named, never fatal."""

    source: str
    reason: str


@dataclass(frozen=True)
class Item:
    """One email, meeting or call ready to be matched and written.

    `key` makes it captured once (a Message-ID, an event's UID and start, a transcript's hash);
    `addresses` are every participant's email; `source` says where it came from.
    """

    key: str
    kind: ActivityKind
    occurred_at: datetime
    subject: str
    body: str
    addresses: tuple[str, ...]
    source: str
    attachments: tuple[str, ...] = field(default=())

    def stored_key(self) -> str:
        """The key as stored: short keys as they are, long ones hashed (255 characters)."""
        raw = f"{self.kind.value}:{self.key}"
        if len(raw) <= 200:
            return raw
        return f"{self.kind.value}:sha256:{hashlib.sha256(raw.encode()).hexdigest()}"

    def external_id(self) -> str:
        """The activity's external id: unique, so the same item is never two activities."""
        return capture_external_id(self.stored_key())

    def short_subject(self) -> str:
        subject = " ".join(self.subject.split()) or f"({self.kind.value})"
        return subject[:SUBJECT_LIMIT]


def clean_addresses(addresses: list[str]) -> tuple[str, ...]:
    """Normalized, de-duplicated addresses in first-seen order; non-addresses dropped."""
    seen: dict[str, None] = {}
    for address in addresses:
        key = normalize_email(address.strip().strip("<>").removeprefix("mailto:"))
        if "@" in key and key not in seen:
            seen[key] = None
    return tuple(seen)


def capture_external_id(stored_key: str) -> str:
    """A captured activity's external id, from its stored key (unique as the key is)."""
    return "capture:" + hashlib.sha256(stored_key.encode()).hexdigest()[:40]
