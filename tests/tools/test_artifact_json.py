"""Stored artifacts read back exactly: every tagged type, nested in every other, keeps its type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from tools.artifact_json import dumps, loads
from tools.artifacts import ArtifactType
from tools.models import Stage


def types_of(value: Any) -> Any:
    """The value's shape with every leaf replaced by its type: equality alone lets 1 == 1.0."""
    if isinstance(value, dict):
        return {types_of(k): types_of(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return (type(value), [types_of(v) for v in value])
    return type(value)


NESTED = {
    "type": ArtifactType.PIPELINE_REVIEW,
    "amount": Decimal("1234.50"),
    "when": datetime(2026, 12, 6, 4, 30, tzinfo=UTC),
    "day": date(2026, 12, 6),
    "by_stage": {Stage.PROPOSAL: (Decimal("1"), date(2026, 1, 2)), 7: [None, True, 2.5]},
    "rows": [{"pair": ("a", 1), "$t": "a key that looks like the tag"}, []],
    "quarter": ((2026, 4), {"deep": {"deeper": (Decimal("0.1"),)}}),
}


@pytest.mark.parametrize("value", [NESTED, [NESTED, NESTED], Decimal("3"), ("x",), {}, []])
def test_a_value_is_read_back_equal_and_of_the_same_types(value: Any) -> None:
    back = loads(dumps(value))
    assert back == value
    assert types_of(back) == types_of(value)


def test_an_unknown_tag_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown tag"):
        loads('{"$t": "pickle", "v": "..."}')
