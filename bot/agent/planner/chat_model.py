"""The offline planner as a LangChain chat model, so one agent loop serves it and the LLM."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from bot.agent.planner.clarify import CHOICES, choices_text
from bot.agent.planner.plan import (
    ToolResult,
    Vocabulary,
    clarification,
    compose_answer,
    help_text,
    plan,
)


class OfflinePlanner(BaseChatModel):
    """Plans tool calls from the user's words, then writes the answer from the tool results."""

    vocabulary: Vocabulary

    @property
    def _llm_type(self) -> str:
        return "salesbot-offline-planner"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> OfflinePlanner:
        # The planner only ever emits our own tool names, so there is nothing to bind.
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        last_human = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        question = str(messages[last_human].content)
        turn = messages[last_human + 1 :]
        if not turn:
            earlier = messages[:last_human]
            asked = [str(m.content) for m in earlier if isinstance(m, HumanMessage)]
            answers = [str(m.content) for m in earlier if isinstance(m, AIMessage) and m.content]
            last = answers[-1] if answers else ""
            calls = plan(question, self.vocabulary, asked, last)
            if not calls:
                labels = clarification(question, self.vocabulary, asked, last)
                if not labels:
                    return AIMessage(content=help_text(self.vocabulary))
                # The labels ride along so each interface can offer them (buttons in Slack).
                return AIMessage(content=choices_text(labels), additional_kwargs={CHOICES: labels})
            return AIMessage(
                content="",
                tool_calls=[
                    {"name": c.name, "args": c.args, "id": f"call_{uuid.uuid4().hex[:12]}"}
                    for c in calls
                ],
            )
        return AIMessage(content=compose_answer(question, _results(turn)))


def _results(turn: Sequence[BaseMessage]) -> list[ToolResult]:
    calls = {
        call["id"]: call
        for message in turn
        if isinstance(message, AIMessage)
        for call in message.tool_calls
    }
    results = []
    for message in turn:
        if isinstance(message, ToolMessage):
            call = calls.get(message.tool_call_id or "")
            name = call["name"] if call else message.name or ""
            args = call["args"] if call else {}
            artifact = message.artifact if isinstance(message.artifact, dict) else None
            results.append(ToolResult(name, args, str(message.content), artifact))
    return results
