"""The (content, artifact) pair every tool returns."""

from __future__ import annotations

import json

from tools.artifacts import Artifact, ArtifactType, NotFoundArtifact

Result = tuple[str, Artifact]


def as_result(artifact: Artifact) -> Result:
    """Compact JSON for the model; the artifact itself for the interfaces."""
    return json.dumps(artifact, separators=(",", ":"), default=str), artifact


def not_found(what: str, query: str, suggestions: tuple[str, ...] = ()) -> Result:
    """The answer for both "does not exist" and "not yours": a rep cannot probe other books."""
    found: NotFoundArtifact = {
        "type": ArtifactType.NOT_FOUND,
        "what": what,
        "query": query,
        "suggestions": list(suggestions),
    }
    return as_result(found)
