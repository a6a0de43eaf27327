"""The readings or names an answer offers, as buttons under it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.agent.answer import Choice
from bot.slack.blocks.kit import Block, actions, button
from bot.slack.blocks.limits import MAX_BUTTON_VALUE_CHARS
from bot.slack.ids import CHOICE_ACTION_PREFIX, CHOICE_BLOCK_ID

_QUESTION_CHARS = 600


def build_choice_blocks(choices: Sequence[Choice], question: str, answer: str) -> list[Block]:
    """One actions block, a button per choice; empty when there is nothing to choose.

    Each value carries the exchange (question and answer) and the reply, so a click asks the
    same as typing the number would, as whoever clicks; it is a request, never a permission.
    """
    if not choices:
        return []
    buttons = [
        button(f"{n}. {c.label}", f"{CHOICE_ACTION_PREFIX}{n}", choice_value(c, question, answer))
        for n, c in enumerate(choices, 1)
    ]
    return [actions(buttons, block_id=CHOICE_BLOCK_ID)]


def choice_value(choice: Choice, question: str, answer: str) -> str:
    """`{"q", "a", "r"}` within Slack's 2,000 characters; the answer is cut first."""
    q = question[:_QUESTION_CHARS]
    r = choice.reply[:_QUESTION_CHARS]
    bare = json.dumps({"q": q, "a": "", "r": r})
    room = MAX_BUTTON_VALUE_CHARS - len(bare)
    # json.dumps may escape a character as up to 12; cut until it fits.
    a = answer[:room]
    while len(value := json.dumps({"q": q, "a": a, "r": r})) > MAX_BUTTON_VALUE_CHARS:
        a = a[: max(0, len(a) - (len(value) - MAX_BUTTON_VALUE_CHARS) - 1)]
    return value
