"""What the risk rules read: every open deal's facts in the scope, fetched once.

Its own module so the rules (risk_rules.py) and the ranking (risks.py) both import it and
neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.analytics import risk_sql as q
from tools.analytics.deal_rows import deal_rows_where
from tools.analytics.keywords import COMPETITOR_WORDS, PRICING_WORDS, RESOLVED_WORDS
from tools.crm.baseline import Baseline
from tools.crm.stage_stats import scope_p75
from tools.models import OPEN_STAGES, Deal, Stage
from tools.scope import AnalyticsScope

ENGAGED_DAYS = 90
MENTION_DAYS = 90


@dataclass(frozen=True)
class Facts:
    """Everything the rules read, fetched once for all the scope's open deals."""

    rows: dict[int, dict[str, Any]]
    entered: dict[int, datetime]
    engaged: dict[int, int]
    tasks: dict[int, int]
    competitor: dict[int, Any]
    pricing: dict[int, Any]
    resolved: set[int]
    p75: dict[Stage, int]
    next_steps: dict[int, str | None]


def load_facts(
    session: Session, scope: AnalyticsScope, now: datetime, today: date, baseline: Baseline
) -> Facts:
    ids = q.open_deal_ids(session, scope)
    pricing = q.latest_mention(session, ids, PRICING_WORDS, now - timedelta(days=MENTION_DAYS))
    # The scope's filter again, not its ids: an admin's 800k open deals as bind parameters
    # overflow PostgreSQL's 65,535 (the tool failed at a million deals).
    steps = dict(
        session.execute(
            select(Deal.id, Deal.next_step).where(scope.owns(), Deal.stage.in_(OPEN_STAGES))
        ).all()
    )
    return Facts(
        rows=deal_rows_where(session, scope.owns(), Deal.stage.in_(OPEN_STAGES)),
        entered=q.stage_entered(session, ids),
        engaged=q.engaged_contacts(session, ids, now - timedelta(days=ENGAGED_DAYS)),
        tasks=q.open_tasks(session, ids),
        competitor=q.latest_mention(
            session, ids, COMPETITOR_WORDS, now - timedelta(days=MENTION_DAYS)
        ),
        pricing=pricing,
        resolved=q.mentioned_after(
            session, {d: r.occurred_at for d, r in pricing.items()}, RESOLVED_WORDS
        ),
        p75=scope_p75(session, scope.owner_ids, today, baseline.p75),
        next_steps=steps,
    )
