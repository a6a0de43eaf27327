"""`salesbot capture imap`: a mailbox folder synced incrementally, resumable and idempotent.

The folder's UIDVALIDITY and the highest UID captured are kept per mailbox; a run fetches only
UIDs above it, a chunk at a time, and moves the mark after each chunk is written. A new
UIDVALIDITY (the server renumbered the folder) starts over from UID 1, and Message-ID
de-duplication keeps that from capturing anything twice.
"""

from __future__ import annotations

import imaplib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from tools.capture.imap_state import get_sync_state, save_sync_state
from tools.capture.items import BadItem, CaptureError, Item
from tools.capture.mail import safe_item
from tools.capture.run import CaptureReport, capture_items
from tools.principal import Principal

CHUNK = 200  # messages per fetch and per high-water-mark step
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True

    @property
    def mailbox(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass
class ImapReport:
    fetched: int = 0
    last_uid: int = 0
    restarted: bool = False  # UIDVALIDITY changed: the folder was read again from the start
    capture: CaptureReport = field(default_factory=CaptureReport)


def sync_imap(
    sessions: sessionmaker[Session], principal: Principal, account: ImapAccount, *, now: datetime
) -> ImapReport:
    """Capture the folder's messages above the high-water mark; CaptureError when it can't."""
    try:
        with _connect(account) as client:
            return _sync(sessions, principal, account, client, now)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise CaptureError(f"IMAP {account.host}:{account.port}: {exc}") from exc


def _connect(account: ImapAccount) -> imaplib.IMAP4:
    cls = imaplib.IMAP4_SSL if account.ssl else imaplib.IMAP4
    client = cls(account.host, account.port, timeout=30)
    client.login(account.user, account.password)
    return client


def _sync(
    sessions: sessionmaker[Session],
    principal: Principal,
    account: ImapAccount,
    client: imaplib.IMAP4,
    now: datetime,
) -> ImapReport:
    status, data = client.select(_quoted(account.folder), readonly=True)
    if status != "OK":
        raise CaptureError(f"IMAP folder {account.folder!r} cannot be opened: {data!r}")
    uidvalidity = _uidvalidity(client, account.folder)
    with sessions() as session:
        state = get_sync_state(session, account.mailbox)
    report = ImapReport()
    last = state[1] if state and state[0] == uidvalidity else 0
    report.restarted = state is not None and state[0] != uidvalidity
    uids = [u for u in _search(client, last) if u > last]
    for start in range(0, len(uids), CHUNK):
        chunk = uids[start : start + CHUNK]
        items = list(_fetch(client, chunk, account.folder))
        report.fetched += len(items)
        _merge(report.capture, capture_items(sessions, principal, items, now=now))
        with sessions.begin() as session:  # moved only once the chunk is written
            save_sync_state(
                session, account.mailbox, uidvalidity=uidvalidity, last_uid=chunk[-1], now=now
            )
        last = chunk[-1]
    if state is None and not uids:
        with sessions.begin() as session:
            save_sync_state(session, account.mailbox, uidvalidity=uidvalidity, last_uid=0, now=now)
    report.last_uid = last
    return report


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uidvalidity(client: imaplib.IMAP4, folder: str) -> int:
    _, values = client.response("UIDVALIDITY")
    if values and values[0]:
        return int(values[0])
    _, data = client.status(_quoted(folder), "(UIDVALIDITY)")
    match = _UIDVALIDITY.search(data[0] if data and isinstance(data[0], bytes) else b"")
    if match is None:
        raise CaptureError("the IMAP server did not say the folder's UIDVALIDITY.")
    return int(match.group(1))


def _search(client: imaplib.IMAP4, last: int) -> list[int]:
    status, data = client.uid("SEARCH", f"UID {last + 1}:*")
    if status != "OK":
        raise CaptureError(f"IMAP search failed: {data!r}")
    return sorted(int(u) for u in (data[0] or b"").split())


def _fetch(client: imaplib.IMAP4, uids: list[int], folder: str) -> Iterator[Item | BadItem]:
    status, data = client.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
    if status != "OK":
        raise CaptureError(f"IMAP fetch failed: {data!r}")
    for part in data:
        if isinstance(part, tuple):
            yield safe_item(part[1], f"imap {folder}")


def _merge(total: CaptureReport, chunk: CaptureReport) -> None:
    total.activity_ids += chunk.activity_ids
    total.review_ids += chunk.review_ids
    total.internal += chunk.internal
    total.duplicates += chunk.duplicates
    total.bad += chunk.bad
    total.seconds += chunk.seconds
