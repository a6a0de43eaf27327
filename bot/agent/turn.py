"""One compiled agent per process; each question brings its own model, prompt and guard.

Compiling the agent (`create_agent`: the graph, and a ToolNode that inspects every tool's
signature) costs more than answering an offline question, and nothing in it depends on the
asker. So the graph is compiled once, with `QuestionRouting` as its middleware, and a question's
`Turn` (the planner built for its asker, or the LLM; the system prompt naming them; a fresh
TurnGuard) is set in a ContextVar that LangGraph copies into the threads it runs tools in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import SystemMessage, ToolMessage
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command

from bot.agent.guard import TurnGuard
from tools.bound_tools import shared_planner_tools, shared_tools

Agent = CompiledStateGraph[Any, Any, Any, Any]


@dataclass
class Turn:
    """What one question runs with on the shared agent."""

    model: BaseChatModel
    system_prompt: str
    guard: TurnGuard = field(default_factory=TurnGuard)
    # The compact schemas the model is sent (bot.agent.tool_offer); None sends every tool.
    tools: list[dict[str, Any]] | None = None


_turn: ContextVar[Turn | None] = ContextVar("agent_turn", default=None)


@contextmanager
def turn(current: Turn) -> Iterator[Turn]:
    token = _turn.set(current)
    try:
        yield current
    finally:
        _turn.reset(token)


def _current() -> Turn:
    current = _turn.get()
    if current is None:
        raise RuntimeError("the shared agent ran outside bot.agent.turn.turn()")
    return current


class QuestionRouting(AgentMiddleware):
    """Sends each model call to the question's model and prompt, through its guard."""

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        current = _current()
        routed = request.override(
            model=current.model, system_message=SystemMessage(current.system_prompt)
        )
        if current.tools is not None:
            routed = routed.override(tools=list(current.tools))
        return current.guard.wrap_model_call(routed, handler)

    def wrap_tool_call(
        self,
        request: ToolCallRequest,
        handler: Callable[[ToolCallRequest], ToolMessage | Command[Any]],
    ) -> ToolMessage | Command[Any]:
        return _current().guard.wrap_tool_call(request, handler)


class SharedAgent:
    """The compiled agent, built on first use; the model it is built with is only a placeholder:
    every call goes to the current Turn's model."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._agent: Agent | None = None

    def get(self, placeholder: BaseChatModel) -> Agent:
        with self._lock:
            if self._agent is None:
                self._agent = create_agent(
                    placeholder,
                    [*shared_tools(), *shared_planner_tools()],
                    system_prompt="",
                    middleware=[QuestionRouting()],
                )
            return self._agent
