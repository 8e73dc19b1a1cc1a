"""The teaching cases' ``case`` sections, read straight from ``data/cases`` (their ``expected`` answers are not used)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).resolve().parents[2] / "data" / "cases"


def teaching_cases() -> dict[str, dict[str, Any]]:
    """id -> case dict, for every teaching case file."""
    out = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = dict(data["case"])
    return out
