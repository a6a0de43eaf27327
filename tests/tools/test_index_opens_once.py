"""Threads that reach the search index together open the store once, and share it.

`serve` opens the store in a warm-up thread while the first question may already be searching.
Two Chroma clients started at once on one folder shared a half-started system: the one that
failed stopped it for the other, and search stayed down until a restart.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from chromadb.api import ClientAPI
from support.index_helpers import WordVectors

from tools.interactions import InteractionIndex, open_client


def test_the_warm_up_and_a_first_search_open_the_store_once(tmp_path: Path) -> None:
    real = open_client(str(tmp_path / "chroma"))
    opened: list[str] = []

    def slow_connect() -> ClientAPI:
        opened.append(threading.current_thread().name)
        time.sleep(0.3)  # a store slow to open: both threads arrive while it is opening
        return real()

    index = InteractionIndex(slow_connect, WordVectors(), "db-1")
    start = threading.Barrier(3)
    seen: list[Any] = []

    def first_use() -> None:
        start.wait()
        seen.append(index.collection)

    threads = [threading.Thread(target=first_use, name=f"t{i}") for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(opened) == 1
    assert len(seen) == 3 and all(c is seen[0] for c in seen)
    assert index.collection.count() == 0  # and it works
