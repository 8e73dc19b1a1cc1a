"""Gestational age arithmetic: ``W+D`` labels and days since the last menstrual period."""

from __future__ import annotations

import re

from .errors import shown_value

DAYS_PER_WEEK = 7
_LABEL = re.compile(r"^\s*(\d{1,2})\s*\+\s*([0-6])\s*$")


def to_days(weeks: int, days: int) -> int:
    """Total days for ``weeks`` completed weeks and ``days`` days."""
    return weeks * DAYS_PER_WEEK + days


def label(total_days: int) -> str:
    """Format a total in days as ``W+D`` (19+3)."""
    return f"{total_days // DAYS_PER_WEEK}+{total_days % DAYS_PER_WEEK}"


def parse_label(text: str) -> int:
    """Parse ``W+D`` (days 0-6) into total days; ``ValueError`` names the expected form."""
    match = _LABEL.match(str(text))
    if not match:
        raise ValueError(f"expected weeks+days such as 19+3 (days 0-6), got {shown_value(text)}")
    return to_days(int(match.group(1)), int(match.group(2)))
