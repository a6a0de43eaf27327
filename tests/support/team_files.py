"""Users, teams and quota files shaped like the real exports, in the encodings they come in.

The Salesforce `User.csv` has the Data Export's full column set (AccountId and LastName among
them, so it must never be taken for a Contact file), ISO-8859-1 names, a system user and two
users sharing one email, as real orgs do.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

SF_USER_HEADER = [
    "Id",
    "Username",
    "LastName",
    "FirstName",
    "Name",
    "CompanyName",
    "Division",
    "Department",
    "Title",
    "Street",
    "City",
    "State",
    "PostalCode",
    "Country",
    "Email",
    "Phone",
    "Alias",
    "CommunityNickname",
    "IsActive",
    "TimeZoneSidKey",
    "UserRoleId",
    "LocaleSidKey",
    "ReceivesInfoEmails",
    "EmailEncodingKey",
    "ProfileId",
    "UserType",
    "LanguageLocaleKey",
    "EmployeeNumber",
    "ManagerId",
    "LastLoginDate",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "SystemModstamp",
    "ContactId",
    "AccountId",
    "CallCenterId",
    "Extension",
    "FederationIdentifier",
    "CurrencyIsoCode",
    "DefaultCurrencyIsoCode",
]

# Id, first, last, email, active, zone, manager id, user type
SF_USERS = [
    ("0055e000001AAAA", "Sofía", "Núñez", "sofia@acme.test", "1", "America/Mexico_City", "", ""),
    (
        "0055e000001BBBB",
        "José",
        "Peña",
        "jose@acme.test",
        "1",
        "America/Bogota",
        "0055e000001AAAA",
        "Standard",
    ),
    (
        "0055e000001CCCC",
        "Zoë",
        "Brontë",
        "zoe@acme.test",
        "1",
        "America/Lima",
        "0055e000001AAAA",
        "Standard",
    ),
    ("0055e000001DDDD", "Old", "Account", "jose@acme.test", "0", "America/Bogota", "", "Standard"),
    (
        "0055e000001EEEE",
        "Automated",
        "Process",
        "autoproc@00d.test",
        "1",
        "GMT",
        "",
        "AutomatedProcess",
    ),
]


def salesforce_user_rows() -> list[list[str]]:
    rows = []
    for uid, first, last, email, active, zone, manager, kind in SF_USERS:
        row = dict.fromkeys(SF_USER_HEADER, "")
        row.update(
            Id=uid,
            Username=f"{email}.prod",
            FirstName=first,
            LastName=last,
            Name=f"{first} {last}",
            Email=email,
            IsActive=active,
            TimeZoneSidKey=zone,
            ManagerId=manager,
            UserType=kind or "Standard",
            CurrencyIsoCode="USD",
            CreatedDate="2016-03-01T10:00:00.000Z",
            Alias=first[:4],
        )
        rows.append([row[h] for h in SF_USER_HEADER])
    return rows


def write_rows(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_salesforce_users(folder: Path, encoding: str = "iso-8859-1") -> Path:
    """The Data Export's User.csv, ISO-8859-1 as Salesforce writes it by default."""
    return write_rows(folder / "User.csv", SF_USER_HEADER, salesforce_user_rows(), encoding)


def write_hubspot_users(folder: Path) -> list[Path]:
    """HubSpot's Users & Teams export: a users file (UTF-16, as Excel saves it) and teams."""
    users = write_rows(
        folder / "hubspot-users.csv",
        [
            "First Name",
            "Last Name",
            "Email",
            "Primary Team",
            "Additional Teams",
            "Role",
            "Last Active",
        ],
        [
            ["Lena", "Lind", "lena@hub.test", "Sales", "", "Sales Manager", "2026-11-30"],
            ["Omar", "Öz", "omar@hub.test", "Sales East", "", "Sales Rep", "2026-11-29"],
            ["Pia", "Park", "pia@hub.test", "Sales East", "Sales", "Sales Rep", ""],
            ["Quinn", "Quo", "quinn@hub.test", "", "", "Super Admin", "2026-10-01"],
        ],
        "utf-16",
    )
    teams = write_rows(
        folder / "hubspot-teams.csv",
        ["Team Name", "Team Manager", "Parent Team"],
        [["Sales", "lena@hub.test", ""], ["Sales East", "", "Sales"]],
        "utf-8",
    )
    return [users, teams]


def write_generic_users(folder: Path) -> Path:
    return write_rows(
        folder / "team.csv",
        ["email", "name", "role", "manager_email", "timezone", "active"],
        [
            ["mgr@gen.test", "Gen Manager", "manager", "", "Europe/Paris", "yes"],
            ["rep@gen.test", "Gen Rep", "rep", "mgr@gen.test", "Europe/Paris", ""],
            ["bad-email", "Nobody", "rep", "", "", ""],
        ],
        "cp1252",
    )
