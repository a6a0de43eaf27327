"""Which deal, account or contact a write means, found only among what the writer may change.

A rep may change their own book, a manager their team's, an admin anyone's: the same scope as
reading. Anything else is "not found", worded exactly like a name that does not exist.
"""

from __future__ import annotations

from rapidfuzz import utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.names import best_match, match_account, match_deal, name_score
from tools.crm.scope import account_visible, deal_visible
from tools.models import OPEN_STAGES, Account, Contact, Deal
from tools.principal import Principal


class NotFoundError(LookupError):
    """Nothing the principal may change matches; `suggestions` are near misses in scope."""

    def __init__(self, what: str, query: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(f"{what} {query!r} not found")
        self.what, self.query, self.suggestions = what, query, suggestions


def resolve_deal(session: Session, principal: Principal, query: str) -> Deal:
    """A deal by id or name; an account's name means its one open deal ("move Globex ...")."""
    by_account = _account_open_deal(session, principal, query)
    if by_account is not None:
        return by_account
    match = match_deal(session, principal, query)
    deal = session.get(Deal, match.id) if match.id is not None else None
    if deal is None or not principal.can_see_owner(deal.owner_id):
        raise NotFoundError("deal", query, match.suggestions)
    return deal


def _account_open_deal(session: Session, principal: Principal, query: str) -> Deal | None:
    text = utils.default_process(query)
    if not text or text.isdigit():
        return None
    match = match_account(session, principal, query)
    deal = account_deal(session, principal, match.id) if match.id is not None else None
    if deal is None or match.name is None:
        return None
    # The account's name must fit the words at least as well as the deal's own name does.
    account_fit = name_score(text, utils.default_process(match.name))
    return deal if account_fit >= name_score(text, utils.default_process(deal.name)) else None


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
