"""Source pipeline stages to salesbot stages: defaults for HubSpot and Salesforce, overridable."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from tools.importers.errors import ImportFailed
from tools.importers.specs import Source
from tools.models import Stage

S = Stage

# HubSpot's default sales pipeline, by label and by internal id.
HUBSPOT_STAGES: dict[str, Stage] = {
    "Appointment Scheduled": S.PROSPECTING,
    "Qualified To Buy": S.QUALIFICATION,
    "Presentation Scheduled": S.PROPOSAL,
    "Decision Maker Bought-In": S.PROPOSAL,
    "Contract Sent": S.NEGOTIATION,
    "Closed Won": S.CLOSED_WON,
    "Closed Lost": S.CLOSED_LOST,
    "appointmentscheduled": S.PROSPECTING,
    "qualifiedtobuy": S.QUALIFICATION,
    "presentationscheduled": S.PROPOSAL,
    "decisionmakerboughtin": S.PROPOSAL,
    "contractsent": S.NEGOTIATION,
    "closedwon": S.CLOSED_WON,
    "closedlost": S.CLOSED_LOST,
}

# Salesforce's standard Opportunity StageName picklist.
SALESFORCE_STAGES: dict[str, Stage] = {
    "Prospecting": S.PROSPECTING,
    "Qualification": S.QUALIFICATION,
    "Needs Analysis": S.QUALIFICATION,
    "Value Proposition": S.PROPOSAL,
    "Id. Decision Makers": S.PROPOSAL,
    "Perception Analysis": S.PROPOSAL,
    "Proposal/Price Quote": S.PROPOSAL,
    "Negotiation/Review": S.NEGOTIATION,
    "Closed Won": S.CLOSED_WON,
    "Closed Lost": S.CLOSED_LOST,
}

# Every format also takes salesbot's own names ("closed_won", "Closed won", "won").
OWN_STAGES: dict[str, Stage] = {s.value: s for s in Stage} | {
    "won": S.CLOSED_WON,
    "lost": S.CLOSED_LOST,
}


def key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", label.lower())


class StageMap:
    """Looks stage labels up ignoring case, spaces and punctuation."""

    def __init__(self, mapping: dict[str, Stage]) -> None:
        self._map = {key(label): stage for label, stage in mapping.items()}

    def update(self, mapping: dict[str, Stage]) -> None:
        self._map |= {key(label): stage for label, stage in mapping.items()}

    def get(self, label: str) -> Stage | None:
        return self._map.get(key(label))


def default_stage_map(source: Source) -> dict[str, Stage]:
    defaults = {Source.HUBSPOT: HUBSPOT_STAGES, Source.SALESFORCE: SALESFORCE_STAGES}
    return OWN_STAGES | defaults.get(source, {})


def build_stage_map(source: Source, override: Path | None = None) -> StageMap:
    """The default map for `source`, with the --stage-map file's entries on top."""
    # Overrides go in after the keys are normalised, so "Contract Sent" also beats "contractsent".
    stages = StageMap(default_stage_map(source))
    if override is not None:
        stages.update(load_stage_map(override))
    return stages


def load_stage_map(path: Path) -> dict[str, Stage]:
    """A JSON object {"source stage": "salesbot stage"} or a two-column CSV of the same."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFailed(f"Cannot read the stage map {path}: {exc.strerror or exc}") from None
    pairs = _json_pairs(path, text) if path.suffix.lower() == ".json" else _csv_pairs(text)
    if not pairs:
        raise ImportFailed(f"The stage map {path} maps no stages.")
    return {label: _stage(path, label, target) for label, target in pairs}


def _json_pairs(path: Path, text: str) -> list[tuple[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"The stage map {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ImportFailed(f"The stage map {path} must be a JSON object of label: stage.")
    return [(str(k), str(v)) for k, v in data.items()]


def _csv_pairs(text: str) -> list[tuple[str, str]]:
    rows = [r for r in csv.reader(text.splitlines()) if len(r) >= 2 and r[0].strip()]
    if rows and key(rows[0][1]) in {"stage", "salesbotstage", "to"}:
        rows = rows[1:]  # a header row
    return [(r[0].strip(), r[1].strip()) for r in rows]


def _stage(path: Path, label: str, target: str) -> Stage:
    stage = StageMap(OWN_STAGES).get(target)
    if stage is None:
        names = ", ".join(s.value for s in Stage)
        raise ImportFailed(
            f"The stage map {path} maps {label!r} to {target!r}, which is not one of: {names}."
        )
    return stage
