"""Rows to records: each field read, checked and put in salesbot's terms."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tools.importers.errors import NotImported, RowError
from tools.importers.reader import Row
from tools.importers.records import Record
from tools.importers.specs import Entity, FileSpec, Source
from tools.importers.stage_map import StageMap
from tools.importers.values import (
    clip,
    parse_amount,
    parse_bool,
    parse_date,
    parse_datetime,
    plain_text,
)
from tools.models import ActivityKind, Stage

EXTERNAL_ID_LENGTH = 100
_KINDS: dict[str, ActivityKind | None] = {
    "call": ActivityKind.CALL,
    "email": ActivityKind.EMAIL,
    "incomingemail": ActivityKind.EMAIL,
    "forwardedemail": ActivityKind.EMAIL,
    "listemail": ActivityKind.EMAIL,
    "meeting": ActivityKind.MEETING,
    "event": ActivityKind.MEETING,
    "note": ActivityKind.NOTE,
    "linkedin": ActivityKind.LINKEDIN,
    "linkedinmessage": ActivityKind.LINKEDIN,
    "task": None,  # a to-do, stored in tasks
    "todo": None,
}


@dataclass(frozen=True)
class Conversion:
    """What every row of one import shares."""

    source: Source
    stages: StageMap
    currency: str

    def ext(self, raw: str) -> str:
        """The stored external id: prefixed by source, so HubSpot 42 and CSV 42 never collide."""
        value = f"{self.source.value}:{raw.strip()}"
        if len(value) > EXTERNAL_ID_LENGTH:
            raise RowError(f"id {raw!r} is longer than {EXTERNAL_ID_LENGTH - 12} characters")
        return value

    def ref(self, row: Row, field: str) -> str | None:
        """The first id of an association cell ("123;456" lists several)."""
        value = row.get(field)
        if value is None:
            return None
        first = next((p.strip() for p in re.split(r"[;,]", value) if p.strip()), None)
        return self.ext(first) if first else None


def convert_row(conv: Conversion, spec: FileSpec, file: str, row: Row) -> Record:
    """One row as a record, or RowError with the reason."""
    record = _CONVERTERS[spec.entity](conv, spec, row)
    record.file, record.row = file, row.number
    return record


def _new(conv: Conversion, entity: Entity, row: Row) -> Record:
    if entity == Entity.OWNER:  # Salesforce user ids are matched raw, never stored
        return Record(entity, row.require("id"), "", 0)
    return Record(entity, conv.ext(row.require("id")), "", 0)


def _refs(conv: Conversion, record: Record, row: Row, *fields: str) -> None:
    # A present but blank column is kept as "": it clears the link, an absent column keeps it.
    for field in fields:
        if row.has(field):
            value = row.get("owner") if field == "owner" else conv.ref(row, field)
            record.refs[field] = value or ""


def _account(conv: Conversion, spec: FileSpec, row: Row) -> Record:
    record = _new(conv, Entity.ACCOUNT, row)
    record.values["name"] = clip(row.require("name"), 200)
    if row.has("industry"):
        record.values["industry"] = clip(row.get("industry") or "", 100) or None
    _created(record, row)
    _refs(conv, record, row, "owner")
    return record


def _contact(conv: Conversion, spec: FileSpec, row: Row) -> Record:
    record = _new(conv, Entity.CONTACT, row)
    name = row.get("name") or " ".join(
        p for p in (row.get("first_name"), row.get("last_name")) if p
    )
    record.values["name"] = clip(name or row.get("email") or "", 200)
    if not record.values["name"]:
        raise RowError("the contact has no name and no email")
    for field, length in (("email", 255), ("title", 200)):
        if row.has(field):
            record.values[field] = clip(row.get(field) or "", length) or None
    _refs(conv, record, row, "account")
    if not record.refs.get("account"):
        # Common in HubSpot (leads not yet tied to a company); salesbot files contacts under one.
        raise NotImported("contact rows with no company were not imported")
    return record


def _deal(conv: Conversion, spec: FileSpec, row: Row) -> Record:
    record = _new(conv, Entity.DEAL, row)
    values = record.values
    values["name"] = clip(row.require("name"), 200)
    values["stage"] = _stage(conv, row)
    if row.has("amount"):
        values["amount"] = row.parsed("amount", parse_amount) or Decimal("0.00")
    values["currency"] = _currency(conv, row)
    close = row.parsed("close_date", parse_date)
    if close is None:
        raise RowError(f"{_header(row, 'close_date', 'the close date')} is empty")
    values["close_date"] = close
    if row.has("next_step"):
        values["next_step"] = row.get("next_step")
    _created(record, row)
    _refs(conv, record, row, "owner", "account")
    if not record.refs.get("account") and row.get("account_name"):
        record.refs["account_name"] = row.get("account_name") or ""
    return record


def _stage(conv: Conversion, row: Row) -> Stage:
    label = row.require("stage")
    stage = conv.stages.get(label)
    if stage is None and row.parsed("is_closed", parse_bool):
        won = row.parsed("is_won", parse_bool)
        stage = Stage.CLOSED_WON if won else Stage.CLOSED_LOST
    if stage is None:
        raise RowError(
            f"stage {label!r} is not mapped to a salesbot stage; add it with --stage-map"
        )
    return stage


def _currency(conv: Conversion, row: Row) -> str:
    code = (row.get("currency") or conv.currency).upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise RowError(f"{_header(row, 'currency', 'currency')} {code!r} is not a currency code")
    return code


def _activity(conv: Conversion, spec: FileSpec, row: Row) -> Record:
    kind = _kind(spec, row)
    if kind is None:
        return _task(conv, spec, row)
    record = _new(conv, Entity.ACTIVITY, row)
    occurred = row.parsed("occurred_at", parse_datetime) or row.parsed("created_at", parse_datetime)
    if occurred is None:
        raise RowError(f"{_header(row, 'occurred_at', 'the date')} is empty")
    body = plain_text(row.get("body") or "")
    subject = row.get("subject") or body.split("\n", 1)[0] or kind.value.title()
    record.values |= {
        "kind": kind,
        "occurred_at": occurred,
        "subject": clip(plain_text(subject), 300),
        "body": body,
    }
    _refs(conv, record, row, "owner", "account", "deal", "contact", "what")
    return record


def _kind(spec: FileSpec, row: Row) -> ActivityKind | None:
    if spec.kind == "Event":
        return ActivityKind.MEETING
    if spec.kind == "Task":  # Salesforce logs calls and emails as completed Tasks
        label = row.get("subtype") or row.get("type") or "task"
    else:
        label = row.require("kind")
    found = re.sub(r"[^a-z]", "", label.lower())
    if found not in _KINDS:
        if spec.kind == "Task":
            return None
        names = ", ".join(k.value for k in ActivityKind)
        raise RowError(f"{row.headers['kind']} {label!r} is not one of: {names}, task")
    return _KINDS[found]


def _task(conv: Conversion, spec: FileSpec, row: Row) -> Record:
    record = _new(conv, Entity.TASK, row)
    title = row.get("title") or row.get("subject") or plain_text(row.get("body") or "")
    if not title:
        raise RowError("the task has no title")
    record.values["title"] = clip(plain_text(title), 300)
    record.values["due_date"] = row.parsed("due_date", parse_date)
    record.values["completed_at"] = _completed(row)
    _created(record, row)
    _refs(conv, record, row, "owner", "deal", "account", "what")
    return record


def _completed(row: Row) -> datetime | None:
    if row.has("completed_at"):
        return row.parsed("completed_at", parse_datetime)
    done = row.parsed("is_closed", parse_bool)
    status = (row.get("status") or "").lower().replace("_", " ")
    if not done and status not in {"completed", "complete", "done"}:
        return None
    when = row.parsed("occurred_at", parse_datetime) or row.parsed("created_at", parse_datetime)
    if when is None:
        due = row.parsed("due_date", parse_date)
        when = datetime(due.year, due.month, due.day) if due else None
    return when


def _created(record: Record, row: Row) -> None:
    created = row.parsed("created_at", parse_datetime)
    if created is not None:
        record.values["created_at"] = created


def _header(row: Row, field: str, fallback: str) -> str:
    return row.headers.get(field, fallback)


def _owner(conv: Conversion, spec: FileSpec, row: Row) -> Record:
    record = _new(conv, Entity.OWNER, row)
    record.values["email"] = row.require("email").lower()
    return record


_CONVERTERS: dict[Entity, Callable[[Conversion, FileSpec, Row], Record]] = {
    Entity.ACCOUNT: _account,
    Entity.CONTACT: _contact,
    Entity.DEAL: _deal,
    Entity.ACTIVITY: _activity,
    Entity.TASK: _task,
    Entity.OWNER: _owner,
}
