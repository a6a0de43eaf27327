"""serve's memory settings take effect (their effect is measured by benchmarks/memory.py)."""

from __future__ import annotations

import gc
import sys

import pytest

from bot.cli.process_memory import freeze_startup_objects, pin_mmap_threshold


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_mmap_threshold_is_pinned_on_linux() -> None:
    assert pin_mmap_threshold() is True


def test_startup_objects_leave_the_collectors_generations() -> None:
    before = len(gc.get_objects())
    freeze_startup_objects()
    try:
        assert gc.get_freeze_count() >= before // 2
        assert len(gc.get_objects()) < before // 2  # a full collection no longer walks them
    finally:
        gc.unfreeze()
