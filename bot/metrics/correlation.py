"""The correlation id: 8 hex characters the user sees ("ref 1a2b3c4d") and every log line of
that piece of work carries. The work pool binds one to each job before it runs."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_current: ContextVar[str | None] = ContextVar("salesbot_ref", default=None)


def new_ref() -> str:
    return uuid.uuid4().hex[:8]


def bind_ref(ref: str) -> None:
    """The id of the job running on this thread (or task) from now on."""
    _current.set(ref)


def current_ref() -> str:
    """The bound id, or a fresh one for work that began outside the pool."""
    ref = _current.get()
    if ref is None:
        ref = new_ref()
        _current.set(ref)
    return ref
