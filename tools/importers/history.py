"""Deal history as it happened: Salesforce OpportunityHistory / OpportunityFieldHistory,
HubSpot's "Date entered <stage>" deal columns and generic deal-history CSVs.

A deal given history here gets exactly that history in deal_stage_history (replacing what an
import implied), written only when it differs, so importing twice changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tools.importers.errors import RowProblem
from tools.importers.existing import chunks
from tools.importers.specs import norm
from tools.importers.stage_map import StageMap
from tools.importers.values import (
    ValueProblem,
    parse_amount,
    parse_bool,
    parse_date,
    parse_datetime,
)
from tools.models import Deal, DealFieldHistory, DealStageHistory, Stage

StageEvents = dict[str, list[tuple[datetime, Stage]]]  # deal external id -> (when, stage)
FIELDS = {
    "amount": "amount",
    "closedate": "close_date",
    "close_date": "close_date",
    "nextstep": "next_step",
    "next_step": "next_step",
}
_ENTERED = re.compile(r"^date entered\s+[\"'“]?(.+?)(?:\s*\([^)]*\))?[\"'”]?$", re.I)


@dataclass
class FieldEvent:
    field: str
    old: str | None
    new: str | None
    at: datetime


@dataclass
class History:
    stages: StageEvents = field(default_factory=lambda: defaultdict(list))
    fields: dict[str, list[FieldEvent]] = field(default_factory=lambda: defaultdict(list))
    problems: list[RowProblem] = field(default_factory=list)
    deals_rewritten: int = 0
    stage_rows: int = 0
    field_rows: int = 0

    def __bool__(self) -> bool:
        return bool(self.stages or self.fields)


Table = list[dict[str, str]]
Ext = Callable[[str], str]  # an export id -> the stored external id


def read_stage_rows(history: History, table: Table, file: str, ext: Ext, stages: StageMap) -> None:
    """OpportunityHistory (OpportunityId, StageName, CreatedDate) or deal_id, stage, changed_at."""
    for number, row in enumerate(table, 2):
        if parse_bool_or(row.get("isdeleted")):
            continue
        deal = row.get("opportunityid") or row.get("deal id") or row.get("dealid") or ""
        label = row.get("stagename") or row.get("stage") or ""
        when = row.get("createddate") or row.get("changed at") or row.get("changedat") or ""
        stage = stages.get(label)
        if not deal or stage is None:
            why = "the deal id is empty" if not deal else f"stage {label!r} is not mapped"
            history.problems.append(RowProblem(file, number, why + " (history row skipped)"))
            continue
        try:
            at = parse_datetime(when)
        except ValueProblem as exc:
            history.problems.append(RowProblem(file, number, f"change date: {exc}"))
            continue
        history.stages[ext(deal)].append((at, stage))


def read_field_rows(history: History, table: Table, file: str, ext: Ext) -> None:
    """OpportunityFieldHistory (Field, OldValue, NewValue) or deal_id, field, old/new_value."""
    for number, row in enumerate(table, 2):
        if parse_bool_or(row.get("isdeleted")):
            continue
        name = FIELDS.get(norm(row.get("field", "")).replace(" ", ""))
        deal = row.get("opportunityid") or row.get("deal id") or row.get("dealid") or ""
        if name is None or not deal:
            continue  # owner, stage and other fields have their own homes
        try:
            at = parse_datetime(row.get("createddate") or row.get("changed at") or "")
            old = _value(name, row.get("oldvalue") or row.get("old value"))
            new = _value(name, row.get("newvalue") or row.get("new value"))
        except ValueProblem as exc:
            history.problems.append(RowProblem(file, number, f"{name}: {exc}"))
            continue
        history.fields[ext(deal)].append(FieldEvent(name, old, new, at))


def read_entered_columns(
    history: History,
    header: list[str],
    rows: list[list[str]],
    id_index: int,
    ext: Ext,
    stages: StageMap,
) -> int:
    """HubSpot deals: a `Date entered "<stage> (<pipeline>)"` column per stage."""
    columns = []
    for i, name in enumerate(header):
        m = _ENTERED.match(name.strip())
        if m and (stage := stages.get(m.group(1).strip())) is not None:
            columns.append((i, stage))
    for cells in rows:
        if len(cells) != len(header) or not cells[id_index].strip():
            continue
        for i, stage in columns:
            if cells[i].strip():
                try:
                    at = parse_datetime(cells[i])
                except ValueProblem:
                    continue
                history.stages[ext(cells[id_index])].append((at, stage))
    return len(columns)


def parse_bool_or(text: str | None) -> bool:
    try:
        return bool(text) and parse_bool(text or "")
    except ValueProblem:
        return False


def _value(name: str, text: str | None) -> str | None:
    if not text:
        return None
    if name == "amount":
        return f"{parse_amount(text):.2f}"
    if name == "close_date":
        return parse_date(text).isoformat()
    return text


def write_history(session: Session, history: History) -> None:
    """Each deal's stage history replaced by the one given, when it differs; field changes
    added once."""
    ids = _deal_ids(session, set(history.stages) | set(history.fields))
    for ext, events in history.stages.items():
        if (deal_id := ids.get(ext)) is not None:
            _write_stages(session, history, deal_id, events)
    for ext, changes in history.fields.items():
        if (deal_id := ids.get(ext)) is not None:
            _write_fields(session, history, deal_id, changes)


def _deal_ids(session: Session, exts: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(sorted(exts)):
        rows = session.execute(select(Deal.external_id, Deal.id).where(Deal.external_id.in_(chunk)))
        found |= {str(ext): int(i) for ext, i in rows}
    return found


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _write_stages(
    session: Session, history: History, deal_id: int, events: list[tuple[datetime, Stage]]
) -> None:
    wanted: list[tuple[Stage | None, Stage, datetime]] = []
    for at, stage in sorted(events, key=lambda e: e[0]):
        previous = wanted[-1][1] if wanted else None
        if stage != previous:
            wanted.append((previous, stage, _aware(at)))
    stored = session.execute(
        select(DealStageHistory.from_stage, DealStageHistory.to_stage, DealStageHistory.changed_at)
        .where(DealStageHistory.deal_id == deal_id)
        .order_by(DealStageHistory.changed_at, DealStageHistory.id)
    ).all()
    if [(f, t, _aware(c)) for f, t, c in stored] == wanted:
        return
    session.execute(delete(DealStageHistory).where(DealStageHistory.deal_id == deal_id))
    session.execute(
        insert(DealStageHistory),
        [
            {"deal_id": deal_id, "from_stage": f, "to_stage": t, "changed_at": c}
            for f, t, c in wanted
        ],
    )
    history.deals_rewritten += 1
    history.stage_rows += len(wanted)


def _write_fields(
    session: Session, history: History, deal_id: int, changes: list[FieldEvent]
) -> None:
    h = DealFieldHistory
    stored = {
        (f, n, _aware(c))
        for f, n, c in session.execute(
            select(h.field, h.new_value, h.changed_at).where(h.deal_id == deal_id)
        )
    }
    rows = [
        {
            "deal_id": deal_id,
            "field": e.field,
            "old_value": e.old,
            "new_value": e.new,
            "changed_at": _aware(e.at),
            "changed_by_id": None,
        }
        for e in sorted(changes, key=lambda e: e.at)
        if (e.field, e.new, _aware(e.at)) not in stored
    ]
    if rows:
        session.execute(insert(h), rows)
        history.field_rows += len(rows)
