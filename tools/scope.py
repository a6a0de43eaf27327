"""Scope: what a principal may see, and whose figures a request is about.

Two halves, one rule. Row-level access (`deal_visible`, `account_visible`, `activity_visible`,
`user_visible`) filters every query by the principal. Scope words ("me", "my team", "Dana") become
owner ids the principal may see (`resolve_owner_scope`), and, for analytics, an `AnalyticsScope`
with the label and ids every artifact carries (`resolve_scope`). Decided from the principal,
never by the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from tools.artifacts import ScopeHeader
from tools.crm.users import list_user_ids, match_user, users_among
from tools.models import Account, Activity, Deal
from tools.principal import Principal

if TYPE_CHECKING:  # tools.crm.currency filters by scope: a runtime import would be a cycle
    from tools.crm.currency import Conversion

SELF_WORDS = {"me", "my", "mine", "i", "myself", "self", "own"}
TEAM_WORDS = {"team", "my team", "the team", "everyone", "all", "us", "our team", "org"}
REP_TEAM_NOTICE = "You can only see your own book, so these figures are yours."


# Row-level access ------------------------------------------------------------------------


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


def account_in_scope(principal: Principal, owner_ids: frozenset[int] | None) -> ColumnElement[bool]:
    """Accounts the principal may see, narrowed to those `owner_ids` own or have a deal on.

    Billing rows (invoices, payments, subscriptions) are seen exactly as their account is.
    """
    visible = account_visible(principal)
    if owner_ids is None:
        return visible
    deal = aliased(Deal)
    dealt = exists().where(deal.account_id == Account.id, deal.owner_id.in_(owner_ids))
    return and_(visible, or_(Account.owner_id.in_(owner_ids), dealt))


def user_visible(principal: Principal) -> ColumnElement[bool]:
    """People in scope: oneself, one's reports, or everyone for an admin."""
    return users_among(principal.visible_owner_ids)


# Scope words -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OwnerScope:
    """Owner ids to filter on (None: everything the asker may see) and how to describe them."""

    owner_ids: frozenset[int] | None
    label: str
    notice: str | None = None
    missing: bool = False
    suggestions: tuple[str, ...] = ()


def resolve_owner_scope(session: Session, principal: Principal, words: str | None) -> OwnerScope:
    """Turn scope words into owner ids the principal is allowed to see."""
    if words is None:
        return OwnerScope(principal.visible_owner_ids, "everything you can see")
    key = words.strip().lower().removesuffix("'s")
    if key in SELF_WORDS or key in {principal.email.lower(), principal.name.lower()}:
        return OwnerScope(frozenset({principal.user_id}), principal.name)
    if key in TEAM_WORDS:
        if principal.is_admin:
            return OwnerScope(None, "everyone")
        if principal.is_manager:
            return OwnerScope(principal.visible_owner_ids, f"{principal.name}'s team")
        return OwnerScope(frozenset({principal.user_id}), principal.name, REP_TEAM_NOTICE)
    match = match_user(session, principal.visible_owner_ids, words)
    if match.id is None or match.name is None:
        return OwnerScope(frozenset(), words, missing=True, suggestions=match.suggestions)
    return OwnerScope(frozenset({match.id}), match.name)


@dataclass(frozen=True, slots=True)
class AnalyticsScope:
    """Owner ids (None: everyone), their ids spelled out, a label and the note for a rep."""

    owner_ids: frozenset[int] | None
    data_owner_ids: list[int]
    label: str
    note: str | None
    money: Conversion | None = None  # how amounts are added: in the reporting currency

    def amount(self) -> ColumnElement[Any] | InstrumentedAttribute[Decimal]:
        """SQL: each deal's amount in the currency the scope's totals are in."""
        return self.money.amount() if self.money is not None else Deal.amount

    def owns(self, column: Any = Deal.owner_id) -> ColumnElement[bool]:
        """The SQL filter on `column` (an owner id column) for this scope."""
        return true() if self.owner_ids is None else column.in_(self.owner_ids)

    def header(self) -> ScopeHeader:
        """The keys every analytics artifact carries about its scope."""
        return {"scope_label": self.label, "data_owner_ids": self.data_owner_ids}


def default_scope_words(principal: Principal) -> str:
    """A manager's figures default to their team; a rep's to their own book, with no note."""
    return "team" if principal.is_manager else "me"


def resolve_scope(
    session: Session, principal: Principal, words: str | None
) -> AnalyticsScope | None:
    """The scope named by `words` (None: the default), or None when it names nobody visible."""
    owners = resolve_owner_scope(session, principal, words or default_scope_words(principal))
    if owners.missing:
        return None
    ids = owners.owner_ids
    shown = sorted(ids) if ids is not None else list_user_ids(session)
    return AnalyticsScope(ids, sorted(shown), owners.label, owners.notice)
