"""Portable SQL pieces: day arithmetic on timestamps, integer IN lists of any length, and the
INSERT that knows ON CONFLICT on both SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Float, Integer, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement[float]):
    """Elapsed days (fractional) from the first timestamp to the second."""

    type = Float()
    name = "days_between"
    inherit_cache = True


class whole_days_between(FunctionElement[int]):
    """Elapsed whole days (floored) from the first timestamp to the second."""

    type = Integer()
    name = "whole_days_between"
    inherit_cache = True


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> tuple[str, str]:
    start, end = list(element.clauses)
    return compiler.process(start, **kw), compiler.process(end, **kw)


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"(julianday({end}) - julianday({start}))"


@compiles(days_between, "postgresql")
def _days_pg(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


@compiles(whole_days_between, "sqlite")
def _whole_sqlite(element: whole_days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    # Durations are never negative here, so truncation is the floor.
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(whole_days_between, "postgresql")
def _whole_pg(element: whole_days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0) AS INTEGER)"


class at_fraction(FunctionElement[Any]):
    """The timestamp `fraction` of the way from the first timestamp to the second."""

    type = DateTime(timezone=True)
    name = "at_fraction"
    inherit_cache = True


@compiles(at_fraction, "sqlite")
def _at_sqlite(element: at_fraction, compiler: SQLCompiler, **kw: Any) -> str:
    start, end, fraction = (compiler.process(c, **kw) for c in element.clauses)
    # Milliseconds, like the stored text up to its last three digits: an equal instant stored
    # as "...00.000000" sorts after "...00.000", so "before the snapshot" stays strict.
    return (
        f"strftime('%Y-%m-%d %H:%M:%f', julianday({start}) + "
        f"(julianday({end}) - julianday({start})) * ({fraction}))"
    )


@compiles(at_fraction, "postgresql")
def _at_pg(element: at_fraction, compiler: SQLCompiler, **kw: Any) -> str:
    start, end, fraction = (compiler.process(c, **kw) for c in element.clauses)
    return f"({start} + ({end} - {start}) * ({fraction}))"


class epoch_days(FunctionElement[float]):
    """A timestamp or date as fractional days since 1970-01-01 UTC (NULL stays NULL)."""

    type = Float()
    name = "epoch_days"
    inherit_cache = True


@compiles(epoch_days, "sqlite")
def _epoch_sqlite(element: epoch_days, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({value}) - 2440587.5)"


@compiles(epoch_days, "postgresql")
def _epoch_pg(element: epoch_days, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM {value}) / 86400.0)"


def in_ids(column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """`column IN (1, 2, ...)` with the integers written into the SQL text.

    One statement for any number of ids: no bind-parameter limit (SQLite 32,766, PostgreSQL
    65,535) to chunk around, so the statement count never grows with the number of reps.
    """
    values = sorted({int(i) for i in ids})
    return column.in_(bindparam(None, values, expanding=True, literal_execute=True))


def upsert_insert(session: Session, model: type[Any]) -> Any:
    """The dialect's INSERT for `model`, which knows ON CONFLICT on SQLite and PostgreSQL."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(model)
