"""The reads matching needs: who is internal, contacts by address, accounts the capturer sees.

Contacts and users are read once per run and keyed with `normalize_email` in Python (never
SQL `lower()`, which folds Unicode look-alikes); visibility and open deals once per account.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.emails import normalize_email
from tools.models import OPEN_STAGES, Account, Contact, Deal, User
from tools.portable_sql import in_ids
from tools.principal import Principal
from tools.scope import account_visible

# Webmail: a domain shared by strangers never names a company.
PUBLIC_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "mail.com",
        "yandex.ru",
        "web.de",
        "zoho.com",
        "fastmail.com",
        "hey.com",
        "qq.com",
        "163.com",
    }
)


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1]


class Directory:
    """Everything a run matches against, read once (accounts lazily) in the run's session."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self._session = session
        self._principal = principal
        self.user_addresses = {normalize_email(e) for e in session.scalars(select(User.email)) if e}
        self.internal_domains = {domain_of(a) for a in self.user_addresses} - PUBLIC_DOMAINS
        self.contacts: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.domains: dict[str, set[int]] = defaultdict(set)
        for contact_id, account_id, address in session.execute(
            select(Contact.id, Contact.account_id, Contact.email).where(Contact.email.is_not(None))
        ):
            key = normalize_email(address or "")
            if "@" not in key:
                continue
            self.contacts[key].append((contact_id, account_id))
            domain = domain_of(key)
            if domain not in PUBLIC_DOMAINS and domain not in self.internal_domains:
                self.domains[domain].add(account_id)
        self._visible: dict[int, bool] = {}
        self._open: dict[int, list[int]] = {}

    def is_internal(self, address: str) -> bool:
        return address in self.user_addresses or domain_of(address) in self.internal_domains

    def candidate_accounts(self, addresses: list[str]) -> set[int]:
        """Accounts the addresses name: by contact, else by company domain."""
        accounts = {a for address in addresses for _, a in self.contacts.get(address, [])}
        if accounts:
            return accounts
        domains = {domain_of(a) for a in addresses} - PUBLIC_DOMAINS
        return {a for d in domains for a in self.domains.get(d, set())}

    def prefetch(self, account_ids: set[int]) -> None:
        """Visibility and open deals of many accounts in two statements (a batch's)."""
        todo = sorted(account_ids - self._visible.keys())
        if not todo:
            return
        visible = set(
            self._session.scalars(
                select(Account.id).where(in_ids(Account.id, todo), account_visible(self._principal))
            )
        )
        self._visible |= {a: a in visible for a in todo}
        for a in todo:
            self._open.setdefault(a, [])
        rows = self._session.execute(
            select(Deal.account_id, Deal.id, Deal.owner_id).where(
                in_ids(Deal.account_id, todo), Deal.stage.in_(OPEN_STAGES)
            )
        )
        for account_id, deal_id, owner in rows:
            shown = deal_id if self._principal.can_see_owner(owner) else -1
            self._open[account_id].append(shown)

    def account_visible(self, account_id: int) -> bool:
        """The capturing user may see the account (tools/scope.py decides)."""
        if account_id not in self._visible:
            found = self._session.scalar(
                select(Account.id).where(Account.id == account_id, account_visible(self._principal))
            )
            self._visible[account_id] = found is not None
        return self._visible[account_id]

    def open_deals(self, account_id: int) -> list[int]:
        """Ids of the account's open deals that the capturing user may see, and a -1 for each
        one they may not (so "exactly one" counts every open deal)."""
        if account_id not in self._open:
            rows = self._session.execute(
                select(Deal.id, Deal.owner_id).where(
                    Deal.account_id == account_id, Deal.stage.in_(OPEN_STAGES)
                )
            )
            self._open[account_id] = [
                deal_id if self._principal.can_see_owner(owner) else -1 for deal_id, owner in rows
            ]
        return self._open[account_id]
