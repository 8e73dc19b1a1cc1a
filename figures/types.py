"""Plain data types and gestational-age helpers shared by the figure builders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decision import ga as galib

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class Band:
    """A gestational-age window drawn on the timeline.

    ``start_days`` and ``end_days`` are days since the last menstrual period, both
    inclusive. ``start_days=None`` means "no lower bound" (drawn from 0);
    ``end_days=None`` means the band has no end and is not drawn.
    """

    label: str
    start_days: int | None
    end_days: int | None
    source: str = ""
    status: str | None = None  # the case's status of the option the window belongs to (colours the bar)


def format_ga(days: int) -> str:
    """Format a gestational age in days as ``W+D`` (weeks + days), e.g. 136 -> ``"19+3"``."""
    days = int(days)
    if days < 0:
        raise ValueError(f"gestational age cannot be negative: {days} days")
    return galib.label(days)


def parse_ga(text: str) -> int:
    """Parse ``W+D`` (e.g. ``"16+0"``) into days since LMP; raise ``ValueError`` if malformed."""
    return galib.parse_label(text)


def days_to_weeks(days: float) -> float:
    """Convert days since LMP to (fractional) weeks, the unit of every x axis here."""
    return float(days) / DAYS_PER_WEEK


def bands_from_windows(windows: Mapping[str, Mapping], names: Iterable[str] | None = None) -> list[Band]:
    """Build timeline bands from a profile's ``windows`` mapping as written in profiles.yaml.

    Each window is ``{start: "16+0", end: "23+6", sources: [...], label: "..."}``;
    ``names`` picks and orders windows (default: all, in mapping order).
    """
    keys = list(windows) if names is None else list(names)
    bands = []
    for key in keys:
        window = windows[key]
        start = window.get("start")
        end = window.get("end")
        sources = window.get("sources") or []
        bands.append(
            Band(
                label=str(window.get("label") or key),
                start_days=None if start is None else parse_ga(start),
                end_days=None if end is None else parse_ga(end),
                source=", ".join(str(s) for s in sources),
            )
        )
    return bands
