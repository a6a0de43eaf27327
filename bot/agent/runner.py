"""One question in, one Answer out: the agent loop with bounds, and the offline fallback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextvars import copy_context
from datetime import datetime
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.errors import GraphRecursionError

from bot.agent.answer import Answer, ToolCallRecord
from bot.agent.choices import name_choices, reading_choices
from bot.agent.guard import ONE_CHANGE
from bot.agent.llm import MalformedReplyError, llm_failures
from bot.agent.llm_http import question_deadline
from bot.agent.planner.chat_model import OfflinePlanner
from bot.agent.planner.clarify import CHOICES
from bot.agent.planner.plan import Vocabulary
from bot.agent.tool_offer import offered_names, offered_schemas
from bot.agent.turn import Agent, SharedAgent, Turn, turn
from bot.metrics.llm import LLMMetrics, count_fallback
from prompts import load_prompt
from tools.bound_tools import bound, llm_tool_names
from tools.context import ToolContext, utc_now
from tools.crm.names import list_visible_names
from tools.db import Session, sessionmaker
from tools.interactions import InteractionIndex
from tools.principal import Principal
from tools.write_tools import WRITE_TOOLS

log = logging.getLogger(__name__)

FALLBACK_NOTICE = "The language model is unavailable right now, so the offline planner answered."
EMPTY_WITH_DATA = "Here is what I found."
EMPTY_WITHOUT_DATA = (
    "I don't have an answer for that. Try asking about a deal, an account or your pipeline."
)
History = Sequence[tuple[str, str]]


class AgentRunner:
    """Runs questions as a principal, on the LLM when configured and the planner otherwise."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        index: InteractionIndex | None = None,
        llm: BaseChatModel | None = None,
        max_steps: int = 8,
        timeout_seconds: float = 60.0,
        clock: Callable[[], datetime] = utc_now,
        workers: int = 4,
        reporting_currency: str = "USD",
    ) -> None:
        self.sessions = sessions
        self.index = index
        self.llm = llm
        self.max_steps = max_steps
        self.timeout_seconds = timeout_seconds
        self.clock = clock
        self.reporting_currency = reporting_currency
        # Separate pools: LLM runs abandoned after a timeout cannot starve the planner fallback.
        self._llm_pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="agent-llm")
        self._planner_pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="agent")
        # Compiled once: each question's model, prompt and guard come with it (bot/agent/turn.py).
        self._agent = SharedAgent()

    def ask(self, principal: Principal, question: str, history: History = ()) -> Answer:
        """Answer `question` as `principal`; never raises for a model failure."""
        ctx = ToolContext(principal, self.sessions, self.index, self.clock, self.reporting_currency)
        messages = [*_history_messages(history), HumanMessage(question)]
        notice = None
        if self.llm is not None:
            previous = [text for role, text in history if role == "user"][-1:]
            offer = offered_names(ctx.principal, question, previous)
            try:
                return self._run(self.llm, ctx, messages, engine="llm", offer=offer)
            except fallback_failures() as exc:
                log.warning("LLM failed (%s); answering with the offline planner", exc)
                count_fallback(exc)
                notice = FALLBACK_NOTICE
        try:
            answer = self._run(self.planner_for(ctx), ctx, messages, engine="offline")
        except TimeoutError:
            answer = Answer(
                f"Sorry, that took longer than {self.timeout_seconds:g} seconds. "
                "Try a narrower question, e.g. one account or one quarter."
            )
        answer.notice = notice or answer.notice
        answer.choices = answer.choices or name_choices(question, answer.artifacts)
        return answer

    def planner_for(self, ctx: ToolContext) -> OfflinePlanner:
        with self.sessions() as session:
            accounts, deals, people = list_visible_names(session, ctx.principal)
        vocabulary = Vocabulary(
            me=ctx.principal.name,
            is_manager=ctx.principal.is_manager,
            accounts=accounts,
            deals=deals,
            reps=people,
            today=ctx.today(),
        )
        return OfflinePlanner(vocabulary=vocabulary)

    def _run(
        self,
        model: BaseChatModel,
        ctx: ToolContext,
        messages: list[BaseMessage],
        engine: str,
        offer: set[str] | None = None,
    ) -> Answer:
        """One agent run; the LLM is sent only the offered tools' compact schemas."""
        planner = isinstance(model, OfflinePlanner)
        schemas = (
            None if planner else offered_schemas(offer if offer is not None else llm_tool_names())
        )
        current = Turn(model, system_prompt(ctx, offer), tools=schemas)
        config: Any = {"recursion_limit": 2 * self.max_steps + 1}
        if not planner:  # LLM requests and tokens are counted; the planner's steps are not
            config["callbacks"] = [LLMMetrics()]
        pool = self._planner_pool if planner else self._llm_pool
        # The same deadline bounds the wait here and every model request of the run, so a run
        # given up on here stops at its next socket operation instead of holding its thread.
        deadline = time.monotonic() + self.timeout_seconds
        agent = self._agent.get(model)
        # The caller's context goes along (e.g. how to say the search model is loading).
        run = copy_context().run
        future = pool.submit(run, _invoke, agent, current, ctx, messages, config, deadline)
        try:
            state = future.result(timeout=self.timeout_seconds)
        except FutureTimeout as exc:
            future.cancel()
            raise TimeoutError(f"agent ran past {self.timeout_seconds}s") from exc
        except GraphRecursionError:
            return Answer(
                f"I couldn't finish that within {self.max_steps} steps. "
                "Could you ask about one deal, account or period at a time?",
                engine=engine,
            )
        answer = collect_answer(state["messages"][len(messages) :], engine)
        answer.notice = ONE_CHANGE if current.guard.held_back else None
        return answer

    def close(self) -> None:
        for pool in (self._llm_pool, self._planner_pool):
            pool.shutdown(wait=False, cancel_futures=True)


def fallback_failures() -> tuple[type[BaseException], ...]:
    """Failures of the LLM after which the offline planner answers the same question."""
    return (*llm_failures(), MalformedReplyError)


def _invoke(
    agent: Agent,
    current: Turn,
    ctx: ToolContext,
    messages: list[BaseMessage],
    config: Any,
    deadline: float,
) -> dict[str, Any]:
    # Bound in the worker thread: the tools are shared, the asker is this question's.
    with question_deadline(deadline), bound(ctx), turn(current):
        state: dict[str, Any] = agent.invoke({"messages": messages}, config)
        return state


def system_prompt(ctx: ToolContext, offer: set[str] | None = None) -> str:
    """The system prompt; the part on proposing changes only when a write tool is offered."""
    p = ctx.principal
    text = load_prompt("system").format(
        user_name=p.name, role=p.role.value, today=ctx.today().isoformat(), timezone=p.timezone
    )
    if offer is None or offer & WRITE_TOOLS:
        text += "\n" + load_prompt("system_writes")
    return text


def collect_answer(produced: Sequence[BaseMessage], engine: str) -> Answer:
    """Gather the final words, every tool call and every artifact of one agent run."""
    answer = Answer(text="", engine=engine)
    calls: dict[str, ToolCallRecord] = {}
    for message in produced:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                calls[call["id"] or ""] = ToolCallRecord(call["name"], call["args"])
                answer.tool_calls.append(calls[call["id"] or ""])
            if message.content and not message.tool_calls:
                answer.text = _text(message.content)
                answer.choices = reading_choices(message.additional_kwargs.get(CHOICES) or [])
        elif isinstance(message, ToolMessage) and isinstance(message.artifact, dict):
            # "source" lets an interface re-run the same call later (e.g. "Show all").
            record = calls.get(message.tool_call_id)
            source = {"tool": record.name, "args": record.args} if record else None
            answer.artifacts.append({**message.artifact, "source": source})
    if not answer.text.strip():
        answer.text = EMPTY_WITH_DATA if answer.artifacts else EMPTY_WITHOUT_DATA
    return answer


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def _history_messages(history: History) -> list[BaseMessage]:
    return [HumanMessage(text) if role == "user" else AIMessage(text) for role, text in history]
