"""Billing figures laid out for every surface (`BillingLayout` in tools/artifacts.py)."""

from __future__ import annotations

from typing import Any

from tools.artifacts import BillingLayout, Row
from tools.billing.scoping import BillingScope


def col(key: str, label: str, money: bool = False) -> Row:
    return {"key": key, "label": label, "money": money}


def line(label: str, value: Any, money: bool = False) -> Row:
    return {"label": label, "value": None if value is None else str(value), "money": money}


def layout(bs: BillingScope, title: str, summary: list[Row], columns: list[Row],
           rows: list[Row], total: int | None = None) -> BillingLayout:  # fmt: skip
    """The keys every billing artifact carries, with its scope and money headers."""
    return {
        "scope_label": bs.label,
        "data_owner_ids": bs.data_owner_ids,
        **bs.money.header(),
        "title": title,
        "summary": summary,
        "columns": columns,
        "rows": rows,
        "total_count": len(rows) if total is None else total,
        "note": " ".join(n for n in (bs.note, bs.money.note()) if n) or None,
    }


LTV_COLUMNS = [
    col("account", "Account"),
    col("realised", "Paid to date", True),
    col("mrr", "MRR now", True),
    col("expected", "Expected lifetime value", True),
]
UNPAID_COLUMNS = [
    col("account", "Account"),
    col("owed", "Overdue", True),
    col("invoices", "Invoices"),
    col("max_days_overdue", "Oldest (days)"),
]
INVOICE_COLUMNS = [
    col("invoice", "Invoice"),
    col("owed", "Owed", True),
    col("due", "Due"),
    col("days_overdue", "Days overdue"),
]
RENEWAL_COLUMNS = [
    col("account", "Account"),
    col("plan", "Plan"),
    col("mrr", "MRR", True),
    col("renewal", "Renews"),
    col("days_to_renewal", "In (days)"),
    col("status", "Note"),
]
RISK_COLUMNS = [col("account", "Account"), col("why", "Signals and evidence")]
MONTH_COLUMNS = [col("month", "Month"), col("revenue", "Revenue", True)]
