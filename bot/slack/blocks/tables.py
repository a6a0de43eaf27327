"""Artifacts as blocks, mirroring bot/cli/render.py: every figure copied from the artifact."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.blocks.analytics import RENDERERS as ANALYTICS_RENDERERS
from bot.slack.blocks.billing import RENDERERS as BILLING_RENDERERS
from bot.slack.blocks.figures import (
    open_deal_button,
    render_interactions,
    render_next_actions,
    render_pipeline,
)
from bot.slack.blocks.kit import Block, context, section
from bot.slack.blocks.people import RENDERERS as PEOPLE_RENDERERS
from bot.slack.blocks.proposals import render_proposal
from bot.slack.blocks.text import bullets, esc, money, plural, stage
from bot.slack.blocks.views import View
from tools.artifacts import ArtifactType, handler_for
from tools.billing.brief import billing_sentence
from tools.crm.currency import format_total
from tools.display import close_phrase, human_words, subject_line

Artifact = dict[str, Any]


def render_artifact(artifact: Artifact) -> list[View]:
    """The views of one artifact; none for `not_found` and `notice` (the answer says it)."""
    renderer = handler_for(RENDERERS, artifact)
    return renderer(artifact) if renderer else []


def deal_row_block(row: Artifact) -> Block:
    """One deal on two lines, with a Details button when the row has an id."""
    last = row.get("last_activity") or "never"
    text = (
        f"*{esc(row.get('name'))}* · {esc(row.get('account'))}\n"
        f"{stage(row.get('stage'))} · *{money(row)}* · "
        f"{esc(close_phrase(row.get('stage'), row.get('close_date')))}"
        f" · {esc(row.get('owner'))} · last activity {esc(last)}"
    )
    return section(text, accessory=open_deal_button(row.get("id")))


def note_blocks(artifact: Artifact) -> list[Block]:
    note = artifact.get("note")
    return [context(esc(note))] if note else []


def deals_headline(artifact: Artifact) -> str:
    count = artifact.get("total_count", len(artifact.get("rows", [])))
    amount = esc(format_total(artifact))
    title = human_words(str(artifact.get("title") or "Deals"))
    return f"{esc(title)}: {plural(count, 'deal')}, {amount}"


def _deals(artifact: Artifact) -> list[View]:
    rows = artifact.get("rows", [])
    intro = [section(f"*{deals_headline(artifact)}*"), *note_blocks(artifact)]
    total = max(int(artifact.get("total_count") or 0), len(rows))
    return [View(intro, [deal_row_block(r) for r in rows], total)]


def _deal(artifact: Artifact) -> list[View]:
    d = artifact.get("deal", {})
    fields = [
        f"*Account*\n{esc(d.get('account'))}",
        f"*Owner*\n{esc(d.get('owner'))}",
        f"*Stage*\n{stage(d.get('stage'))} ({_stay(d.get('days_in_stage'))})",
        f"*Amount*\n{money(d)}",
        f"*Close date*\n{esc(d.get('close_date'))}",
        f"*Last activity*\n{esc(d.get('last_activity'), 'never')}",
        f"*Next step*\n{esc(d.get('next_step'), 'none recorded')}",
    ]
    views = [View([section(f"*{esc(d.get('name'))}*", fields)])]
    if billing := artifact.get("billing"):
        views.append(View([section(esc(billing_sentence(billing)))]))
    lists = (
        ("*Open tasks*", [_task_line(t) for t in artifact.get("tasks", [])]),
        ("*Contacts*", [_contact_line(c) for c in artifact.get("contacts", [])]),
        ("*Recent interactions*", [_interaction_line(i) for i in artifact.get("interactions", [])]),
    )
    return views + [View([bullets(title, lines)]) for title, lines in lists if lines]


def _account(artifact: Artifact) -> list[View]:
    a = artifact.get("account", {})
    open_deals = artifact.get("open_deals", [])
    closed = artifact.get("closed_deals", [])
    fields = [
        f"*Industry*\n{esc(a.get('industry'), 'unknown')}",
        f"*Owner*\n{esc(a.get('owner'), 'unassigned')}",
    ]
    views = [View([section(f"*{esc(a.get('name'))}*", fields)])]
    if billing := artifact.get("billing"):
        views.append(View([section(esc(billing_sentence(billing)))]))
    for title, rows in (("Open deals", open_deals), ("Closed deals", closed)):
        if rows:
            intro = [section(f"*{title}* ({len(rows)})")]
            views.append(View(intro, [deal_row_block(r) for r in rows], len(rows)))
    lists = (
        ("*Contacts*", [_contact_line(c) for c in artifact.get("contacts", [])]),
        ("*Recent interactions*", [_interaction_line(i) for i in artifact.get("interactions", [])]),
    )
    return views + [View([bullets(title, lines)]) for title, lines in lists if lines]


def _task_line(task: Artifact) -> str:
    late = " *(overdue)*" if task.get("overdue") else ""
    return f"{esc(task.get('title'))} — due {esc(task.get('due_date'), 'no date')}{late}"


def _contact_line(contact: Artifact) -> str:
    title = f", {esc(contact['title'])}" if contact.get("title") else ""
    email = f" ({esc(contact['email'])})" if contact.get("email") else ""
    return f"{esc(contact.get('name'))}{title}{email}"


def _interaction_line(hit: Artifact) -> str:
    return f"{esc(hit.get('date'))} · {esc(subject_line(hit.get('kind'), hit.get('subject')))}"


RENDERERS: dict[ArtifactType, Callable[[Artifact], list[View]]] = {
    ArtifactType.DEALS: _deals,
    ArtifactType.DEAL: _deal,
    ArtifactType.ACCOUNT: _account,
    ArtifactType.PIPELINE: render_pipeline,
    ArtifactType.NEXT_ACTIONS: render_next_actions,
    ArtifactType.INTERACTIONS: render_interactions,
    ArtifactType.WRITE_PROPOSAL: render_proposal,
    **ANALYTICS_RENDERERS,
    **PEOPLE_RENDERERS,
    **BILLING_RENDERERS,
}
"""The blocks of each artifact type; `notice` and `not_found` have none: the answer's text says
it (bot/slack/handlers/answers.py `unrendered_text`; tests/test_artifact_renderers.py)."""


def _stay(days: int | None) -> str:
    return "days unknown" if days is None else plural(days, "day")
