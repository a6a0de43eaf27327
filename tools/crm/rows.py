"""Turn ORM rows into the plain dicts that artifacts carry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from tools.crm.money import money
from tools.models import Account, Activity, Contact, Deal, User

SNIPPET_CHARS = 240


def last_activity_subquery() -> Any:
    """Per deal: the time of its latest activity, for every deal at once.

    This aggregates the whole activities table; to label a few deal rows use `last_activity_at`.
    """
    return (
        select(Activity.deal_id, func.max(Activity.occurred_at).label("last_at"))
        .where(Activity.deal_id.is_not(None))
        .group_by(Activity.deal_id)
        .subquery()
    )


def last_activity_at() -> Any:
    """The latest activity time of the outer query's deal.

    Correlated, so each deal row costs one probe of ix_activities_deal_occurred instead of
    grouping millions of activities for a page of 25 deals.
    """
    return (
        select(func.max(Activity.occurred_at))
        .where(Activity.deal_id == Deal.id)
        .correlate(Deal)
        .scalar_subquery()
    )


def deal_rows_query(last: Any = None) -> Select[Any]:
    """Deals joined with their account, owner and last activity time.

    The time comes from `last` (a `last_activity_subquery`) when given, else from a correlated
    lookup per row.
    """
    if last is None:
        return (
            select(Deal, Account.name, User.name, last_activity_at().label("last_at"))
            .join(Account, Account.id == Deal.account_id)
            .join(User, User.id == Deal.owner_id)
        )
    return (
        select(Deal, Account.name, User.name, last.c.last_at)
        .join(Account, Account.id == Deal.account_id)
        .join(User, User.id == Deal.owner_id)
        .outerjoin(last, last.c.deal_id == Deal.id)
    )


def deal_row(
    deal: Deal,
    account: str,
    owner: str,
    last_at: datetime | None,
    *,
    zone: str | None = None,
) -> dict[str, Any]:
    """The artifact row of one deal; `zone` is the reader's timezone for the last activity's day."""
    return {
        "id": deal.id,
        "name": deal.name,
        "account": account,
        "owner": owner,
        "owner_id": deal.owner_id,
        "stage": str(deal.stage),
        "amount": money(deal.amount),
        "currency": deal.currency,
        "close_date": deal.close_date.isoformat(),
        "last_activity": iso_date(last_at, zone),
    }


def iso_date(value: date | datetime | None, zone: str | None = None) -> str | None:
    """The calendar day of `value`; a moment's day where the reader is when `zone` is given.

    A call logged at 22:30 in New York happened that day for the rep, not on the next UTC day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if zone:
            aware = value if value.tzinfo else value.replace(tzinfo=UTC)
            value = aware.astimezone(ZoneInfo(zone))
        return value.date().isoformat()
    return value.isoformat()


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """A single-line excerpt, cut on a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def interaction_row(
    activity: Activity,
    account: str,
    deal: str | None,
    owner_id: int | None,
    *,
    zone: str | None = None,
) -> dict[str, Any]:
    """`owner_id` is whose book the interaction belongs to: the deal's owner, else the account's."""
    return {
        "activity_id": activity.id,
        "date": iso_date(activity.occurred_at, zone),
        "account": account,
        "deal": deal,
        "kind": str(activity.kind),
        "subject": activity.subject,
        "snippet": snippet(activity.body or activity.subject),
        "owner_id": owner_id,
    }


def contact_row(contact: Contact) -> dict[str, Any]:
    return {"name": contact.name, "title": contact.title, "email": contact.email}


def interaction_rows_query() -> Select[Activity, str, str, int]:
    """Activities with their account name, deal name and book owner."""
    deal = aliased(Deal)
    return (
        select(Activity, Account.name, deal.name, func.coalesce(deal.owner_id, Account.owner_id))
        .join(Account, Account.id == Activity.account_id)
        .outerjoin(deal, deal.id == Activity.deal_id)
    )


def owner_ids_of(*groups: list[dict[str, Any]]) -> list[int]:
    """Every owner whose records appear in the rows: who may see this answer."""
    return sorted({r["owner_id"] for rows in groups for r in rows if r.get("owner_id")})
