"""The offline planner's answer, written from the tool artifacts alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.agent.planner.compose_billing import BILLING_RENDERERS
from bot.agent.planner.compose_manager import MANAGER_RENDERERS
from bot.agent.planner.compose_writes import compose_proposal
from bot.agent.planner.types import ToolResult
from tools.artifacts import ArtifactType, handler_for
from tools.crm.currency import format_total
from tools.crm.money import format_money

MAX_ROWS = 10


def compose_answer(question: str, results: list[ToolResult]) -> str:
    """Write the reply from the tools' artifacts only, so every figure is one a tool returned.

    Args:
        question: what the user asked; unused, since the results alone carry the facts.
        results: each tool call with its content and artifact, in call order.

    Returns:
        Plain Markdown, one paragraph per result.
    """
    if not results:
        return "I couldn't find anything for that. Ask me for *help* to see what I can do."
    return "\n\n".join(_render(result) for result in results)


def _render(result: ToolResult) -> str:
    artifact = result.artifact
    if artifact is None:
        return result.content.strip() or "The tool returned nothing."
    render = handler_for(RENDERERS, artifact)
    return render(artifact) if render else result.content


def _money(amount: str | None, currency: str | None = "USD") -> str:
    return format_money(amount or "0", currency or "USD")


def _label(word: str) -> str:
    """ "closed_won" -> "Closed won", "linkedin" -> "LinkedIn"."""
    return "LinkedIn" if word == "linkedin" else word.replace("_", " ").capitalize()


def _deals_count(count: int) -> str:
    return f"{count} deal{'s' * (count != 1)}"


def _more(shown: int, total: int) -> list[str]:
    return [f"…and {total - shown} more."] if total > shown else []


def _note(artifact: dict[str, Any]) -> list[str]:
    return [f"_{artifact['note']}_"] if artifact.get("note") else []


def _deal_line(row: dict[str, Any], with_account: bool = True) -> str:
    where = f" ({row['account']})" if with_account else ""
    parts = [
        f"- *{row['name']}*{where}: {_money(row['amount'], row.get('currency'))}",
        _label(row["stage"]),
        f"closes {row['close_date']}",
        row.get("owner") or "",
        f"last activity {row['last_activity']}" if row.get("last_activity") else "",
    ]
    return " · ".join(p for p in parts if p)


def _deals(a: dict[str, Any]) -> str:
    rows, title = a.get("rows", []), a.get("title", "Deals")
    if not rows:
        lines = [f"No deals match *{title}*. Try a wider period or fewer filters."]
        return "\n".join(lines + _note(a))
    count, total = a.get("total_count", len(rows)), format_total(a)
    head = f"*{title}*: {_deals_count(count)}, {total} in total."
    lines = [head, *(_deal_line(r) for r in rows[:MAX_ROWS])]
    return "\n".join(lines + _more(min(len(rows), MAX_ROWS), count) + _note(a))


def _deal(a: dict[str, Any]) -> str:
    d = a["deal"]
    lines = [
        f"*{d['name']}* ({d['account']}): {_money(d['amount'], d.get('currency'))}"
        f" · {_label(d['stage'])} · closes {d['close_date']}",
        f"Owner {d['owner']} · {d['days_in_stage']} days in this stage.",
    ]
    if d.get("next_step"):
        lines.append(f"Next step: {d['next_step']}")
    lines += _contacts(a.get("contacts", []))
    lines += _interactions_brief(a.get("interactions", []))
    tasks = a.get("tasks", [])
    if tasks:
        lines.append("Open tasks:")
        lines += [
            f"- {t['title']} (due {t['due_date']}{', overdue' * t['overdue']})" for t in tasks
        ]
    return "\n".join(lines)


def _contacts(contacts: list[dict[str, Any]], limit: int = 5) -> list[str]:
    if not contacts:
        return []
    named = [f"{c['name']} ({c['title']})" if c.get("title") else c["name"] for c in contacts]
    return [f"Contacts: {', '.join(named[:limit])}", *_more(min(len(named), limit), len(named))]


def _interactions_brief(items: list[dict[str, Any]], limit: int = 3) -> list[str]:
    if not items:
        return []
    lines = [f"- {i['date']} · {_label(i['kind'])} · {i['subject']}" for i in items[:limit]]
    return ["Recent interactions:", *lines]


def _account(a: dict[str, Any]) -> str:
    acc = a["account"]
    owner = f"owner {acc['owner']}" if acc.get("owner") else None
    about = " · ".join(p for p in (acc.get("industry"), owner) if p)
    lines = [f"*{acc['name']}*" + (f" ({about})" if about else "")]
    open_deals, closed = a.get("open_deals", []), a.get("closed_deals", [])
    lines.append("Open deals:" if open_deals else "No open deals.")
    lines += [_deal_line(r, with_account=False) for r in open_deals[:MAX_ROWS]]
    lines += _more(min(len(open_deals), MAX_ROWS), len(open_deals))
    if closed:
        lines.append("Closed deals:")
        lines += [_deal_line(r, with_account=False) for r in closed[:5]]
        lines += _more(min(len(closed), 5), len(closed))
    lines += _contacts(a.get("contacts", []))
    return "\n".join(lines + _interactions_brief(a.get("interactions", [])))


def _pipeline(a: dict[str, Any]) -> str:
    cur = a.get("currency", "USD")
    label = (a.get("period") or {}).get("label")
    lines = [
        f"*Pipeline for {a['scope_label']}{f', {label}' if label else ''}*",
        f"Open: {_deals_count(a['open_count'])}, {_money(a['open_amount'], cur)}"
        f" (weighted {_money(a['weighted_amount'], cur)})",
    ]
    lines += [
        f"- {_label(s['stage'])}: {s['count']} · {_money(s['amount'], cur)}"
        f" (weighted {_money(s['weighted_amount'], cur)})"
        for s in a.get("by_stage", [])
    ]
    lines.append(f"Won: {_deals_count(a['won_count'])}, {_money(a['won_amount'], cur)}")
    if a.get("quota"):
        pct = f" · attainment {a['attainment_pct']}%" if a.get("attainment_pct") else ""
        lines.append(f"Quota: {_money(a['quota'], cur)}{pct}")
    else:
        lines.append("No quota is set for this period.")
    return "\n".join(lines + _note(a))


def _next_actions(a: dict[str, Any]) -> str:
    items = a.get("items", [])
    if not items:
        return "You're all caught up: nothing overdue, due today or going quiet."
    lines = ["Here's what needs you, most important first:"]
    for item in items[:MAX_ROWS]:
        due = f"due {item['due_date']}" if item.get("due_date") else None
        context = " · ".join(b for b in (item.get("deal"), item.get("account"), due) if b)
        lines.append(
            f"- *{item['title']}*: {item['reason']}" + (f" ({context})" if context else "")
        )
    return "\n".join(lines + _more(min(len(items), MAX_ROWS), len(items)))


def _interactions(a: dict[str, Any]) -> str:
    hits, query = a.get("hits", []), a.get("query", "")
    if not hits:
        return f"I didn't find any emails, calls, meetings or notes about '{query}'."
    lines = [f"Here's what I found about *{query}*:"]
    for h in hits[:MAX_ROWS]:
        where = f"{h['account']} / {h['deal']}" if h.get("deal") else h["account"]
        lines.append(
            f"- {h['date']} · {_label(h['kind'])} · {where}: *{h['subject']}*: {h['snippet']}"
        )
    return "\n".join(lines + _more(min(len(hits), MAX_ROWS), len(hits)))


def _not_found(a: dict[str, Any]) -> str:
    what = a.get("what", "record")
    article = "an" if what[:1] in "aeiou" else "a"
    text = f"I couldn't find {article} {what} matching '{a.get('query', '')}'."
    suggestions = a.get("suggestions") or []
    return text + (f" Did you mean {', '.join(suggestions)}?" if suggestions else "")


def _notice(a: dict[str, Any]) -> str:
    return str(a.get("text", ""))


RENDERERS: dict[ArtifactType, Callable[[dict[str, Any]], str]] = {
    ArtifactType.DEALS: _deals,
    ArtifactType.DEAL: _deal,
    ArtifactType.ACCOUNT: _account,
    ArtifactType.PIPELINE: _pipeline,
    ArtifactType.NEXT_ACTIONS: _next_actions,
    ArtifactType.INTERACTIONS: _interactions,
    ArtifactType.NOT_FOUND: _not_found,
    ArtifactType.NOTICE: _notice,
    **MANAGER_RENDERERS,
    **BILLING_RENDERERS,
    ArtifactType.WRITE_PROPOSAL: compose_proposal,
}
"""The planner's words for each artifact type (tests/test_artifact_renderers.py checks all)."""
