""""Why this status" and "What would change it" as Markdown (pure, no Streamlit; clinical-spec.md section 10).

``decided_by`` (the inputs a rule read and the profile thresholds it compared them with) and
``would_change`` (single-input edits and the status each gives) come from the engine; this module
only says them in clinical words: an input of ``None`` is "not measured", "not examined" or
"unknown", and each threshold carries its sources' short names (``EXPERT`` reads "Expert opinion
(project)", never a guideline). Used by the option cards and the assessment checklist (clinician view
only; the patient view shows none of it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from decision import knowledge

from .fields import input_phrase, inputs_text
from .layout import STATUS_LABEL

CRITERION = "history_cerclage_criterion"
POLICY = "ultrasound_cerclage_policy"
_SPECIAL_LABELS = {CRITERION: "History-indicated cerclage criterion",
                   POLICY: "Ultrasound-indicated cerclage and progesterone policy"}
_UNITS = (("_mm", " mm"), ("_cm", " cm"), ("_days", " days"), ("_courses", " courses"))


def _escape(text: str) -> str:
    """Text from the knowledge base shown as is (no LaTeX from a ``$``)."""
    return str(text).replace("$", "\\$")


def threshold_label(threshold: str, profile_id: str) -> str:
    """The profile's own label of a window or value (for example "Short cervix: below 25 mm")."""
    if threshold in _SPECIAL_LABELS:
        return _SPECIAL_LABELS[threshold]
    profile = knowledge().profiles[profile_id]
    item = profile.windows.get(threshold) or profile.values.get(threshold)
    return item.label if item is not None else threshold.replace("_", " ")


def threshold_value(threshold: str, value: Any) -> str:
    """4 -> "4 cm" for ``cerclage_max_dilation_cm``; windows and GA values as they are (``14+0-23+6``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    for suffix, unit in _UNITS:
        if threshold.endswith(suffix):
            return f"{value:g}{unit}"
    return f"{value:g}"


def source_names(source_ids: Sequence[str]) -> str:
    sources = knowledge().sources
    return "; ".join(sources[s].short if s in sources else s for s in dict.fromkeys(source_ids))


def threshold_line(entry: Mapping[str, Any], profile_id: str) -> str:
    """One threshold of ``decided_by``: its label, its value and the short names of its sources."""
    key = str(entry["threshold"])
    ids = list(entry.get("sources") or ([entry["source"]] if entry.get("source") else []))
    sources = f" — _{_escape(source_names(ids))}_" if ids else ""
    return f"{_escape(threshold_label(key, profile_id))}: **{_escape(threshold_value(key, entry.get('value')))}**{sources}"


def why_markdown(decided_by: Sequence[Mapping[str, Any]], profile_id: str) -> str:
    """The inputs read (measured values and findings present, then the findings absent) and the thresholds."""
    inputs = [d for d in decided_by if "input" in d]
    thresholds = [d for d in decided_by if "threshold" in d]
    present, absent = inputs_text(inputs)
    parts = []
    if present:
        parts.append(f"**Inputs:** {_escape(present)}")
    if absent:
        parts.append(f"**Not present:** {_escape(absent)}")
    if thresholds:
        label = knowledge().profiles[profile_id].label
        parts.append(f"**Thresholds ({_escape(label)}):**\n\n"
                     + "\n".join(f"- {threshold_line(t, profile_id)}" for t in thresholds))
    return "\n\n".join(parts) or "No input or threshold was recorded for this status."


def _set_phrase(path: str, value: Any) -> str:
    if isinstance(value, Mapping) and "weeks" in value:
        value = f"{value['weeks']}+{value.get('days', 0)}"
    phrase, absent = input_phrase(path, value)
    return f"no {phrase}" if absent else phrase


def would_change_markdown(would_change: Sequence[Mapping[str, Any]]) -> str:
    """Each change, the status it gives (badge) and the edit in clinical words; '' when there is none."""
    lines = []
    for entry in would_change:
        status = str(entry.get("status", ""))
        label, icon, colour = STATUS_LABEL.get(status, (status.replace("_", " "), "", "gray"))
        edits = "; ".join(_set_phrase(str(path), value) for path, value in (entry.get("set") or {}).items())
        edit = f" :gray[({_escape(edits)})]" if edits else ""
        lines.append(f"- {_escape(str(entry.get('change', '')))} → :{colour}-badge[{icon} {label}]{edit}")
    return "\n".join(lines)
