"""The searchable history of interactions: a Chroma collection of every activity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings

from tools.models import Activity
from tools.principal import Principal

COLLECTION = "interactions"
NONE_ID = -1  # Chroma metadata cannot hold None


class SearchUnavailableError(RuntimeError):
    """The vector store cannot be reached; every other tool still works."""


@dataclass(frozen=True, slots=True)
class Hit:
    activity_id: int
    distance: float


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """Optional narrowing of a search; ids are already resolved and in scope."""

    account_id: int | None = None
    deal_id: int | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def open_client(
    path: str | None = None,
    host: str | None = None,
    port: int = 8000,
    *,
    ssl: bool = False,
    headers: dict[str, str] | None = None,
) -> Callable[[], ClientAPI]:
    """A connector to a persistent local store, or to a Chroma server when `host` is given.

    `headers` go with every request to the server: an auth token for the server or the proxy
    in front of it (see docs/DEPLOYMENT.md).
    """
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if host:
        return lambda: chromadb.HttpClient(
            host=host, port=port, ssl=ssl, headers=headers or None, settings=settings
        )
    return lambda: chromadb.PersistentClient(path=path or "data/chroma", settings=settings)


def auth_headers(token: str | None, header: str = "Authorization") -> dict[str, str]:
    """The header that carries a Chroma token: "Bearer <token>" in Authorization, else bare."""
    if not token:
        return {}
    return {header: f"Bearer {token}" if header.lower() == "authorization" else token}


class InteractionIndex:
    """Adds activities to Chroma and searches them within a principal's scope."""

    def __init__(
        self, connect: Callable[[], ClientAPI], embedder: EmbeddingFunction[Documents]
    ) -> None:
        # Connecting lazily lets the bot start, and answer everything else, while Chroma is down.
        self._connect = connect
        self._embedder = embedder
        self._collection: Collection | None = None

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            try:
                self._collection = self._connect().get_or_create_collection(
                    COLLECTION,
                    embedding_function=self._embedder,  # type: ignore[arg-type]
                    metadata={"hnsw:space": "cosine"},
                )
            except Exception as exc:  # chromadb raises many types when its server is down
                raise SearchUnavailableError(str(exc)) from exc
        return self._collection

    def add(
        self,
        activities: Sequence[Activity],
        owners: dict[int, tuple[int | None, int | None]],
    ) -> None:
        """Upsert activities; `owners` maps activity id to (deal owner, account owner)."""
        if not activities:
            return
        self.collection.upsert(  # errors propagate: a failed index write must be retried
            ids=[doc_id(a.id) for a in activities],
            documents=[document_text(a) for a in activities],
            metadatas=[_metadata(a, *owners.get(a.id, (None, None))) for a in activities],
        )

    def count(self) -> int:
        try:
            return self.collection.count()
        except SearchUnavailableError:
            raise
        except Exception as exc:
            raise SearchUnavailableError(str(exc)) from exc

    def search(
        self, query: str, principal: Principal, flt: SearchFilter, *, limit: int = 5
    ) -> list[Hit]:
        """Nearest activities to `query`, pre-filtered by scope and the filter's fields."""
        where = _where(principal, flt)
        try:
            result = self.collection.query(
                query_texts=[query],
                n_results=limit,
                where=where,  # type: ignore[arg-type]
            )
        except SearchUnavailableError:
            raise
        except Exception as exc:
            raise SearchUnavailableError(str(exc)) from exc
        ids = (result.get("ids") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        return [Hit(int(i.split(":")[1]), float(d)) for i, d in zip(ids, distances, strict=False)]


def doc_id(activity_id: int) -> str:
    return f"activity:{activity_id}"


def document_text(activity: Activity) -> str:
    return f"{activity.subject}\n{activity.body or ''}".strip()


def _metadata(
    activity: Activity, deal_owner: int | None, account_owner: int | None
) -> dict[str, Any]:
    occurred = activity.occurred_at
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=UTC)
    return {
        "activity_id": activity.id,
        "account_id": activity.account_id,
        "deal_id": activity.deal_id or NONE_ID,
        "kind": str(activity.kind),
        "occurred_ts": int(occurred.timestamp()),
        "user_id": activity.user_id or NONE_ID,
        "deal_owner_id": deal_owner or NONE_ID,
        "account_owner_id": account_owner or NONE_ID,
    }


def _where(principal: Principal, flt: SearchFilter) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if principal.visible_owner_ids is not None:
        ids = sorted(principal.visible_owner_ids)
        clauses.append(
            {
                "$or": [
                    {"deal_owner_id": {"$in": ids}},
                    {"$and": [{"deal_id": NONE_ID}, {"account_owner_id": {"$in": ids}}]},
                ]
            }
        )
    for key, value in (
        ("account_id", flt.account_id),
        ("deal_id", flt.deal_id),
        ("kind", flt.kind),
    ):
        if value is not None:
            clauses.append({key: value})
    if flt.since is not None:
        clauses.append({"occurred_ts": {"$gte": int(flt.since.timestamp())}})
    if flt.until is not None:
        clauses.append({"occurred_ts": {"$lte": int(flt.until.timestamp())}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
