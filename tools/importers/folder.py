"""Which files an import reads: a folder (a Data Export as it comes) or the files named.

A folder's CSV files are each classified by tools/importers/kinds.py; the ones salesbot has no
use for are listed as skipped, never an error. A file named on the command line must be known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tools.importers.errors import ImportFailed
from tools.importers.kinds import Classified, Role, classify
from tools.importers.reader import read_lines
from tools.importers.specs import Entity, Source
from tools.text_files import csv_rows, read_text


@dataclass
class FilePlan:
    records: list[Path] = field(default_factory=list)
    users: list[Path] = field(default_factory=list)  # people files to add as salesbot users
    rates: list[Path] = field(default_factory=list)
    stage_history: list[Path] = field(default_factory=list)
    field_history: list[Path] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)  # file, kind
    skipped: list[tuple[str, str]] = field(default_factory=list)  # file, why

    def add(self, path: Path, found: Classified, from_folder: bool) -> None:
        role = found.role
        self.kinds.append((path.name, found.name))
        if role == Role.RECORDS:
            self.records.append(path)
            if from_folder and found.spec is not None and found.spec.entity == Entity.OWNER:
                self.users.append(path)  # a Data Export's User.csv onboards its people
        elif role == Role.USERS:
            self.users.append(path)
        elif role == Role.RATES:
            self.rates.append(path)
        elif role == Role.STAGE_HISTORY:
            self.stage_history.append(path)
        elif role == Role.FIELD_HISTORY:
            self.field_history.append(path)


def plan_files(source: Source, paths: tuple[Path, ...], encoding: str | None) -> FilePlan:
    """Every path classified; folders expanded to their CSV files."""
    plan = FilePlan()
    for path in paths:
        if path.is_dir():
            _folder(plan, source, path, encoding)
        else:
            found = _classify(source, path, encoding)
            if found.role in (None, Role.UNUSED):
                plan.records.append(path)  # the reader names what it expected
                continue
            plan.add(path, found, from_folder=False)
    return plan


def _folder(plan: FilePlan, source: Source, folder: Path, encoding: str | None) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    if not files:
        raise ImportFailed(f"{folder} is an empty folder: expected the export's CSV files.")
    for path in files:
        if path.suffix.lower() != ".csv":
            plan.skipped.append((path.name, "not a CSV file"))
            continue
        try:
            found = _classify(source, path, encoding)
        except ImportFailed as exc:
            plan.skipped.append((path.name, str(exc).replace(str(path), "it")))
            continue
        if found.role is None:
            plan.skipped.append((path.name, "no kind of file salesbot reads"))
        elif found.role == Role.UNUSED:
            plan.skipped.append((path.name, f"a {found.name} file; salesbot does not use them"))
        else:
            plan.add(path, found, from_folder=True)
    if not (plan.records or plan.stage_history or plan.rates or plan.users):
        raise ImportFailed(
            f"{folder} holds no {source.value} file salesbot reads; see 'Importing your CRM'."
        )


def _classify(source: Source, path: Path, encoding: str | None) -> Classified:
    lines, at = read_lines(path, encoding)
    return classify(source, [h.strip() for h in lines[at]])


def read_table(path: Path, encoding: str | None) -> list[dict[str, str]]:
    """Rows keyed by normalized header (specs.norm)."""
    from tools.importers.specs import norm

    text, _ = read_text(path, encoding)
    lines = [c for c in csv_rows(text) if any(x.strip() for x in c)]
    if not lines:
        return []
    header = [norm(h) for h in lines[0]]
    return [dict(zip(header, (c.strip() for c in cells), strict=False)) for cells in lines[1:]]
