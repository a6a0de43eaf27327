"""Hand-written artifacts of the analytics contract (docs: /work/briefs/analytics_contract.md).

Small builders so chart and block tests do not wait for the analytics tools; keyword overrides
change any top-level key.
"""

from __future__ import annotations

from typing import Any

HOSTILE = "<!channel> Acme & Co <@U1>"
PERIOD = {"start": "2026-10-01", "end": "2026-12-31", "label": "Q4 2026"}
Artifact = dict[str, Any]


def deal_row(i: int, **over: Any) -> Artifact:
    row = {
        "id": i,
        "name": f"Deal {i}",
        "account": f"Account {i}",
        "owner": "Dana Rep",
        "stage": "proposal",
        "amount": f"{i * 1000}.50",
        "currency": "USD",
        "close_date": "2026-12-15",
    }
    return {**row, **over}


def pipeline_review(**over: Any) -> Artifact:
    stages = [
        ("prospecting", 4, "40000.00", "10.0", "4000.00"),
        ("qualification", 3, "90000.00", "25.0", "22500.00"),
        ("proposal", 2, "120000.50", "50.0", "60000.25"),
        ("negotiation", 1, "75000.00", "80.0", "60000.00"),
    ]
    artifact: Artifact = {
        "type": "pipeline_review",
        "scope_label": "Morgan Lee's team",
        "data_owner_ids": [2, 3],
        "period": PERIOD,
        "currency": "USD",
        "by_stage": [
            {"stage": s, "count": c, "amount": a, "win_rate_pct": w, "weighted_amount": wa}
            for s, c, a, w, wa in stages
        ],
        "open_count": 10,
        "open_amount": "325000.50",
        "weighted_amount": "146500.25",
        "won_count": 2,
        "won_amount": "50000.00",
        "quota": "200000.00",
        "quota_remaining": "150000.00",
        "coverage": "2.17",
        "since": "2026-11-20",
        "changes": {
            "new": [deal_row(1)],
            "advanced": [deal_row(2, from_stage="qualification", to_stage="proposal")],
            "slipped": [
                deal_row(3, name=HOSTILE, old_close_date="2026-11-30", new_close_date="2026-12-20")
            ],
            "pushed": [deal_row(4, old_close_date="2026-12-10", new_close_date="2027-01-15")],
            "won": [deal_row(5, stage="closed_won")],
            "lost": [],
        },
        "change_counts": {"new": 1, "advanced": 1, "slipped": 1, "pushed": 1, "won": 1, "lost": 0},
        "note": None,
    }
    return {**artifact, **over}


def backtest_row(label: str, forecast: str, actual: str, error: str) -> Artifact:
    return {
        "period": {"start": "2025-10-01", "end": "2025-12-31", "label": label},
        "forecast": forecast,
        "actual": actual,
        "error_pct": error,
    }


def forecast(**over: Any) -> Artifact:
    artifact: Artifact = {
        "type": "forecast",
        "scope_label": "Morgan Lee's team",
        "data_owner_ids": [2, 3],
        "period": PERIOD,
        "currency": "USD",
        "closed_won": "50000.00",
        "quota": "200000.00",
        "open_count": 10,
        "open_amount": "325000.50",
        "expected": "165000.25",
        "low": "120000.00",
        "high": "210000.75",
        "method": "Stage-to-win conversion and time-to-close from the last eight quarters.",
        "attainment_expected_pct": "82.5",
        "backtest": [
            backtest_row("Q4 2025", "150000.00", "140000.00", "7.1"),
            backtest_row("Q1 2026", "160000.00", "175000.00", "-8.6"),
            backtest_row("Q2 2026", "170000.00", "165000.00", "3.0"),
            backtest_row("Q3 2026", "180000.00", "190000.00", "-5.3"),
        ],
        "backtest_mae_pct": "6.0",
        "note": None,
    }
    return {**artifact, **over}


def kpi_row(user_id: int, name: str, rank: int, attainment: str | None, **over: Any) -> Artifact:
    row = {
        "user_id": user_id,
        "name": name,
        "rank": rank,
        "quota": "100000.00" if attainment is not None else None,
        "won_amount": f"{user_id * 10000}.00",
        "attainment_pct": attainment,
        "win_rate_pct": "33.3",
        "avg_deal_size": "25000.00",
        "cycle_days": "41.5",
        "activities_per_week": {
            "email": "3.5",
            "call": "2.0",
            "meeting": "1.0",
            "note": "0.5",
            "linkedin": "0.0",
        },
        "pipeline_created": "60000.00",
    }
    return {**row, **over}


def rep_kpis(**over: Any) -> Artifact:
    rows = [
        kpi_row(3, "Rita Rep", 1, "120.0", won_amount="120000.00"),
        kpi_row(2, "Dana Rep", 2, "85.5", won_amount="85500.00"),
        kpi_row(4, HOSTILE, 3, "40.0", won_amount="40000.00"),
        kpi_row(5, "Newbie Rep", 4, None, won_amount="50000.00"),
    ]
    median = {
        k: v
        for k, v in kpi_row(0, "", 0, "85.5", won_amount="62750.00").items()
        if k not in ("user_id", "name", "rank")
    }
    artifact: Artifact = {
        "type": "rep_kpis",
        "scope_label": "Morgan Lee's team",
        "data_owner_ids": [2, 3, 4, 5],
        "period": PERIOD,
        "currency": "USD",
        "rows": rows,
        "team_median": median,
        "note": None,
    }
    return {**artifact, **over}


def risk(kind: str, text: str, **evidence: Any) -> Artifact:
    return {"kind": kind, "text": text, "evidence": evidence}


def deal_risks(**over: Any) -> Artifact:
    rows = [
        deal_row(
            1,
            name=HOSTILE,
            risks=[
                risk("no_activity", "No activity for 30 days", days=30),
                risk("competitor", "Globex mentioned <!here>", competitor="Globex"),
            ],
        ),
        deal_row(2, risks=[risk("close_date_passed", "Close date passed 5 days ago", days=5)]),
    ]
    artifact: Artifact = {
        "type": "deal_risks",
        "scope_label": "Morgan Lee's team",
        "data_owner_ids": [2, 3],
        "currency": "USD",
        "total_count": 2,
        "rows": rows,
        "note": None,
    }
    return {**artifact, **over}


def coaching_brief(**over: Any) -> Artifact:
    kpis = rep_kpis()
    artifact: Artifact = {
        "type": "coaching_brief",
        "scope_label": "Dana Rep",
        "data_owner_ids": [2],
        "period": PERIOD,
        "currency": "USD",
        "rep": {"id": 2, "name": "Dana Rep"},
        "kpis": kpis["rows"][1],
        "team_median": kpis["team_median"],
        "risks": deal_risks()["rows"],
        "talking_points": [
            "Attainment 85.5% vs team median 85.5%.",
            f"Deal {HOSTILE} has had no activity for 30 days.",
        ],
        "note": None,
    }
    return {**artifact, **over}
