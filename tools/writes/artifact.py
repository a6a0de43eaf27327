"""A pending write as the "write_proposal" artifact that Slack and the CLI render."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tools.artifacts import ArtifactType, WriteProposalArtifact
from tools.models import PendingWrite

LABELS = {
    "stage": "Stage",
    "amount": "Amount",
    "close_date": "Close date",
    "next_step": "Next step",
    "kind": "Kind",
    "occurred_on": "Date",
    "account": "Account",
    "deal": "Deal",
    "contact": "Contact",
    "text": "Text",
    "link": "Thread",
    "title": "Task",
    "due_date": "Due",
}
_SHOWN = {
    "log_interaction": ("kind", "account", "deal", "contact", "occurred_on", "text", "link"),
    "create_task": ("title", "due_date", "deal"),
}
_VERBS = {"log_interaction": "Log", "update_deal": "Update", "create_task": "Create"}


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every one we store is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def proposal_artifact(row: PendingWrite) -> WriteProposalArtifact:
    """Everything a card needs, from the stored row alone (so any surface can redraw it)."""
    payload: dict[str, Any] = row.payload
    return {
        "type": ArtifactType.WRITE_PROPOSAL,
        "id": row.id,
        "action": row.action,
        "status": str(row.status),
        "title": title(row.action, payload),
        "fields": fields(row),
        "before": row.before,
        "after": after_values(row.action, payload),
        "currency": "USD",
        "data_owner_ids": list(payload.get("owner_ids") or []),
        "undo_until": _iso(aware(row.undo_until)),
        "result": row.result,
    }


def title(action: str, payload: dict[str, Any]) -> str:
    verb = _VERBS.get(action, action)
    if action == "update_deal":
        return f"{verb} {payload['deal']}"
    if action == "log_interaction":
        return f"{verb} a {payload['kind']} with {payload['account']}"
    return f"{verb} a task"


def after_values(action: str, payload: dict[str, Any]) -> dict[str, Any]:
    if action == "update_deal":
        return dict(payload["changes"])
    return {k: payload.get(k) for k in _SHOWN.get(action, ()) if payload.get(k) is not None}


def fields(row: PendingWrite) -> list[dict[str, Any]]:
    """(label, before, after) rows; before is None for something new."""
    after = after_values(row.action, row.payload)
    before = row.before or {}
    return [
        {"field": k, "label": LABELS.get(k, k), "before": before.get(k), "after": v}
        for k, v in after.items()
    ]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
