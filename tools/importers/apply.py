"""Write a plan in one transaction: inserts and updates in batches, with the deal history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from tools.importers.diff import Plan, Update
from tools.importers.existing import COLUMNS, MODELS, chunks
from tools.importers.records import Record
from tools.importers.specs import ENTITY_ORDER, Entity
from tools.models import (
    CLOSED_STAGES,
    Activity,
    DealFieldHistory,
    DealStageHistory,
    Stage,
)

INSERT_BATCH = 1000
_REF_TARGETS = {"account_id": Entity.ACCOUNT, "deal_id": Entity.DEAL, "contact_id": Entity.CONTACT}
_TRACKED = ("amount", "close_date", "next_step")  # written to deal_field_history on change
_DEFAULTS: dict[str, Any] = {"body": "", "currency": "USD", "amount": Decimal("0.00")}


@dataclass
class Written:
    ids: dict[Entity, dict[str, int]] = field(default_factory=dict)
    activity_ids: list[int] = field(default_factory=list)  # to (re-)index
    stage_changes: int = 0
    field_changes: int = 0


def apply_plans(
    session: Session,
    plans: dict[Entity, Plan],
    *,
    now: datetime,
    actor_id: int | None,
    on_progress: Callable[[int], None] = lambda n: None,
) -> Written:
    """Insert and update every planned record, parents first; returns the ids written."""
    written = Written(ids={e: {} for e in ENTITY_ORDER})
    for entity in ENTITY_ORDER:
        entity_plan = plans.get(entity)
        if entity_plan is None:
            continue
        new_ids = _insert(session, entity, entity_plan.creates, written, now, on_progress)
        _update(session, entity, entity_plan.updates, written, on_progress)
        if entity == Entity.DEAL:
            _deal_history(session, entity_plan, written, now, actor_id)
        if entity == Entity.ACTIVITY:
            written.activity_ids += new_ids + [u.id for u in entity_plan.updates]
    written.activity_ids = sorted(set(written.activity_ids) | _moved_activities(session, plans))
    return written


def _moved_activities(session: Session, plans: dict[Entity, Plan]) -> set[int]:
    """Activities whose deal or account changed owner: their search scope must follow."""
    moved: set[int] = set()
    for entity, column in ((Entity.DEAL, Activity.deal_id), (Entity.ACCOUNT, Activity.account_id)):
        entity_plan = plans.get(entity)
        changed = [
            u.id
            for u in (entity_plan.updates if entity_plan else [])
            if {"owner_id", "account_id"} & set(u.changes)
        ]
        for chunk in chunks(changed):
            moved.update(session.scalars(select(Activity.id).where(column.in_(chunk))))
    return moved


def _resolve(values: dict[str, Any], written: Written) -> dict[str, Any]:
    """Swap references to records created in this run for their new ids."""
    out = dict(values)
    for column, target in _REF_TARGETS.items():
        if isinstance(out.get(column), str):
            out[column] = written.ids[target][out[column]]
    return out


def _insert(
    session: Session,
    entity: Entity,
    records: list[Record],
    written: Written,
    now: datetime,
    on_progress: Callable[[int], None],
) -> list[int]:
    model: Any = MODELS[entity]
    rows = [_full_row(entity, r, written, now) for r in records]
    new_ids: list[int] = []
    for start in range(0, len(rows), INSERT_BATCH):
        chunk = rows[start : start + INSERT_BATCH]
        result = session.execute(insert(model).returning(model.id, model.external_id), chunk)
        for row_id, ext in result:
            written.ids[entity][ext] = row_id
            new_ids.append(row_id)
        on_progress(len(chunk))
    return new_ids


def _full_row(entity: Entity, record: Record, written: Written, now: datetime) -> dict[str, Any]:
    # Every row of an executemany needs the same keys: absent columns get their defaults.
    row: dict[str, Any] = {c: _DEFAULTS.get(c) for c in COLUMNS[entity]}
    row |= _resolve(record.values, written)
    row["external_id"] = record.external_id
    if "created_at" in row and row["created_at"] is None and entity != Entity.DEAL:
        row["created_at"] = now  # a deal's unknown create date stays unknown (no "new" deal)
    if entity == Entity.DEAL:
        row["closed_at"] = _closed_at(row["stage"], row["close_date"])
    return row


def _closed_at(stage: Stage, close_date: date) -> datetime | None:
    # An export gives the close date, not the moment; midnight UTC of that day stands in.
    return datetime.combine(close_date, time(), UTC) if stage in CLOSED_STAGES else None


def _update(
    session: Session,
    entity: Entity,
    updates: list[Update],
    written: Written,
    on_progress: Callable[[int], None],
) -> None:
    if not updates:
        return
    rows = []
    for u in updates:
        row = {"id": u.id, **_resolve(u.changes, written)}
        if entity == Entity.DEAL and "stage" in u.changes:
            close = u.changes.get("close_date", u.before["close_date"])
            row["closed_at"] = _closed_at(u.changes["stage"], close)
        rows.append(row)
    session.execute(update(MODELS[entity]), rows)
    on_progress(len(rows))


def _deal_history(
    session: Session, deal_plan: Plan, written: Written, now: datetime, actor_id: int | None
) -> None:
    stages = [
        row
        for r in deal_plan.creates
        for row in implied_history(
            written.ids[Entity.DEAL][r.external_id],
            r.values["stage"],
            r.values.get("created_at"),
            r.values["close_date"],
        )
    ]
    fields = []
    for u in deal_plan.updates:
        if "stage" in u.changes:
            stages.append(
                {
                    "deal_id": u.id,
                    "from_stage": u.before["stage"],
                    "to_stage": u.changes["stage"],
                    "changed_at": now,
                }
            )
        for name in _TRACKED:
            if name in u.changes:
                fields.append(
                    {
                        "deal_id": u.id,
                        "field": name,
                        "old_value": _text(u.before.get(name)),
                        "new_value": _text(u.changes[name]),
                        "changed_at": now,
                        "changed_by_id": actor_id,
                    }
                )
    if stages:
        session.execute(insert(DealStageHistory), stages)
    if fields:
        session.execute(insert(DealFieldHistory), fields)
    written.stage_changes += len(stages)
    written.field_changes += len(fields)


def implied_history(
    deal_id: int, stage: Stage, created: datetime | None, close_date: date
) -> list[dict[str, Any]]:
    """What a deal without history implies, and nothing more: it was open from its create
    date (in its current stage, or the pipeline's first when it has closed since) and closed
    on its close date. Never a final stage dated at the creation; no date, no row."""
    rows: list[dict[str, Any]] = []
    opened = stage if stage not in CLOSED_STAGES else Stage.PROSPECTING
    if created is not None:
        rows.append(
            {"deal_id": deal_id, "from_stage": None, "to_stage": opened, "changed_at": created}
        )
    if stage in CLOSED_STAGES:
        rows.append(
            {
                "deal_id": deal_id,
                "from_stage": opened if created else None,
                "to_stage": stage,
                "changed_at": _closed_at(stage, close_date),
            }
        )
    return rows


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value.isoformat() if isinstance(value, date) else str(value)


ANALYZE_AFTER = 1000  # rows written


def refresh_statistics(session: Session, written_rows: int) -> None:
    """Let PostgreSQL plan the next import's lookups on real table sizes.

    Until autovacuum gets round to it, a freshly filled table has no statistics and the batched
    `external_id IN (...)` lookups of an immediate re-import run as sequential scans (50,000
    rows: a minute instead of seconds).
    """
    if session.get_bind().dialect.name != "postgresql" or written_rows < ANALYZE_AFTER:
        return
    tables = ", ".join(MODELS[e].__tablename__ for e in ENTITY_ORDER)
    session.execute(text(f"ANALYZE {tables}, deal_stage_history, deal_field_history"))
