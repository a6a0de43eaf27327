"""Turning a request into a proposed write: checked values, the before values, a stored row.

Nothing here changes the CRM; it only stores a `pending_writes` row that the proposer may
confirm, edit or cancel.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tools.crm.money import money
from tools.models import (
    Account,
    AuditSurface,
    Contact,
    Deal,
    PendingWrite,
    WriteStatus,
)
from tools.periods import EARLIEST, LATEST
from tools.principal import Principal
from tools.writes.dates import parse_when
from tools.writes.values import (
    MAX_NEXT_STEP,
    MAX_TEXT,
    MAX_TITLE,
    InvalidValueError,
    clean_text,
    parse_amount,
    parse_kind,
    parse_stage,
)

PROPOSAL_TTL = timedelta(hours=24)
DEAL_FIELDS = ("stage", "amount", "close_date", "next_step")
DATE_HINT = "try 'Friday', 'in two weeks', 'end of month' or 2026-12-31"


@dataclass(frozen=True)
class Draft:
    """A write ready to be stored: what it does, to what, and the values it replaces."""

    action: str
    entity: str
    entity_id: int | None
    payload: dict[str, Any]
    before: dict[str, Any] | None


def deal_values(deal: Deal) -> dict[str, str | None]:
    """The editable fields as stored text, the form history and proposals compare."""
    return {
        "stage": str(deal.stage),
        "amount": money(deal.amount),
        "close_date": deal.close_date.isoformat(),
        "next_step": deal.next_step,
    }


def draft_deal_update(
    deal: Deal,
    *,
    today: date,
    stage: str | None = None,
    amount: object = None,
    close_date: str | None = None,
    next_step: str | None = None,
) -> Draft:
    """Only the fields that would really change; refused when none would."""
    current = deal_values(deal)
    wanted: dict[str, str | None] = {}
    if stage:
        wanted["stage"] = str(parse_stage(stage))
    if amount is not None and str(amount).strip():
        wanted["amount"] = money(parse_amount(amount))
    if close_date:
        wanted["close_date"] = read_date(close_date, today, base=deal.close_date).isoformat()
    if next_step is not None and next_step.strip():
        wanted["next_step"] = clean_text(next_step, what="next step", limit=MAX_NEXT_STEP)
    changes = {k: v for k, v in wanted.items() if v != current[k]}
    if not changes:
        what = "nothing to change" if not wanted else "it already has those values"
        raise InvalidValueError(f"{deal.name} stays as it is: {what}.")
    payload = {
        "deal_id": deal.id,
        "deal": deal.name,
        "account": deal.account.name,
        "owner_ids": [deal.owner_id],
        "changes": changes,
        "current": current,  # what the Edit modal starts from besides the changes
    }
    return Draft("update_deal", "deal", deal.id, payload, {k: current[k] for k in changes})


def draft_interaction(
    account: Account,
    *,
    today: date,
    kind: str | None,
    text: str,
    deal: Deal | None = None,
    contact: Contact | None = None,
    when: str | None = None,
    link: str | None = None,
) -> Draft:
    """A call, meeting, email or note that happened (today unless `when` says otherwise)."""
    body = clean_text(text, what="text to log", limit=MAX_TEXT)
    occurred = read_date(when, today, past=True) if when else today
    if occurred > today:
        raise InvalidValueError("An interaction can only be logged once it has happened.")
    owners = {o for o in (account.owner_id, deal.owner_id if deal else None) if o is not None}
    payload = {
        "account_id": account.id,
        "account": account.name,
        "deal_id": deal.id if deal else None,
        "deal": deal.name if deal else None,
        "contact_id": contact.id if contact else None,
        "contact": contact.name if contact else None,
        "kind": str(parse_kind(kind)),
        "occurred_on": occurred.isoformat(),
        "text": body,
        "link": link,
        "owner_ids": sorted(owners),
    }
    return Draft("log_interaction", "activity", None, payload, None)


def draft_task(
    principal: Principal, *, today: date, title: str, due: str, deal: Deal | None = None
) -> Draft:
    """A task for the asker themself, due on a day in their own timezone."""
    due_date = read_date(due, today)
    if due_date < today:
        raise InvalidValueError(f"{due_date:%a %d %b %Y} is in the past; pick a later due date.")
    payload = {
        "title": clean_text(title, what="task", limit=MAX_TITLE),
        "due_date": due_date.isoformat(),
        "deal_id": deal.id if deal else None,
        "deal": deal.name if deal else None,
        "owner_ids": [principal.user_id],
    }
    return Draft("create_task", "task", None, payload, None)


def read_date(
    text: str | None, today: date, *, past: bool = False, base: date | None = None
) -> date:
    found = parse_when(text or "", today, past=past, base=base)
    if found is None:
        raise InvalidValueError(f"I can't read '{text}' as a date; {DATE_HINT}.")
    if not EARLIEST <= found <= LATEST:
        raise InvalidValueError(
            f"{found.isoformat()} is outside the dates salesbot can store "
            f"({EARLIEST.year} to {LATEST.year}); {DATE_HINT}."
        )
    return found


def scoped_payload(principal: Principal, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with only the owners the proposer may see: a note on a shared account must
    not carry the id of its owner on another team into the card's artifact."""
    owners = [o for o in payload.get("owner_ids") or [] if principal.can_see_owner(o)]
    return {**payload, "owner_ids": owners}


def store_draft(
    session: Session,
    principal: Principal,
    draft: Draft,
    *,
    now: datetime,
    surface: AuditSurface = AuditSurface.SLACK,
) -> PendingWrite:
    """Save the proposal; only its proposer can later confirm it, within PROPOSAL_TTL."""
    row = PendingWrite(
        id=str(uuid.uuid4()),
        actor_id=principal.user_id,
        action=draft.action,
        entity=draft.entity,
        entity_id=str(draft.entity_id) if draft.entity_id is not None else None,
        payload=scoped_payload(principal, draft.payload),
        before=draft.before,
        status=WriteStatus.PROPOSED,
        surface=surface,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row
