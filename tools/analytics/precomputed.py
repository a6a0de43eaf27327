"""Analytics answers for large scopes, kept and refreshed in the background.

At a million deals an admin's `deal_risks` took 92 s on PostgreSQL, the forecast 31 s, the
pipeline review 3.5 s: nobody should wait that long in Slack. An answer that took at least
`slow_seconds` for a scope of at least `min_owners` owners (everyone counts) is kept in
`analytics_snapshots` under a key of the tool, its arguments, the scope, the reporting currency
and the day. The next asker of the same question over the same scope reads it, labelled with the
time it was computed, while it is younger than `minutes`; the scheduler recomputes the ones read
in the last `read_days` before they expire (tools/analytics/refresh.py). Small scopes, and any
answer computed quickly, are always computed live: a rep's or a manager's figures never wait on
a schedule.

The key holds the scope's owner ids, so an answer is only ever read by askers who may see
exactly that scope.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from tools.artifact_json import dumps, loads
from tools.artifacts import Artifact
from tools.models import AnalyticsSnapshot, User
from tools.portable_sql import upsert_insert
from tools.scope import AnalyticsScope

CLAIM_MINUTES = 30  # a refresh that died holds its snapshot no longer than this
READ_MARK = timedelta(hours=1)  # `read_at` is rewritten at most this often (reads stay reads)


@dataclass(frozen=True)
class SnapshotPolicy:
    minutes: float = 15.0  # ANALYTICS_SNAPSHOT_MINUTES; 0 computes everything live
    slow_seconds: float = 1.0
    min_owners: int = 100
    read_days: int = 7
    refresh: bool = False  # a refresh: compute and keep, never read

    def applies(self, scope: AnalyticsScope) -> bool:
        if self.minutes <= 0:
            return False
        return scope.owner_ids is None or len(scope.owner_ids) >= self.min_owners


_policy = SnapshotPolicy()


def configure(minutes: float) -> None:
    """The process's policy (bot/services.py, from ANALYTICS_SNAPSHOT_MINUTES)."""
    global _policy
    _policy = replace(_policy, minutes=minutes)


def current_policy() -> SnapshotPolicy:
    return _policy


@dataclass(frozen=True)
class Kept:
    artifact: Artifact
    computed_at: datetime


def snapshot_key(
    tool: str, args: dict[str, Any], scope: AnalyticsScope, currency: str, today: date
) -> str:
    owners = "all" if scope.owner_ids is None else sorted(scope.owner_ids)
    raw = json.dumps(
        [tool, args, owners, scope.data_owner_ids, scope.label, scope.note, currency, str(today)],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def read_kept(session: Session, key: str, now: datetime, policy: SnapshotPolicy) -> Kept | None:
    """The kept answer under `key` while younger than the policy's minutes, else None."""
    row = session.get(AnalyticsSnapshot, key)
    if row is None:
        return None
    computed = _aware(row.computed_at)
    if computed < now - timedelta(minutes=policy.minutes):
        return None
    if _aware(row.read_at) < now - READ_MARK:
        session.execute(
            update(AnalyticsSnapshot).where(AnalyticsSnapshot.key == key).values(read_at=now)
        )
        session.commit()
    return Kept(loads(row.artifact), computed)


def keep(
    session: Session,
    key: str,
    tool: str,
    args: dict[str, Any],
    user_id: int,
    artifact: Artifact,
    computed_at: datetime,
    millis: int,
) -> None:
    """Store (or replace) the answer under `key`; its refresh claim ends with it."""
    values = {
        "tool": tool,
        "args": json.dumps(args, sort_keys=True),
        "user_id": user_id,
        "artifact": dumps(artifact),
        "computed_at": computed_at,
        "millis": millis,
        "read_at": computed_at,
        "refreshing_until": None,
    }
    upsert = upsert_insert(session, AnalyticsSnapshot).values(key=key, **values)
    session.execute(upsert.on_conflict_do_update(index_elements=["key"], set_=values))
    session.commit()


@dataclass(frozen=True)
class Due:
    key: str
    tool: str
    args: dict[str, Any]
    user_id: int


def claim_due(session: Session, now: datetime, policy: SnapshotPolicy) -> list[Due]:
    """Kept answers read lately that expire within a quarter of their life, each claimed for
    this caller (another instance's claim is left alone), oldest first."""
    fresh_until = now - timedelta(minutes=policy.minutes * 0.75)
    s = AnalyticsSnapshot
    rows = session.execute(
        select(s.key, s.tool, s.args, s.user_id)
        .where(
            s.computed_at < fresh_until,
            s.read_at >= now - timedelta(days=policy.read_days),
            or_(s.refreshing_until.is_(None), s.refreshing_until < now),
        )
        .order_by(s.computed_at)
    ).all()
    claimed = []
    for key, tool, args, user_id in rows:
        won = session.execute(
            update(s)
            .where(s.key == key, or_(s.refreshing_until.is_(None), s.refreshing_until < now))
            .values(refreshing_until=now + timedelta(minutes=CLAIM_MINUTES))
        )
        session.commit()
        if won.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(Due(key, tool, json.loads(args), user_id))
    return claimed


def forget(session: Session, key: str, before: datetime) -> None:
    """Drop the answer under `key` unless it was computed since `before` (a refresh whose key
    moved on, to a new day or scope, leaves the old one behind)."""
    s = AnalyticsSnapshot
    session.execute(delete(s).where(s.key == key, s.computed_at < before))
    session.commit()


def prune(session: Session, now: datetime, policy: SnapshotPolicy) -> int:
    """Drop answers nobody has read in `read_days`."""
    s = AnalyticsSnapshot
    done = session.execute(delete(s).where(s.read_at < now - timedelta(days=policy.read_days)))
    session.commit()
    return int(done.rowcount)  # type: ignore[attr-defined]


def listing(session: Session) -> list[dict[str, Any]]:
    """Every kept answer, for `salesbot snapshots list`: the question, who first asked, when it
    was computed, how long that took, when it was last read (times in UTC, ISO)."""
    s = AnalyticsSnapshot
    rows = session.execute(
        select(s, User.name)
        .join(User, User.id == s.user_id, isouter=True)
        .order_by(s.tool, s.computed_at)
    ).all()
    return [
        {
            "tool": snap.tool,
            "args": json.loads(snap.args),
            "user_id": snap.user_id,
            "user": name or f"user {snap.user_id}",
            "computed_at": _iso(snap.computed_at),
            "millis": snap.millis,
            "read_at": _iso(snap.read_at),
            "refreshing": snap.refreshing_until is not None,
        }
        for snap, name in rows
    ]


def clear(session: Session) -> int:
    """Drop every kept answer (after a bulk import, say): the next askers compute live."""
    done = session.execute(delete(AnalyticsSnapshot))
    session.commit()
    return int(done.rowcount)  # type: ignore[attr-defined]


def _iso(value: datetime) -> str:
    return _aware(value).astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _aware(value: datetime) -> datetime:
    # SQLite hands timestamps back naive; they are stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
