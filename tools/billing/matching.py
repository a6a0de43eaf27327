"""Stripe customers to accounts: an explicit mapping, else a contact's email, else the one
account whose contacts use the customer's email domain. Anything else stays unmatched."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tools.billing.records import BillingFailed
from tools.emails import normalize_email
from tools.models import Account, Contact

# Addresses at these domains say nothing about the company.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "icloud.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "live.com",
        "me.com",
    }
)


@dataclass(frozen=True, slots=True)
class Match:
    account_id: int | None
    how: str | None  # mapping, email, domain


@dataclass
class Matcher:
    """Lookups loaded once per import: mapping, contact emails, and domains of one account."""

    mapping: dict[str, int]
    emails: dict[str, int]
    domains: dict[str, int]

    def match(self, stripe_id: str, email: str | None) -> Match:
        key = normalize_email(email) if email else None
        for candidate in (stripe_id, key):
            if candidate and candidate in self.mapping:
                return Match(self.mapping[candidate], "mapping")
        if key and key in self.emails:
            return Match(self.emails[key], "email")
        domain = key.rpartition("@")[2] if key and "@" in key else None
        if domain and domain not in FREE_MAIL and domain in self.domains:
            return Match(self.domains[domain], "domain")
        return Match(None, None)


def load_matcher(session: Session, mapping_path: Path | None) -> Matcher:
    """Contacts' emails and domains; a domain shared by several accounts matches none."""
    by_email: dict[str, set[int]] = defaultdict(set)
    by_domain: dict[str, set[int]] = defaultdict(set)
    rows = session.execute(select(Contact.email, Contact.account_id).where(Contact.email != ""))
    for email, account_id in rows:
        if not email:
            continue
        key = normalize_email(email)
        by_email[key].add(account_id)
        by_domain[key.rpartition("@")[2]].add(account_id)
    mapping = read_mapping(session, mapping_path) if mapping_path else {}
    return Matcher(mapping, _unique(by_email), _unique(by_domain))


def _unique(found: dict[str, set[int]]) -> dict[str, int]:
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def read_mapping(session: Session, path: Path) -> dict[str, int]:
    """A CSV `customer,account`: a Stripe customer id or email -> an account name or external id."""
    if not path.is_file():
        raise BillingFailed(f"mapping file {path} does not exist or is not a file.")
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    if not {"customer", "account"} <= fields:
        raise BillingFailed(f"{path.name}: the mapping needs the columns customer,account.")
    mapping: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        customer, account = row.get("customer", ""), row.get("account", "")
        found = _account_id(session, account)
        if not customer or found is None:
            raise BillingFailed(f"{path.name} row {number}: no account named {account!r}.")
        mapping[normalize_email(customer) if "@" in customer else customer] = found
    return mapping


def _account_id(session: Session, name: str) -> int | None:
    if not name:
        return None
    ids = session.scalars(
        select(Account.id).where(
            or_(Account.external_id == name, func.lower(Account.name) == name.lower())
        )
    ).all()
    return ids[0] if len(set(ids)) == 1 else None
