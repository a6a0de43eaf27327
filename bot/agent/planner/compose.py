"""The offline planner's answer, written from the tool artifacts alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.agent.choices import MAX_CHOICES
from bot.agent.planner.clarify import choices_text
from bot.agent.planner.compose_billing import BILLING_RENDERERS
from bot.agent.planner.compose_manager import MANAGER_RENDERERS
from bot.agent.planner.compose_shapes import shaped
from bot.agent.planner.compose_writes import compose_proposal
from bot.agent.planner.types import ToolResult
from tools.artifacts import ArtifactType, handler_for, past_due_sentence
from tools.billing.brief import billing_sentence
from tools.crm.currency import format_total
from tools.crm.money import to_decimal
from tools.display import (
    close_phrase,
    exact_money,
    human_words,
    label,
    plural,
    short_money,
    subject_line,
)


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
    return "\n\n".join(shaped(r, results) or _render(r) for r in results)


def _render(result: ToolResult) -> str:
    artifact = result.artifact
    if artifact is None:
        return result.content.strip() or "The tool returned nothing."
    render = handler_for(RENDERERS, artifact)
    return render(artifact) if render else result.content


def _money(amount: str | None, currency: str | None = "USD") -> str:
    """One deal's amount, exact (tools/display.py decides what is rounded)."""
    return exact_money(amount or "0", currency)


def _total(amount: str | None, currency: str | None = "USD") -> str:
    """A sum over deals, as sales teams say it: "$1.2M", "$45k"."""
    return short_money(amount or "0", currency)


def _note(artifact: dict[str, Any]) -> list[str]:
    return [f"_{artifact['note']}_"] if artifact.get("note") else []


def _list_total(a: dict[str, Any]) -> str:
    """A list's total: rounded when it is in one currency, else every currency's figure."""
    if a.get("total_amount") is not None:
        return _total(a["total_amount"], a.get("currency"))
    return format_total(a)


# The lists themselves are drawn under the words (CLI tables, Slack blocks), so the words give
# what the list adds up to, never the list again (tests/test_artifact_renderers.py).
def _deals(a: dict[str, Any]) -> str:
    rows, title = a.get("rows", []), human_words(a.get("title", "Deals"))
    if not rows:
        lines = [f"No deals match *{title}*. Try a wider period or fewer filters."]
        return "\n".join(lines + _note(a))
    count = a.get("total_count", len(rows))
    lines = [f"*{title}*: {plural(count, 'deal')}, {_list_total(a)} in total."]
    if count > len(rows):
        lines.append(f"The {len(rows)} listed are the first {len(rows)} of {count}.")
    return "\n".join(lines + _note(a))


def _deal(a: dict[str, Any]) -> str:
    d = a["deal"]
    lines = [
        f"*{d['name']}* ({d['account']}): {_money(d['amount'], d.get('currency'))}"
        f" · {label(d['stage'])} · {close_phrase(d['stage'], d['close_date'])}",
        f"Owner {d['owner']} · "
        + (
            f"{plural(d['days_in_stage'], 'day')} in this stage."
            if d["days_in_stage"] is not None
            else "time in this stage unknown."
        ),
    ]
    if d.get("next_step"):
        lines.append(f"Next step: {d['next_step']}")
    lines += _contacts(a.get("contacts", []))
    overdue = sum(1 for t in a.get("tasks", []) if t.get("overdue"))
    if overdue:
        lines.append(f"{plural(overdue, 'open task')} overdue.")
    if billing := a.get("billing"):
        lines.append(billing_sentence(billing))
    return "\n".join(lines)


def _contacts(contacts: list[dict[str, Any]], limit: int = 5) -> list[str]:
    if not contacts:
        return []
    named = [f"{c['name']} ({c['title']})" if c.get("title") else c["name"] for c in contacts]
    more = f" and {len(named) - limit} more" if len(named) > limit else ""
    return [f"Contacts: {', '.join(named[:limit])}{more}"]


def _interactions_brief(items: list[dict[str, Any]], limit: int = 3) -> list[str]:
    if not items:
        return []
    lines = [f"- {i['date']} · {subject_line(i['kind'], i['subject'])}" for i in items[:limit]]
    cut = f" (latest {len(lines)} of {len(items)})" if len(items) > len(lines) else ""
    return [f"Recent interactions{cut}:", *lines]


def _account(a: dict[str, Any]) -> str:
    acc = a["account"]
    owner = f"owner {acc['owner']}" if acc.get("owner") else None
    about = " · ".join(p for p in (acc.get("industry"), owner) if p)
    lines = [f"*{acc['name']}*" + (f" ({about})" if about else "")]
    open_deals, closed = a.get("open_deals", []), a.get("closed_deals", [])
    won = [r for r in closed if r.get("stage") == "closed_won"]
    lost = [r for r in closed if r.get("stage") != "closed_won"]
    sums = (_deal_sum(open_deals, "open"), _deal_sum(won, "won"), _deal_sum(lost, "lost"))
    lines.append("; ".join(sums) + ".")
    lines += _contacts(a.get("contacts", []))
    if billing := a.get("billing"):
        lines.append(billing_sentence(billing))
    return "\n".join(lines + _interactions_brief(a.get("interactions", [])))


def _deal_sum(rows: list[dict[str, Any]], what: str) -> str:
    if not rows:
        return f"no {what} deals"
    currencies = {r.get("currency") or "USD" for r in rows}
    if len(currencies) > 1:
        return f"{plural(len(rows), what + ' deal')}"
    amount = sum(to_decimal(r["amount"]) for r in rows)
    return f"{plural(len(rows), what + ' deal')} ({_total(str(amount), currencies.pop())})"


def _pipeline(a: dict[str, Any]) -> str:
    cur = a.get("currency", "USD")
    period = (a.get("period") or {}).get("label")
    lines = [
        f"*Pipeline for {a['scope_label']}{f', {period}' if period else ''}*",
        f"Open: {plural(a['open_count'], 'deal')}, {_total(a['open_amount'], cur)}"
        f" (weighted {_total(a['weighted_amount'], cur)})",
        f"Won: {plural(a['won_count'], 'deal')}, {_total(a['won_amount'], cur)}",
    ]
    lines = lines[:-1]  # the Won line again, with the past-due sentence after it
    lines.append(f"Won: {plural(a['won_count'], 'deal')}, {_total(a['won_amount'], cur)}")
    if due := past_due_sentence(a.get("past_due"), lambda m: _total(m, cur)):
        lines.append(due)
    if a.get("quota"):
        pct = f" · attainment {a['attainment_pct']}%" if a.get("attainment_pct") else ""
        lines.append(f"Quota: {_total(a['quota'], cur)}{pct}")
    else:
        lines.append("No quota is set for this period.")
    return "\n".join(lines + _note(a))


def _next_actions(a: dict[str, Any]) -> str:
    items = a.get("items", [])
    if not items:
        return "You're all caught up: nothing overdue, due today or going quiet."
    first = items[0]
    return (
        f"{plural(len(items), 'thing')} {'needs' if len(items) == 1 else 'need'} you, "
        "most important first. "
        f"Start with *{first['title']}*: {first['reason']}."
    )


def _interactions(a: dict[str, Any]) -> str:
    hits, query = a.get("hits", []), a.get("query", "")
    summary = a.get("summary")  # the sentence first: how many matched, who said what, when
    if not hits:
        return summary or f"I didn't find any emails, calls, meetings or notes about '{query}'."
    # The interfaces list the hits themselves; the text says what was found, once.
    return summary or f"Found {plural(len(hits), 'interaction')} about *{query}*, best match first."


def _not_found(a: dict[str, Any]) -> str:
    what = a.get("what", "record")
    article = "an" if what[:1] in "aeiou" else "a"
    text = f"I couldn't find {article} {what} matching '{a.get('query', '')}'."
    if suggestions := a.get("suggestions") or []:
        return choices_text(suggestions[:MAX_CHOICES], f"{text} Did you mean:")
    return f"{text} Check the spelling, or ask again with the full name."


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
