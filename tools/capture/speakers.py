"""A transcript's speakers as participants, when no `--with` addresses were given.

A speaker counts only when exactly one contact the capturer can see has that full name, written
exactly so (spaces aside): a first name, a near spelling or a name two contacts share is a
guess, and a call nobody was matched to waits for review instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.models import Account, Contact
from tools.principal import Principal
from tools.scope import account_visible


def speaker_addresses(
    session: Session, principal: Principal, speakers: Sequence[str]
) -> dict[str, str]:
    """Speaker name -> the email of the one visible contact so named; others left out."""
    names = {" ".join(s.split()) for s in speakers} - {""}
    if not names:
        return {}
    rows = session.execute(
        select(Contact.name, Contact.email)
        .join(Account, Account.id == Contact.account_id)
        .where(Contact.name.in_(names), account_visible(principal))
    )
    found: dict[str, set[str | None]] = defaultdict(set)
    for name, email in rows:
        found[name].add(email)
    return {
        name: email
        for name, emails in found.items()
        if len(emails) == 1 and (email := next(iter(emails)))
    }
