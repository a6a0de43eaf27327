"""The files around the records: exchange rates and people first, deal history after."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tools.importers.convert import Conversion
from tools.importers.errors import ImportFailed
from tools.importers.folder import FilePlan, read_table
from tools.importers.history import (
    History,
    read_entered_columns,
    read_field_rows,
    read_stage_rows,
    write_history,
)
from tools.importers.reader import ExportFile
from tools.importers.specs import Source
from tools.team.import_users import UsersImported, import_people
from tools.team.people import TeamError
from tools.team.user_files import UsersFile, read_users


def load_rates(session: Session, paths: list[Path]) -> list[str]:
    """Every rates file (CurrencyType before DatedConversionRate); one line each."""
    # Imported here: tools/currency_rates.py reads values with tools/importers/values.py.
    from tools.currency_rates import RatesFailed, import_rates

    ordered = sorted(paths, key=lambda p: "dated" in p.name.lower())
    try:
        return [f"{p.name}: {import_rates(session, p).summary()}" for p in ordered]
    except RatesFailed as exc:
        raise ImportFailed(str(exc)) from exc


def load_users(
    session: Session, paths: list[Path], encoding: str | None, now: datetime
) -> tuple[UsersFile, UsersImported]:
    """The people files added as salesbot users (shared emails kept once, reported)."""
    try:
        found = read_users(paths, encoding)
    except TeamError as exc:
        raise ImportFailed(str(exc)) from exc
    return found, import_people(session, found, now=now)


def read_history(
    plan: FilePlan, files: list[ExportFile], conv: Conversion, encoding: str | None
) -> History:
    """Stage and field history from the history files and HubSpot's stage-date columns."""
    history = History()
    for path in plan.stage_history:
        read_stage_rows(history, read_table(path, encoding), path.name, conv.ext, conv.stages)
    for path in plan.field_history:
        read_field_rows(history, read_table(path, encoding), path.name, conv.ext)
    for file in files:
        if conv.source == Source.HUBSPOT and file.spec.kind == "deals":
            id_index = file.spec.column_map(file.header)["id"]
            read_entered_columns(history, file.header, file.rows, id_index, conv.ext, conv.stages)
    return history


def save_history(sessions: sessionmaker[Session], history: History) -> None:
    with sessions.begin() as session:
        write_history(session, history)
