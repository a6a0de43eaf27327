"""The search package's own queries: contacts, filters on semantic hits, anchors, browsing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.crm.names import MAX_CANDIDATES
from tools.models import Account, Activity, Contact, Deal
from tools.name_match import Match, best_match
from tools.principal import Principal
from tools.scope import account_visible
from tools.search.lexical import Narrowing, narrowed


def match_contact(
    session: Session, principal: Principal, name: str, account_id: int | None = None
) -> Match:
    """A contact at an account in scope, by full or first name ("Patrick"), typos fine."""
    query = select(Contact.id, Contact.name).join(Account, Account.id == Contact.account_id)
    query = query.where(account_visible(principal))
    if account_id is not None:
        query = query.where(Contact.account_id == account_id)
    rows = session.execute(query.order_by(Contact.id).limit(MAX_CANDIDATES)).all()
    wanted = " ".join(name.lower().split())
    exact = [r for r in rows if wanted in (r[1].lower(), r[1].lower().split()[0])]
    if exact:
        return Match(exact[0][0], exact[0][1], ())
    return best_match(name, [(r[0], r[1]) for r in rows])


def keep_matching(
    session: Session, principal: Principal, ids: Sequence[int], narrowing: Narrowing
) -> set[int]:
    """Those of `ids` (semantic hits) the asker may see and the filters allow."""
    if not ids:
        return set()
    query = select(Activity.id).where(Activity.id.in_(list(ids)), *narrowed(principal, narrowing))
    return set(session.scalars(query))


def newest(
    session: Session, principal: Principal, narrowing: Narrowing, *, limit: int
) -> list[int]:
    """The latest interactions the filters allow, newest first: "any news from Acme?"."""
    query = select(Activity.id).where(*narrowed(principal, narrowing))
    return list(session.scalars(query.order_by(Activity.occurred_at.desc()).limit(limit)))


def occurred_at(session: Session, activity_id: int) -> datetime | None:
    return session.scalar(select(Activity.occurred_at).where(Activity.id == activity_id))


def contacts_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    """Who was on the other end of each activity: (name, title) by activity id."""
    if not ids:
        return {}
    query = (
        select(Activity.id, Contact.name, Contact.title)
        .join(Contact, Contact.id == Activity.contact_id)
        .where(Activity.id.in_(list(ids)))
    )
    return {r[0]: (r[1], r[2]) for r in session.execute(query).all()}


def leads_of(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """What each activity is about: its subject and the first sentence of its body, without its
    deal's and account's names ("Intro: Security Suite for Redwood" says nothing of security).

    The lead, not the whole body: "Copied procurement on the thread" at the end of a note about
    a demo is no word on procurement.
    """
    if not ids:
        return {}
    query = (
        select(Activity.id, Activity.subject, Activity.body, Deal.name, Account.name)
        .outerjoin(Deal, Deal.id == Activity.deal_id)
        .outerjoin(Account, Account.id == Activity.account_id)
        .where(Activity.id.in_(list(ids)))
    )
    found = {}
    for i, subject, body, deal, account in session.execute(query).all():
        lead = _SENTENCE_END.split((body or "").strip(), maxsplit=1)[0]
        text = f"{subject or ''} {lead}"
        for name in _name_parts(deal, account):
            text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
        found[i] = text
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _name_parts(deal: str | None, account: str | None) -> list[str]:
    # "Acme Corp – Seat Expansion": the account's name, then what is left of the deal's.
    names = [n for n in (account,) if n]
    if deal:
        rest = deal.replace(account or "", " ") if account else deal
        names += [p.strip() for p in re.split(r"\s[–—-]\s|:", rest) if len(p.strip()) > 2]
    return sorted(names, key=len, reverse=True)


def texts_of(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The full body (or subject) of each activity, for the summary's quotes."""
    if not ids:
        return {}
    query = select(Activity.id, Activity.subject, Activity.body).where(Activity.id.in_(list(ids)))
    return {r[0]: (r[2] or r[1] or "") for r in session.execute(query).all()}
