"""One question read into slots and names: what the planner's rules decide from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.agent.planner.names import deal_account, find_deal, find_name, guess_person, name_aliases
from bot.agent.planner.slots import (
    extract_amount,
    extract_inactive_days,
    extract_kind,
    extract_limit,
    extract_period,
    extract_stage,
    normalize,
)


@dataclass(frozen=True)
class Parsed:
    """Everything the planner read from one question."""

    text: str
    words: frozenset[str]
    rest: tuple[str, ...]  # tokens no slot or name claimed: unknown names and fillers
    topic: tuple[str, ...] = ()  # tokens no slot, account or person claimed: what to search for
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
    """Read every slot, then the names, from what is left of the question."""
    norm = normalize(text)
    limit, rest = extract_limit(norm)
    inactive, rest = extract_inactive_days(rest)
    amount, rest = extract_amount(rest)
    period, rest = extract_period(rest)
    tokens = rest.split()
    account, person, used = _names(tokens, accounts, deals, reps, me)
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


def _names(
    tokens: list[str],
    accounts: tuple[str, ...],
    deals: tuple[str, ...],
    reps: tuple[str, ...],
    me: str,
) -> tuple[str | None, str | None, set[int]]:
    known = tuple(dict.fromkeys([*accounts, *map(deal_account, deals)]))
    account = find_name(tokens, name_aliases(known))
    person = find_name(tokens, name_aliases((*reps, me), any_word=True))
    if account and person and account.start < person.end and person.start < account.end:
        # One span, two readings: keep the closer match, the account on a tie.
        account, person = (account, None) if account.score >= person.score else (None, person)
    used = {i for hit in (account, person) if hit for i in range(hit.start, hit.end)}
    who = None if person is None else "me" if person.name == me else person.name
    return (account.name if account else None), who, used
