"""Forecast backtest on imported history vs the same data loaded directly.

Generates a seeded CRM (one manager, eight reps, deals created over three years moving
through the stages), loads it straight into one database with its full stage history, writes
it as a Salesforce Data Export folder (User, Account, Opportunity, OpportunityHistory) and
imports that folder three ways: with OpportunityHistory, without it (only what the data
implies), and as the old import did (final stage dated at creation). The manager's forecast
backtest (the four quarters of 2017, asked on 15 January 2018) must match the direct load
when the history is imported. Prints a table and saves benchmarks/results/history_backtest.json.

    python benchmarks/history_backtest.py [--deals N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from tools.context import ToolContext
from tools.crm_tools import make_tools
from tools.db import make_engine, session_factory, upgrade
from tools.importers import ImportOptions, Source, run_import
from tools.models import Account, Deal, DealStageHistory, Role, Stage, User
from tools.principal import get_principal_by_email

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "history_backtest.json"
TODAY = datetime(2018, 1, 15, 12, tzinfo=UTC)
START = date(2015, 1, 1)
OPEN_PATH = [Stage.PROSPECTING, Stage.QUALIFICATION, Stage.PROPOSAL, Stage.NEGOTIATION]
SF_LABEL = {
    Stage.PROSPECTING: "Prospecting",
    Stage.QUALIFICATION: "Qualification",
    Stage.PROPOSAL: "Proposal/Price Quote",
    Stage.NEGOTIATION: "Negotiation/Review",
    Stage.CLOSED_WON: "Closed Won",
    Stage.CLOSED_LOST: "Closed Lost",
}
ADVANCE = 0.68  # chance to reach the next open stage
WIN_AT = {0: 0.15, 1: 0.3, 2: 0.5, 3: 0.7}  # chance to win, by the last open stage reached


@dataclass
class SynthDeal:
    id: int
    owner: int
    account: int
    amount: Decimal
    created: datetime
    steps: list[tuple[datetime, Stage]] = field(default_factory=list)
    close_date: date = START

    @property
    def stage(self) -> Stage:
        return self.steps[-1][1]


def generate(n: int, seed: int) -> list[SynthDeal]:
    rng = random.Random(seed)
    deals = []
    span = (TODAY.date() - START).days
    for i in range(1, n + 1):
        created = datetime.combine(
            START + timedelta(days=rng.randrange(span)), datetime.min.time(), UTC
        ) + timedelta(hours=rng.randrange(8, 18))
        d = SynthDeal(i, 2 + i % 8, 1 + i % 60, Decimal(rng.randrange(5, 200) * 1000), created)
        at, reached = created, 0
        d.steps.append((at, Stage.PROSPECTING))
        while reached < 3 and rng.random() < ADVANCE:
            at += timedelta(days=rng.randrange(5, 45))
            reached += 1
            d.steps.append((at, OPEN_PATH[reached]))
        end = at + timedelta(days=rng.randrange(5, 45))
        if end < TODAY:
            won = rng.random() < WIN_AT[reached]
            d.steps.append((end, Stage.CLOSED_WON if won else Stage.CLOSED_LOST))
            d.close_date = end.date()
        else:
            d.steps = [s for s in d.steps if s[0] < TODAY]
            d.close_date = end.date()
        deals.append(d)
    return deals


USERS = [(1, "Mara Manager", "mara@synth.test", Role.MANAGER, None)] + [
    (i, f"Rep {i}", f"rep{i}@synth.test", Role.REP, 1) for i in range(2, 10)
]


def load_direct(sessions: sessionmaker[Session], deals: list[SynthDeal]) -> None:
    with sessions.begin() as s:
        for uid, name, email, role, boss in USERS:
            s.add(User(id=uid, name=name, email=email, role=role, manager_id=boss))
        s.flush()
        s.execute(
            insert(Account),
            [
                {
                    "id": a,
                    "name": f"Account {a}",
                    "owner_id": 2 + a % 8,
                    "created_at": datetime(2014, 12, 1, tzinfo=UTC),
                }
                for a in range(1, 61)
            ],
        )
        s.execute(
            insert(Deal),
            [
                {
                    "id": d.id,
                    "name": f"Deal {d.id}",
                    "account_id": d.account,
                    "owner_id": d.owner,
                    "stage": d.stage,
                    "amount": d.amount,
                    "currency": "USD",
                    "close_date": d.close_date,
                    "created_at": d.created,
                    "external_id": f"salesforce:006{d.id:012d}",
                    "closed_at": d.steps[-1][0]
                    if d.stage in (Stage.CLOSED_WON, Stage.CLOSED_LOST)
                    else None,
                }
                for d in deals
            ],
        )
        s.execute(
            insert(DealStageHistory),
            [
                {
                    "deal_id": d.id,
                    "from_stage": d.steps[k - 1][1] if k else None,
                    "to_stage": st,
                    "changed_at": at,
                }
                for d in deals
                for k, (at, st) in enumerate(d.steps)
            ],
        )


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="iso-8859-1") as f:
        csv.writer(f).writerows([header, *rows])


def _sf_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_export(folder: Path, deals: list[SynthDeal], history: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    uid = lambda i: f"005{i:012d}"  # noqa: E731
    _write(
        folder / "User.csv",
        [
            "Id",
            "Username",
            "Email",
            "FirstName",
            "LastName",
            "ManagerId",
            "TimeZoneSidKey",
            "IsActive",
            "UserType",
            "Alias",
        ],
        [
            [
                uid(u),
                e + ".sf",
                e,
                n.split()[0],
                n.split()[1],
                uid(b) if b else "",
                "UTC",
                "1",
                "Standard",
                n[:4],
            ]
            for u, n, e, _, b in USERS
        ],
    )
    _write(
        folder / "Account.csv",
        ["Id", "Name", "OwnerId", "CreatedDate", "Type", "Website"],
        [
            [
                f"001{a:012d}",
                f"Account {a}",
                uid(2 + a % 8),
                "2014-12-01T00:00:00.000Z",
                "Customer",
                "",
            ]
            for a in range(1, 61)
        ],
    )
    _write(
        folder / "Opportunity.csv",
        [
            "Id",
            "AccountId",
            "Name",
            "StageName",
            "Amount",
            "CurrencyIsoCode",
            "CloseDate",
            "OwnerId",
            "CreatedDate",
            "IsClosed",
            "IsWon",
            "Probability",
            "ForecastCategory",
        ],
        [
            [
                f"006{d.id:012d}",
                f"001{d.account:012d}",
                f"Deal {d.id}",
                SF_LABEL[d.stage],
                str(d.amount),
                "USD",
                d.close_date.isoformat(),
                uid(d.owner),
                _sf_time(d.created),
                str(int(d.stage in (Stage.CLOSED_WON, Stage.CLOSED_LOST))),
                str(int(d.stage == Stage.CLOSED_WON)),
                "10",
                "Pipeline",
            ]
            for d in deals
        ],
    )
    if history:
        _write(
            folder / "OpportunityHistory.csv",
            ["Id", "OpportunityId", "StageName", "CreatedDate", "Amount", "IsDeleted"],
            [
                [
                    f"008{d.id:08d}{k:04d}",
                    f"006{d.id:012d}",
                    SF_LABEL[st],
                    _sf_time(at),
                    str(d.amount),
                    "0",
                ]
                for d in deals
                for k, (at, st) in enumerate(d.steps)
            ],
        )
    return folder


def imported(sessions: sessionmaker[Session], folder: Path) -> None:
    options = ImportOptions(Source.SALESFORCE, (folder,), now=TODAY)
    run_import(sessions, options)


def as_old_import(sessions: sessionmaker[Session]) -> None:
    """What the import wrote before: one row, the final stage, dated at creation."""
    with sessions.begin() as s:
        rows = s.execute(select(Deal.id, Deal.stage, Deal.created_at)).all()
        s.execute(delete(DealStageHistory))
        s.execute(
            insert(DealStageHistory),
            [
                {"deal_id": i, "from_stage": None, "to_stage": st, "changed_at": c}
                for i, st, c in rows
            ],
        )


def backtest(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    with sessions() as s:
        principal = get_principal_by_email(s, "mara@synth.test")
    tools = {t.name: t for t in make_tools(ToolContext(principal, sessions, None, lambda: TODAY))}
    msg = tools["forecast"].invoke(
        {
            "type": "tool_call",
            "id": "t",
            "name": "forecast",
            "args": {"scope": "team", "period": "this quarter"},
        }
    )
    return [
        {
            "quarter": t["period"]["label"],
            "forecast": t["forecast"],
            "actual": t["actual"],
            "error_pct": t["error_pct"],
        }
        for t in msg.artifact["backtest"]
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    deals = generate(args.deals, args.seed)
    results: dict[str, Any] = {"deals": args.deals, "seed": args.seed, "today": str(TODAY)}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ways = {
            "direct load": lambda s: load_direct(s, deals),
            "import with OpportunityHistory": lambda s: imported(
                s, write_export(root / "full", deals, history=True)
            ),
            "import without history (implied)": lambda s: imported(
                s, write_export(root / "bare", deals, history=False)
            ),
            "old import (final stage at creation)": lambda s: (
                imported(s, write_export(root / "old", deals, history=False)),
                as_old_import(s),
            ),
        }
        for i, (label, load) in enumerate(ways.items()):
            engine = make_engine(f"sqlite:///{root / f'crm{i}.db'}")
            upgrade(engine)
            sessions = session_factory(engine)
            load(sessions)
            results[label] = backtest(sessions)
            engine.dispose()
    for label, rows in results.items():
        if isinstance(rows, list):
            errors = ", ".join(f"{r['quarter']} {r['error_pct']}%" for r in rows)
            print(f"{label:40} {errors}")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
