"""Which CRM database this is: a random id made once per database and kept in `salesbot_meta`.

The search index is keyed by it (see tools/interactions.py), so two CRMs that share one Chroma
folder or server never see each other's vectors. A copy of the database (a dump restored
elsewhere) keeps the id, which is right for a restore and wrong for a fork: a fork that must
have its own index needs its own CHROMA_PATH, or `salesbot index --full` after every switch.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tools.models import Meta

DATABASE_ID_KEY = "database_id"  # migration 0008 writes this row; reads below make it if absent
_VALID = re.compile(r"[0-9a-f]{32}")


def new_database_id() -> str:
    return uuid.uuid4().hex


def read_database_id(sessions: sessionmaker[Session]) -> str:
    """This database's id; made now (once, even with several processes racing) if missing."""
    with sessions() as session:
        found = _stored(session)
    if found is not None:
        return found
    try:
        with sessions.begin() as session:
            session.add(Meta(key=DATABASE_ID_KEY, value={"id": new_database_id()}))
    except IntegrityError:
        pass  # another process wrote it between our read and our insert: use theirs
    with sessions() as session:
        made = _stored(session)
    if made is None:
        raise ValueError(
            f"The {DATABASE_ID_KEY!r} row of salesbot_meta is not a database id; delete that row "
            "and run `salesbot index` to give this database a new id and a fresh search index."
        )
    return made


def _stored(session: Session) -> str | None:
    row = session.get(Meta, DATABASE_ID_KEY)
    value = str((row.value or {}).get("id", "")) if row is not None else ""
    return value if _VALID.fullmatch(value) else None
