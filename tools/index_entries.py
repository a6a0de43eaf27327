"""What the search index stores for each activity, and how a stored record is known current.

One Chroma collection per CRM database and embedding model, named
`interactions-<database id>-<8 hex of the model key>` (see `collection_name`): two CRMs that
share a Chroma folder or server never see each other's vectors, and a new model starts a fresh
collection instead of mixing vectors of two models (or two sizes) in one.

Each activity is one record: id `activity:<activities.id>`, document = subject and body (what is
embedded), and this flat metadata (Chroma metadata holds no None, so -1 stands for "none"):

| key                | type | value                                                        |
|--------------------|------|--------------------------------------------------------------|
| `activity_id`      | int  | activities.id                                                |
| `account_id`       | int  | the activity's account                                       |
| `deal_id`          | int  | its deal, or -1                                              |
| `kind`             | str  | email, call, meeting, note or linkedin                       |
| `occurred_ts`      | int  | occurred_at in Unix seconds                                  |
| `user_id`          | int  | who logged it, or -1                                         |
| `deal_owner_id`    | int  | the deal's owner (whose book it is), or -1                   |
| `account_owner_id` | int  | the account's owner (whose book it is without a deal), or -1 |
| `db_id`            | str  | the database it was read from (tools/database_id.py)         |
| `content_hash`     | str  | blake2b of the model key and the document: the vector's version |

A stored record is current when every key above equals what the database gives now. Another
`content_hash` means the text (or the model) changed: embed again. Any other difference, such as
an owner change or a deal moved to another account, rewrites the metadata only.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from tools.models import Activity

NONE_ID = -1  # Chroma metadata cannot hold None
COLLECTION_PREFIX = "interactions"
DOC_PREFIX = "activity:"


class Freshness(enum.StrEnum):
    NEW = "new"  # not in the index: embed
    CHANGED = "changed"  # its text or the model changed: embed again
    RESCOPED = "rescoped"  # only metadata (owners, deal, account, kind, time) changed
    CURRENT = "current"


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One activity as the index should hold it."""

    activity_id: int
    document: str
    metadata: dict[str, Any]

    @property
    def doc_id(self) -> str:
        return doc_id(self.activity_id)

    def freshness(self, stored: dict[str, Any] | None) -> Freshness:
        """How the stored record (its metadata, or None when absent) compares with this."""
        if stored is None:
            return Freshness.NEW
        if stored.get("content_hash") != self.metadata["content_hash"]:
            return Freshness.CHANGED
        if any(stored.get(k) != v for k, v in self.metadata.items()):
            return Freshness.RESCOPED
        return Freshness.CURRENT


def collection_name(database_id: str, model_key: str) -> str:
    return f"{COLLECTION_PREFIX}-{database_id}-{model_digest(model_key)}"


def model_digest(model_key: str) -> str:
    """8 hex naming an embedding model: in collection names and in `interaction_vectors`."""
    return _digest(model_key, 4)


def doc_id(activity_id: int) -> str:
    return f"{DOC_PREFIX}{activity_id}"


def activity_id_of(stored_id: str) -> int | None:
    """The activity id in a record id; None for an id salesbot did not write."""
    number = stored_id.removeprefix(DOC_PREFIX)
    return int(number) if stored_id.startswith(DOC_PREFIX) and number.isdigit() else None


def document_text(activity: Activity) -> str:
    return f"{activity.subject}\n{activity.body or ''}".strip()


def content_hash(model_key: str, document: str) -> str:
    return _digest(f"{model_key}\n{document}", 16)


def index_entry(
    activity: Activity,
    deal_owner: int | None,
    account_owner: int | None,
    *,
    database_id: str,
    model_key: str,
) -> IndexEntry:
    document = document_text(activity)
    occurred = activity.occurred_at
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=UTC)
    metadata = {
        "activity_id": activity.id,
        "account_id": activity.account_id,
        "deal_id": activity.deal_id or NONE_ID,
        "kind": str(activity.kind),
        "occurred_ts": int(occurred.timestamp()),
        "user_id": activity.user_id or NONE_ID,
        "deal_owner_id": deal_owner or NONE_ID,
        "account_owner_id": account_owner or NONE_ID,
        "db_id": database_id,
        "content_hash": content_hash(model_key, document),
    }
    return IndexEntry(activity.id, document, metadata)


def _digest(text: str, size: int) -> str:
    return hashlib.blake2b(text.encode(), digest_size=size).hexdigest()
