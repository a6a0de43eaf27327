"""The offline planner's write requests: log an interaction, update a deal, create a task.

Read from the raw words (so a logged note keeps its capitals), each becomes one call to a
proposing tool; the user still confirms before anything is saved.
"""

from __future__ import annotations

import re
from typing import Any

from bot.agent.planner.names import only_deal
from bot.agent.planner.parse import parse
from bot.agent.planner.types import PlannedCall, Vocabulary
from tools.writes.dates import find_date_phrase

_KIND = r"(call|phone call|meeting|email|e-mail|note|linkedin message|demo)"
_LOG = re.compile(
    rf"^(?:please\s+)?(?:log|record|add|save|note down)\s+(?:a|an|the|my|this)?\s*{_KIND}"
    r"\s+(?:with|for|to|on|at|from)\s+(?P<target>[^:]+?)"
    r"(?:\s*[:\-–—]\s*|\s+(?:saying|that|about)\s+|$)(?P<text>.*)$",
    re.S,
)
_HAD = re.compile(
    rf"^(?:i\s+)?(?:just\s+)?(?:had|did)\s+(?:a|an|the)\s+{_KIND}\s+with\s+(?P<target>[^:]+?)"
    r"\s*[:\-–—]\s*(?P<text>.+)$",
    re.S,
)
_STAGE = (
    r"(prospecting|qualification|qualified|discovery|proposal|negotiation|negotiating"
    r"|closed[ _-]won|closed[ _-]lost|won|lost)"
)
_MOVE = re.compile(
    rf"^(?:please\s+)?(?:move|set|change|update|put|advance|progress|mark)\s+(?:the\s+)?"
    rf"(?P<target>.+?)(?:\s+deal)?(?:\s+stage)?\s+(?:to|into|as|at)\s+(?:stage\s+)?{_STAGE}"
    r"(?:\s+stage)?[.!]?$"
)
_MARK = re.compile(rf"^(?:please\s+)?mark\s+(?:the\s+)?(?P<target>.+?)\s+{_STAGE}[.!]?$")
_CLOSE = re.compile(
    r"^(?:please\s+)?(?:push|move|slip|set|change|update|pull)\s+(?:out\s+)?(?:the\s+)?"
    r"(?:(?P<a>.+?)\s+close\s*date|close\s*date\s+(?:for|of|on)\s+(?P<b>.+?))"
    r"(?:\s+(?:out|back|in))?\s+(?P<when>(?:to|by|until|till|for|into)\s+.+)$"
)
_PUSH = re.compile(
    r"^(?:please\s+)?(?:push|slip)\s+(?:the\s+)?(?P<target>.+?)\s+(?P<when>to\s+.+)$"
)
_AMOUNT = re.compile(
    r"^(?:please\s+)?(?:set|change|update|make)\s+(?:the\s+)?(?:(?P<a>.+?)\s+(?:amount|value|size)"
    r"|(?:amount|value|size)\s+(?:for|of|on)\s+(?P<b>.+?))\s+(?:to|at)\s+"
    r"(?P<amount>\$?\s*[\d.,]+\s*(?:k|m|thousand|million)?)[.!]?$"
)
_NEXT = re.compile(
    r"^(?:please\s+)?(?:set|change|update)?\s*(?:the\s+)?next\s+step\s+(?:for|on|of)\s+"
    r"(?P<target>.+?)(?:\s+to|\s+is|:)\s+(?P<step>.+)$",
    re.S,
)
_TASK = re.compile(
    r"^(?:please\s+)?(?:remind me(?:\s+to)?|add a (?:task|reminder|to-?do)(?:\s+to)?"
    r"|create a (?:task|reminder)(?:\s+to)?|new task:?|task:|to-?do:)\s+(?P<rest>.+)$",
    re.S,
)
_KINDS = {
    "phone call": "call",
    "e-mail": "email",
    "linkedin message": "linkedin",
    "demo": "meeting",
}


def plan_write(text: str, vocab: Vocabulary) -> PlannedCall | None:
    """The proposing tool call a write request needs, or None when it is not one."""
    raw = " ".join(text.strip().split())
    low = raw.lower()
    for reader in (_log, _stage, _close_date, _amount, _next_step, _task):
        args = reader(raw, low, vocab)
        if args is not None:
            return PlannedCall(*args)
    return None


def _log(raw: str, low: str, vocab: Vocabulary) -> tuple[str, dict[str, Any]] | None:
    m = _LOG.match(low) or _HAD.match(low)
    if m is None:
        return None
    target, when = _split_date(raw[m.start("target") : m.end("target")])
    account, deal = _names(target, vocab)
    args = {
        "account": account or target,
        "kind": _KINDS.get(m[1], m[1]),
        "text": raw[m.start("text") :].strip(),
        "deal": deal,
        "when": when,
    }
    return "log_interaction", _compact(args)


def _stage(raw: str, low: str, vocab: Vocabulary) -> tuple[str, dict[str, Any]] | None:
    m = _MOVE.match(low) or _MARK.match(low)
    if m is None or " close date" in m["target"]:
        return None
    stage = m.group(m.lastindex or 0).replace(" ", "_").replace("-", "_")
    return "update_deal", {"deal": _deal(m["target"], vocab), "stage": stage}


def _close_date(raw: str, low: str, vocab: Vocabulary) -> tuple[str, dict[str, Any]] | None:
    m = _CLOSE.match(low)
    target = (m["a"] or m["b"]) if m else None
    if m is None:
        m = _PUSH.match(low)
        target = m["target"] if m and find_date_phrase(m["when"]) else None
    if m is None or target is None:
        return None
    when = re.sub(r"^(?:to|by|until|till|for|into)\s+", "", m["when"]).rstrip(".!")
    return "update_deal", {"deal": _deal(target, vocab), "close_date": when}


def _amount(raw: str, low: str, vocab: Vocabulary) -> tuple[str, dict[str, Any]] | None:
    m = _AMOUNT.match(low)
    if m is None:
        return None
    amount = m["amount"].replace(" ", "")
    return "update_deal", {"deal": _deal(m["a"] or m["b"], vocab), "amount": amount}


def _next_step(raw: str, low: str, vocab: Vocabulary) -> tuple[str, dict[str, Any]] | None:
    m = _NEXT.match(low)
    if m is None:
        return None
    step = raw[m.start("step") :].strip()
    return "update_deal", {"deal": _deal(m["target"], vocab), "next_step": step}


def _task(raw: str, low: str, vocab: Vocabulary) -> tuple[str, dict[str, Any]] | None:
    m = _TASK.match(low)
    if m is None:
        return None
    title, due = _split_date(raw[m.start("rest") :])
    account, deal = _names(title, vocab)
    deal = deal or only_deal(vocab.deals, account)
    title = title.rstrip(" .!,")
    args = {"title": title[:1].upper() + title[1:], "due": due or "tomorrow", "deal": deal}
    return "create_task", _compact(args)


def _split_date(text: str) -> tuple[str, str | None]:
    """The words without their date phrase, and the phrase ("Friday", "next month")."""
    found = find_date_phrase(text)
    if found is None:
        return text.strip(), None
    rest = (text[: found.start()] + text[found.end() :]).strip(" ,")
    phrase = re.sub(r"^(?:by|on|due|before|until|till|for|to)\s+", "", found.group(0))
    return " ".join(rest.split()), phrase


def _names(words: str, vocab: Vocabulary) -> tuple[str | None, str | None]:
    p = parse(words, vocab.accounts, vocab.deals, vocab.reps, vocab.me)
    return p.account, p.deal


def _deal(target: str, vocab: Vocabulary) -> str:
    """A deal the vocabulary names, else the account's name (its open deal), else the words."""
    account, deal = _names(target, vocab)
    words = re.sub(r"^(?:the|my|our)\s+", "", target.strip())
    return deal or account or words


def _compact(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if v not in (None, "")}
