"""The agent's tools, built once per process, run as whoever the current call is bound to.

Building the tools means generating a pydantic schema for each (about 19 ms for all of them), so
they are built once and each reads the asker from a ContextVar that `bound(ctx)` sets around one
question. LangGraph copies the context into the threads it runs tools in, so parallel tool calls
of one question see its asker, and two questions in two threads never see each other's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from tools.context import ToolContext
from tools.principal import Principal

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool
    from sqlalchemy.orm import Session, sessionmaker

    from tools.analytics.precomputed import SnapshotPolicy
    from tools.interactions import InteractionIndex

_current: ContextVar[ToolContext | None] = ContextVar("tool_context", default=None)
_lock = threading.Lock()
_tools: list[BaseTool] | None = None
_planner_tools: list[BaseTool] | None = None


class UnboundToolError(RuntimeError):
    """A shared tool ran outside `bound(ctx)`: a bug, never the user's doing."""


@contextmanager
def bound(ctx: ToolContext) -> Iterator[ToolContext]:
    """Run the shared tools as `ctx` (its principal, sessions, index and clock) inside."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def current() -> ToolContext:
    ctx = _current.get()
    if ctx is None:
        raise UnboundToolError("a tool ran with no ToolContext bound (use tools.bound_tools.bound)")
    return ctx


class CurrentContext:
    """Looks like a ToolContext; every attribute is the bound context's, read at call time."""

    @property
    def principal(self) -> Principal:
        return current().principal

    @property
    def sessions(self) -> sessionmaker[Session]:
        return current().sessions

    @property
    def index(self) -> InteractionIndex | None:
        return current().index

    @property
    def clock(self) -> Callable[[], datetime]:
        return current().clock

    @property
    def reporting_currency(self) -> str:
        return current().reporting_currency

    def today(self) -> date:
        return current().today()

    def snapshot_policy(self) -> SnapshotPolicy:
        return current().snapshot_policy()


def shared_tools() -> list[BaseTool]:
    """The tools, built on first use; each call runs as the context bound at that moment."""
    global _tools
    with _lock:
        if _tools is None:
            from tools.crm_tools import make_tools

            _tools = make_tools(cast(ToolContext, CurrentContext()))
        return _tools


def shared_planner_tools() -> list[BaseTool]:
    """The offline planner's own tools (rankings, quota standing, ...), shared the same way;
    the LLM is never sent their schemas."""
    global _planner_tools
    with _lock:
        if _planner_tools is None:
            from tools.planner_tools import make_planner_tools

            _planner_tools = make_planner_tools(cast(ToolContext, CurrentContext()))
        return _planner_tools


def llm_tool_names() -> set[str]:
    return {t.name for t in shared_tools()}


def shared_tool(name: str) -> BaseTool | None:
    """Any shared tool by name, the planner's included (so "Show all" can re-run its lists)."""
    return next((t for t in [*shared_tools(), *shared_planner_tools()] if t.name == name), None)
