"""The IMAP high-water mark of each synced folder: its UIDVALIDITY and the last UID captured."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import ImapSyncState
from tools.portable_sql import upsert_insert


def get_sync_state(session: Session, mailbox: str) -> tuple[int, int] | None:
    """(uidvalidity, last_uid) of `mailbox`, or None before its first sync."""
    row = session.execute(
        select(ImapSyncState.uidvalidity, ImapSyncState.last_uid).where(
            ImapSyncState.mailbox == mailbox
        )
    ).first()
    return (row[0], row[1]) if row else None


def save_sync_state(
    session: Session, mailbox: str, *, uidvalidity: int, last_uid: int, now: datetime
) -> None:
    """Record how far `mailbox` is captured (one row per mailbox, replaced)."""
    values = {"uidvalidity": uidvalidity, "last_uid": last_uid, "updated_at": now}
    session.execute(
        upsert_insert(session, ImapSyncState)
        .values(mailbox=mailbox, **values)
        .on_conflict_do_update(index_elements=["mailbox"], set_=values)
    )
