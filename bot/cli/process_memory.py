"""Keep a long-running process's memory from creeping up: freed blocks returnable to the system,
and garbage cycles collected cheaply.

glibc serves a large allocation (a chart's 3.2 MB canvas, ONNX Runtime's buffers) with mmap,
until the first such block is freed: from then on it raises its mmap threshold to that size and
serves them from the heap, where they fragment and stay resident: 50 charts drawn in one process
left 77 MB more resident, 15 MB with the threshold pinned at glibc's default (128 KiB), which
turns that adjustment off; large blocks go back to the system when freed, for a few
microseconds of mmap per large allocation. ONNX Runtime's batches gain the same way.

A drawn chart is a reference cycle (figure, canvas, artists) holding its 3.2 MB canvas, so only
Python's cyclic collector frees it, and its full collections come seldom in a process this large
(one per 50-100 charts in `serve`) and cost about 130 ms each. Freezing what start-up created
(imports, the app: about 290,000 objects) takes it out of every later collection: a full one
then takes 22-26 ms in `serve` (the search model and Chroma, loaded later, are most of what it
still walks), and the chart uploader runs one after each drawing (bot/slack/chart_upload.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # malloc.h
MMAP_THRESHOLD_BYTES = 128 * 1024


def pin_mmap_threshold() -> bool:
    """Fix glibc's mmap threshold for this process; False where there is no glibc (musl,
    macOS), where nothing needs doing."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    if not done:
        log.debug("mallopt(M_MMAP_THRESHOLD) was refused")
    return done


def freeze_startup_objects() -> None:
    """Move every object alive now into the collector's permanent generation (they live as long
    as the process anyway), so later collections only look at what answers create."""
    gc.collect()
    gc.freeze()
