"""Confirm, cancel and undo a proposed write: once each, by its proposer only, audited.

The status moves by a conditional UPDATE (proposed -> applied, applied -> undone), so a
confirmation delivered twice, or two clicks at once, change the CRM once. The change, its
history rows and its audit row commit in the same transaction as the status.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from tools.artifacts import WriteProposalArtifact
from tools.audit import record_audit
from tools.interactions import InteractionIndex
from tools.models import AuditSurface, PendingWrite, WriteStatus
from tools.principal import Principal
from tools.writes.apply import WriteConflictError, apply_write, revert_write
from tools.writes.artifact import aware, proposal_artifact
from tools.writes.propose import PROPOSAL_TTL
from tools.writes.search_index import index_activity, unindex_activity

log = logging.getLogger(__name__)
UNDO_WINDOW = timedelta(minutes=10)
AUDIT_ACTIONS = {
    "update_deal": "deal.update",
    "log_interaction": "activity.log",
    "create_task": "task.create",
}


class Outcome(enum.StrEnum):
    APPLIED = "applied"
    ALREADY_APPLIED = "already_applied"
    CANCELLED = "cancelled"
    UNDONE = "undone"
    NOT_FOUND = "not_found"
    NOT_YOURS = "not_yours"
    EXPIRED = "expired"
    UNDO_EXPIRED = "undo_expired"
    CONFLICT = "conflict"
    CLOSED = "closed"  # cancelled, undone or expired before this click
    EDITED = "edited"
    INVALID = "invalid"


MESSAGES = {
    Outcome.ALREADY_APPLIED: "This change was already saved.",
    Outcome.NOT_FOUND: "I can't find that proposal any more.",
    Outcome.NOT_YOURS: "Only the person who asked for this change can confirm, edit or undo it.",
    Outcome.EXPIRED: "This proposal expired. Ask me again and I'll propose it afresh.",
    Outcome.UNDO_EXPIRED: "Undo is only possible for 10 minutes after saving; that time is up.",
    Outcome.CLOSED: "This proposal is closed (cancelled, undone or expired); nothing was changed.",
}


@dataclass
class WriteOutcome:
    """What happened, the card to show now, and a sentence for the user when it was refused."""

    outcome: Outcome
    artifact: WriteProposalArtifact | None = None
    message: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.APPLIED, Outcome.CANCELLED, Outcome.UNDONE, Outcome.EDITED)


def confirm_write(
    sessions: sessionmaker[Session],
    write_id: str,
    principal: Principal,
    request_key: str,
    *,
    now: datetime,
    surface: AuditSurface,
    index: InteractionIndex | None = None,
) -> WriteOutcome:
    """Apply a proposal once; a repeat of the same confirmation reports it already saved."""
    try:
        with sessions.begin() as session:
            row, refused = load_for(session, write_id, principal, WriteStatus.PROPOSED)
            if refused is not None:
                return refused
            if now - (aware(row.created_at) or now) > PROPOSAL_TTL:
                _move(session, row, WriteStatus.PROPOSED, WriteStatus.EXPIRED, now)
                return refused_outcome(Outcome.EXPIRED, row)
            if not _move(session, row, WriteStatus.PROPOSED, WriteStatus.APPLIED, now, surface):
                return refused_outcome(Outcome.ALREADY_APPLIED, row)
            row.result = apply_write(session, row, principal, now=now)
            _audit(session, row, principal, now, request_key, surface, undo=False)
            artifact = proposal_artifact(row)
    except WriteConflictError as exc:
        return WriteOutcome(Outcome.CONFLICT, message=_conflict(exc))
    outcome = WriteOutcome(Outcome.APPLIED, artifact)
    activity_id = (artifact.get("result") or {}).get("activity_id")
    if (
        activity_id is not None
        and index is not None
        and not index_activity(sessions, index, activity_id)
    ):
        outcome.warnings.append(
            "Saved, but the search index could not be updated; `salesbot index` adds it."
        )
    return outcome


def undo_write(
    sessions: sessionmaker[Session],
    write_id: str,
    principal: Principal,
    request_key: str,
    *,
    now: datetime,
    surface: AuditSurface,
    index: InteractionIndex | None = None,
) -> WriteOutcome:
    """Put things back as they were, within UNDO_WINDOW of saving, once."""
    try:
        with sessions.begin() as session:
            row, refused = load_for(session, write_id, principal, WriteStatus.APPLIED)
            if refused is not None:
                return refused
            if now > (aware(row.undo_until) or now):
                return refused_outcome(Outcome.UNDO_EXPIRED, row)
            if not _move(session, row, WriteStatus.APPLIED, WriteStatus.UNDONE, now):
                return refused_outcome(Outcome.CLOSED, row)
            revert_write(session, row, principal, now=now)
            _audit(session, row, principal, now, request_key, surface, undo=True)
            artifact = proposal_artifact(row)
    except WriteConflictError as exc:
        return WriteOutcome(Outcome.CONFLICT, message=_conflict(exc, undo=True))
    activity_id = (artifact.get("result") or {}).get("activity_id")
    if activity_id is not None and index is not None:
        unindex_activity(index, activity_id)
    return WriteOutcome(Outcome.UNDONE, artifact)


def cancel_write(
    sessions: sessionmaker[Session], write_id: str, principal: Principal, *, now: datetime
) -> WriteOutcome:
    """Drop a proposal; nothing was written, so there is nothing to audit."""
    with sessions.begin() as session:
        row, refused = load_for(session, write_id, principal, WriteStatus.PROPOSED)
        if refused is not None:
            # A second Cancel (a retry, a double click) says the same as the first.
            return _cancelled(row) if row.status == WriteStatus.CANCELLED else refused
        if not _move(session, row, WriteStatus.PROPOSED, WriteStatus.CANCELLED, now):
            return refused_outcome(Outcome.ALREADY_APPLIED, row)
        return _cancelled(row)


def get_write(
    sessions: sessionmaker[Session], write_id: str, principal: Principal
) -> PendingWrite | None:
    """The principal's own pending write, or None (someone else's reads as missing)."""
    with sessions() as session:
        row = session.get(PendingWrite, write_id)
        if row is None or row.actor_id != principal.user_id:
            return None
        session.expunge(row)
        return row


def load_for(
    session: Session, write_id: str, principal: Principal, wanted: WriteStatus
) -> tuple[PendingWrite, WriteOutcome | None]:
    row = session.get(PendingWrite, write_id) if write_id else None
    if row is None:
        return PendingWrite(), WriteOutcome(Outcome.NOT_FOUND, message=MESSAGES[Outcome.NOT_FOUND])
    if row.actor_id != principal.user_id:
        return row, WriteOutcome(Outcome.NOT_YOURS, message=MESSAGES[Outcome.NOT_YOURS])
    if row.status == wanted:
        return row, None
    if row.status == WriteStatus.APPLIED:
        return row, refused_outcome(Outcome.ALREADY_APPLIED, row)
    if row.status == WriteStatus.EXPIRED:
        return row, refused_outcome(Outcome.EXPIRED, row)
    return row, refused_outcome(Outcome.CLOSED, row)


def _move(
    session: Session,
    row: PendingWrite,
    old: WriteStatus,
    new: WriteStatus,
    now: datetime,
    surface: AuditSurface | None = None,
) -> bool:
    """The one conditional UPDATE that lets exactly one of several deliveries through."""
    values: dict[str, Any] = {"status": new, "decided_at": now}
    if new == WriteStatus.APPLIED:
        values["undo_until"] = now + UNDO_WINDOW
        values["surface"] = surface
    moved = session.execute(
        update(PendingWrite)
        .where(PendingWrite.id == row.id, PendingWrite.status == old)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(row)
    return True


def _audit(
    session: Session,
    row: PendingWrite,
    principal: Principal,
    now: datetime,
    request_key: str,
    surface: AuditSurface,
    *,
    undo: bool,
) -> None:
    after = dict(proposal_artifact(row)["after"])
    before = row.before
    entity_id = row.entity_id or next(iter((row.result or {}).values()), "")
    record_audit(
        session,
        principal,
        action=AUDIT_ACTIONS.get(row.action, row.action) + (".undo" if undo else ""),
        entity=row.entity,
        entity_id=entity_id,
        change=(after, before) if undo else (before, after),
        now=now,
        request_key=f"{request_key}:{row.id}"[:255],
        surface=surface,
    )


def refused_outcome(outcome: Outcome, row: PendingWrite) -> WriteOutcome:
    return WriteOutcome(outcome, proposal_artifact(row), MESSAGES.get(outcome))


def _cancelled(row: PendingWrite) -> WriteOutcome:
    return WriteOutcome(Outcome.CANCELLED, proposal_artifact(row))


def _conflict(exc: WriteConflictError, *, undo: bool = False) -> str:
    what = "undone" if undo else "saved"
    return f"Nothing was {what}: {exc}. Ask me again to see the current values."
