"""Odd but legal input: a 100 KB message, emoji and right-to-left names, SQL-like names, and Slack
or Rich markup stored in the CRM. Each is found, shown as written, escaped, and changes nothing.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import func, select
from support.adversarial.checks import sent
from support.adversarial.data import (
    ARABIC_NAME,
    EMOJI_NAME,
    HEBREW_NAME,
    NOA_NAME,
    RICH_DEAL,
    SQL_NAME,
)
from support.adversarial.oracle import crm_fingerprint
from support.adversarial.world import World
from support.slack_harness import SlackHarness

from bot.agent.answer import Answer
from bot.cli.nudges import _items_table
from bot.cli.render import print_artifacts
from bot.slack.blocks import build_answer_blocks, fallback_text
from tools.models import Deal
from tools.principal import get_principal_by_email

# A bare URL may become a link showing its own address; a link showing other words may not.
RAW_SLACK_MARKUP = ("<!channel>", "<!here>", "<@U123>", "|bank.com>")
DISGUISED_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|")


def ask(world: World, email: str, question: str) -> Answer:
    with world.sessions() as session:
        principal = get_principal_by_email(session, email)
    return world.runner.ask(principal, question)


def slack_dump(answer: Answer) -> str:
    blocks = build_answer_blocks(answer, timezone="UTC", max_rows=50)
    return json.dumps(blocks, ensure_ascii=False) + "\n" + fallback_text(answer)


def cli_text(answer: Answer) -> str:
    console = Console(record=True, width=300, color_system=None)
    print_artifacts(console, answer.artifacts)
    return console.export_text()


def test_a_100_kb_message_is_acked_and_answered(harness: SlackHarness) -> None:
    harness.slack.clear_calls()
    text = "what should I do today? " + "blah " * 20_000  # 100 KB of words
    event = {"type": "message", "channel": "D1", "channel_type": "im", "user": "UROB"}
    started = time.perf_counter()
    status, _ = harness.send(event_json(harness, {**event, "text": text}))
    acked = time.perf_counter() - started
    harness.deps.work.join()
    print(f"\n100 KB message: acknowledged in {acked * 1000:.0f} ms (HTTP {status})")
    [reply] = [c for c in sent(harness) if c["method"] == "chat.postMessage"]
    assert status == 200
    assert "Send revised quote to Acme" in json.dumps(reply["blocks"])


def event_json(harness: SlackHarness, event: dict[str, Any]) -> str:
    from support.fakes.signing import event_body

    return event_body({**event, "ts": harness.slack.next_ts()}, f"EvBig{time.time_ns()}")


@pytest.mark.parametrize(
    ("email", "question", "shown"),
    [
        ("rob@x.test", "account overview شركة الافق", ARABIC_NAME),  # typed without the hamza
        ("rob@x.test", "how is the شركة الأفق deal?", f"{ARABIC_NAME} – توسعة"),
        ("mia@x.test", "show the חברת אופק account", HEBREW_NAME),
        ("mia@x.test", f"pipeline for {NOA_NAME}", NOA_NAME),
        ("rob@x.test", "how is the rocket emoji labs deal going?", f"{EMOJI_NAME} – 🎉 Launch"),
        ("rob@x.test", "what did they say about the launch budget?", "Launch call 🎉"),
        ("rob@x.test", "what did they say about الميزانية", "اجتماع الميزانية"),
    ],
)
def test_emoji_and_right_to_left_names_are_found_and_shown_as_written(
    world: World, email: str, question: str, shown: str
) -> None:
    answer = ask(world, email, question)
    assert shown in json.dumps(answer.artifacts, ensure_ascii=False), answer.text
    assert shown in slack_dump(answer)
    assert shown in cli_text(answer)


def test_sql_like_names_are_stored_found_and_harmless(world: World) -> None:
    before = crm_fingerprint(world.sessions)
    for question in (f"account overview {SQL_NAME}", f"what did {SQL_NAME} say?", SQL_NAME):
        answer = ask(world, "rob@x.test", question)
        assert "Traceback" not in answer.text
    answer = ask(world, "rob@x.test", f"account overview {SQL_NAME}")
    assert f'"account": {json.dumps(SQL_NAME)}' in json.dumps(answer.artifacts), answer.text
    assert SQL_NAME in slack_dump(answer).replace("&#39;", "'")
    assert crm_fingerprint(world.sessions) == before
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Deal)) == 17


@pytest.mark.parametrize(
    "question",
    [
        "account overview Acme Corp",  # lists the deal whose name is Slack markup
        "what did they write about the pricing budget in emails?",  # the planted email
        "show my open deals",
    ],
)
def test_slack_markup_in_crm_data_is_escaped_in_every_block(world: World, question: str) -> None:
    answer = ask(world, "rob@x.test", question)
    dump = slack_dump(answer)
    assert "&lt;!channel&gt;" in dump  # the markup was there, and shown as text
    assert [m for m in RAW_SLACK_MARKUP if m in dump] == []
    assert not DISGUISED_LINK.search(dump)


def test_slack_markup_in_a_deal_next_step_is_escaped(world: World) -> None:
    with world.sessions() as session:
        principal = get_principal_by_email(session, "rob@x.test")
    from tools.context import ToolContext
    from tools.crm_tools import make_tools

    tools = {t.name: t for t in make_tools(ToolContext(principal, world.sessions))}
    call = {"type": "tool_call", "id": "1", "name": "get_deal", "args": {"deal": "106"}}
    artifact = tools["get_deal"].invoke(call).artifact
    assert artifact["type"] == "deal" and "<!here>" in artifact["deal"]["next_step"]
    dump = slack_dump(Answer("", artifacts=[artifact]))
    assert "&lt;!here&gt;" in dump and [m for m in RAW_SLACK_MARKUP if m in dump] == []
    assert not DISGUISED_LINK.search(dump)


def test_rich_markup_in_crm_data_is_printed_literally_by_the_cli(world: World) -> None:
    answer = ask(world, "rob@x.test", "account overview rocket emoji labs")
    assert RICH_DEAL in cli_text(answer)  # "[/]" used to crash Rich; "[link=...]" to disguise
    console = Console(record=True, width=300, color_system=None)
    console.print(_items_table("Daily nudge", [{"title": RICH_DEAL, "evidence": "[/] x"}]))
    assert RICH_DEAL in console.export_text()


# Values no model should send and no button should carry; tools are called directly (as App Home
# and "Show all" do), so nothing but the tools themselves stands between them and the database.
# "refused": a notice saying what works; "read": clamped (row counts) or cleaned (NUL dropped,
# lone surrogates made U+FFFD) and then answered as usual.
ODD_CALLS = [
    ("refused", "find_deals", {"inactive_days": 10**12}),
    ("refused", "find_deals", {"inactive_days": -5, "limit": 10**30}),
    ("refused", "find_deals", {"min_amount": float("inf")}),
    ("refused", "find_deals", {"period": "0001-01-01", "account": "Acme\x00 Corp"}),
    ("refused", "find_deals", {"period": "2026-02-31"}),
    ("refused", "find_deals", {"limit": "all"}),
    ("read", "find_deals", {"limit": 10**30, "account": "Acme\x00 Corp"}),
    ("read", "get_deal", {"deal": "Acme\ud800"}),
    ("read", "account_overview", {"account": "\x00"}),
    ("refused", "pipeline_summary", {"period": "9999-01-01 to 9999-12-31"}),
    ("read", "next_actions", {"limit": -(10**30)}),
    ("refused", "search_interactions", {"query": "budget\x00\udfff", "since": "0001-01-01"}),
    ("read", "search_interactions", {"query": "budget\x00\udfff", "limit": 10**30}),
    ("refused", "forecast", {"period": "Q4 9999"}),
    ("refused", "rep_kpis", {"period": "0001-01-01 to 0001-01-02"}),
    ("read", "deal_risks", {"limit": 10**30}),
    ("refused", "pipeline_review", {"since": "9999-12-31"}),
    ("refused", "coaching_brief", {"rep": "Rob\x00", "period": "9999-12-31"}),
    (
        "refused",
        "log_interaction",
        {"account": "Acme", "kind": "call", "text": "x", "when": "0001-01-01"},
    ),
    ("refused", "update_deal", {"deal": "Acme platform", "close_date": "9999-12-31"}),
    ("refused", "create_task", {"title": "\ud800", "due": "2026-13-45"}),
]


@pytest.mark.parametrize(
    ("expected", "name", "args"),
    ODD_CALLS,
    ids=[f"{n}-{i}" for i, (_, n, _) in enumerate(ODD_CALLS)],
)
def test_absurd_tool_arguments_get_a_sentence_never_a_traceback(
    world: World, expected: str, name: str, args: dict[str, Any]
) -> None:
    from tools.context import ToolContext
    from tools.crm_tools import make_tools

    with world.sessions() as session:
        principal = get_principal_by_email(session, "mia@x.test")
    before = crm_fingerprint(world.sessions)
    tools = {t.name: t for t in make_tools(ToolContext(principal, world.sessions, world.index))}
    message = tools[name].invoke({"type": "tool_call", "id": "odd", "name": name, "args": args})

    said = json.dumps(message.artifact or message.content, ensure_ascii=False)
    kind = (message.artifact or {}).get("type")
    assert "Traceback" not in said
    if expected == "refused":
        assert kind == "notice" or message.status == "error", said
        assert len(said) < 400
    else:
        assert kind not in {None, "notice"}, said
    assert crm_fingerprint(world.sessions) == before


@pytest.mark.parametrize(
    "question",
    ["deals closing 0001-01-01", "pipeline for Q1 0000", "deals closing 2026-02-31"],
)
def test_impossible_dates_in_a_question_are_answered(world: World, question: str) -> None:
    answer = ask(world, "rob@x.test", question)
    notices = [a["text"] for a in answer.artifacts if a["type"] == "notice"]
    assert notices and "try 'this quarter'" in notices[0], answer.text
