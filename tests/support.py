"""Helpers shared by test modules (importable as ``support``: ``tests`` is on the path; a conftest is not)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest


def require(condition: bool, why: str) -> None:
    """Skip when ``condition`` fails, except on CI (``CI`` set), where the test must run: fail instead."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{why} (CI must run this test)")
        pytest.skip(why)


@dataclass
class Database:
    """A fresh, empty teaching database: its URL, its backend, and how to make it go away mid-session."""

    kind: str
    url: str
    take_down: Callable[[], None]
