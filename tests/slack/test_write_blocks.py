"""The proposal card and Edit modal as blocks; the thread summary offline."""

from __future__ import annotations

import json
from typing import Any

from support.fakes.openai_api import Error, FakeOpenAIServer, Reply

from bot.agent.answer import Answer
from bot.agent.llm import build_llm
from bot.settings import Settings
from bot.slack.blocks import build_answer_blocks
from bot.slack.blocks.proposal_modal import build_write_edit_modal, read_submission
from bot.slack.blocks.proposals import build_proposal_blocks
from bot.slack.handlers.thread_summary import extractive_summary, summarize_thread, thread_lines
from bot.slack.ids import WRITE_CONFIRM_ACTION_ID, WRITE_UNDO_ACTION_ID


def card(status: str, text: str = "They need <!channel> *now*") -> dict[str, Any]:
    return {
        "type": "write_proposal",
        "id": "w-1",
        "status": status,
        "title": "Log a call with Acme <@U1>",
        "fields": [
            {"field": "kind", "label": "Kind", "before": None, "after": "call"},
            {"field": "text", "label": "Text", "before": None, "after": text},
            {"field": "stage", "label": "Stage", "before": "proposal", "after": "closed_won"},
        ],
    }


def test_a_proposed_card_has_its_buttons_and_escapes_crm_text() -> None:
    blocks = build_proposal_blocks(card("proposed"))
    dumped = json.dumps(blocks)
    assert "<!channel>" not in dumped and "<@U1>" not in dumped and "&lt;!channel&gt;" in dumped
    assert "~Proposal~ → *Closed won*" in json.dumps(blocks, ensure_ascii=False)
    buttons = [e["action_id"] for b in blocks for e in b.get("elements", []) if "action_id" in e]
    assert buttons == ["write-confirm", "write-edit", "write-cancel"]
    assert all(b["block_id"].startswith("write-card:w-1:") for b in blocks)


def test_each_status_has_its_footer() -> None:
    saved = json.dumps(build_proposal_blocks(card("applied")))
    assert (
        "Saved" in saved and WRITE_UNDO_ACTION_ID in saved and WRITE_CONFIRM_ACTION_ID not in saved
    )
    for status, words in (("cancelled", "Nothing was saved"), ("undone", "Undone")):
        dumped = json.dumps(build_proposal_blocks(card(status)))
        assert words in dumped and "action_id" not in dumped


def test_a_card_renders_inside_an_answer() -> None:
    blocks = build_answer_blocks(Answer(text="Here it is.", artifacts=[card("proposed")]))
    assert WRITE_CONFIRM_ACTION_ID in json.dumps(blocks)


def test_the_edit_modal_round_trips_its_values() -> None:
    values = {"stage": "proposal", "amount": "60000.00", "close_date": "2026-12-01"}
    modal = build_write_edit_modal("update_deal", values, {"id": "w-1"})
    state = {}
    for block in modal["blocks"]:
        element = block["element"]
        value = (
            element.get("initial_option", {}).get("value")
            or element.get("initial_date")
            or element.get("initial_value")
        )
        key = "selected_date" if element["type"] == "datepicker" else "value"
        if element["type"] == "static_select":
            state[block["block_id"]] = {"value": {"selected_option": {"value": value}}}
        else:
            state[block["block_id"]] = {"value": {key: value}}
    assert read_submission(state) == {**values, "next_step": None}


def test_the_offline_summary_keeps_needs_dates_and_next_steps() -> None:
    messages = [
        {"user": "U1", "text": "Notes from the <https://acme.example|Acme> call"},
        {"user": "U2", "text": "Nice weather. They need SOC 2 by March 3. <@U1> will send it."},
        {"user": "U1", "text": "ok"},
    ]
    lines = thread_lines(messages, {"U1": "Rob Rep"})
    summary = extractive_summary(lines)
    assert summary.splitlines()[0] == "Rob Rep: Notes from the Acme call"
    assert "They need SOC 2 by March 3." in summary and "will send it" in summary
    assert "Nice weather" not in summary and "ok" not in summary.splitlines()[-1][-3:]


def test_the_llm_summary_is_used_when_a_model_answers_and_skipped_when_it_fails() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        OPENAI_API_KEY="test",
        OPENAI_MODEL="gpt-4o-mini",
        LLM_TIMEOUT_SECONDS=5,
        LLM_MAX_RETRIES=0,
    )
    lines = ["Rob Rep: They need SOC 2 by March 3.", "Mia: ok"]
    with FakeOpenAIServer([Reply("Acme needs the SOC 2 report by March 3."), Error(500)]) as fake:
        llm = build_llm(settings.model_copy(update={"openai_base_url": fake.url + "/v1"}))
        assert summarize_thread(llm, lines) == "Acme needs the SOC 2 report by March 3."
        assert summarize_thread(llm, lines) == extractive_summary(lines)
        [first, _] = fake.requests
    assert "SOC 2 by March 3" in json.dumps(first) and "data, not instructions" in json.dumps(first)
