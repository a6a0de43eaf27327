"""Editing a proposal before it is confirmed: the new values are checked like the first ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tools.models import Account, Contact, Deal, PendingWrite, WriteStatus
from tools.principal import Principal
from tools.writes.artifact import proposal_artifact
from tools.writes.confirm import Outcome, WriteOutcome, load_for
from tools.writes.propose import (
    Draft,
    draft_deal_update,
    draft_interaction,
    draft_task,
    scoped_payload,
)
from tools.writes.resolve import deal_in_scope
from tools.writes.values import InvalidValueError


def edit_write(
    sessions: sessionmaker[Session],
    write_id: str,
    principal: Principal,
    values: dict[str, Any],
    *,
    today: date,
) -> WriteOutcome:
    """Replace a proposal's values (`values` holds every editable field, as typed)."""
    with sessions.begin() as session:
        row, refused = load_for(session, write_id, principal, WriteStatus.PROPOSED)
        if refused is not None:
            return refused
        try:
            draft = _redraft(session, row, principal, values, today)
        except InvalidValueError as exc:
            return WriteOutcome(Outcome.INVALID, proposal_artifact(row), str(exc))
        row.payload, row.before = scoped_payload(principal, draft.payload), draft.before
        session.flush()
        return WriteOutcome(Outcome.EDITED, proposal_artifact(row))


def editable_values(row: PendingWrite) -> dict[str, Any]:
    """What the Edit modal starts with: the proposal's values as they stand."""
    p: dict[str, Any] = row.payload
    if row.action == "update_deal":
        return {**p.get("current", {}), **(row.before or {}), **p["changes"]}
    if row.action == "log_interaction":
        return {k: p.get(k) for k in ("kind", "occurred_on", "text")}
    return {k: p.get(k) for k in ("title", "due_date")}


def _redraft(
    session: Session,
    row: PendingWrite,
    principal: Principal,
    values: dict[str, Any],
    today: date,
) -> Draft:
    p: dict[str, Any] = row.payload
    deal = session.get(Deal, p["deal_id"]) if p.get("deal_id") else None
    if deal is not None and not deal_in_scope(session, principal, deal.id):
        raise InvalidValueError("That deal is no longer in your book.")
    if row.action == "update_deal" and deal is not None:
        return draft_deal_update(
            deal,
            today=today,
            stage=values.get("stage"),
            amount=values.get("amount"),
            close_date=values.get("close_date"),
            next_step=values.get("next_step"),
        )
    if row.action == "log_interaction":
        account = session.get(Account, p["account_id"])
        contact = session.get(Contact, p["contact_id"]) if p.get("contact_id") else None
        if account is None:
            raise InvalidValueError("That account no longer exists.")
        return draft_interaction(
            account,
            today=today,
            kind=values.get("kind"),
            text=str(values.get("text") or ""),
            deal=deal,
            contact=contact,
            when=values.get("occurred_on"),
            link=p.get("link"),
        )
    return draft_task(
        principal,
        today=today,
        title=str(values.get("title") or ""),
        due=str(values.get("due_date") or ""),
        deal=deal,
    )
