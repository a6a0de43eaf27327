"""Whose figures an analytics question covers, decided from the principal, never the model."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from tools.artifacts import ScopeHeader
from tools.crm.currency import Conversion
from tools.models import Deal, User
from tools.owner_scope import resolve_owner_scope
from tools.principal import Principal


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
    shown = sorted(ids) if ids is not None else list(session.scalars(select(User.id)).all())
    return AnalyticsScope(ids, sorted(shown), owners.label, owners.notice)
