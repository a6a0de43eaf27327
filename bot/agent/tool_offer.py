"""Which tools the LLM is offered for one question, in the compact form it is sent.

Every tool stays bound and scoped; only the schemas sent with each model request are narrowed,
to what the asker's role may use and what the question (with the previous question, for
follow-ups) is about. A question no domain word matches gets the role's everyday reads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from tools.bound_tools import shared_tools
from tools.principal import Principal

# About other reps or the whole team: a rep's own figures come from the other tools.
MANAGER_ONLY = frozenset({"rep_kpis", "coaching_brief"})
EVERYDAY = ("find_deals", "get_deal", "account_overview", "pipeline_summary", "next_actions")
# Words (prefixes, so "pipline" misses but "pipe" and "deals" hit) -> the tools they call for.
DOMAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"deal|opp|clos|won\b|win|lost|los[et]|stage|big|larg|top|over|worth|open|list|show",
        ("find_deals", "get_deal"),
    ),
    (r"pip|quota|attain|target|number|total|how am i|coverage", ("pipeline_summary",)),
    (r"account|customer|client|contact|talk to|stakeholder|who is at", ("account_overview",)),
    (
        r"say|said|mention|wr[io]te|email|call|meeting|note|compet|pric|concern|objection|feedback"
        r"|hear|ask(ed)? about",
        ("search_interactions",),
    ),
    (r"do today|should i|next|to-?do|task|overdue|due|follow|priorit|focus", ("next_actions",)),
    (r"week|slip|push|chang|new|advanc|review|how did", ("pipeline_review",)),
    (r"forecast|will we|predict|commit|expect|land|project", ("forecast",)),
    (r"rep|who|leader|behind|ahead|perform|doing|kpi|help|struggl|best|worst|rank", ("rep_kpis",)),
    (r"risk|stuck|stall|danger|worr|trouble", ("deal_risks",)),
    (r"1:1|1-1|one[- ]on[- ]one|coach|brief|prep", ("coaching_brief",)),
    (r"\blog|had a|met |spoke|emailed|called", ("log_interaction",)),
    (r"updat|chang|set |move|mark|push|bump|amount to|stage to", ("update_deal", "get_deal")),
    (r"remind|task|to-?do", ("create_task",)),
)
_COMPILED = tuple((re.compile(words), names) for words, names in DOMAINS)


def offered_names(principal: Principal, question: str, previous: Iterable[str] = ()) -> set[str]:
    """The tools worth sending for `question` (and the previous question of the conversation)."""
    text = " ".join([question, *previous]).lower()
    names = {name for words, tools in _COMPILED if words.search(text) for name in tools}
    if not names:
        names = set(EVERYDAY) | {"search_interactions"}
    if not principal.is_manager:
        names -= MANAGER_ONLY
    return names


def compact_schema(tool: BaseTool) -> dict[str, Any]:
    """The tool's OpenAI function schema without what costs tokens and tells the model nothing:
    `anyOf [T, null]` becomes T, `default: null` and titles go, whitespace runs shrink."""
    schema = convert_to_openai_tool(tool)
    function = schema["function"]
    function["description"] = _squeeze(function.get("description", ""))
    params = function.get("parameters", {})
    params["properties"] = {k: _compact(v) for k, v in params.get("properties", {}).items()}
    params.pop("title", None)
    return schema


def _compact(prop: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in prop.items() if k != "title" and not (k == "default" and v is None)}
    kinds = [o for o in out.pop("anyOf", []) if o.get("type") != "null"]
    if len(kinds) == 1:
        out.update(kinds[0])
    elif kinds:
        out["anyOf"] = kinds
    if "description" in out:
        out["description"] = _squeeze(out["description"])
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def schema_tokens_text(schemas: Sequence[dict[str, Any]]) -> str:
    """The schemas as one compact JSON string (what the token benchmark counts)."""
    return json.dumps(schemas, separators=(",", ":"))


def offered_schemas(names: set[str]) -> list[dict[str, Any]]:
    """The compact schemas of the offered tools, in the shared tools' order."""
    return [schema for name, schema in _all_schemas() if name in names]


@cache
def _all_schemas() -> tuple[tuple[str, dict[str, Any]], ...]:
    # The shared tools never change within a process, so their schemas are built once.
    return tuple((t.name, compact_schema(t)) for t in shared_tools())
