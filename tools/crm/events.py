"""Exactly-once bookkeeping for inbound events and the threads the bot takes part in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tools.models import AnsweredThread, ProcessedEvent


def claim_event(
    session: Session, key: str, *, now: datetime, lock_wait_ms: int | None = None
) -> bool:
    """Record `key`; True for the first claim, False for every repeat, across processes.

    INSERT ... ON CONFLICT DO NOTHING lets the database arbitrate, so two instances that
    receive the same retry at once cannot both win. `lock_wait_ms` bounds how long PostgreSQL
    waits for a lock held by someone else (it would wait forever); SQLite's wait is the
    engine's busy timeout (tools/db.py).
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres and lock_wait_ms is not None:
        # SET LOCAL: this transaction only, so pooled connections keep their defaults.
        session.execute(text(f"SET LOCAL lock_timeout = {int(lock_wait_ms)}"))
    insert = pg_insert if postgres else sqlite_insert
    claimed = session.scalar(
        insert(ProcessedEvent)
        .values(key=key[:255], received_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(ProcessedEvent.key)
    )
    return claimed is not None


def mark_thread_answered(
    session: Session, channel_id: str, thread_ts: str, *, now: datetime
) -> None:
    """Remember a thread the bot answered in (idempotent)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(AnsweredThread)
        .values(channel_id=channel_id, thread_ts=thread_ts, created_at=now)
        .on_conflict_do_nothing(index_elements=["channel_id", "thread_ts"])
    )


def is_answered_thread(session: Session, channel_id: str, thread_ts: str) -> bool:
    return (
        session.scalar(
            select(AnsweredThread.thread_ts).where(
                AnsweredThread.channel_id == channel_id, AnsweredThread.thread_ts == thread_ts
            )
        )
        is not None
    )
