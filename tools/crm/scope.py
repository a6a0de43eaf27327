"""Row-level access: which deals, accounts, activities and people a principal may see."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import aliased

from tools.models import Account, Activity, Deal, User
from tools.principal import Principal


def _ids(principal: Principal) -> frozenset[int]:
    assert principal.visible_owner_ids is not None
    return principal.visible_owner_ids


def deal_visible(principal: Principal) -> ColumnElement[bool]:
    """A deal is visible when its owner is in scope."""
    if principal.is_admin:
        return true()
    return Deal.owner_id.in_(_ids(principal))


def account_visible(principal: Principal) -> ColumnElement[bool]:
    """An account is visible when it or one of its deals is owned by someone in scope."""
    if principal.is_admin:
        return true()
    # An alias, so the subquery never correlates with a Deal the outer query already joins.
    deal = aliased(Deal)
    owned_deal = exists().where(deal.account_id == Account.id, deal.owner_id.in_(_ids(principal)))
    return or_(Account.owner_id.in_(_ids(principal)), owned_deal)


def activity_visible(principal: Principal) -> ColumnElement[bool]:
    """An activity is visible through its deal, or, with no deal, through its account."""
    if principal.is_admin:
        return true()
    ids = _ids(principal)
    deal, account = aliased(Deal), aliased(Account)
    via_deal = exists().where(deal.id == Activity.deal_id, deal.owner_id.in_(ids))
    account_owner = select(account.owner_id).where(account.id == Activity.account_id)
    via_account = and_(Activity.deal_id.is_(None), account_owner.scalar_subquery().in_(ids))
    # Not "or logged it": a rep's note on a deal now someone else's would show that deal's name.
    return or_(via_deal, via_account)


def user_visible(principal: Principal) -> ColumnElement[bool]:
    """People in scope: oneself, one's reports, or everyone for an admin."""
    if principal.is_admin:
        return true()
    return User.id.in_(_ids(principal))
