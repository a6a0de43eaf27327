"""Open an export file, check it is one we know, and hand out its rows by field name."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tools.importers.errors import ImportFailed, RowError
from tools.importers.specs import FileSpec, Source, detect, specs_for
from tools.importers.values import ValueProblem
from tools.text_files import TextFileError, read_text

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its cells by field name, and the header each field came from."""

    number: int
    cells: dict[str, str]
    headers: dict[str, str]

    def get(self, field: str) -> str | None:
        """The stripped cell, or None when the column is absent or the cell blank."""
        value = self.cells.get(field)
        return value or None

    def has(self, field: str) -> bool:
        return field in self.headers

    def require(self, field: str, what: str | None = None) -> str:
        value = self.get(field)
        if value is None:
            raise RowError(f"{self.headers.get(field, what or field)} is empty")
        return value

    def parsed(self, field: str, parse: Callable[[str], T]) -> T | None:
        """The cell read by `parse`, None when blank; a bad value names its column."""
        value = self.get(field)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueProblem as exc:
            raise RowError(f"{self.headers[field]}: {exc}") from None


@dataclass(frozen=True)
class ExportFile:
    path: Path
    spec: FileSpec
    header: list[str]
    rows: list[list[str]]
    first_row: int = 2  # the spreadsheet number of rows[0]

    @property
    def name(self) -> str:
        return self.path.name

    def iter_rows(self) -> Iterator[Row | RowError]:
        """Rows by field; a row whose cell count differs from the header's is an error, and so
        is a NUL character in a cell we import (PostgreSQL text cannot hold one)."""
        columns = self.spec.column_map(self.header)
        headers = {field: self.header[i] for field, i in columns.items()}
        for offset, cells in enumerate(self.rows):
            number = offset + self.first_row
            if not _filled(cells):
                continue
            if len(cells) != len(self.header):
                yield _RowAt(
                    number, f"has {len(cells)} cells but the header has {len(self.header)}"
                )
                continue
            if nul := next((f for f, i in columns.items() if "\x00" in cells[i]), None):
                yield _RowAt(number, f"{headers[nul]}: {NUL_PROBLEM}")
                continue
            yield Row(number, {f: cells[i].strip() for f, i in columns.items()}, headers)


NUL_PROBLEM = "contains a NUL character (\\x00), which cannot be stored; remove it from the file"


class _RowAt(RowError):
    """A problem with the row as a whole, found before its values are read."""

    def __init__(self, number: int, reason: str) -> None:
        super().__init__(reason)
        self.number = number


def read_lines(path: Path, encoding: str | None = None) -> tuple[list[list[str]], int]:
    """Every CSV row of the file and the index of its header; ImportFailed when unreadable."""
    text = _text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise ImportFailed(f"{path}, row {reader.line_num}: not valid CSV ({exc}).") from None
    at = next((i for i, cells in enumerate(lines) if _filled(cells)), None)
    if at is None:
        raise ImportFailed(f"{path} is empty: expected a header row and data rows.")
    return lines, at


def read_export(path: Path, source: Source, encoding: str | None = None) -> ExportFile:
    """Read a whole export file; ImportFailed for a missing, empty or unrecognised file."""
    lines, at = read_lines(path, encoding)
    header = [h.strip() for h in lines[at]]
    spec = detect(source, header)
    if spec is None:
        raise ImportFailed(_unknown_header(path, source, header))
    rows = lines[at + 1 :]
    if not any(_filled(cells) for cells in rows):
        raise ImportFailed(f"{path} has a header but no data rows.")
    return ExportFile(path, spec, header, rows, first_row=at + 2)


def _filled(cells: list[str]) -> bool:
    return any(c.strip() for c in cells)


def _text(path: Path, encoding: str | None) -> str:
    if path.suffix.lower() in {".xlsx", ".xls"}:
        # HubSpot offers XLSX first; the CSV option of the same export is what we read.
        raise ImportFailed(f"{path} is a spreadsheet; export it again as CSV.")
    try:
        return read_text(path, encoding)[0]  # UTF-8, UTF-16, Windows-1252 or Latin-1
    except TextFileError as exc:
        raise ImportFailed(str(exc)) from None


def _delimiter(text: str) -> str:
    # Spreadsheets in many locales save CSV with ";"; the header line tells which was used.
    first = text.split("\n", 1)[0]
    return max(",;\t", key=first.count)


def _unknown_header(path: Path, source: Source, header: list[str]) -> str:
    kinds = ", ".join(s.kind for s in specs_for(source))
    shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
    return (
        f"{path} does not look like a {source.value} export ({kinds}); its header is: {shown}. "
        "See 'Importing your CRM' in the README for the columns each file needs."
    )
