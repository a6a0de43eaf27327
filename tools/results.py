"""The (content, artifact) pair every tool returns."""

from __future__ import annotations

import json
from typing import Any

Result = tuple[str, dict[str, Any]]


def as_result(artifact: dict[str, Any]) -> Result:
    """Compact JSON for the model; the artifact itself for the interfaces."""
    return json.dumps(artifact, separators=(",", ":"), default=str), artifact


def not_found(what: str, query: str, suggestions: tuple[str, ...] = ()) -> Result:
    """The answer for both "does not exist" and "not yours": a rep cannot probe other books."""
    return as_result(
        {"type": "not_found", "what": what, "query": query, "suggestions": list(suggestions)}
    )
