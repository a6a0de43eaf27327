"""Which deal, account or contact a write means, found only among what the writer may change.

A rep may change their own book, a manager their team's, an admin anyone's: the same scope as
reading. Anything else is "not found", worded exactly like a name that does not exist.
"""

from __future__ import annotations

from rapidfuzz import utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.names import match_account, match_deal
from tools.models import OPEN_STAGES, Account, Contact, Deal
from tools.name_match import best_match, name_score
from tools.principal import Principal
from tools.scope import account_visible, deal_visible
from tools.writes.values import InvalidValueError

MAX_LISTED = 5


class NotFoundError(LookupError):
    """Nothing the principal may change matches; `suggestions` are near misses in scope."""

    def __init__(self, what: str, query: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(f"{what} {query!r} not found")
        self.what, self.query, self.suggestions = what, query, suggestions


def resolve_deal(session: Session, principal: Principal, query: str) -> Deal:
    """A deal by id or name; an account's name means its one open deal ("move Globex ...")."""
    text = utils.default_process(query.strip().lstrip("#"))
    if text and not text.isdigit():
        by_account = _deal_of_named_account(session, principal, query, text)
        if by_account is not None:
            return by_account
    match = match_deal(session, principal, query)
    deal = session.get(Deal, match.id) if match.id is not None else None
    if deal is None or not principal.can_see_owner(deal.owner_id):
        raise NotFoundError("deal", query, match.suggestions)
    return deal


def _deal_of_named_account(
    session: Session, principal: Principal, query: str, text: str
) -> Deal | None:
    """When the words name an account better than any deal: its one open deal, else a question."""
    account = match_account(session, principal, query)
    if account.id is None or account.name is None:
        return None
    deal = match_deal(session, principal, query)
    account_fit = name_score(text, utils.default_process(account.name))
    if deal.name is not None and name_score(text, utils.default_process(deal.name)) > account_fit:
        return None
    open_deals = session.scalars(
        select(Deal)
        .where(Deal.account_id == account.id, Deal.stage.in_(OPEN_STAGES), deal_visible(principal))
        .order_by(Deal.close_date, Deal.id)
        .limit(MAX_LISTED + 1)
    ).all()
    if len(open_deals) == 1:
        return open_deals[0]
    # Picking one of several deals, or reopening a closed one, would be a guess: ask instead.
    if not open_deals:
        raise InvalidValueError(
            f"{account.name} has no open deal in your book. Name the deal to change "
            f"(ask me about {account.name} to see its deals)."
        )
    count = f"{len(open_deals)}" if len(open_deals) <= MAX_LISTED else "several"
    names = "; ".join(d.name for d in open_deals[:MAX_LISTED])
    raise InvalidValueError(
        f"{account.name} has {count} open deals: {names}. Which one? Name it in your request."
    )


def resolve_account(session: Session, principal: Principal, query: str) -> Account:
    match = match_account(session, principal, query)
    account = session.get(Account, match.id) if match.id is not None else None
    if account is None:
        raise NotFoundError("account", query, match.suggestions)
    return account


def account_deal(session: Session, principal: Principal, account_id: int) -> Deal | None:
    """The account's one open deal in scope, so a logged call lands on it; None if several."""
    deals = session.scalars(
        select(Deal)
        .where(Deal.account_id == account_id, Deal.stage.in_(OPEN_STAGES), deal_visible(principal))
        .limit(2)
    ).all()
    return deals[0] if len(deals) == 1 else None


def resolve_contact(session: Session, account_id: int, query: str) -> Contact:
    rows = session.execute(
        select(Contact.id, Contact.name).where(Contact.account_id == account_id)
    ).all()
    match = best_match(query, [(r[0], r[1]) for r in rows])
    contact = session.get(Contact, match.id) if match.id is not None else None
    if contact is None:
        raise NotFoundError("contact", query, match.suggestions)
    return contact


def account_in_scope(session: Session, principal: Principal, account_id: int) -> bool:
    found = session.scalar(
        select(Account.id).where(Account.id == account_id, account_visible(principal))
    )
    return found is not None


def deal_in_scope(session: Session, principal: Principal, deal_id: int) -> bool:
    found = session.scalar(select(Deal.id).where(Deal.id == deal_id, deal_visible(principal)))
    return found is not None
