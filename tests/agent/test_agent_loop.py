"""The agent loop driven by a scripted chat model that records what it was sent."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatResult
from pydantic import Field
from sqlalchemy.orm import Session, sessionmaker
from support.crm_fixture import NOW, build_fixture

from bot.agent.answer import Answer, ToolCallRecord
from bot.agent.runner import FALLBACK_NOTICE, AgentRunner
from tools.principal import get_principal_by_email

PIPELINE_ARGS = {"scope": "me", "period": "this quarter"}


class FakeToolChatModel(GenericFakeChatModel):
    """Replays `messages`, records every prompt, and may stall to exercise the runner's timeout."""

    sent: list[list[BaseMessage]] = Field(default_factory=list)
    bound: list[str] = Field(default_factory=list)
    stall_seconds: float = 0.0
    release: threading.Event = Field(default_factory=threading.Event)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> FakeToolChatModel:  # type: ignore[override]
        self.bound = [t["function"]["name"] if isinstance(t, dict) else t.name for t in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.sent.append(list(messages))
        if self.stall_seconds:
            self.release.wait(self.stall_seconds)
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def calls(*named: tuple[str, dict[str, Any]]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[{"name": n, "args": a, "id": f"call_{i}"} for i, (n, a) in enumerate(named)],
    )


def forever_calling_tools() -> Iterator[AIMessage]:
    for n in itertools.count():
        yield AIMessage(
            content="", tool_calls=[{"name": "next_actions", "args": {}, "id": f"c{n}"}]
        )


@pytest.fixture
def crm(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build_fixture(session)
    return sessions


def ask(
    crm: sessionmaker[Session], model: Any, question: str, email: str = "rob@x.test", **kw: Any
) -> Answer:
    with crm() as session:
        principal = get_principal_by_email(session, email)
    runner = AgentRunner(crm, llm=model, clock=lambda: NOW, **kw)
    try:
        return runner.ask(principal, question)
    finally:
        runner.close()


def test_tool_calls_and_artifacts_are_collected_in_the_answer(
    crm: sessionmaker[Session],
) -> None:
    model = FakeToolChatModel(
        messages=iter(
            [
                calls(("pipeline_summary", PIPELINE_ARGS), ("next_actions", {"limit": 3})),
                AIMessage(content="Here is where you stand."),
            ]
        )
    )

    answer = ask(crm, model, "pipeline and what to do")

    assert (answer.engine, answer.text) == ("llm", "Here is where you stand.")
    assert answer.tool_calls == [
        ToolCallRecord("pipeline_summary", PIPELINE_ARGS),
        ToolCallRecord("next_actions", {"limit": 3}),
    ]
    assert [a["type"] for a in answer.artifacts] == ["pipeline", "next_actions"]
    assert answer.artifacts[0]["open_amount"] == "165000.50"
    assert len(answer.artifacts[1]["items"]) <= 3


def test_model_sees_system_prompt_tools_and_tool_results(crm: sessionmaker[Session]) -> None:
    model = FakeToolChatModel(
        messages=iter([calls(("pipeline_summary", PIPELINE_ARGS)), AIMessage(content="Done.")])
    )

    ask(crm, model, "my pipeline")

    assert model.bound == ["pipeline_summary"]  # only what "my pipeline" needs is offered
    first, second = model.sent
    assert isinstance(first[0], SystemMessage) and "Rob Rep" in str(first[0].content)
    [result] = [m for m in second if isinstance(m, ToolMessage)]
    assert result.tool_call_id == "call_0"
    assert '"open_amount":"165000.50"' in str(result.content)


def test_step_bound_ends_with_a_polite_answer(crm: sessionmaker[Session]) -> None:
    model = FakeToolChatModel(messages=forever_calling_tools())

    answer = ask(crm, model, "keep going", max_steps=3)

    assert answer.engine == "llm"
    assert "couldn't finish that within 3 steps" in answer.text
    assert len(model.sent) == 4  # recursion limit 2 * 3 + 1: four model turns, three tool turns


def test_stalled_model_times_out_into_the_offline_planner(crm: sessionmaker[Session]) -> None:
    # The model would stall for a minute; the answer must not wait for it (a behaviour, not a speed
    # goal: the bound is far above any scheduling delay, even on a loaded machine, and far below
    # the stall).
    model = FakeToolChatModel(messages=iter([AIMessage(content="late")]), stall_seconds=60.0)
    started = time.monotonic()
    try:
        answer = ask(crm, model, "what should I do today?", timeout_seconds=3.0)
    finally:
        model.release.set()  # let the abandoned model thread finish before the DB goes away

    assert time.monotonic() - started < 30.0
    assert (answer.engine, answer.notice) == ("offline", FALLBACK_NOTICE)
    assert "Send revised quote to Acme" in answer.text


def test_offline_planner_answers_team_pipeline_for_a_manager(
    crm: sessionmaker[Session],
) -> None:
    answer = ask(crm, None, "pipeline for my team this quarter", email="mia@x.test")

    assert (answer.engine, answer.notice) == ("offline", None)
    assert answer.tool_calls == [
        ToolCallRecord("pipeline_summary", {"scope": "team", "period": "this quarter"})
    ]
    # Weighted by the team's own rates (worked the same way as in test_tool_figures).
    # The words round the totals ("$225k"); the artifact keeps them exact.
    assert "$225k (weighted $124k)" in answer.text
    [pipeline] = [a for a in answer.artifacts if a["type"] == "pipeline"]
    assert pipeline["data_owner_ids"] == [2, 3, 4]
    assert {k: pipeline[k] for k in ("open_amount", "weighted_amount", "won_amount", "quota")} == {
        "open_amount": "225000.50",
        "weighted_amount": "124090.79",
        "won_amount": "80000.00",
        "quota": "350000.00",
    }
