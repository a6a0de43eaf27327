"""One question in, one Answer out: the agent loop with bounds, and the offline fallback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.errors import GraphRecursionError
from langgraph.graph.state import CompiledStateGraph

from bot.agent.answer import Answer, ToolCallRecord
from bot.agent.guard import ONE_CHANGE, TurnGuard
from bot.agent.llm import LLM_FAILURES, MalformedReplyError
from bot.agent.llm_http import question_deadline
from bot.agent.planner.chat_model import OfflinePlanner
from bot.agent.planner.plan import Vocabulary
from prompts import load_prompt
from tools.context import ToolContext, utc_now
from tools.crm.names import list_visible_names
from tools.crm_tools import make_tools
from tools.db import Session, sessionmaker
from tools.interactions import InteractionIndex
from tools.planner_tools import make_planner_tools
from tools.principal import Principal

log = logging.getLogger(__name__)
FALLBACK_FAILURES: tuple[type[BaseException], ...] = (*LLM_FAILURES, MalformedReplyError)

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

    def ask(self, principal: Principal, question: str, history: History = ()) -> Answer:
        """Answer `question` as `principal`; never raises for a model failure."""
        ctx = ToolContext(principal, self.sessions, self.index, self.clock, self.reporting_currency)
        messages = [*_history_messages(history), HumanMessage(question)]
        notice = None
        if self.llm is not None:
            try:
                return self._run(self.llm, ctx, messages, engine="llm")
            except FALLBACK_FAILURES as exc:
                log.warning("LLM failed (%s); answering with the offline planner", exc)
                notice = FALLBACK_NOTICE
        try:
            answer = self._run(self.planner_for(ctx), ctx, messages, engine="offline")
        except TimeoutError:
            answer = Answer(
                f"Sorry, that took longer than {self.timeout_seconds:g} seconds. "
                "Try a narrower question, e.g. one account or one quarter."
            )
        answer.notice = notice or answer.notice
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
        self, model: BaseChatModel, ctx: ToolContext, messages: list[BaseMessage], engine: str
    ) -> Answer:
        guard = TurnGuard()
        tools = make_tools(ctx)
        if isinstance(model, OfflinePlanner):
            tools += make_planner_tools(ctx)  # the LLM's tool list (and prompt) stays as it is
        agent = create_agent(model, tools, system_prompt=system_prompt(ctx), middleware=[guard])
        config: Any = {"recursion_limit": 2 * self.max_steps + 1}
        pool = self._planner_pool if isinstance(model, OfflinePlanner) else self._llm_pool
        # The same deadline bounds the wait here and every model request of the run, so a run
        # given up on here stops at its next socket operation instead of holding its thread.
        deadline = time.monotonic() + self.timeout_seconds
        future = pool.submit(_invoke, agent, messages, config, deadline)
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
        answer.notice = ONE_CHANGE if guard.held_back else None
        return answer

    def close(self) -> None:
        for pool in (self._llm_pool, self._planner_pool):
            pool.shutdown(wait=False, cancel_futures=True)


def _invoke(
    agent: CompiledStateGraph[Any, Any, Any, Any],
    messages: list[BaseMessage],
    config: Any,
    deadline: float,
) -> dict[str, Any]:
    with question_deadline(deadline):
        state: dict[str, Any] = agent.invoke({"messages": messages}, config)
        return state


def system_prompt(ctx: ToolContext) -> str:
    p = ctx.principal
    return load_prompt("system").format(
        user_name=p.name, role=p.role.value, today=ctx.today().isoformat(), timezone=p.timezone
    )


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
