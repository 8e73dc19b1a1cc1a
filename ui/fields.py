"""Case fields in clinical words: names for error messages and for "Why this status" (pure, no Streamlit).

Field paths (``cervix.length_mm``) are the contract's; a clinician reads "Cervical length today".
Every field path of the contract has a name here and the consultation step where it is entered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# path -> (name in clinical words, consultation step index: 0 dating, 1 history, 2 cervix, 3 membranes)
FIELDS: dict[str, tuple[str, int]] = {
    "gestational_age": ("Gestational age", 0),
    "plurality": ("Plurality (number of fetuses)", 1),
    "history.second_trimester_losses_painless_dilation": ("Second-trimester losses from painless dilation", 1),
    "history.spontaneous_preterm_births_before_34w": ("Spontaneous preterm births before 34+0", 1),
    "history.prior_cerclage_for_painless_dilation": ("Prior cerclage for painless dilation", 1),
    "history.cervical_surgery": ("Cervical surgery", 1),
    "history.in_utero_des_exposure": ("In-utero DES exposure", 1),
    "history.uterine_or_cervical_anomaly": ("Uterine or cervical anomaly", 1),
    "history.cervical_trauma": ("Cervical trauma", 1),
    "cervix.length_mm": ("Cervical length today", 2),
    "cervix.dilation_cm": ("Dilation", 2),
    "cervix.funneling": ("Funneling", 2),
    "cervix.membranes_at_or_beyond_external_os": ("Membranes at or beyond the external os", 2),
    "cervix.membranes_prolapsed_into_vagina": ("Membranes prolapsed into the vagina", 2),
    "serial_cervical_lengths": ("Earlier cervical lengths", 2),
    "membranes.status": ("Membranes", 3),
    "membranes.rupture_gestational_age": ("GA at rupture", 3),
    "cerclage_in_place": ("Cerclage in place", 3),
    "cerclage_type": ("Cerclage type", 3),
    "treatments": ("Steroid course", 3),
    "treatments.antenatal_corticosteroids_ga": ("Steroid course GA", 3),
    "treatments.antenatal_corticosteroid_courses": ("Number of steroid courses", 3),
    "rhd_negative": ("RhD status", 3),
    "red_flags.regular_contractions_or_labor": ("Regular contractions or labor", 3),
    "red_flags.vaginal_bleeding": ("Active bleeding", 3),
    "red_flags.signs_of_intraamniotic_infection": ("Signs of intra-amniotic infection", 3),
    "red_flags.fetal_demise": ("Fetal demise", 3),
    "red_flags.lethal_fetal_anomaly": ("Lethal fetal anomaly", 3),
}
SECTIONS: dict[str, tuple[str, int]] = {
    "cervix": ("Cervical findings", 2), "history": ("History", 1), "membranes": ("Membranes", 3),
    "red_flags": ("Red flags", 3),
}
_SUB = {"weeks": "weeks", "days": "days", "gestational_age": "GA", "length_mm": "length"}
_INDEX = re.compile(r"\[(\d{1,4})\]")


def _base(path: str) -> str:
    """``serial_cervical_lengths[1].length_mm`` -> ``serial_cervical_lengths``; ``gestational_age.weeks`` ->
    ``gestational_age`` (the longest known prefix)."""
    plain = _INDEX.sub("", path)
    parts = plain.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in FIELDS or candidate in SECTIONS:
            return candidate
    return plain


def field_name(path: str) -> str:
    """The field of an error path in clinical words (``treatments.antenatal_corticosteroids_ga.days`` ->
    "Steroid course GA (days)"; ``serial_cervical_lengths[1].length_mm`` -> "... measurement 2 (length)")."""
    base = _base(path)
    name = FIELDS.get(base, SECTIONS.get(base, (None, 0)))[0]
    if name is None:
        return path.replace("_", " ").replace(".", " › ")
    rest = path[len(base):] if path.startswith(base) else ""
    index = _INDEX.search(rest)
    if index:
        name += f", measurement {int(index.group(1)) + 1}"
    leaf = rest.rsplit(".", 1)[-1] if "." in rest else ""
    if leaf in _SUB:
        name += f" ({_SUB[leaf]})"
    return name


def step_of(path: str) -> int:
    """The consultation step (0-3) where the field of an error path is entered."""
    base = _base(path)
    if base in FIELDS:
        return FIELDS[base][1]
    if base in SECTIONS:
        return SECTIONS[base][1]
    return {"gestational_age": 0, "plurality": 1}.get(path.split(".")[0].split("[")[0], 0)


_IN_MESSAGE = sorted((p for p in FIELDS if "." in p or "_" in p), key=len, reverse=True)


def _lower_first(name: str) -> str:
    """"Cervical length today" -> "cervical length today"; "GA at rupture", "RhD status" stay as they are."""
    first = name.split(" ", 1)[0]
    return name if sum(ch.isupper() for ch in first) > 1 else name[:1].lower() + name[1:]


def plain_message(message: str) -> str:
    """An engine message with every field path in it said in clinical words."""
    for path in _IN_MESSAGE:
        if path in message:
            message = message.replace(path, _lower_first(FIELDS[path][0]))
    return message


def problem_text(path: str, message: str) -> str:
    """A validation problem for the screen: the field in clinical words, then the message in clinical words.
    Never a raw field path (the path stays in the engine's error for the command line and the batch file)."""
    return f"**{field_name(path)}**: {plain_message(message)}"


# One-click fixes for problems whose fix is implied by the entry itself: path -> (button label, {path: value}).
FIXES: dict[str, tuple[str, dict[str, Any]]] = {
    "cervix.membranes_prolapsed_into_vagina": (
        "Mark the membranes at or beyond the external os (prolapsed membranes are beyond it)",
        {"cervix.membranes_at_or_beyond_external_os": True}),
}


# --- values of the inputs an option's status was decided by ("Why this status") ----------------------

_PLURALITY = {1: "singleton", 2: "twins", 3: "triplets", 4: "quadruplets"}
_CERCLAGE_TYPES = {"transvaginal": "transvaginal", "transabdominal": "transabdominal", "unknown": "type unknown"}
_FLAG_WORDS = {
    "history.prior_cerclage_for_painless_dilation": "prior cerclage for painless dilation",
    "history.cervical_surgery": "cervical surgery",
    "history.in_utero_des_exposure": "in-utero DES exposure",
    "history.uterine_or_cervical_anomaly": "uterine or cervical anomaly",
    "history.cervical_trauma": "cervical trauma",
    "cervix.funneling": "funneling",
    "cervix.membranes_at_or_beyond_external_os": "membranes at or beyond the external os",
    "cervix.membranes_prolapsed_into_vagina": "membranes prolapsed into the vagina",
    "cerclage_in_place": "cerclage in place",
    "red_flags.regular_contractions_or_labor": "regular contractions or labor",
    "red_flags.vaginal_bleeding": "active bleeding",
    "red_flags.signs_of_intraamniotic_infection": "signs of intra-amniotic infection",
    "red_flags.fetal_demise": "fetal demise",
    "red_flags.lethal_fetal_anomaly": "lethal fetal anomaly",
}
_COUNT_WORDS = {
    "history.second_trimester_losses_painless_dilation": ("second-trimester loss from painless dilation",
                                                          "second-trimester losses from painless dilation"),
    "history.spontaneous_preterm_births_before_34w": ("spontaneous preterm birth before 34+0",
                                                      "spontaneous preterm births before 34+0"),
}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def input_phrase(path: str, value: Any) -> tuple[str, bool]:
    """One input of ``decided_by`` in clinical words, and whether it is an absent finding (a "no").

    ``None`` reads "not measured", "not examined" or "unknown" as the field means it.
    """
    if path in _FLAG_WORDS:
        return _FLAG_WORDS[path], value is not True
    if path in _COUNT_WORDS:
        one, many = _COUNT_WORDS[path]
        if not value:
            return many, True
        return f"{_number(value)} {one if value == 1 else many}", False
    if path == "gestational_age":
        return f"GA {value}", False
    if path == "plurality":
        return _PLURALITY.get(value, f"{_number(value)} fetuses"), False
    if path == "cervix.length_mm":
        return ("cervical length not measured" if value is None else f"cervical length {_number(value)} mm"), False
    if path == "cervix.dilation_cm":
        if value is None:
            return "dilation not examined", False
        return f"dilation {_number(value)} cm" + (" (closed)" if value == 0 else ""), False
    if path == "serial_cervical_lengths":
        if not value:
            return "no earlier lengths entered", False
        items = list(value) if isinstance(value, (list, tuple)) else [value]
        return "earlier lengths " + ", ".join(str(item) for item in items), False
    if path == "membranes.status":
        return f"membranes {value or 'intact'}", False
    if path == "membranes.rupture_gestational_age":
        return ("GA at rupture unknown" if value is None else f"ruptured at {value}"), False
    if path == "cerclage_type":
        return ("cerclage type not recorded (transvaginal assumed)" if value is None
                else f"cerclage {_CERCLAGE_TYPES.get(value, value)}"), False
    if path == "treatments.antenatal_corticosteroids_ga":
        return ("no steroid course recorded" if value is None else f"steroid course from {value}"), False
    if path == "treatments.antenatal_corticosteroid_courses":
        if value is None:
            return "number of steroid courses not given (1 assumed)", False
        return f"{_number(value)} steroid course{'s' if value != 1 else ''}", False
    if path == "rhd_negative":
        return {True: "RhD-negative", False: "RhD-positive"}.get(value, "RhD status unknown"), False
    name = field_name(path)
    return (f"{name}: unknown" if value is None else f"{name}: {_number(value)}"), False


def inputs_text(entries: list[Mapping[str, Any]]) -> tuple[str, str]:
    """(the inputs read, in clinical words, joined by " · "; the absent findings, joined by ", ")."""
    present, absent = [], []
    for entry in entries:
        phrase, is_absent = input_phrase(str(entry["input"]), entry.get("value"))
        (absent if is_absent else present).append(phrase)
    return " · ".join(present), ", ".join(absent)
