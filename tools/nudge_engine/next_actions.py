"""A rep's ranked to-do list, each item with the reason and evidence behind it.

The ranking is this engine's: the `next_actions` tool and the daily nudges show the same items
in the same order. It lives here, not in tools/crm/, so the CRM queries never import the engine.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from tools.nudge_engine.engine import compute_nudges
from tools.nudge_engine.promises import PROMISE
from tools.nudge_engine.team import cached_team_stats

__all__ = ["PROMISE", "list_next_actions"]


def list_next_actions(
    session: Session, user_id: int, *, today: date, limit: int = 10
) -> list[dict[str, Any]]:
    """The user's own actions, most valuable first; at most one deal-level item per deal.

    Team statistics (stage percentiles, the win model) are reused for up to an hour: on a large
    CRM they take seconds, and a question should not wait for them.
    """
    stats = cached_team_stats(session, today)
    nudges = compute_nudges(session, {user_id: today}, limit=limit, stats=stats)
    return [n.to_dict() for n in nudges[user_id]]
