"""Keeping the search index in step with a logged (or undone) interaction, right away.

A failure here never undoes the CRM write: the activity stays, and `salesbot index`
(which compares every activity with the index) adds it later.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from tools.indexing import index_activities
from tools.interactions import InteractionIndex, doc_id

log = logging.getLogger(__name__)


def index_activity(
    sessions: sessionmaker[Session], index: InteractionIndex, activity_id: int
) -> bool:
    """Index one activity now; False (and logged) when the store is unreachable."""
    try:
        with sessions() as session:
            return index_activities(session, index, ids=[activity_id]) == 1
    except Exception:  # Chroma raises many types when down; the write itself is kept
        log.warning(
            "activity %s saved but not indexed; run `salesbot index`", activity_id, exc_info=True
        )
        return False


def unindex_activity(index: InteractionIndex, activity_id: int) -> bool:
    """Remove an undone activity from the index; a stale hit is re-checked in SQL anyway."""
    try:
        index.delete([doc_id(activity_id)])
        return True
    except Exception:
        log.warning("could not remove activity %s from the index", activity_id, exc_info=True)
        return False
