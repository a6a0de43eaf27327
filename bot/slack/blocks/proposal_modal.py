"""The Edit modal of a proposed write, filled in with the proposal's values."""

from __future__ import annotations

import json
from typing import Any

from bot.slack.blocks.kit import Block, plain
from bot.slack.ids import WRITE_EDIT_CALLBACK_ID, WRITE_FIELD_ACTION_ID, WRITE_FIELD_BLOCK_PREFIX
from tools.display import label
from tools.models import ActivityKind, Stage

MAX_METADATA = 3000
_LABELS = {
    "stage": "Stage",
    "amount": "Amount",
    "close_date": "Close date",
    "next_step": "Next step",
    "kind": "Kind",
    "occurred_on": "Date",
    "text": "What happened",
    "title": "Task",
    "due_date": "Due",
}
_FIELDS = {
    "update_deal": ("stage", "amount", "close_date", "next_step"),
    "log_interaction": ("kind", "occurred_on", "text"),
    "create_task": ("title", "due_date"),
}
_CHOICES = {"stage": [s.value for s in Stage], "kind": [k.value for k in ActivityKind]}
_DATES = {"close_date", "occurred_on", "due_date"}
_LONG = {"text", "next_step"}


def build_write_edit_modal(action: str, values: dict[str, Any], metadata: dict[str, Any]) -> Block:
    """A modal whose inputs carry the field names; `metadata` says which card to redraw."""
    return {
        "type": "modal",
        "callback_id": WRITE_EDIT_CALLBACK_ID,
        "private_metadata": json.dumps(metadata)[:MAX_METADATA],
        "title": plain("Edit the change", 24),
        "submit": plain("Save", 24),
        "close": plain("Back", 24),
        "blocks": [_input(name, values.get(name)) for name in _FIELDS.get(action, ())],
    }


def field_block_id(name: str) -> str:
    return f"{WRITE_FIELD_BLOCK_PREFIX}{name}"


def read_submission(state_values: dict[str, Any]) -> dict[str, str | None]:
    """Field name -> the value typed, picked or chosen in the modal."""
    found: dict[str, str | None] = {}
    for block_id, inputs in state_values.items():
        if not block_id.startswith(WRITE_FIELD_BLOCK_PREFIX) or not isinstance(inputs, dict):
            continue
        state = inputs.get(WRITE_FIELD_ACTION_ID) or {}
        option = state.get("selected_option") or {}
        value = state.get("value") or state.get("selected_date") or option.get("value")
        found[block_id.removeprefix(WRITE_FIELD_BLOCK_PREFIX)] = value
    return found


def _input(name: str, value: Any) -> Block:
    return {
        "type": "input",
        "block_id": field_block_id(name),
        "label": plain(_LABELS.get(name, name)),
        "optional": name == "next_step",
        "element": _element(name, value),
    }


def _element(name: str, value: Any) -> Block:
    element: Block = {"action_id": WRITE_FIELD_ACTION_ID}
    if name in _CHOICES:
        options = [_option(choice) for choice in _CHOICES[name]]
        element |= {"type": "static_select", "options": options}
        if value in _CHOICES[name]:
            element["initial_option"] = _option(str(value))
    elif name in _DATES:
        element["type"] = "datepicker"
        if value:
            element["initial_date"] = str(value)
    else:
        element |= {"type": "plain_text_input", "multiline": name in _LONG}
        if value:
            element["initial_value"] = str(value)[:3000]
    return element


def _option(value: str) -> Block:
    return {"text": plain(label(value)), "value": value}
