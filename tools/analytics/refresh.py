"""Recompute the kept analytics answers people read (tools/analytics/precomputed.py), each as
the user who first asked, with the arguments they asked with, before it expires."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from tools.analytics.precomputed import SnapshotPolicy, claim_due, forget, prune
from tools.analytics_tools import make_analytics_tools
from tools.context import ToolContext
from tools.models import User
from tools.principal import principal_for_user

log = logging.getLogger(__name__)


def refresh_due(
    sessions: sessionmaker[Session],
    clock: Callable[[], datetime],
    policy: SnapshotPolicy,
    reporting_currency: str,
) -> int:
    """Recompute every kept answer due; returns how many were. One failing is logged and the
    others go on; its claim lapses, so a later run tries again."""
    now = clock()
    with sessions() as session:
        prune(session, now, policy)
        due = claim_due(session, now, policy)
    done = 0
    for item in due:
        with sessions() as session:
            user = session.get(User, item.user_id)
            principal = principal_for_user(session, user) if user and user.active else None
        if principal is None:  # gone or deactivated: nobody may read it any more
            with sessions() as session:
                forget(session, item.key, now)
            continue
        ctx = ToolContext(
            principal,
            sessions,
            None,
            clock,
            reporting_currency,
            snapshots=replace(policy, refresh=True),
        )
        tools = {t.name: t for t in make_analytics_tools(ctx)}
        try:
            tools[item.tool].invoke(
                {"type": "tool_call", "id": "refresh", "name": item.tool, "args": item.args}
            )
        except Exception:
            log.exception("analytics snapshot: refreshing %s failed", item.tool)
            continue
        with sessions() as session:
            forget(session, item.key, now)  # kept under a new key (a new day): the old one goes
        done += 1
    return done
