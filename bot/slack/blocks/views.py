"""A rendered artifact as intro blocks plus one block per row, and fitting them into a budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.slack.blocks.kit import Block, context


@dataclass(frozen=True, slots=True)
class View:
    """`total` counts every row that exists, which may be more than the `rows` rendered."""

    intro: list[Block]
    rows: list[Block] = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True, slots=True)
class Fitted:
    blocks: list[Block]
    cut: bool


def fit_views(views: Sequence[View], room: int, *, max_rows: int, more: bool) -> Fitted:
    """At most `room` blocks; rows beyond `max_rows` or the room end in a "Showing N of M" line."""
    blocks: list[Block] = []
    cut = False
    for view in views:
        spare = room - len(blocks) - 1  # one kept back for the "left out" line
        if len(view.intro) + 1 + min(1, len(view.rows)) > spare:
            blocks.append(context("_More results were left out to fit in one Slack message._"))
            return Fitted(blocks, True)
        shown = min(len(view.rows), max(max_rows, 0), spare - len(view.intro) - 1)
        blocks += view.intro + view.rows[:shown]
        if shown < max(view.total, len(view.rows)):
            blocks.append(showing_note(shown, max(view.total, len(view.rows)), more=more))
            cut = True
    return Fitted(blocks, cut)


def showing_note(shown: int, total: int, *, more: bool) -> Block:
    hint = "press *Show all* to see every one." if more else "ask me to narrow it down."
    return context(f"Showing {shown} of {total} — {hint}")
