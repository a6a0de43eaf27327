"""Fuzzy lookup of accounts and deals by the words a user typed (people: tools/crm/users.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.users import list_other_names
from tools.models import OPEN_STAGES, Account, Deal
from tools.name_match import Match, best_match
from tools.principal import Principal
from tools.scope import account_visible, deal_visible

# Fuzzy matching happens in Python; cap the candidates so a huge book stays fast.
MAX_CANDIDATES = 20_000


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
    is_open = Deal.stage.in_(OPEN_STAGES)
    rows = session.execute(
        select(Deal.id, Deal.name, is_open)
        .where(deal_visible(principal))
        .order_by(is_open.desc(), Deal.close_date)
        .limit(MAX_CANDIDATES)
    ).all()
    # Open deals first when names tie: "how is the Acme deal going" means the one still open.
    tiers = [0 if r[2] else 1 for r in rows]
    return best_match(text, [(r[0], r[1]) for r in rows], tiers)


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
    people = list_other_names(session, principal.visible_owner_ids, principal.user_id)
    return tuple(accounts), tuple(deals), tuple(people)
