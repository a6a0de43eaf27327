"""Next steps promised in a captured call, offered as task proposals the rep confirms.

The same machinery as "remind me to ..." (tools/writes/propose.py): nothing is created until
the rep confirms each one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from tools.artifacts import WriteProposalArtifact
from tools.capture.transcripts import NextStep
from tools.models import Activity, AuditSurface, Deal
from tools.principal import Principal
from tools.writes.artifact import proposal_artifact
from tools.writes.propose import draft_task, store_draft

DEFAULT_DAYS = 2  # a promise without a day: due in two days
TITLE_LIMIT = 200


def propose_next_steps(
    session: Session,
    principal: Principal,
    steps: list[NextStep],
    *,
    activity_id: int | None,
    today: date,
    now: datetime,
) -> list[WriteProposalArtifact]:
    """One task proposal per next step, on the captured call's deal when it has one."""
    activity = session.get(Activity, activity_id) if activity_id is not None else None
    deal = session.get(Deal, activity.deal_id) if activity and activity.deal_id else None
    if deal is not None and not principal.can_see_owner(deal.owner_id):
        deal = None
    proposals = []
    for step in steps:
        due = step.due if step.due and step.due >= today else today + timedelta(DEFAULT_DAYS)
        draft = draft_task(
            principal, today=today, title=step.said[:TITLE_LIMIT], due=due.isoformat(), deal=deal
        )
        row = store_draft(session, principal, draft, now=now, surface=AuditSurface.CLI)
        proposals.append(proposal_artifact(row))
    return proposals
