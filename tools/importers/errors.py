"""What can go wrong in an import, worded for the person running it."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


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


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """Rows that failed for one cause: how many, and the first few."""

    cause: str
    count: int
    examples: list[RowProblem]

    def __str__(self) -> str:
        where = "; ".join(str(p) for p in self.examples)
        return f"{self.count} row(s): {self.cause} (e.g. {where})"


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\b\d+(?:\.\d+)?\b")


def cause_of(reason: str) -> str:
    """The reason without the row's own values: rows failing alike share a cause."""
    return _QUOTED.sub("…", reason)


def group_problems(problems: list[RowProblem], examples: int = 3) -> list[ProblemGroup]:
    """Problems grouped by cause, the commonest first, each with its first `examples` rows."""
    by_cause: dict[str, list[RowProblem]] = {}
    for problem in problems:
        by_cause.setdefault(cause_of(problem.reason), []).append(problem)
    groups = [ProblemGroup(c, len(ps), ps[:examples]) for c, ps in by_cause.items()]
    return sorted(groups, key=lambda g: -g.count)


def write_problems(path: Path, problems: list[RowProblem]) -> None:
    """Every problem row as CSV (file, row, cause, reason): `--errors-out FILE`."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "row", "cause", "reason"])
        for p in problems:
            writer.writerow([p.file, p.row, cause_of(p.reason), p.reason])


def missing_owners_sentence(missing: Counter[str]) -> str:
    """The owners no user matches, named once, and how to add them."""
    shown = ", ".join(f"{name} ({n} rows)" for name, n in missing.most_common(10))
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    return (
        f"{len(missing)} record owner(s) are not salesbot users: {shown}{more}. Add them with "
        "`salesbot users import User.csv` (or a users CSV), or one by one with "
        "`salesbot users add EMAIL --name NAME --manager EMAIL`; or pass --as ADMIN_EMAIL to "
        "give their rows to an admin."
    )


class BadRows(ImportFailed):
    """Some rows are malformed and --skip-bad-rows was not given."""

    def __init__(
        self, problems: list[RowProblem], missing_owners: Counter[str] | None = None
    ) -> None:
        self.problems = problems
        self.missing_owners = missing_owners or Counter()
        lines = [str(g) for g in group_problems(problems)[:10]]
        head = missing_owners_sentence(self.missing_owners) + "\n" if self.missing_owners else ""
        super().__init__(
            f"{head}{len(problems)} bad row(s); nothing was imported "
            "(fix them, or pass --skip-bad-rows to import the rest):\n" + "\n".join(lines)
        )
