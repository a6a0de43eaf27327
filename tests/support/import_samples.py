"""Sample CRM export files written by the tests, one builder per documented format.

Owners refer to the users `add_users` creates. Every sample holds 3 companies, 2 contacts, 4 deals,
4 interactions and 1 to-do (the HubSpot and generic ones) so the tests can name exact counts.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.orm import Session

from tools.models import Role, User

USERS = [
    ("Ada Admin", "ada@x.test", Role.ADMIN),
    ("Mia Manager", "mia@x.test", Role.MANAGER),
    ("Rob Rep", "rob@x.test", Role.REP),
    ("Rita Rep", "rita@x.test", Role.REP),
]
Table = list[list[str]]


def add_users(session: Session) -> dict[str, int]:
    """The CRM users sample owners match; email -> id."""
    users = [User(name=n, email=e, role=r) for n, e, r in USERS]
    session.add_all(users)
    session.flush()
    return {u.email: u.id for u in users}


def write_csv(path: Path, table: Table, delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(table)
    return path


def read_csv(path: Path) -> Table:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Change one cell; `row` is spreadsheet numbering (the header is row 1)."""
    table = read_csv(path)
    table[row - 1][table[0].index(column)] = value
    write_csv(path, table)


HUBSPOT = {
    "companies.csv": [
        ["Record ID", "Company name", "Company owner", "Industry", "Create Date"],
        ["101", "Acme Corp", "Rob Rep", "Software", "2025-01-15 09:30"],
        ["102", "Globex", "rita@x.test", "Manufacturing", "2025-02-01 10:00"],
        ["103", "Initech", "", "", "2025-03-01"],
    ],
    "contacts.csv": [
        ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Associated Company IDs"],
        ["201", "Jane", "Doe", "jane@acme.test", "CFO", "101"],
        ["202", "Hank", "Scorpio", "hank@globex.test", "CEO", "102;103"],
    ],
    "deals.csv": [
        [
            "Record ID", "Deal Name", "Pipeline", "Deal Stage", "Amount", "Close Date",
            "Deal owner", "Create Date", "Associated Company IDs",
        ],
        ["301", "Acme – Platform", "Sales Pipeline", "Contract Sent", "$120,000.00",
         "2026-12-15", "Rob Rep", "2026-06-01 10:00", "101"],
        ["302", "Globex – Renewal", "Sales Pipeline", "Qualified To Buy", "45000",
         "12/20/2026", "Rita Rep (rita@x.test)", "2026-07-01 10:00", "102"],
        ["303", "Initech – Pilot", "Sales Pipeline", "Closed Won", "8000", "2026-10-01",
         "rob@x.test", "2026-05-01 10:00", "103"],
        ["304", "Acme – Add-on", "Sales Pipeline", "appointmentscheduled", "", "2027-01-31",
         "Rob Rep", "2026-11-01 10:00", "101"],
    ],
    "activities.csv": [
        [
            "Record ID", "Activity type", "Activity date", "Subject", "Body",
            "Activity assigned to", "Associated Company IDs", "Associated Deal IDs",
            "Associated Contact IDs", "Task status", "Due date",
        ],
        ["401", "CALL", "2026-11-20 14:00", "Pricing call",
         "<p>They said the price is <b>too high</b> for this year.</p>", "Rob Rep", "101",
         "301", "201", "", ""],
        ["402", "EMAIL", "2026-11-21 09:15", "SOC 2 report",
         "Sent the SOC 2 Type II report and the pen test summary.", "Rita Rep", "102", "302",
         "202", "", ""],
        ["403", "MEETING", "2026-11-22 16:30", "Kick-off", "Agreed the pilot scope.",
         "rob@x.test", "103", "303", "", "", ""],
        ["404", "NOTE", "2026-11-23 08:00", "", "Champion moves to the EU office in January.",
         "Rob Rep", "", "304", "", "", ""],
        ["405", "TASK", "2026-11-24 09:00", "Send the contract", "", "Rob Rep", "101", "301",
         "", "NOT_STARTED", "2026-12-01"],
    ],
}  # fmt: skip

SALESFORCE = {
    "User.csv": [
        ["Id", "Username", "Email", "FirstName", "LastName"],
        ["005A00000000001AAA", "rob@x.test.sf", "rob@x.test", "Rob", "Rep"],
        ["005A00000000002AAA", "rita@x.test.sf", "rita@x.test", "Rita", "Rep"],
    ],
    "Account.csv": [
        ["Id", "Name", "Industry", "OwnerId", "CreatedDate"],
        ["001A00000000001AAA", "Acme Corp", "Software", "005A00000000001AAA",
         "2025-01-15T09:30:00.000+0000"],
        ["001A00000000002AAA", "Globex", "Manufacturing", "005A00000000002AAA",
         "2025-02-01T10:00:00.000Z"],
        ["001A00000000003AAA", "Initech", "", "005A00000000001AAA", "2025-03-01T00:00:00Z"],
    ],
    "Contact.csv": [
        ["Id", "AccountId", "FirstName", "LastName", "Email", "Title"],
        ["003A00000000001AAA", "001A00000000001AAA", "Jane", "Doe", "jane@acme.test", "CFO"],
        ["003A00000000002AAA", "001A00000000002AAA", "Hank", "Scorpio", "hank@globex.test",
         "CEO"],
    ],
    "Opportunity.csv": [
        [
            "Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "OwnerId",
            "CreatedDate", "IsClosed", "IsWon", "CurrencyIsoCode", "NextStep",
        ],
        ["006A00000000001AAA", "001A00000000001AAA", "Acme – Platform", "Negotiation/Review",
         "120000", "2026-12-15", "005A00000000001AAA", "2026-06-01T10:00:00.000+0000", "false",
         "false", "USD", "Send redlines"],
        ["006A00000000002AAA", "001A00000000002AAA", "Globex – Renewal", "Needs Analysis",
         "45000.50", "2026-12-20", "005A00000000002AAA", "2026-07-01T10:00:00.000+0000",
         "false", "false", "EUR", ""],
        ["006A00000000003AAA", "001A00000000003AAA", "Initech – Pilot", "Closed Won", "8000",
         "2026-10-01", "005A00000000001AAA", "2026-05-01T10:00:00.000+0000", "true", "true",
         "USD", ""],
        ["006A00000000004AAA", "001A00000000001AAA", "Acme – Add-on", "Prospecting", "",
         "2027-01-31", "005A00000000001AAA", "2026-11-01T10:00:00.000+0000", "false", "false",
         "USD", ""],
    ],
    "Task.csv": [
        [
            "Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Status", "OwnerId",
            "Description", "IsClosed", "TaskSubtype", "CreatedDate", "AccountId",
        ],
        ["00TA00000000001AAA", "003A00000000001AAA", "006A00000000001AAA", "Pricing call",
         "2026-11-20", "Completed", "005A00000000001AAA", "They said the price is too high.",
         "true", "Call", "2026-11-20T14:00:00.000+0000", "001A00000000001AAA"],
        ["00TA00000000002AAA", "003A00000000002AAA", "006A00000000002AAA", "SOC 2 report",
         "2026-11-21", "Completed", "005A00000000002AAA", "Sent the SOC 2 Type II report.",
         "true", "Email", "2026-11-21T09:15:00.000+0000", "001A00000000002AAA"],
        ["00TA00000000003AAA", "", "006A00000000001AAA", "Send the contract", "2026-12-01",
         "Not Started", "005A00000000001AAA", "", "false", "Task",
         "2026-11-24T09:00:00.000+0000", "001A00000000001AAA"],
    ],
    "Event.csv": [
        ["Id", "WhoId", "WhatId", "Subject", "StartDateTime", "EndDateTime", "Description",
         "OwnerId", "AccountId"],
        ["00UA00000000001AAA", "", "006A00000000003AAA", "Kick-off",
         "2026-11-22T16:30:00.000+0000", "2026-11-22T17:30:00.000+0000",
         "Agreed the pilot scope.", "005A00000000001AAA", "001A00000000003AAA"],
        ["00UA00000000002AAA", "", "001A00000000001AAA", "Account review",
         "2026-11-23T08:00:00.000+0000", "2026-11-23T09:00:00.000+0000",
         "Champion moves to the EU office in January.", "005A00000000001AAA", ""],
    ],
}  # fmt: skip

GENERIC = {
    "accounts.csv": [
        ["account_id", "name", "industry", "owner_email", "created_at"],
        ["A1", "Acme Corp", "Software", "rob@x.test", "2025-01-15"],
        ["A2", "Globex", "Manufacturing", "rita@x.test", "2025-02-01"],
        ["A3", "Initech", "", "", ""],
    ],
    "contacts.csv": [
        ["contact_id", "account_id", "name", "email", "title"],
        ["C1", "A1", "Jane Doe", "jane@acme.test", "CFO"],
        ["C2", "A2", "Hank Scorpio", "hank@globex.test", "CEO"],
    ],
    "deals.csv": [
        ["deal_id", "account_id", "name", "owner_email", "stage", "amount", "currency",
         "close_date", "created_at", "next_step"],
        ["D1", "A1", "Acme – Platform", "rob@x.test", "negotiation", "120000", "USD",
         "2026-12-15", "2026-06-01", "Send redlines"],
        ["D2", "A2", "Globex – Renewal", "rita@x.test", "qualification", "45000", "EUR",
         "2026-12-20", "2026-07-01", ""],
        ["D3", "A3", "Initech – Pilot", "rob@x.test", "closed_won", "8000", "",
         "2026-10-01", "2026-05-01", ""],
        ["D4", "A1", "Acme – Add-on", "rob@x.test", "prospecting", "", "", "2027-01-31", "",
         ""],
    ],
    "activities.csv": [
        ["activity_id", "account_id", "deal_id", "contact_id", "owner_email", "kind",
         "occurred_at", "subject", "body"],
        ["E1", "A1", "D1", "C1", "rob@x.test", "call", "2026-11-20T14:00:00Z", "Pricing call",
         "They said the price is too high for this year."],
        ["E2", "A2", "D2", "C2", "rita@x.test", "email", "2026-11-21 09:15", "SOC 2 report",
         "Sent the SOC 2 Type II report."],
        ["E3", "A3", "D3", "", "rob@x.test", "meeting", "2026-11-22 16:30", "Kick-off",
         "Agreed the pilot scope."],
        ["E4", "", "D4", "", "rob@x.test", "note", "2026-11-23", "Champion news",
         "Champion moves to the EU office in January."],
    ],
    "tasks.csv": [
        ["task_id", "owner_email", "deal_id", "title", "due_date", "completed_at"],
        ["T1", "rob@x.test", "D1", "Send the contract", "2026-12-01", ""],
    ],
}  # fmt: skip

SAMPLES = {"hubspot": HUBSPOT, "salesforce": SALESFORCE, "csv": GENERIC}


def write_samples(folder: Path, source: str) -> list[Path]:
    """Write one format's sample files into `folder`; parents first, as a user would list them."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_csv(folder / name, table) for name, table in SAMPLES[source].items()]


def write_scaled_hubspot(folder: Path, companies: int) -> list[Path]:
    """HubSpot exports of any size for the benchmark: per company 1 contact, 2 deals,
    5 interactions and 1 to-do (10 rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    stages = ["Appointment Scheduled", "Qualified To Buy", "Contract Sent", "Closed Won"]
    reps = ["rob@x.test", "rita@x.test"]
    comp, cont, deals, acts = ([HUBSPOT[n][0]] for n in list(HUBSPOT))
    kinds = ["CALL", "EMAIL", "MEETING", "NOTE", "TASK", "CALL"]
    for c in range(companies):
        owner = reps[c % 2]
        comp.append([f"1{c}", f"Company {c}", owner, "Software", "2025-01-15 09:30"])
        cont.append([f"2{c}", "Pat", f"Buyer {c}", f"pat{c}@c{c}.test", "CFO", f"1{c}"])
        for d in range(2):
            deals.append([f"3{c}_{d}", f"Company {c} deal {d}", "Sales Pipeline",
                          stages[(c + d) % 4], str(1000 * (c % 90 + 1)), "2026-12-15", owner,
                          "2026-06-01 10:00", f"1{c}"])  # fmt: skip
        for a in range(6):
            kind = kinds[a]
            acts.append([f"4{c}_{a}", kind, f"2026-11-{a + 10} 14:00", f"{kind.title()} {a}",
                         f"Talked about pricing and the rollout plan, item {a}.", owner, f"1{c}",
                         f"3{c}_{a % 2}", f"2{c}", "COMPLETED" if a % 2 else "", ""])  # fmt: skip
    tables = {"companies.csv": comp, "contacts.csv": cont, "deals.csv": deals,
              "activities.csv": acts}  # fmt: skip
    return [write_csv(folder / name, table) for name, table in tables.items()]
