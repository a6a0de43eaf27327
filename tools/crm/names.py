"""Fuzzy lookup of accounts, deals and people by the words a user typed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.scope import account_visible, deal_visible, user_visible
from tools.models import OPEN_STAGES, Account, Deal, User
from tools.principal import Principal

MATCH_THRESHOLD = 72
SUGGEST_THRESHOLD = 60
# Fuzzy matching happens in Python; cap the candidates so a huge book stays fast.
MAX_CANDIDATES = 20_000


@dataclass(frozen=True, slots=True)
class Match:
    """The best candidate for a name, or none, with near misses to suggest."""

    id: int | None
    name: str | None
    suggestions: tuple[str, ...]


def best_match(query: str, candidates: Sequence[tuple[int, str]]) -> Match:
    """Pick the candidate whose name best matches `query` (case, typos and word order forgiven).

    Candidates come in order of preference: among equal scores the earlier one wins.
    """
    q = utils.default_process(query)
    if not q or not candidates:
        return Match(None, None, ())
    scores = [name_score(q, utils.default_process(name)) for _, name in candidates]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    if scores[best] >= MATCH_THRESHOLD:
        return Match(candidates[best][0], candidates[best][1], ())
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])[:3]
    return Match(
        None, None, tuple(candidates[i][1] for i in ranked if scores[i] >= SUGGEST_THRESHOLD)
    )


def name_score(query: str, choice: str) -> float:
    """0-100: how well every word typed finds a word of the name, plus overall likeness."""
    words = choice.split()
    if not words:
        return 0.0
    per_word = [max(fuzz.ratio(token, word) for word in words) for token in query.split()]
    coverage = sum(per_word) / len(per_word)
    return 0.7 * coverage + 0.3 * fuzz.WRatio(query, choice)


def match_account(session: Session, principal: Principal, query: str) -> Match:
    """Resolve an account name within the principal's scope."""
    rows = session.execute(
        select(Account.id, Account.name).where(account_visible(principal)).limit(MAX_CANDIDATES)
    ).all()
    return best_match(query, [(r[0], r[1]) for r in rows])


def match_deal(session: Session, principal: Principal, query: str) -> Match:
    """Resolve a deal by id (`123`, `#123`) or fuzzy name within the principal's scope."""
    text = query.strip().lstrip("#")
    if text.isdigit():
        row = session.execute(
            select(Deal.id, Deal.name).where(Deal.id == int(text), deal_visible(principal))
        ).first()
        return Match(row[0], row[1], ()) if row else Match(None, None, ())
    rows = session.execute(
        select(Deal.id, Deal.name)
        .where(deal_visible(principal))
        .order_by(Deal.stage.in_(OPEN_STAGES).desc(), Deal.close_date)
        .limit(MAX_CANDIDATES)
    ).all()
    return best_match(text, [(r[0], r[1]) for r in rows])


def match_user(session: Session, principal: Principal, query: str) -> Match:
    """Resolve a person by full or first name (or email) within the principal's scope."""
    rows = session.execute(select(User.id, User.name, User.email).where(user_visible(principal)))
    candidates: list[tuple[int, str]] = []
    q = query.strip().lower()
    for uid, name, email in rows:
        if q in {email.lower(), name.lower(), name.split()[0].lower()}:
            return Match(uid, name, ())
        candidates.append((uid, name))
    return best_match(query, candidates)


VOCABULARY_LIMIT = 5_000


def list_visible_names(
    session: Session, principal: Principal
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Account, deal and people names in scope, for matching the words of a question."""
    accounts = session.scalars(
        select(Account.name).where(account_visible(principal)).limit(VOCABULARY_LIMIT)
    ).all()
    deals = session.scalars(
        select(Deal.name)
        .where(deal_visible(principal))
        .order_by(Deal.stage.in_(OPEN_STAGES).desc(), Deal.close_date.desc())
        .limit(VOCABULARY_LIMIT)
    ).all()
    people = session.scalars(
        select(User.name).where(user_visible(principal), User.id != principal.user_id)
    ).all()
    return tuple(accounts), tuple(deals), tuple(people)
