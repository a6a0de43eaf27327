"""The (content, artifact) pair every tool returns."""

from __future__ import annotations

import json
from typing import Any

from tools.artifacts import Artifact, ArtifactType, NotFoundArtifact

Result = tuple[str, Artifact]
# The model reads at most this many items of any list and this many characters of any text;
# the artifact (what interfaces draw) keeps everything. A cut list says how many it left out.
MODEL_ITEMS = 10
MODEL_CHARS = 400
# Bookkeeping for the interfaces (who may see a figure, ranking scores, button keys): nothing the
# model can answer with.
_INTERNAL = frozenset({"data_owner_ids", "owner_id", "user_id", "key", "score"})


def as_result(artifact: Artifact) -> Result:
    """Compact JSON for the model; the artifact itself for the interfaces."""
    return json.dumps(for_model(artifact), separators=(",", ":"), default=str), artifact


def for_model(value: Any) -> Any:
    """`value` as the model is sent it: no empty or internal fields, lists and texts capped,
    rows of the same keys as a table."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if item is None or key in _INTERNAL or _restates(key, item, value):
                continue
            out[key] = for_model(item)
            if isinstance(item, list) and len(item) > MODEL_ITEMS:
                out[f"{key}_not_shown"] = len(item) - MODEL_ITEMS
        return out
    if isinstance(value, list):
        return _table([for_model(item) for item in value[:MODEL_ITEMS]])
    if isinstance(value, str) and len(value) > MODEL_CHARS:
        return value[: MODEL_CHARS - 1] + "…"
    return value


def _table(items: list[Any]) -> Any:
    """Rows sharing their keys as one table: the keys once, not once per row."""
    keys = list(items[0]) if items and isinstance(items[0], dict) else None
    if len(items) < 2 or not keys or any(not isinstance(i, dict) or list(i) != keys for i in items):
        return items
    return {"columns": keys, "rows": [list(i.values()) for i in items]}


def _restates(key: str, item: Any, parent: dict[str, Any]) -> bool:
    """A risk's structured evidence: its "text" already says it in words."""
    return key == "evidence" and isinstance(item, dict) and "text" in parent


def not_found(what: str, query: str, suggestions: tuple[str, ...] = ()) -> Result:
    """The answer for both "does not exist" and "not yours": a rep cannot probe other books."""
    found: NotFoundArtifact = {
        "type": ArtifactType.NOT_FOUND,
        "what": what,
        "query": query,
        "suggestions": list(suggestions),
    }
    return as_result(found)
