"""Answers shaped to the question: renderings chosen by the tool call, not only the artifact.

"Closed" lists won and lost apart, contacts questions get contacts with titles, quota
standing names who is behind, due tasks are tasks; every figure still comes from a tool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.agent.planner.types import ToolResult
from tools.crm.currency import format_total
from tools.crm.money import format_money

MAX_ROWS = 10
_OUTCOME = {"closed_won": ("Won", "closed on"), "closed_lost": ("Lost", "closed on")}


def _count(n: int, word: str = "deal") -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _closed(result: ToolResult, a: dict[str, Any]) -> str:
    label, verb = _OUTCOME[result.args["stage"]]
    when = f" {result.args['period']}" if result.args.get("period") else ""
    rows = a.get("rows", [])
    if not rows:
        return f"*{label}*{when}: none."
    lines = [f"*{label}*{when}: {_count(a['total_count'])}, {format_total(a)} in total."]
    for r in rows[:MAX_ROWS]:
        amount = format_money(r["amount"], r.get("currency") or "USD")
        lines.append(f"- *{r['name']}* ({r['account']}): {amount} · {verb} {r['close_date']}"
                     f" · {r.get('owner') or ''}".rstrip(" ·"))  # fmt: skip
    if a["total_count"] > len(rows[:MAX_ROWS]):
        lines.append(f"…and {a['total_count'] - len(rows[:MAX_ROWS])} more.")
    return "\n".join(lines)


def _open_total(result: ToolResult, a: dict[str, Any]) -> str:
    owner = result.args.get("owner")
    # A rep asking for "the team" gets their own book, with the tool's note saying so.
    mine = owner in (None, "me") or bool(a.get("note"))
    who = "yours" if mine else "your team's" if owner == "team" else f"{owner}'s"
    return (f"*Total open pipeline* ({who}): {_count(a['total_count'])}, {format_total(a)}."
            "\nOf it, closing this quarter:")  # fmt: skip


def _contacts(result: ToolResult, a: dict[str, Any]) -> str:
    name = a["account"]["name"]
    contacts = a.get("contacts", [])
    if not contacts:
        return f"No contacts are recorded for *{name}*."
    lines = [f"*Contacts at {name}*:"]
    for c in contacts[:MAX_ROWS]:
        title = f", {c['title']}" if c.get("title") else ""
        email = f" · {c['email']}" if c.get("email") else ""
        lines.append(f"- {c['name']}{title}{email}")
    return "\n".join(lines)


def _standing(result: ToolResult, a: dict[str, Any]) -> str:
    direction = result.args.get("direction", "behind")
    label = (a.get("period") or {}).get("label", "")
    rows = a.get("rows", [])
    note = f"\n_{a['note']}_" if a.get("note") else ""
    if not rows:
        who = a.get("scope_label", "the team")
        return f"Nobody on {who} is {direction} quota pace for {label}.{note}"
    lines = [f"*{direction.capitalize()} quota pace, {label}* ({_count(len(rows), 'rep')}):"]
    for r in rows:
        quota = format_money(r["quota"]) if r.get("quota") else "no quota"
        lines.append(f"- *{r['name']}*: {r['attainment_pct']}% of {quota}"
                     f" (won {format_money(r['won_amount'])})")  # fmt: skip
    return "\n".join(lines) + note


def _due(result: ToolResult, a: dict[str, Any]) -> str:
    items = a.get("items", [])
    period = result.args.get("period", "this week")
    if not items:
        return f"Nothing is due {period}."
    lines = [f"*Tasks due {period}* ({_count(len(items), 'task')}):"]
    for item in items[:MAX_ROWS]:
        where = " · ".join(x for x in (item.get("deal"), item.get("account")) if x)
        overdue = ", overdue" if item["reason"].startswith("overdue") else ""
        lines.append(f"- {item['title']} (due {item['due_date']}{overdue})"
                     + (f" · {where}" if where else ""))  # fmt: skip
    return "\n".join(lines)


def _ranked(result: ToolResult, a: dict[str, Any]) -> str:
    """The ranked rows themselves, then how many deals they were picked from."""
    rows = a.get("rows", [])
    if not rows:
        # A manager's "my biggest deals" when the team owns them: say whose book was ranked.
        mine = result.args.get("owner") == "me"
        return "You own no deals that match." if mine else "No deals match those filters."
    lines = [f"*{a['title']}*:"]
    for r in rows[:MAX_ROWS]:
        amount = format_money(r["amount"], r.get("currency") or "USD")
        last = f" · last activity {r['last_activity']}" if r.get("last_activity") else ""
        lines.append(f"- *{r['name']}* ({r['account']}): {amount} · closes {r['close_date']}"
                     f" · {r.get('owner') or ''}{last}")  # fmt: skip
    picked = f"Ranked among {_count(a['total_count'])} ({format_total(a)} in total)."
    note = f"\n_{a['note']}_" if a.get("note") else ""
    return "\n".join(lines) + f"\n\n{picked}" + note


def shaped(result: ToolResult, results: list[ToolResult]) -> str | None:
    """The question-shaped rendering of `result`, or None for the artifact's own."""
    a = result.artifact
    if a is None or a.get("type") in ("not_found", "notice"):
        return None
    render: Callable[[ToolResult, dict[str, Any]], str] | None = None
    if result.name == "find_deals" and result.args.get("stage") in _OUTCOME:
        render = _closed
    elif result.name == "find_deals" and _with_quarter(result, results):
        render = _open_total
    else:
        render = {"account_contacts": _contacts, "quota_standing": _standing, "rank_deals": _ranked,
                  "due_tasks": _due}.get(result.name)  # fmt: skip
    return render(result, a) if render else None


def _with_quarter(result: ToolResult, results: list[ToolResult]) -> bool:
    """ "My pipeline": the open total, then the pipeline summary of this quarter."""
    return result.args.get("stage") == "open" and any(r.name == "pipeline_summary" for r in results)
