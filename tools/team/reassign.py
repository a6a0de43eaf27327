"""`salesbot deals reassign`: move a rep's book to someone else, one audit row per deal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.audit import write_audit
from tools.models import OPEN_STAGES, Activity, AuditSurface, Deal, Task
from tools.team.people import TeamError, find_user


@dataclass
class Reassigned:
    deals: list[str] = field(default_factory=list)
    tasks: int = 0
    activity_ids: list[int] = field(default_factory=list)  # their search scope follows the deal


def reassign_deals(
    session: Session,
    from_email: str,
    to_email: str,
    *,
    now: datetime,
    include_closed: bool = False,
    actor_id: int | None = None,
) -> Reassigned:
    """Give `to_email` the open deals (all with include_closed) and open tasks of `from_email`."""
    source, target = find_user(session, from_email), find_user(session, to_email)
    if source.id == target.id:
        raise TeamError("--from and --to are the same person; nothing to move.")
    if not target.active:
        raise TeamError(f"{target.email} is deactivated; reassign to an active user.")
    query = select(Deal).where(Deal.owner_id == source.id).order_by(Deal.id)
    if not include_closed:
        query = query.where(Deal.stage.in_(OPEN_STAGES))
    done = Reassigned()
    ids: list[int] = []
    for deal in session.scalars(query):
        deal.owner_id = target.id
        done.deals.append(deal.name)
        ids.append(deal.id)
        write_audit(
            session,
            actor_id=actor_id,
            action="deal.reassign",
            entity="deal",
            entity_id=deal.id,
            change=({"owner": source.email}, {"owner": target.email}),
            now=now,
            surface=AuditSurface.CLI,
        )
    for task in session.scalars(
        select(Task).where(Task.owner_id == source.id, Task.completed_at.is_(None))
    ):
        task.owner_id = target.id
        done.tasks += 1
    session.flush()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        done.activity_ids += session.scalars(select(Activity.id).where(Activity.deal_id.in_(chunk)))
    return done
