"""The daily nudge message: a header line, then each item with its evidence and its buttons."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.slack.blocks.kit import Block, actions, button, context, divider, section
from bot.slack.blocks.limits import MAX_MESSAGE_BLOCKS, MAX_SECTION_CHARS, truncate
from bot.slack.blocks.text import esc, money, plural
from bot.slack.ids import (
    NUDGE_ACTIONS_BLOCK_PREFIX,
    NUDGE_DONE_ACTION_ID,
    NUDGE_DRAFT_ACTION_ID,
    NUDGE_ITEM_BLOCK_PREFIX,
    NUDGE_OPEN_ACTION_ID,
    NUDGE_SNOOZE_DAY_ACTION_ID,
    NUDGE_SNOOZE_WEEK_ACTION_ID,
)
from bot.slack.mrkdwn import escape

Item = dict[str, Any]
DEFAULT_MAX_ITEMS = 5
BLOCKS_PER_ITEM = 4  # section, evidence context, actions, divider
MAX_BLOCK_ID = 255
# Deal items whose "Done" records something real (the promise was kept), not just a dismissal.
ACKNOWLEDGE_KINDS = frozenset({"promised_follow_up"})
SETTINGS_HINT = "Change when these arrive with `/sales settings`."


def build_nudge_blocks(
    items: list[Item], *, user_name: str, local_date: date, max_items: int = DEFAULT_MAX_ITEMS
) -> list[Block]:
    """One message: a header line, each item (title, reason, dated evidence) and its buttons.

    Args:
        items: `Nudge.to_dict()` rows, best first.
        user_name: Who the message is for, as the CRM names them.
        local_date: Today where the rep is.
        max_items: How many items to show; the rest are counted in a closing line.
    """
    room = (MAX_MESSAGE_BLOCKS - 2) // BLOCKS_PER_ITEM
    unique = _unique(items)
    shown = unique[: max(0, min(max_items, room))]
    blocks = [section(_header(user_name, local_date, len(shown)))]
    for item in shown:
        blocks += [*item_blocks(item), divider()]
    footer = [SETTINGS_HINT]
    if len(unique) > len(shown):
        footer.insert(0, f"…and {plural(len(unique) - len(shown), 'more item')} after these.")
    blocks.append(context(" ".join(footer)))
    return blocks[:MAX_MESSAGE_BLOCKS]


def nudge_fallback_text(items: list[Item], *, local_date: date) -> str:
    """The notification text: how many items, and the first title (escaped)."""
    if not items:
        return f"Nothing needs you on {_day(local_date)}."
    first = esc(items[0].get("title"))
    return truncate(f"{plural(len(items), 'next action')} for {_day(local_date)}: {first}", 150)


def item_blocks(item: Item) -> list[Block]:
    """Title and reason, the dated evidence, and the buttons that fit this kind of item."""
    key = str(item.get("key", ""))
    text = f"*{esc(item.get('title'))}*\n{esc(item.get('reason'))}"
    head = section(text)
    head["block_id"] = _block_id(NUDGE_ITEM_BLOCK_PREFIX, key)
    return [
        head,
        context(_evidence_line(item)),
        actions(nudge_buttons(item), block_id=_block_id(NUDGE_ACTIONS_BLOCK_PREFIX, key)),
    ]


def nudge_buttons(item: Item) -> list[Block]:
    """Done (tasks and promises), Snooze 1 day / 1 week, and Open / Draft when a deal is named."""
    value = button_value(item)
    shown: list[Block] = []
    if item.get("task_id") is not None or item.get("kind") in ACKNOWLEDGE_KINDS:
        shown.append(button("Done", NUDGE_DONE_ACTION_ID, value, style="primary"))
    shown.append(button("Snooze 1 day", NUDGE_SNOOZE_DAY_ACTION_ID, value))
    shown.append(button("Snooze 1 week", NUDGE_SNOOZE_WEEK_ACTION_ID, value))
    if item.get("deal_id") is not None:
        shown.append(button("Open", NUDGE_OPEN_ACTION_ID, value))
        shown.append(button("Draft follow-up", NUDGE_DRAFT_ACTION_ID, value))
    return shown


def button_value(item: Item) -> str:
    """Compact JSON naming the item; listeners re-check every id against the clicker."""
    fields = {k: item.get(k) for k in ("key", "task_id", "deal_id")}
    return json.dumps(fields, separators=(",", ":"))


def mark_nudge_item(blocks: list[Block], key: str, note: str) -> list[Block]:
    """The message again with item `key`'s buttons replaced by `note` (escaped mrkdwn).

    Used to answer a click with `replace_original`: the other items keep their buttons.
    """
    target = _block_id(NUDGE_ACTIONS_BLOCK_PREFIX, key)
    marked = []
    for block in blocks:
        if block.get("block_id") == target:
            block = context(note) | {"block_id": target}
        marked.append(block)
    return marked


def build_draft_blocks(draft: str, *, title: str = "Draft follow-up") -> list[Block]:
    """A follow-up draft to copy, in a code block, with a reminder to review it."""
    body = escape(draft.replace("```", "'''"))
    room = MAX_SECTION_CHARS - len("```\n\n```")
    return [
        section(f"*{escape(title)}*"),
        section(f"```\n{truncate(body, room)}\n```"),
        context("Written only from this deal's CRM history. Review it before you send it."),
    ]


def _header(user_name: str, local_date: date, count: int) -> str:
    first = str(user_name or "").split(" ")[0]
    greeting = f"*Hi {esc(first, 'there')},*"
    if count == 0:
        return f"{greeting} nothing needs you on {_day(local_date)}."
    return f"{greeting} here are your {plural(count, 'next action')} for {_day(local_date)}:"


def _evidence_line(item: Item) -> str:
    parts = []
    if item.get("evidence"):
        parts.append(f"“{esc(item['evidence'])}”")
    if item.get("evidence_date"):
        parts.append(_date_text(item["evidence_date"]))
    where = [esc(item[k]) for k in ("deal", "account") if item.get(k)]
    if item.get("amount") not in (None, ""):
        where.append(money(item))
    return truncate(" · ".join(parts + where), MAX_SECTION_CHARS) or "—"


def _date_text(value: object) -> str:
    try:
        return _day(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return esc(value)


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


def _block_id(prefix: str, key: str) -> str:
    return (prefix + key)[:MAX_BLOCK_ID]


def _unique(items: list[Item]) -> list[Item]:
    """Items with distinct keys: a repeated block_id would make Slack refuse the whole message."""
    seen: set[str] = set()
    kept = []
    for item in items:
        key = str(item.get("key", ""))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
