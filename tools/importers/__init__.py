"""Importing CRM exports (HubSpot, Salesforce, our generic CSV): upserts by external id."""

from tools.importers.errors import BadRows, ImportFailed, RowProblem
from tools.importers.run import ImportOptions, ImportReport, NoProgress, Progress, run_import
from tools.importers.specs import Entity, Source

__all__ = [
    "BadRows",
    "Entity",
    "ImportFailed",
    "ImportOptions",
    "ImportReport",
    "NoProgress",
    "Progress",
    "RowProblem",
    "Source",
    "run_import",
]
