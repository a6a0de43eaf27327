"""The interactions' vectors kept in SQL (table `interaction_vectors`): written by every index
sync beside Chroma, read by the scope-first search in the same statement as the scope."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session

from tools.models import Activity, InteractionVector
from tools.principal import Principal
from tools.search.lexical import Narrowing, narrowed

DTYPE = np.dtype("<f4")  # float32, the same bytes on every machine


def save(session: Session, model: str, vectors: Iterable[tuple[int, Sequence[float]]]) -> None:
    """Store (or replace) these activities' vectors for `model`; the caller commits."""
    rows = [(i, np.asarray(v, dtype=DTYPE).tobytes()) for i, v in vectors]
    if not rows:
        return
    iv = InteractionVector
    session.execute(delete(iv).where(iv.model == model, iv.activity_id.in_([i for i, _ in rows])))
    session.add_all(iv(activity_id=i, model=model, vector=blob) for i, blob in rows)
    session.flush()


def missing(session: Session, model: str, activity_ids: Sequence[int]) -> list[int]:
    """Those of these activities with no stored vector for `model` (an index made before the
    table, to be filled from Chroma without embedding again)."""
    if not activity_ids:
        return []
    iv = InteractionVector
    have = set(
        session.scalars(
            select(iv.activity_id).where(iv.model == model, iv.activity_id.in_(activity_ids))
        )
    )
    return [i for i in activity_ids if i not in have]


def in_scope(
    session: Session, principal: Principal, narrowing: Narrowing, model: str, *, cap: int
) -> tuple[list[int], Any] | None:
    """(ids, matrix) of the interactions in scope that have a vector, or None when the scope
    holds more than `cap` interactions (an admin's whole history) or none of them has a vector
    yet (an index made before this table: the caller asks Chroma as before)."""
    iv = InteractionVector
    query = (
        select(Activity.id, iv.vector)
        .outerjoin(iv, and_(iv.activity_id == Activity.id, iv.model == model))
        .where(*narrowed(principal, narrowing))
        .limit(cap + 1)
    )
    rows = session.execute(query).all()
    if len(rows) > cap:
        return None
    found = [(i, blob) for i, blob in rows if blob is not None]
    if not found:
        return None if rows else ([], np.empty((0, 0), dtype=DTYPE))
    ids = [i for i, _ in found]
    matrix = np.frombuffer(b"".join(b for _, b in found), dtype=DTYPE).reshape(len(found), -1)
    return ids, matrix
