"""The agent loop's guard against what a model may send: one middleware per question.

- A model reply that cannot be used (arguments that are no JSON object, unreadable tool calls)
  raises MalformedReplyError, so the offline planner answers instead.
- Text the database or the next request could not carry (lone surrogates, NUL) is cleaned out
  of the model's words and tool arguments before any tool sees them.
- A tool that fails on the values it was given answers with a notice, not a traceback.
- At most one change is proposed per question: the user confirms exactly what is shown, and a
  hijacked model cannot queue a batch of changes behind one request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import ToolException
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command

from bot.agent.llm import MalformedReplyError, llm_failures
from tools.arguments import clean
from tools.artifacts import ArtifactType
from tools.db import DataError
from tools.results import as_result
from tools.write_tools import WRITE_TOOLS

log = logging.getLogger(__name__)
ONE_CHANGE = (
    "One change at a time: only the first change asked for in this message was proposed. "
    "Confirm or cancel it, then ask for the next one."
)
# Errors a tool raises on values it cannot use; an outage (OperationalError) is not one.
ARGUMENT_ERRORS = (ValueError, TypeError, ArithmeticError, LookupError, DataError, ToolException)


class TurnGuard(AgentMiddleware):
    """Checks each model reply and each tool call of one question."""

    def __init__(self) -> None:
        super().__init__()
        self._writes = threading.Lock()  # tool calls of one reply run in parallel
        self._first_write: str | None = None  # the id of the one write call that may run
        self._proposed = False
        self.held_back = 0  # write calls not run: one change per question

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        try:
            response = handler(request)
        except llm_failures():
            raise
        except Exception as exc:  # anything else here is a reply the client could not read
            raise MalformedReplyError(f"unusable model reply ({exc})") from exc
        for message in response.result:
            if isinstance(message, AIMessage):
                _check_reply(message)
                self._choose_write(message)
        return response

    def _choose_write(self, message: AIMessage) -> None:
        """The reply's first write call in the model's order (they run in parallel)."""
        writes = [c.get("id") for c in message.tool_calls if c["name"] in WRITE_TOOLS]
        with self._writes:
            if not self._proposed:
                self._first_write = writes[0] if writes else None

    def wrap_tool_call(
        self,
        request: ToolCallRequest,
        handler: Callable[[ToolCallRequest], ToolMessage | Command[Any]],
    ) -> ToolMessage | Command[Any]:
        if request.tool_call["name"] not in WRITE_TOOLS:
            return _run_tool(request, handler)
        with self._writes:
            if self._proposed or request.tool_call.get("id") != self._first_write:
                self.held_back += 1
                return _notice(request, ONE_CHANGE)
            result = _run_tool(request, handler)
            self._proposed = _is_proposal(result)
            return result


def _check_reply(message: AIMessage) -> None:
    if message.invalid_tool_calls:
        raise MalformedReplyError("the model sent tool calls that are not JSON objects")
    message.tool_calls = [{**call, "args": clean(call["args"])} for call in message.tool_calls]
    message.content = clean(message.content)


def _run_tool(
    request: ToolCallRequest, handler: Callable[[ToolCallRequest], ToolMessage | Command[Any]]
) -> ToolMessage | Command[Any]:
    try:
        return handler(request)
    except ARGUMENT_ERRORS:
        log.warning("Tool %s failed on its arguments", request.tool_call["name"], exc_info=True)
        return _notice(
            request,
            "Those values could not be used, so nothing was looked up or changed. "
            "Try asking in other words.",
        )


def _notice(request: ToolCallRequest, text: str) -> ToolMessage:
    content, artifact = as_result({"type": ArtifactType.NOTICE, "text": text})
    call = request.tool_call
    return ToolMessage(
        content, artifact=artifact, tool_call_id=call["id"] or "", name=call["name"], status="error"
    )


def _is_proposal(result: ToolMessage | Command[Any]) -> bool:
    artifact = getattr(result, "artifact", None)
    return isinstance(artifact, dict) and artifact.get("type") == ArtifactType.WRITE_PROPOSAL
