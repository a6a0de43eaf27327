"""Account overview: deals, contacts and recent interactions of one account."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.artifacts import AccountOverviewFigures
from tools.crm.deals import recent_interactions
from tools.crm.rows import contact_row, deal_row, deal_rows_query, owner_ids_of
from tools.models import CLOSED_STAGES, OPEN_STAGES, Account, Contact, Deal, User
from tools.principal import Principal
from tools.scope import account_visible, deal_visible


def get_account_overview(
    session: Session, principal: Principal, account_id: int
) -> AccountOverviewFigures | None:
    """The account as the principal may see it; None when it is out of scope."""
    row = session.execute(
        select(Account, User.name)
        .outerjoin(User, User.id == Account.owner_id)
        .where(Account.id == account_id, account_visible(principal))
    ).first()
    if row is None:
        return None
    account: Account = row[0]
    deals = session.execute(
        deal_rows_query()
        .where(Deal.account_id == account.id, deal_visible(principal))
        .order_by(Deal.close_date.desc())
    ).all()
    contacts = session.scalars(
        select(Contact).where(Contact.account_id == account.id).order_by(Contact.name)
    ).all()
    open_deals = [deal_row(*d, zone=principal.timezone) for d in deals if d[0].stage in OPEN_STAGES]
    closed_deals = [
        deal_row(*d, zone=principal.timezone) for d in deals if d[0].stage in CLOSED_STAGES
    ][:10]
    interactions = recent_interactions(session, principal, account_id=account.id)
    shown = owner_ids_of(open_deals, closed_deals, interactions)
    # A shared account (visible through the asker's deal on it) may belong to someone on another
    # team: that owner is never named nor counted, exactly as if the account had no owner.
    owner = account.owner_id if principal.can_see_owner(account.owner_id) else None
    return {
        "data_owner_ids": sorted({*shown, *([owner] if owner else [])}),
        "account": {
            "id": account.id,
            "name": account.name,
            "industry": account.industry,
            "owner": row[1] if owner else None,
        },
        "open_deals": open_deals,
        "closed_deals": closed_deals,
        "contacts": [contact_row(c) for c in contacts],
        "interactions": interactions,
    }
