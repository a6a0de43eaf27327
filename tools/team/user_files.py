"""Users files as they come: a generic CSV, Salesforce `User.csv`, HubSpot users and teams.

Each is told apart by its header. Salesforce users name their manager by `ManagerId`, so a
manager is resolved through the same file; anyone named as a manager becomes a manager. HubSpot
users name their team, and a teams file names each team's manager (and parent team).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tools.emails import normalize_email
from tools.models import Role
from tools.team.people import Person, TeamError, check_email, parse_role
from tools.text_files import TextFileError, csv_rows, read_text

SALESFORCE_PEOPLE = {"Standard", ""}  # UserType values of people (not portal or system users)


def key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


@dataclass
class UsersFile:
    """The people of one or more users files, each email once."""

    kind: str
    people: list[Person] = field(default_factory=list)
    salesforce_ids: dict[str, str] = field(default_factory=dict)  # User Id -> kept email
    skipped: list[str] = field(default_factory=list)  # why a row was not taken
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # email -> names dropped


Table = list[dict[str, str]]


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Rows keyed by normalized header (letters and digits only)."""
    try:
        text, _ = read_text(path, encoding)
    except TextFileError as exc:
        raise TeamError(str(exc)) from None
    lines = [cells for cells in csv_rows(text) if any(c.strip() for c in cells)]
    if len(lines) < 2:
        raise TeamError(f"{path} has no data rows: expected a header row and one row per user.")
    header = [key(h) for h in lines[0]]
    return [dict(zip(header, (c.strip() for c in cells), strict=False)) for cells in lines[1:]]


def kind_of(table: Table) -> str:
    cols = set(table[0])
    if {"id", "email", "username"} <= cols or {"id", "email", "managerid"} <= cols:
        return "salesforce"
    if {"teamname"} <= cols or (
        {"name"} <= cols and cols & {"teammanager", "manager", "teamlead"} and "email" not in cols
    ):
        return "hubspot-teams"
    if "email" in cols and cols & {"primaryteam", "team", "teams"}:
        return "hubspot-users"
    if "email" in cols:
        return "csv"
    raise TeamError(
        "not a users file: expected a column `email` (generic CSV: email, name, role, "
        "manager_email, timezone, active), Salesforce User.csv or a HubSpot users export."
    )


def read_users(paths: list[Path], encoding: str | None = None) -> UsersFile:
    """Every person in `paths` (a HubSpot teams file applies to the users file beside it)."""
    tables = [(p, read_table(p, encoding)) for p in paths]
    kinds = [kind_of(t) for _, t in tables]
    teams = [t for (_, t), k in zip(tables, kinds, strict=True) if k == "hubspot-teams"]
    found = UsersFile(kind="+".join(sorted(set(kinds))))
    for (path, table), kind in zip(tables, kinds, strict=True):
        if kind == "salesforce":
            _salesforce(table, path.name, found)
        elif kind == "hubspot-users":
            _hubspot(table, teams, path.name, found)
        elif kind == "csv":
            _generic(table, path.name, found)
    return found


def _add(found: UsersFile, person: Person, where: str, rank: int = 0) -> None:
    """Keep one person per email; the first active one wins."""
    k = normalize_email(person.email)
    for i, kept in enumerate(found.people):
        if normalize_email(kept.email) != k:
            continue
        replace = kept.active is False and person.active is not False
        dropped = kept if replace else person
        found.duplicates.setdefault(person.email, []).append(f"{dropped.name} ({where})")
        if replace:
            found.people[i] = person
        return
    found.people.append(person)


def _bool(text: str | None) -> bool | None:
    if text is None or not text.strip():
        return None
    return text.strip().lower() in {"1", "true", "yes", "y", "active"}


def _name(row: dict[str, str]) -> str | None:
    full = row.get("name") or " ".join(
        p for p in (row.get("firstname", ""), row.get("lastname", "")) if p
    )
    return full.strip() or None


def _generic(table: Table, file: str, found: UsersFile) -> None:
    for number, row in enumerate(table, 2):
        try:
            email = check_email(row.get("email", ""))
            role = parse_role(row["role"]) if row.get("role") else None
        except TeamError as exc:
            found.skipped.append(f"{file}, row {number}: {exc}")
            continue
        manager = row.get("manageremail", row.get("manager"))
        person = Person(
            email,
            _name(row),
            role,
            manager or None,
            row.get("timezone") or None,
            _bool(row.get("active")),
        )
        _add(found, person, f"{file}, row {number}")


def _salesforce(table: Table, file: str, found: UsersFile) -> None:
    by_id = {row.get("id", ""): row for row in table}
    managers = {row.get("managerid") for row in table if row.get("managerid")}
    for number, row in enumerate(table, 2):
        where = f"{file}, row {number}"
        if row.get("usertype", "") not in SALESFORCE_PEOPLE:
            found.skipped.append(f"{where}: {_name(row)} is a {row['usertype']} user, not a person")
            continue
        try:
            email = check_email(row.get("email", ""))
        except TeamError as exc:
            found.skipped.append(f"{where}: {exc}")
            continue
        boss = by_id.get(row.get("managerid", ""))
        person = Person(
            email,
            _name(row),
            Role.MANAGER if row.get("id") in managers else Role.REP,
            boss.get("email") if boss else None,
            row.get("timezonesidkey") or None,
            _bool(row.get("isactive")),
        )
        _add(found, person, where)
        found.salesforce_ids[row.get("id", "")] = email
    kept = {normalize_email(p.email): p.email for p in found.people}
    found.salesforce_ids = {
        i: kept.get(normalize_email(e), e) for i, e in found.salesforce_ids.items()
    }


def _hubspot(table: Table, teams: list[Table], file: str, found: UsersFile) -> None:
    team_rows = {(r.get("teamname") or r.get("name", "")).lower(): r for t in teams for r in t}

    def manager_of(team: str, email: str) -> str | None:
        row = team_rows.get(team.lower())
        while row is not None:
            boss = _team_manager(row)
            if boss and normalize_email(boss) != normalize_email(email):
                return boss
            row = team_rows.get(row.get("parentteam", "").lower())
        return None

    bosses = {normalize_email(b) for r in team_rows.values() if (b := _team_manager(r))}
    for number, row in enumerate(table, 2):
        try:
            email = check_email(row.get("email", ""))
        except TeamError as exc:
            found.skipped.append(f"{file}, row {number}: {exc}")
            continue
        team = (row.get("primaryteam") or row.get("team") or row.get("teams") or "").split(";")[0]
        role = Role.MANAGER if normalize_email(email) in bosses else None
        if row.get("role"):
            role = Role.ADMIN if "admin" in row["role"].lower() else role
        person = Person(
            email,
            _name(row),
            role,
            manager_of(team.strip(), email) if teams else None,
            None,
            _bool(row.get("active") or row.get("status")),
        )
        _add(found, person, f"{file}, row {number}")


def _team_manager(row: dict[str, str]) -> str | None:
    return row.get("teammanager") or row.get("manager") or row.get("teamlead") or None
