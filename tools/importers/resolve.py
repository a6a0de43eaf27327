"""References resolved: owners to users, external ids to rows in the CRM or in this import.

A resolved reference is an `int` (a row already stored) or a `str` (the external id of a record
this import creates; `apply` swaps it for the new row's id once that row is written).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.importers.errors import RowError, RowProblem
from tools.importers.existing import accounts_by_name, load_existing
from tools.importers.owners import OwnerBook
from tools.importers.records import Record
from tools.importers.specs import ENTITY_ORDER, Entity
from tools.models import Account

Ref = int | str
_TARGETS = {"account": Entity.ACCOUNT, "deal": Entity.DEAL, "contact": Entity.CONTACT}
_WORDS = {Entity.ACCOUNT: "company", Entity.DEAL: "deal", Entity.CONTACT: "contact"}


class Resolver:
    """Resolves every record's references, in apply order, collecting row problems."""

    def __init__(
        self,
        session: Session,
        records: dict[Entity, list[Record]],
        owners: OwnerBook,
        *,
        fallback_owner: int | None = None,
        fallback_label: str = "",
    ) -> None:
        self.session = session  # only to name a company in an error message
        self.records = records
        self.by_ext = {e: {r.external_id: r for r in records.get(e, [])} for e in ENTITY_ORDER}
        self.owners = owners
        self.fallback_owner = fallback_owner
        self.fallback_label = fallback_label
        self.problems: list[RowProblem] = []
        self.missing_owners: Counter[str] = Counter()  # owner cell (described) -> rows
        self.warnings: Counter[str] = Counter()
        self.existing = {e: load_existing(session, e, self._wanted(e)) for e in ENTITY_ORDER}
        names = [
            r.refs["account_name"] for r in records.get(Entity.DEAL, []) if "account_name" in r.refs
        ]
        self._names = accounts_by_name(session, names) if names else {}

    def _wanted(self, entity: Entity) -> set[str]:
        """This import's own ids of `entity` plus every id other records point at."""
        wanted = set(self.by_ext[entity])
        for records in self.records.values():
            for record in records:
                for field, ext in record.refs.items():
                    if ext and (_TARGETS.get(field) == entity or field == "what"):
                        wanted.add(ext)
        return wanted

    def run(self) -> dict[Entity, list[Record]]:
        """The records whose references all resolved; the others become problems."""
        for entity in ENTITY_ORDER:
            kept = []
            for record in self.records.get(entity, []):
                try:
                    _RESOLVE[entity](self, record)
                except RowError as exc:
                    self.problems.append(RowProblem(record.file, record.row, str(exc)))
                    # Records pointing at a dropped one then fail in turn, never dangle.
                    del self.by_ext[entity][record.external_id]
                    continue
                kept.append(record)
            self.records[entity] = kept
        return self.records

    def is_new(self, entity: Entity, ext: str) -> bool:
        return ext not in self.existing[entity]

    def find(self, entity: Entity, ext: str) -> Ref | None:
        row = self.existing[entity].get(ext)
        if row is not None:
            return int(row["id"])
        return ext if ext in self.by_ext[entity] else None

    def account_of(self, entity: Entity, ext: str) -> Ref | None:
        """The account of a deal or contact, from this import or else the CRM."""
        record = self.by_ext[entity].get(ext)
        if record is not None and "account_id" in record.values:
            return record.values["account_id"]
        row = self.existing[entity].get(ext)
        return int(row["account_id"]) if row is not None else None

    def required(self, record: Record, field: str) -> Ref:
        target = _TARGETS[field]
        ext = record.refs.get(field) or ""
        found = self.find(target, ext) if ext else None
        if found is None:
            word = _WORDS[target]
            if not ext:
                raise RowError(f"the {word} is empty")
            raise RowError(f"{word} {_raw(ext)!r} is in neither this import nor the CRM")
        return found

    def optional(self, record: Record, field: str) -> Ref | None:
        ext = record.refs.get(field) or ""
        found = self.find(_TARGETS[field], ext) if ext else None
        if ext and found is None:
            word = _WORDS[_TARGETS[field]]
            self.warnings[
                f"{record.entity.value} rows linked to a {word} that is in neither "
                "this import nor the CRM (link left empty)"
            ] += 1
        return found

    def owner(self, record: Record, *, required: bool) -> int | None:
        cell = record.refs.get("owner", "")
        user = self.owners.find(cell) if cell else None
        if user is not None or (not cell and not required):
            return user
        if self.fallback_owner is not None:
            why = f"owner {cell!r} is not a salesbot user" if cell else "no owner"
            self.warnings[
                f"{record.entity.value} rows with {why}: assigned to {self.fallback_label}"
            ] += 1
            return self.fallback_owner
        if not cell:
            raise RowError("the owner is empty (pass --as ADMIN_EMAIL to assign such rows)")
        self.missing_owners[self.owners.describe(cell)] += 1
        raise RowError(
            f"owner {cell!r} matches no salesbot user by email or name "
            "(add the user, or pass --as ADMIN_EMAIL to assign such rows)"
        )

    def set_owner(self, record: Record, column: str, *, required: bool) -> None:
        """Owner column present: resolve it; absent: only a new record needs one."""
        if "owner" in record.refs:
            record.values[column] = self.owner(record, required=required)
        elif required and self.is_new(record.entity, record.external_id):
            record.values[column] = self.owner(record, required=True)


def _raw(ext: str) -> str:
    return ext.split(":", 1)[1] if ":" in ext else ext


def _account(r: Resolver, record: Record) -> None:
    r.set_owner(record, "owner_id", required=False)


def _contact(r: Resolver, record: Record) -> None:
    record.values["account_id"] = r.required(record, "account")


def _deal(r: Resolver, record: Record) -> None:
    r.set_owner(record, "owner_id", required=True)
    if record.refs.get("account") or "account_name" not in record.refs:
        record.values["account_id"] = r.required(record, "account")
        return
    record.values["account_id"] = _account_by_name(r, record.refs["account_name"])


def _account_by_name(r: Resolver, name: str) -> Ref:
    key = name.strip().lower()
    imported = [e for e, a in r.by_ext[Entity.ACCOUNT].items() if a.values["name"].lower() == key]
    stored = r._names.get(key, [])
    candidates: list[Ref] = [r.find(Entity.ACCOUNT, e) or e for e in imported]
    candidates += [i for i in stored if i not in candidates]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise RowError(f"company {name!r} is in neither this import nor the CRM")
    raise RowError(f"several companies are named {name!r}; export the company ids")


def _activity(r: Resolver, record: Record) -> None:
    r.set_owner(record, "user_id", required=False)
    _link_what(r, record)
    for field in ("deal", "contact"):
        if field in record.refs:
            record.values[f"{field}_id"] = r.optional(record, field)
    account = r.find(Entity.ACCOUNT, record.refs["account"]) if record.refs.get("account") else None
    _agree(r, record, record.refs.get("account"))
    for field, entity in (("deal", Entity.DEAL), ("contact", Entity.CONTACT)):
        if account is None and record.values.get(f"{field}_id") is not None:
            account = r.account_of(entity, record.refs[field])
    if account is None:
        if record.refs.get("account"):
            r.required(record, "account")  # raises with the reason
        raise RowError("it is linked to no company, deal or contact salesbot knows")
    record.values["account_id"] = account


def _link_what(r: Resolver, record: Record) -> None:
    """Salesforce's WhatId names an Opportunity or an Account; treat it as whichever it is."""
    what = record.refs.pop("what", "")
    if not what:
        return
    if r.find(Entity.DEAL, what) is not None:
        record.refs.setdefault("deal", what)
    elif r.find(Entity.ACCOUNT, what) is not None and not record.refs.get("account"):
        record.refs["account"] = what


def _task(r: Resolver, record: Record) -> None:
    r.set_owner(record, "owner_id", required=True)
    _link_what(r, record)
    if "deal" in record.refs:
        record.values["deal_id"] = r.optional(record, "deal")
    # A task is stored on its deal alone; a company given beside it must still be that deal's.
    _agree(r, record, record.refs.pop("account", None))


def _agree(r: Resolver, record: Record, account_ext: str | None) -> None:
    """The company, the deal and the contact a row names must be one company's, or the row
    would file the interaction where its own export says it does not belong."""
    account = r.find(Entity.ACCOUNT, account_ext) if account_ext else None
    deal = _linked_account(r, record, "deal", Entity.DEAL)
    contact = _linked_account(r, record, "contact", Entity.CONTACT)
    if deal is not None and account is not None and deal[1] != account:
        raise RowError(
            f"company {_raw(account_ext or '')!r} is not the company of deal "
            f"{deal[0]!r} (that deal is at {_account_words(r, deal[1])})"
        )
    if deal is not None and contact is not None and deal[1] != contact[1]:
        raise RowError(
            f"contact {contact[0]!r} is at {_account_words(r, contact[1])} but deal "
            f"{deal[0]!r} is at {_account_words(r, deal[1])}"
        )


def _linked_account(
    r: Resolver, record: Record, field: str, entity: Entity
) -> tuple[str, Ref] | None:
    """(the row's reference, the account of the record it links to), when both are known."""
    ext = record.refs.get(field) or ""
    if not ext or record.values.get(f"{field}_id") is None:
        return None
    account = r.account_of(entity, ext)
    return (_raw(ext), account) if account is not None else None


def _account_words(r: Resolver, ref: Ref) -> str:
    """An account reference as the person importing knows it: its id in the export."""
    if isinstance(ref, str):
        return f"company {_raw(ref)!r}"
    row = r.session.execute(
        select(Account.external_id, Account.name).where(Account.id == ref)
    ).first()
    if row is not None and row.external_id:
        return f"company {_raw(row.external_id)!r}"
    return f"company {row.name if row else ref!r} (#{ref} in the CRM)"


_RESOLVE: dict[Entity, Any] = {
    Entity.ACCOUNT: _account,
    Entity.CONTACT: _contact,
    Entity.DEAL: _deal,
    Entity.ACTIVITY: _activity,
    Entity.TASK: _task,
}
