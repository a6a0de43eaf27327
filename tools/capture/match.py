"""Attach an item to contacts, one account and (when there is exactly one) its open deal.

Nothing is guessed: no account, two accounts, or an account the capturing user cannot see
all send the item to review; mail between colleagues only is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.capture.directory import Directory
from tools.capture.items import Item

NO_ACCOUNT = "no contact or company domain matches a visible account"
MANY_ACCOUNTS = "participants belong to several accounts"
NO_PARTICIPANTS = "no participant's address is known"


@dataclass(frozen=True, slots=True)
class Matched:
    account_id: int
    deal_id: int | None
    contact_id: int | None


@dataclass(frozen=True, slots=True)
class Unmatched:
    reason: str


@dataclass(frozen=True, slots=True)
class Internal:
    """Only colleagues took part: not a customer conversation."""


Match = Matched | Unmatched | Internal


def match_item(directory: Directory, item: Item) -> Match:
    """Where `item` belongs, decided from its addresses alone."""
    if not item.addresses:  # nobody to judge by (a call no speaker was matched in): ask
        return Unmatched(NO_PARTICIPANTS)
    external = [a for a in item.addresses if not directory.is_internal(a)]
    if not external:
        return Internal()
    contacts = [c for a in external for c in directory.contacts.get(a, [])]
    # Known people name their accounts; with none, the company's domain may still say who.
    accounts = directory.candidate_accounts(external)
    # An account the capturer cannot see is treated exactly like no account at all.
    accounts = {a for a in accounts if directory.account_visible(a)}
    if not accounts:
        return Unmatched(NO_ACCOUNT)
    if len(accounts) > 1:
        return Unmatched(MANY_ACCOUNTS)
    [account] = accounts
    deals = directory.open_deals(account)
    deal = deals[0] if len(deals) == 1 and deals[0] > 0 else None
    contact = next((c for c, a in contacts if a == account), None)
    return Matched(account, deal, contact)
