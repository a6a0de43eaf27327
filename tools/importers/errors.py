"""What can go wrong in an import, worded for the person running it."""

from __future__ import annotations

from dataclasses import dataclass


class ImportFailed(Exception):
    """The import cannot run or was refused; nothing was written. The message says why."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    row: int  # spreadsheet numbering: the header is row 1
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}: {self.reason}"


class RowError(ValueError):
    """One row cannot be imported; carried up and reported with its file and row."""


class NotImported(Exception):
    """A well-formed row salesbot has no place for; counted in a warning, never an error."""


class BadRows(ImportFailed):
    """Some rows are malformed and --skip-bad-rows was not given."""

    def __init__(self, problems: list[RowProblem], shown: int = 20) -> None:
        self.problems = problems
        lines = [str(p) for p in problems[:shown]]
        if len(problems) > shown:
            lines.append(f"... and {len(problems) - shown} more")
        super().__init__(
            f"{len(problems)} bad row(s); nothing was imported "
            "(fix them, or pass --skip-bad-rows to import the rest):\n" + "\n".join(lines)
        )
