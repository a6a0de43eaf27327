"""Emails from `.eml` files and `.mbox` archives (Gmail Takeout, Thunderbird) as `Item`s."""

from __future__ import annotations

import email
import hashlib
import mailbox
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from tools.capture.clean import clean_body, html_to_text
from tools.capture.items import BadItem, CaptureError, Item, clean_addresses
from tools.models import ActivityKind

ADDRESS_HEADERS = ("from", "to", "cc", "reply-to")
MAIL_SUFFIXES = (".eml", ".mbox", "")  # Thunderbird's folders have no suffix


def read_mail_paths(paths: list[Path]) -> Iterator[Item | BadItem]:
    """Every message of every file, in order; CaptureError names a missing or unreadable file,
    a message that cannot be read is a BadItem."""
    for path in paths:
        if not path.is_file():
            raise CaptureError(f"{path}: no such file.")
        if path.suffix.lower() == ".eml":
            yield safe_item(path.read_bytes(), f"eml {path.name}")
        elif path.suffix.lower() == ".mbox" or _looks_like_mbox(path):
            yield from _mbox(path)
        else:
            raise CaptureError(f"{path}: not an .eml file or an mbox archive.")


def _looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def safe_item(raw: bytes, source: str) -> Item | BadItem:
    try:
        return item_from_bytes(raw, source=source)
    except CaptureError as exc:
        return BadItem(source, str(exc))


def _mbox(path: Path) -> Iterator[Item | BadItem]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for key in box.iterkeys():
            yield safe_item(box.get_bytes(key), f"mbox {path.name}")
    finally:
        box.close()


def item_from_bytes(raw: bytes, *, source: str) -> Item:
    """One message as an Item: participants, date, subject, cleaned text, attachment names."""
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text, attachments = _content(message)
    subject = str(message.get("subject") or "")
    addresses = clean_addresses([a for _, a in getaddresses(_headers(message))])
    return Item(
        key=_message_key(message, raw),
        kind=ActivityKind.EMAIL,
        occurred_at=_date(message),
        subject=subject,
        body=_with_header(message, clean_body(text), attachments),
        addresses=addresses,
        source=source,
        attachments=attachments,
    )


def _headers(message: Message) -> list[str]:
    values: list[str] = []
    for name in ADDRESS_HEADERS:
        values += [str(v) for v in message.get_all(name, [])]
    return values


def _message_key(message: Message, raw: bytes) -> str:
    message_id = str(message.get("message-id") or "").strip().strip("<>").strip()
    if message_id:
        return message_id.lower()
    # No Message-ID: the same bytes are the same message.
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _date(message: Message) -> datetime:
    value = message.get("date")
    try:
        when = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        when = None
    if when is None:
        raise CaptureError(f"message {message.get('message-id', '')!s} has no readable Date.")
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _content(message: EmailMessage) -> tuple[str, tuple[str, ...]]:
    """The plain text (or HTML made text) and the names of the attachments, never their data."""
    names = tuple(
        part.get_filename() or part.get_content_type()
        for part in message.iter_attachments()
        if isinstance(part, EmailMessage)
    )
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", names
    try:
        content = body.get_content()
    except (LookupError, ValueError):  # an unknown charset: keep what decodes
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    text = str(content)
    if body.get_content_subtype() == "html":
        text = html_to_text(text)
    return text, names


def _with_header(message: Message, text: str, attachments: tuple[str, ...]) -> str:
    """The stored body: who wrote to whom first (the item's source), then the text."""
    sender = ", ".join(a for _, a in getaddresses([str(message.get("from") or "")]))
    to = ", ".join(a for _, a in getaddresses([str(v) for v in message.get_all("to", [])]))
    lines = [f"Email from {sender or 'unknown'} to {to or 'unknown'}."]
    if attachments:
        lines.append(
            "Attachments (named only, contents not indexed): " + ", ".join(attachments) + "."
        )
    return "\n".join(lines) + ("\n\n" + text if text else "")
