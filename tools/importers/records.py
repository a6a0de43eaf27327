"""A row turned into what we store: one record, its column values and its references."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tools.importers.specs import Entity


@dataclass(slots=True)
class Record:
    """One CRM record from one row.

    `values` holds only the columns the file supplies, so a re-import of a file lacking a column
    leaves that column alone. `refs` holds references still to resolve: `owner` (an email, name or
    Salesforce user id) and `account` / `deal` / `contact` / `what` (external ids).
    """

    entity: Entity
    external_id: str
    file: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
