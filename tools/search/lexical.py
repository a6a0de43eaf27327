"""Full-text search over interactions, in SQL, inside the asker's scope.

SQLite: the FTS5 table `activities_fts` (porter stemming, BM25 with the subject weighted
double). PostgreSQL: the english tsvector of subject and body, ranked by ts_rank_cd, served by
the GIN index of migration 0020. Scope and every filter are WHERE clauses of the same query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from tools.models import Activity
from tools.principal import Principal
from tools.scope import activity_visible
from tools.search.schema import FTS_TABLE

_TOKEN = re.compile(r"[a-z0-9]+")
_PG_CONFIG: ColumnElement[Any] = literal_column("'english'::regconfig")


@dataclass(frozen=True, slots=True)
class Narrowing:
    """Filters every search half applies in SQL; ids are resolved and in scope."""

    account_id: int | None = None
    deal_id: int | None = None
    contact_id: int | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def lexical_search(
    session: Session,
    principal: Principal,
    terms: list[str],
    narrowing: Narrowing,
    *,
    limit: int,
    every: bool = False,
) -> list[tuple[int, float]]:
    """(activity id, score) best first, higher scores better; [] when no term is searchable.

    Any of the terms matches, or with `every` only rows holding all of them.
    """
    phrases = [toks for t in terms if (toks := _TOKEN.findall(t.lower()))]
    if not phrases:
        return []
    sqlite = session.get_bind().dialect.name == "sqlite"
    query = _sqlite(phrases, every) if sqlite else _postgres(phrases, every)
    query = query.where(*narrowed(principal, narrowing)).limit(limit)
    return [(int(row[0]), float(row[1])) for row in session.execute(query).all()]


def narrowed(principal: Principal, n: Narrowing) -> list[ColumnElement[bool]]:
    """The scope check and the filters, as WHERE clauses on Activity."""
    clauses = [activity_visible(principal)]
    for col, value in (
        (Activity.account_id, n.account_id),
        (Activity.deal_id, n.deal_id),
        (Activity.contact_id, n.contact_id),
    ):
        if value is not None:
            clauses.append(col == value)
    if n.kind is not None:
        clauses.append(Activity.kind == n.kind)
    if n.since is not None:
        clauses.append(Activity.occurred_at >= n.since)
    if n.until is not None:
        clauses.append(Activity.occurred_at <= n.until)
    return clauses


def _sqlite(phrases: list[list[str]], every: bool) -> Select[int, float]:
    fts = table(FTS_TABLE, column("rowid"))
    match = (" AND " if every else " OR ").join('"' + " ".join(p) + '"' for p in phrases)
    # bm25() is lower for better matches; negated so that higher is better on both backends.
    score: ColumnElement[float] = literal_column(f"-bm25({FTS_TABLE}, 2.0, 1.0)")
    return (
        select(Activity.id, score.label("score"))
        .join(fts, fts.c.rowid == Activity.id)
        .where(literal_column(FTS_TABLE).op("MATCH")(match))
        .order_by(score.desc(), Activity.id)
    )


def _postgres(phrases: list[list[str]], every: bool) -> Select[int, float]:
    text = func.coalesce(Activity.subject, "") + " " + func.coalesce(Activity.body, "")
    document = func.to_tsvector(_PG_CONFIG, text)
    query = func.to_tsquery(
        _PG_CONFIG, (" & " if every else " | ").join("(" + " <-> ".join(p) + ")" for p in phrases)
    )
    score = func.ts_rank_cd(document, query, 1)
    return (
        select(Activity.id, score.label("score"))
        .where(document.op("@@")(query))
        .order_by(score.desc(), Activity.id)
    )
