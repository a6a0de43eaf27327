"""The nudge ledger, and reading each user's nudge settings and snoozed items in bulk.

A delivery is claimed before it is sent and marked after. The unique key (user, local date,
kind) lets the database arbitrate between processes: whoever inserts the row, or takes over a
claim whose lease ran out, sends; everyone else does nothing. Settings and snoozes are written
(and audited) by `tools.crm.nudge_actions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tools.crm.nudge_actions import DEFAULT_WORKING_DAYS, parse_days
from tools.models import DeliveryStatus, NudgeDelivery, NudgeSettings, NudgeSnooze

# A failed delivery is tried again on later runs, up to this many attempts in all.
MAX_ATTEMPTS = 3


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _utc(at: datetime) -> datetime:
    # SQLite keeps no offset, so every stored timestamp must be UTC to compare as text.
    return at.astimezone(UTC)


def _key(user_id: int, local_date: date, kind: str) -> Any:
    return and_(
        NudgeDelivery.user_id == user_id,
        NudgeDelivery.local_date == local_date,
        NudgeDelivery.kind == kind,
    )


def claim_delivery(
    session: Session,
    user_id: int,
    local_date: date,
    kind: str,
    *,
    now: datetime,
    lease_seconds: float,
    token: str,
) -> bool:
    """Claim one delivery for `token`; True when this caller may send it.

    A new key is inserted (ON CONFLICT DO NOTHING). An existing row is taken over only by a
    conditional UPDATE: a claim whose lease expired (its process died) or a failure with
    attempts left. Both are single statements, so concurrent callers cannot both win.
    """
    now = _utc(now)
    inserted = session.scalar(
        _insert(session)(NudgeDelivery)
        .values(
            user_id=user_id,
            local_date=local_date,
            kind=kind,
            status=DeliveryStatus.CLAIMED,
            claimed_at=now,
            claim_token=token,
            attempts=1,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "local_date", "kind"])
        .returning(NudgeDelivery.id)
    )
    if inserted is not None:
        return True
    stale = now - timedelta(seconds=lease_seconds)
    takeover = or_(
        and_(NudgeDelivery.status == DeliveryStatus.CLAIMED, NudgeDelivery.claimed_at < stale),
        and_(NudgeDelivery.status == DeliveryStatus.FAILED, NudgeDelivery.attempts < MAX_ATTEMPTS),
    )
    result = session.execute(
        update(NudgeDelivery)
        .where(_key(user_id, local_date, kind), takeover)
        .values(
            status=DeliveryStatus.CLAIMED,
            claimed_at=now,
            claim_token=token,
            attempts=NudgeDelivery.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def get_delivery(
    session: Session, user_id: int, local_date: date, kind: str
) -> NudgeDelivery | None:
    """The ledger row for one key, if any."""
    return session.scalar(select(NudgeDelivery).where(_key(user_id, local_date, kind)))


def holds_claim(session: Session, user_id: int, local_date: date, kind: str, token: str) -> bool:
    """True while `token` still holds the claim (nobody took it over after a lease ran out)."""
    row = session.scalar(
        select(NudgeDelivery.id).where(
            _key(user_id, local_date, kind),
            NudgeDelivery.status == DeliveryStatus.CLAIMED,
            NudgeDelivery.claim_token == token,
        )
    )
    return row is not None


def _finish(
    session: Session,
    user_id: int,
    local_date: date,
    kind: str,
    token: str,
    **values: Any,
) -> bool:
    """Settle a claim held by `token`; False when someone else holds it now."""
    result = session.execute(
        update(NudgeDelivery)
        .where(
            _key(user_id, local_date, kind),
            NudgeDelivery.status == DeliveryStatus.CLAIMED,
            NudgeDelivery.claim_token == token,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(
    session: Session,
    user_id: int,
    local_date: date,
    kind: str,
    *,
    token: str,
    now: datetime,
    channel_id: str | None,
    message_ts: str | None,
    items: list[dict[str, Any]] | None = None,
) -> bool:
    """Record that the message went out, and where; False when the claim was lost."""
    return _finish(
        session,
        user_id,
        local_date,
        kind,
        token,
        status=DeliveryStatus.SENT,
        sent_at=_utc(now),
        channel_id=channel_id,
        message_ts=message_ts,
        items=items,
        error=None,
    )


def mark_skipped(
    session: Session, user_id: int, local_date: date, kind: str, *, token: str, reason: str
) -> bool:
    """Record that nothing was sent on purpose (nothing to say, no Slack user), and why."""
    return _finish(
        session, user_id, local_date, kind, token, status=DeliveryStatus.SKIPPED, error=reason
    )


def mark_failed(
    session: Session, user_id: int, local_date: date, kind: str, *, token: str, error: str
) -> bool:
    """Record a failed send; later runs retry it while attempts are left."""
    return _finish(
        session, user_id, local_date, kind, token, status=DeliveryStatus.FAILED, error=error[:2000]
    )


def list_settled_keys(
    session: Session, local_dates: Iterable[date], kinds: Iterable[str]
) -> set[tuple[int, date, str]]:
    """Keys on those dates that no run needs to look at again: sent, skipped, or given up."""
    done = or_(
        NudgeDelivery.status.in_([DeliveryStatus.SENT, DeliveryStatus.SKIPPED]),
        and_(
            NudgeDelivery.status == DeliveryStatus.FAILED,
            NudgeDelivery.attempts >= MAX_ATTEMPTS,
        ),
    )
    rows = session.execute(
        select(NudgeDelivery.user_id, NudgeDelivery.local_date, NudgeDelivery.kind).where(
            NudgeDelivery.local_date.in_(sorted(set(local_dates))),
            NudgeDelivery.kind.in_(sorted(set(kinds))),
            done,
        )
    ).all()
    return {(user_id, day, kind) for user_id, day, kind in rows}


def last_channel_ids(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """The DM channel of each user's latest delivered message (saves opening it again)."""
    latest = (
        select(func.max(NudgeDelivery.id))
        .where(
            NudgeDelivery.user_id.in_(sorted(set(user_ids))),
            NudgeDelivery.channel_id.is_not(None),
        )
        .group_by(NudgeDelivery.user_id)
    )
    rows = session.execute(
        select(NudgeDelivery.user_id, NudgeDelivery.channel_id).where(NudgeDelivery.id.in_(latest))
    ).all()
    return {user_id: channel for user_id, channel in rows if channel}


@dataclass(frozen=True)
class NudgePrefs:
    """A user's nudge settings; `send_time` None means the configured default."""

    send_time: str | None = None
    working_days: tuple[str, ...] = DEFAULT_WORKING_DAYS
    paused: bool = False


def _prefs(row: NudgeSettings) -> NudgePrefs:
    return NudgePrefs(row.send_time, tuple(parse_days(row.working_days)), bool(row.paused))


def get_nudge_prefs(session: Session, user_id: int) -> NudgePrefs:
    """The user's settings, or the defaults when they never changed them."""
    row = session.get(NudgeSettings, user_id)
    return _prefs(row) if row else NudgePrefs()


def list_nudge_prefs(session: Session, user_ids: Iterable[int]) -> dict[int, NudgePrefs]:
    """Settings of every user given who has changed them; absent users use the defaults."""
    rows = session.scalars(
        select(NudgeSettings).where(NudgeSettings.user_id.in_(sorted(set(user_ids))))
    ).all()
    return {row.user_id: _prefs(row) for row in rows}


def list_active_snoozes(session: Session, reps: Mapping[int, date]) -> dict[int, set[str]]:
    """Item keys each user has snoozed that are still hidden on their day in `reps`."""
    if not reps:
        return {}
    rows = session.execute(
        select(NudgeSnooze.user_id, NudgeSnooze.item_key, NudgeSnooze.until).where(
            NudgeSnooze.user_id.in_(sorted(reps)), NudgeSnooze.until > min(reps.values())
        )
    ).all()
    found: dict[int, set[str]] = {}
    for user_id, key, until in rows:
        if until > reps[user_id]:
            found.setdefault(user_id, set()).add(key)
    return found
