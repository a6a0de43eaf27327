"""Whose billing a question is about, and how its amounts become one currency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, union
from sqlalchemy.orm import Session

from tools.crm.currency import Conversion, load_conversion
from tools.models import Account, Invoice, Payment, Subscription
from tools.principal import Principal
from tools.scope import account_in_scope, resolve_scope


@dataclass(frozen=True)
class BillingScope:
    """The accounts in scope (a SQL filter on `accounts`) and the conversion of their money."""

    accounts: ColumnElement[bool]
    money: Conversion
    label: str
    data_owner_ids: list[int]
    note: str | None = None

    def amount(self, model: Any, column: str, on: Any) -> ColumnElement[Any]:
        """SQL: `model.column` in the reporting currency at the rate in force on `on`."""
        return self.money.amount(getattr(model, column), model.currency, on)

    def account_ids(self) -> Any:
        """SQL: the ids of the accounts in scope, for `account_id IN (...)`."""
        return select(Account.id).where(self.accounts)


def billing_scope(
    session: Session,
    principal: Principal,
    words: str | None,
    reporting: str,
    *,
    everything: bool = False,
) -> BillingScope | None:
    """The scope the words name (None: the asker's default; `everything`: every account the
    asker may see, for a question about one account), or None when it names nobody."""
    scope = resolve_scope(session, principal, "team" if everything else words)
    if scope is None:
        return None
    owners = None if everything else scope.owner_ids
    accounts = account_in_scope(principal, owners)
    ids = select(Account.id).where(accounts)
    currencies = union(
        *(select(m.currency).where(m.account_id.in_(ids)) for m in (Invoice, Payment, Subscription))
    )
    found = session.scalars(select(currencies.subquery().c[0])).all()
    conv = load_conversion(session, found, reporting)
    return BillingScope(accounts, conv, scope.label, scope.data_owner_ids, scope.note)
