"""Deal queries: filtered lists and one deal in detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from tools.artifacts import DealDetailFigures, DealListFigures
from tools.crm.currency import (
    DEFAULT_CURRENCY,
    converted_total,
    single_currency,
    total_of,
    totals_by_currency,
)
from tools.crm.rows import (
    contact_row,
    deal_row,
    deal_rows_query,
    interaction_row,
    interaction_rows_query,
    iso_date,
)
from tools.models import (
    OPEN_STAGES,
    Activity,
    Contact,
    Deal,
    DealStageHistory,
    Stage,
    Task,
)
from tools.periods import Period
from tools.principal import Principal
from tools.scope import activity_visible, deal_visible


@dataclass(frozen=True, slots=True)
class DealFilter:
    """Resolved filters for `list_deals`; None means "any"."""

    stages: tuple[Stage, ...] = OPEN_STAGES
    period: Period | None = None
    min_amount: Decimal | None = None
    account_id: int | None = None
    owner_ids: frozenset[int] | None = None
    inactive_days: int | None = None


def list_deals(
    session: Session,
    principal: Principal,
    flt: DealFilter,
    *,
    today: date,
    limit: int = 25,
    reporting: str = DEFAULT_CURRENCY,
) -> DealListFigures:
    """Deals in scope matching the filter, soonest close first, with totals over all matches:
    one per currency, and their sum in `reporting` when every currency has a rate."""
    # Totals and owners read the deals table alone; only the returned page is joined to its
    # account, owner and last activity time, so a page costs the same at 100 deals or 1M.
    where = _deal_conditions(principal, flt, today)
    totals = totals_by_currency(session, *where)  # amounts are added within a currency only
    count = sum(t["count"] for t in totals)
    page = select(Deal.id).where(*where).order_by(Deal.close_date, Deal.id).limit(limit).subquery()
    rows = session.execute(
        deal_rows_query().join(page, page.c.id == Deal.id).order_by(Deal.close_date, Deal.id)
    ).all()
    owners = session.scalars(select(Deal.owner_id).where(*where).distinct()).all()
    return {
        "data_owner_ids": sorted(owners),
        "total_count": count,
        "currency": single_currency(totals),  # None: several, see totals_by_currency
        "total_amount": total_of(totals),
        "totals_by_currency": totals,
        "converted_total": converted_total(session, totals, reporting, *where),
        "rows": [deal_row(*row, zone=principal.timezone) for row in rows],
        "truncated": count > len(rows),
    }


def _deal_conditions(
    principal: Principal, flt: DealFilter, today: date
) -> list[ColumnElement[bool]]:
    where = [deal_visible(principal), Deal.stage.in_(flt.stages)]
    if flt.period is not None:
        where.append(Deal.close_date.between(flt.period.start, flt.period.end))
    if flt.min_amount is not None:
        where.append(Deal.amount >= flt.min_amount)
    if flt.account_id is not None:
        where.append(Deal.account_id == flt.account_id)
    if flt.owner_ids is not None:
        where.append(Deal.owner_id.in_(flt.owner_ids))
    if flt.inactive_days is not None:
        # "Last activity before the cutoff, or none" is "no activity since the cutoff": an
        # anti-join on ix_activities_deal_occurred rather than a max over every activity.
        cutoff = datetime.combine(today - timedelta(days=flt.inactive_days), time(), UTC)
        recent = exists().where(Activity.deal_id == Deal.id, Activity.occurred_at >= cutoff)
        where.append(~recent)
    return where


def get_deal_detail(
    session: Session, principal: Principal, deal_id: int, *, today: date
) -> DealDetailFigures | None:
    """One deal with contacts, last five interactions and open tasks; None if out of scope."""
    row = session.execute(
        deal_rows_query().where(Deal.id == deal_id, deal_visible(principal))
    ).first()
    if row is None:
        return None
    deal: Deal = row[0]
    detail = deal_row(*row, zone=principal.timezone) | {
        "days_in_stage": _days_since(today, _stage_entered(session, deal)),
        "next_step": deal.next_step,
        "created_at": iso_date(deal.created_at, principal.timezone),
    }
    return {
        "data_owner_ids": [deal.owner_id],
        "deal": detail,
        "contacts": _deal_contacts(session, deal),
        "interactions": recent_interactions(session, principal, deal_id=deal.id),
        "tasks": _open_tasks(session, deal.id, today),
    }


def _days_since(today: date, moment: datetime | None) -> int | None:
    return None if moment is None else (today - moment.date()).days


def _stage_entered(session: Session, deal: Deal) -> datetime | None:
    entered = session.scalar(
        select(func.max(DealStageHistory.changed_at)).where(
            DealStageHistory.deal_id == deal.id, DealStageHistory.to_stage == deal.stage
        )
    )
    moment = entered or deal.created_at  # None: an import without history or create date
    return None if moment is None else _aware(moment)


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _deal_contacts(session: Session, deal: Deal) -> list[dict[str, Any]]:
    engaged = select(Activity.contact_id).where(Activity.deal_id == deal.id)
    contacts = session.scalars(
        select(Contact)
        .where(Contact.account_id == deal.account_id)
        .order_by(Contact.id.in_(engaged).desc(), Contact.name)
        .limit(10)
    ).all()
    return [contact_row(c) for c in contacts]


def recent_interactions(
    session: Session,
    principal: Principal,
    *,
    deal_id: int | None = None,
    account_id: int | None = None,
    limit: int = 5,
) -> list[dict[str, Any]]:
    """The latest visible activities of a deal or an account."""
    query = interaction_rows_query().where(activity_visible(principal))
    if deal_id is not None:
        query = query.where(Activity.deal_id == deal_id)
    if account_id is not None:
        query = query.where(Activity.account_id == account_id)
    rows = session.execute(query.order_by(Activity.occurred_at.desc()).limit(limit)).all()
    return [interaction_row(*row, zone=principal.timezone) for row in rows]


def _open_tasks(session: Session, deal_id: int, today: date) -> list[dict[str, Any]]:
    tasks = session.scalars(
        select(Task)
        .where(Task.deal_id == deal_id, Task.completed_at.is_(None))
        .order_by(Task.due_date)
    ).all()
    return [
        {
            "id": t.id,
            "title": t.title,
            "due_date": iso_date(t.due_date),
            "overdue": t.due_date is not None and t.due_date < today,
        }
        for t in tasks
    ]
