"""ui.heap: the long-lived heap frozen once, and freed memory given back to the system (issue 12's memory figure)."""

from __future__ import annotations

import threading

import psutil
import pytest

from ui import heap


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def test_malloc_trim_gives_freed_small_allocations_back() -> None:
    trim = heap._malloc_trim()
    if trim is None:
        pytest.skip("not glibc")
    trim(0)
    before = _rss_mb()
    # 120 MB in small blocks (like a parsed upload's strings): glibc keeps their pages after they are freed.
    blocks = [bytes(1000) + str(i).encode() for i in range(120_000)]
    grown = _rss_mb()
    del blocks
    kept = _rss_mb()
    trim(0)
    after = _rss_mb()
    assert grown - before > 80, (before, grown)
    assert after - before < (kept - before) / 2 and after - before < 40, (before, grown, kept, after)


def test_the_trimmer_starts_once_per_process() -> None:
    if heap._malloc_trim() is None:
        pytest.skip("not glibc")
    assert heap.start_trimmer() and heap.start_trimmer()
    trimmers = [t for t in threading.enumerate() if t.name == "ci-dss-malloc-trim"]
    assert len(trimmers) == 1 and trimmers[0].daemon and trimmers[0].is_alive()
