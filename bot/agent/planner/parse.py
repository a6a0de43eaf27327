"""One question read into slots and names: what the planner decides from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.agent.planner.names import deal_account, find_deal, find_name, guess_person, name_aliases
from bot.agent.planner.periods import extract_period
from bot.agent.planner.slots import (
    extract_amount,
    extract_inactive_days,
    extract_kind,
    extract_limit,
    extract_stage,
)
from bot.agent.planner.spelling import correct
from bot.agent.planner.textutil import capitalized, normalize


@dataclass(frozen=True)
class Parsed:
    """Everything the planner read from one question."""

    text: str
    words: frozenset[str]
    rest: tuple[str, ...]  # tokens no slot or name claimed: unknown names and fillers
    topic: tuple[str, ...] = ()  # tokens no slot, account or person claimed: what to search for
    masked: str = ""  # the question with names and numbers replaced, for the intent model
    proper: frozenset[str] = frozenset()  # words written with a capital mid-sentence
    amount: float | None = None
    inactive_days: int | None = None
    period: str | None = None
    stage: str | None = None
    kind: str | None = None
    limit: int | None = None
    account: str | None = None
    deal: str | None = None
    person: str | None = None  # a rep's full name, "me", or a name guessed from the phrasing


_DEAL_ID = re.compile(r"\b(?:deal|opp|opportunity|id)\s+(\d{1,7})\b")


def parse(
    text: str, accounts: tuple[str, ...], deals: tuple[str, ...], reps: tuple[str, ...], me: str
) -> Parsed:
    """Correct the domain words, read every slot, then the names from what is left."""
    raw = normalize(text)
    norm = correct(raw, keep=_name_words(accounts, deals, reps, me))
    limit, rest = extract_limit(norm)
    inactive, rest = extract_inactive_days(rest)
    amount, rest = extract_amount(rest)
    period, rest = extract_period(rest)
    tokens = rest.split()
    account, person, spans = _names(tokens, accounts, deals, reps, me)
    used = {i for start, end, _ in spans for i in range(start, end)}
    deal, deal_used = find_deal(tokens, deals, account)
    if m := _DEAL_ID.search(rest):
        deal = m[1]
    left = tuple(t for i, t in enumerate(tokens) if i not in used | deal_used)
    plain = " ".join(left)  # stage and kind words inside a name ("Open Road Media") don't count
    return Parsed(
        text=norm,
        words=frozenset(norm.split()),
        rest=left,
        topic=tuple(t for i, t in enumerate(tokens) if i not in used),
        masked=_masked(norm, tokens, spans, deal_used),
        proper=capitalized(text),
        amount=amount,
        inactive_days=inactive,
        period=period,
        stage=extract_stage(plain),
        kind=extract_kind(plain),
        limit=limit,
        account=account,
        deal=deal,
        person=person or (None if account else guess_person(text)),
    )


def _name_words(
    accounts: tuple[str, ...], deals: tuple[str, ...], reps: tuple[str, ...], me: str
) -> frozenset[str]:
    return frozenset(w for n in (*accounts, *deals, *reps, me) for w in normalize(n).split())


def _masked(
    norm: str, tokens: list[str], spans: list[tuple[int, int, str]], deal_used: set[int]
) -> str:
    """Names become their kind and numbers a 0, so the model learns phrasings, not names."""
    named = [(" ".join(tokens[start:end]), kind) for start, end, kind in spans]
    named += [(tokens[i], "dealname") for i in sorted(deal_used)]
    masked = f" {norm} "
    for phrase, kind in named:
        masked = masked.replace(f" {phrase} ", f" {kind} ")
    return " ".join(re.sub(r"\d+", "0", masked).split())


def _names(
    tokens: list[str],
    accounts: tuple[str, ...],
    deals: tuple[str, ...],
    reps: tuple[str, ...],
    me: str,
) -> tuple[str | None, str | None, list[tuple[int, int, str]]]:
    known = tuple(dict.fromkeys([*accounts, *map(deal_account, deals)]))
    account = find_name(tokens, name_aliases(known))
    person = find_name(tokens, name_aliases((*reps, me), any_word=True))
    if account and person and account.start < person.end and person.start < account.end:
        # One span, two readings: keep the closer match, the account on a tie.
        account, person = (account, None) if account.score >= person.score else (None, person)
    spans = [(h.start, h.end, kind) for h, kind in ((account, "acct"), (person, "rep")) if h]
    who = None if person is None else "me" if person.name == me else person.name
    return (account.name if account else None), who, spans
