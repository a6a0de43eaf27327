"""Keep the Chroma index in step with the activities table."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from tools.crm.activities import count_activities, iter_activities_for_index
from tools.interactions import InteractionIndex


def index_activities(
    session: Session,
    index: InteractionIndex,
    *,
    ids: Sequence[int] | None = None,
    on_progress: Callable[[int], None] | None = None,
    batch_size: int = 256,
) -> int:
    """Upsert activities (all, or `ids`) into the index; returns how many were written."""
    done = 0
    for activities, owners in iter_activities_for_index(session, batch_size=batch_size, ids=ids):
        index.add(activities, owners)
        done += len(activities)
        if on_progress is not None:
            on_progress(len(activities))
    return done


def activities_to_index(session: Session) -> int:
    return count_activities(session)
