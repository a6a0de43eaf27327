"""What a review item may be filed under: the accounts and open deals the principal can see.

Only offers choices; `review.file_review` checks the chosen ids against the same scope again,
since a submitted form can name any id.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import OPEN_STAGES, Account, Deal
from tools.principal import Principal
from tools.scope import account_visible, deal_visible

MAX_CHOICES = 100  # Slack's cap on a select menu's options


def list_account_choices(
    session: Session, principal: Principal, text: str = "", *, limit: int = MAX_CHOICES
) -> list[tuple[int, str]]:
    """(id, name) of visible accounts whose name contains `text`, by name."""
    query = select(Account.id, Account.name).where(account_visible(principal))
    if text.strip():
        query = query.where(Account.name.icontains(text.strip(), autoescape=True))
    rows = session.execute(query.order_by(Account.name, Account.id).limit(limit))
    return [(row_id, name) for row_id, name in rows]


def list_deal_choices(
    session: Session,
    principal: Principal,
    text: str = "",
    *,
    account_id: int | None = None,
    limit: int = MAX_CHOICES,
) -> list[tuple[int, str]]:
    """(id, name) of visible open deals whose name contains `text`, of one account if given."""
    query = select(Deal.id, Deal.name).where(Deal.stage.in_(OPEN_STAGES), deal_visible(principal))
    if account_id is not None:
        query = query.where(Deal.account_id == account_id)
    if text.strip():
        query = query.where(Deal.name.icontains(text.strip(), autoescape=True))
    rows = session.execute(query.order_by(Deal.name, Deal.id).limit(limit))
    return [(row_id, name) for row_id, name in rows]
