"""The flat (one row per case) form of the contract, used by CSV batch files and the batch page.

Each column maps to one field of the nested case. An empty cell means "absent / not measured".
Serial measurements go in one column as ``16+0:31;18+0:24`` (GA:length in mm).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import ga as galib
from .errors import shown_value

# column -> (nested path, kind); kinds: int, float, bool (empty = false), tribool (empty = unknown), text, serial
COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "ga_weeks": (("gestational_age", "weeks"), "int"),
    "ga_days": (("gestational_age", "days"), "int"),
    "plurality": (("plurality",), "int"),
    "second_trimester_losses_painless_dilation": (("history", "second_trimester_losses_painless_dilation"), "int"),
    "spontaneous_preterm_births_before_34w": (("history", "spontaneous_preterm_births_before_34w"), "int"),
    "prior_cerclage_for_painless_dilation": (("history", "prior_cerclage_for_painless_dilation"), "bool"),
    "cervical_surgery": (("history", "cervical_surgery"), "bool"),
    "in_utero_des_exposure": (("history", "in_utero_des_exposure"), "bool"),
    "uterine_or_cervical_anomaly": (("history", "uterine_or_cervical_anomaly"), "bool"),
    "cervical_trauma": (("history", "cervical_trauma"), "bool"),
    "length_mm": (("cervix", "length_mm"), "float"),
    "dilation_cm": (("cervix", "dilation_cm"), "float"),
    "funneling": (("cervix", "funneling"), "bool"),
    "membranes_at_or_beyond_external_os": (("cervix", "membranes_at_or_beyond_external_os"), "bool"),
    "membranes_prolapsed_into_vagina": (("cervix", "membranes_prolapsed_into_vagina"), "bool"),
    "membranes_status": (("membranes", "status"), "text"),
    "rupture_ga_weeks": (("membranes", "rupture_gestational_age", "weeks"), "int"),
    "rupture_ga_days": (("membranes", "rupture_gestational_age", "days"), "int"),
    "cerclage_in_place": (("cerclage_in_place",), "bool"),
    "cerclage_type": (("cerclage_type",), "text"),
    "steroids_ga_weeks": (("treatments", "antenatal_corticosteroids_ga", "weeks"), "int"),
    "steroids_ga_days": (("treatments", "antenatal_corticosteroids_ga", "days"), "int"),
    "steroid_courses": (("treatments", "antenatal_corticosteroid_courses"), "int"),
    "rhd_negative": (("rhd_negative",), "tribool"),
    "regular_contractions_or_labor": (("red_flags", "regular_contractions_or_labor"), "bool"),
    "vaginal_bleeding": (("red_flags", "vaginal_bleeding"), "bool"),
    "signs_of_intraamniotic_infection": (("red_flags", "signs_of_intraamniotic_infection"), "bool"),
    "fetal_demise": (("red_flags", "fetal_demise"), "bool"),
    "lethal_fetal_anomaly": (("red_flags", "lethal_fetal_anomaly"), "bool"),
    "serial_cervical_lengths": (("serial_cervical_lengths",), "serial"),
}
PATH_TO_COLUMN = {".".join(path): column for column, (path, _kind) in COLUMNS.items()}
PATH_TO_COLUMN["gestational_age"] = "ga_weeks"
PATH_TO_COLUMN["membranes.rupture_gestational_age"] = "rupture_ga_weeks"
PATH_TO_COLUMN["treatments.antenatal_corticosteroids_ga"] = "steroids_ga_weeks"
# The allowed values of the text columns (lower case; empty = absent).
CHOICES: dict[str, tuple[str, ...]] = {
    "membranes_status": ("intact", "ruptured"),
    "cerclage_type": ("transvaginal", "transabdominal", "unknown"),
}


TRUE = frozenset({"true", "1", "yes", "y", "t", "on"})
FALSE = frozenset({"false", "0", "no", "n", "f", "off"})


def _convert(value: str, kind: str) -> Any:
    """Turn a text cell into the value the case model expects; leave unreadable text for it to reject."""
    value = value.strip()
    if kind == "text":
        return value.lower()
    if kind in {"bool", "tribool"}:
        lowered = value.lower()
        return True if lowered in TRUE else False if lowered in FALSE else value
    if kind in {"int", "float"}:
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if kind == "int" and number.is_integer() else number
    return value


class FlatError(ValueError):
    """A cell that cannot be read; ``column`` names it."""

    def __init__(self, column: str, message: str):
        self.column = column
        super().__init__(f"{column}: {message}")


def parse_serial(text: str) -> list[dict[str, Any]]:
    """``16+0:31;18+0:24`` -> contract serial measurements (FlatError on a bad item)."""
    items = []
    for chunk in str(text).replace(",", ";").split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        ga_text, sep, length = chunk.partition(":")
        if not sep:
            raise FlatError("serial_cervical_lengths",
                            f"expected items like 16+0:31 separated by ';' (got {shown_value(chunk)})")
        try:
            days = galib.parse_label(ga_text)
        except ValueError as exc:
            raise FlatError("serial_cervical_lengths", str(exc)) from None
        items.append({"gestational_age": {"weeks": days // 7, "days": days % 7}, "length_mm": length.strip()})
    return items


def format_serial(items: list[Mapping[str, Any]]) -> str:
    out = []
    for item in items:
        g = item["gestational_age"]
        length = item["length_mm"]
        shown = f"{length:g}" if isinstance(length, (int, float)) else str(length)
        out.append(f"{g['weeks']}+{g.get('days', 0)}:{shown}")
    return ";".join(out)


#: What :func:`cell_value` gives for an empty cell (the field is left out of the case).
ABSENT: Any = object()


def cell_value(column: str, value: Any) -> Any:
    """The value one cell of ``column`` gives the case model, or :data:`ABSENT` for an empty cell.

    Values are left for the case model to convert and validate; only the serial column is parsed
    here (FlatError for an unreadable serial cell).
    """
    if value is None or (isinstance(value, str) and not value.strip()) or value != value:  # NaN
        return ABSENT
    kind = COLUMNS[column][1]
    if hasattr(value, "item") and not isinstance(value, str):  # NumPy scalar -> Python value
        value = value.item()
    if kind == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    elif kind in {"bool", "tribool"} and not isinstance(value, (bool, str)) and value in (0, 1):
        value = bool(value)
    if kind == "serial":
        return parse_serial(str(value))
    if isinstance(value, str):
        return _convert(value, kind)
    return value


def to_case(row: Mapping[str, Any]) -> dict[str, Any]:
    """A flat row (strings or values; empty/None = absent) -> a nested contract case dict.

    Each cell as :func:`cell_value` gives it. Raises FlatError for an unknown column or an
    unreadable serial cell.
    """
    case: dict[str, Any] = {}
    for column, value in row.items():
        if column not in COLUMNS:
            raise FlatError(str(column), f"unknown column (allowed: {', '.join(COLUMNS)})")
        value = cell_value(column, value)
        if value is ABSENT:
            continue
        path = COLUMNS[column][0]
        node = case
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return case


def from_case(case: Mapping[str, Any]) -> dict[str, Any]:
    """A nested contract case dict -> a flat row (missing fields are None)."""
    row: dict[str, Any] = {}
    for column, (path, kind) in COLUMNS.items():
        node: Any = case
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if kind == "serial":
            node = format_serial(node) if node else None
        row[column] = node
    return row


def column_for(path: str) -> str:
    """The CSV column for an error path such as ``cervix.length_mm`` (the path itself if none)."""
    if path in PATH_TO_COLUMN:
        return PATH_TO_COLUMN[path]
    if path.startswith("serial_cervical_lengths"):
        return "serial_cervical_lengths"
    return path
