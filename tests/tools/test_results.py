"""What the model is sent of a tool's result: capped and compact; the artifact keeps it all."""

from __future__ import annotations

import json

from tools.artifacts import ArtifactType
from tools.results import MODEL_CHARS, MODEL_ITEMS, as_result


def deals(n: int) -> dict[str, object]:
    rows = [{"id": i, "name": f"Deal {i}", "owner_id": 3, "amount": f"{i}000.00"} for i in range(n)]
    return {"type": ArtifactType.DEALS, "total_count": n, "data_owner_ids": [3], "rows": rows}


def test_a_long_list_is_cut_and_says_how_many_were_left_out() -> None:
    content, artifact = as_result(deals(25))  # type: ignore[arg-type]

    sent = json.loads(content)
    assert sent["rows"]["columns"] == ["id", "name", "amount"]  # the keys once, as a table
    assert len(sent["rows"]["rows"]) == MODEL_ITEMS
    assert sent["rows_not_shown"] == 25 - MODEL_ITEMS
    assert sent["total_count"] == 25 and "data_owner_ids" not in sent
    assert len(artifact["rows"]) == 25 and artifact["rows"][0]["owner_id"] == 3  # type: ignore[typeddict-item]


def test_a_short_list_is_whole_and_a_long_text_is_cut() -> None:
    note = "x" * (MODEL_CHARS * 3)
    content, artifact = as_result({**deals(2), "note": note, "converted_total": None})  # type: ignore[arg-type]

    sent = json.loads(content)
    assert len(sent["rows"]["rows"]) == 2 and "rows_not_shown" not in sent
    assert len(sent["note"]) == MODEL_CHARS and sent["note"].endswith("…")
    assert "converted_total" not in sent and artifact["note"] == note  # type: ignore[typeddict-item]


def test_structured_evidence_beside_its_text_is_not_sent_twice() -> None:
    risk = {"kind": "stalled", "text": "90 days in proposal.", "evidence": {"days": 90}}
    content, _ = as_result({"type": ArtifactType.DEAL_RISKS, "rows": [{"risks": [risk]}]})  # type: ignore[arg-type, typeddict-item]

    sent = json.loads(content)["rows"]
    assert sent == [{"risks": [{"kind": "stalled", "text": "90 days in proposal."}]}]
