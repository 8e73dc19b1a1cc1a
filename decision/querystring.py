"""Shareable links: a case as short, readable query parameters, and back (pure, no Streamlit).

A link holds clinical values only (never a name, record number or date), and only the values
that differ from the defaults. Opening a link never fails: a parameter that is unknown,
malformed, out of range or in conflict with another is ignored on its own, with the reason, and
every other parameter is kept. The case returned always passes :func:`decision.parse_case`, or
is ``{}`` when the link has no usable gestational age.

| param | case field | value (example) |
|---|---|---|
| `ga` | `gestational_age` (required) | weeks+days, `19+3` (days 0-6; `19` = 19+0) |
| `n` | `plurality` | fetuses 1-4, `2` (omitted = 1) |
| `loss` | `history.second_trimester_losses_painless_dilation` | count 0-20, `1` |
| `sptb` | `history.spontaneous_preterm_births_before_34w` | count 0-20, `2` |
| `pcerc` | `history.prior_cerclage_for_painless_dilation` | `1` = yes |
| `surg` | `history.cervical_surgery` | `1` = yes |
| `des` | `history.in_utero_des_exposure` | `1` = yes |
| `anom` | `history.uterine_or_cervical_anomaly` | `1` = yes |
| `trauma` | `history.cervical_trauma` | `1` = yes |
| `cl` | `cervix.length_mm` | mm 0-80, `18` or `18.5` (omitted = not measured) |
| `dil` | `cervix.dilation_cm` | cm 0-10, `2` (omitted = not examined; `0` = closed) |
| `fun` | `cervix.funneling` | `1` = yes |
| `os` | `cervix.membranes_at_or_beyond_external_os` | `1` = yes (needs dilation above 0 if given) |
| `prol` | `cervix.membranes_prolapsed_into_vagina` | `1` = yes (needs `os=1`) |
| `mem` | `membranes.status` | `r` = ruptured (omitted or `i` = intact) |
| `rga` | `membranes.rupture_gestational_age` | weeks+days, `19+0` (needs `mem=r`; not after `ga`) |
| `cerc` | `cerclage_in_place` | `1` = yes |
| `ctype` | `cerclage_type` | `tv` transvaginal, `ta` transabdominal, `unk` unknown (needs `cerc=1`; omitted = transvaginal) |
| `acs` | `treatments.antenatal_corticosteroids_ga` | latest steroid course (first dose), `23+2` (22+0 up to `ga`) |
| `acsn` | `treatments.antenatal_corticosteroid_courses` | courses 1-2, `2` (needs `acs`; omitted = 1) |
| `rh` | `rhd_negative` | `neg` = RhD-negative, `pos` = RhD-positive (omitted or `unk` = unknown) |
| `labor` | `red_flags.regular_contractions_or_labor` | `1` = yes |
| `bleed` | `red_flags.vaginal_bleeding` | `1` = yes |
| `inf` | `red_flags.signs_of_intraamniotic_infection` | `1` = yes |
| `demise` | `red_flags.fetal_demise` | `1` = yes |
| `lethal` | `red_flags.lethal_fetal_anomaly` | `1` = yes |
| `serial` | `serial_cervical_lengths` | GA:mm items joined by `;`, `16+0:31;18+0:24` (not after `ga`) |
| `p` | guideline profile (not part of the case) | `rcog` (omitted = `acog`) |

Yes/no values also accept `true`/`false`, `yes`/`no` and `0` for no; a `+` typed into an address
bar arrives as a space, so `19 3` reads as 19+3. A repeated parameter uses its last value.
Example: `?ga=19+3&cl=18&dil=2&os=1&serial=16+0:31;18+0:24&p=rcog`.

Limits: a value longer than :data:`MAX_VALUE` characters is ignored with that reason, and a link
whose names and values together exceed :data:`MAX_LINK` characters is refused as a whole (nothing
is loaded). Both are checked before a value is looked at; the values are then read by small
scanners (no regular expression), so reading a link costs time in proportion to its length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode

from .case import Case, case_to_dict, parse_case
from .errors import CaseValidationError
from .flat import FALSE, TRUE
from .kb import PROFILES

PROFILE_PARAM = "p"
DEFAULT_PROFILE = "acog"
MAX_SHOWN = 60  # characters of a value repeated in a reason or in Ignored.value
#: Longest value of one parameter (characters); a serial list of 40 items such as ``16+0:31.5`` fits.
MAX_VALUE = 500
#: Longest link: the characters of every name and value together (as decoded), plus one ``=`` and one ``&`` each.
MAX_LINK = 4_000


class Param(NamedTuple):
    name: str
    path: tuple[str, ...]
    kind: str  # ga, int, float, bool, status, serial, rh, ctype
    default: Any


# The table of the module docstring, in link order.
PARAMS: dict[str, Param] = {p.name: p for p in (
    Param("ga", ("gestational_age",), "ga", None),
    Param("n", ("plurality",), "int", 1),
    Param("loss", ("history", "second_trimester_losses_painless_dilation"), "int", 0),
    Param("sptb", ("history", "spontaneous_preterm_births_before_34w"), "int", 0),
    Param("pcerc", ("history", "prior_cerclage_for_painless_dilation"), "bool", False),
    Param("surg", ("history", "cervical_surgery"), "bool", False),
    Param("des", ("history", "in_utero_des_exposure"), "bool", False),
    Param("anom", ("history", "uterine_or_cervical_anomaly"), "bool", False),
    Param("trauma", ("history", "cervical_trauma"), "bool", False),
    Param("cl", ("cervix", "length_mm"), "float", None),
    Param("dil", ("cervix", "dilation_cm"), "float", None),
    Param("fun", ("cervix", "funneling"), "bool", False),
    Param("os", ("cervix", "membranes_at_or_beyond_external_os"), "bool", False),
    Param("prol", ("cervix", "membranes_prolapsed_into_vagina"), "bool", False),
    Param("mem", ("membranes", "status"), "status", "intact"),
    Param("rga", ("membranes", "rupture_gestational_age"), "ga", None),
    Param("cerc", ("cerclage_in_place",), "bool", False),
    # version 2 inputs (all optional; every version-1 link reads as before)
    Param("ctype", ("cerclage_type",), "ctype", None),
    Param("acs", ("treatments", "antenatal_corticosteroids_ga"), "ga", None),
    Param("acsn", ("treatments", "antenatal_corticosteroid_courses"), "int", None),
    Param("rh", ("rhd_negative",), "rh", None),
    Param("labor", ("red_flags", "regular_contractions_or_labor"), "bool", False),
    Param("bleed", ("red_flags", "vaginal_bleeding"), "bool", False),
    Param("inf", ("red_flags", "signs_of_intraamniotic_infection"), "bool", False),
    Param("demise", ("red_flags", "fetal_demise"), "bool", False),
    Param("lethal", ("red_flags", "lethal_fetal_anomaly"), "bool", False),
    Param("serial", ("serial_cervical_lengths",), "serial", None),
)}
KNOWN = frozenset([*PARAMS, PROFILE_PARAM])
STATUS_CODES = {"r": "ruptured", "ruptured": "ruptured", "i": "intact", "intact": "intact"}
# rh: RhD-negative -> True, RhD-positive -> False, unknown -> None (the default, left out of a link)
RH_CODES: dict[str, bool | None] = {"neg": True, "negative": True, "pos": False, "positive": False,
                                     "unk": None, "unknown": None}
RH_TEXT = {True: "neg", False: "pos"}
CERCLAGE_TYPE_CODES = {"tv": "transvaginal", "transvaginal": "transvaginal", "ta": "transabdominal",
                       "transabdominal": "transabdominal", "unk": "unknown", "unknown": "unknown"}
CERCLAGE_TYPE_TEXT = {"transvaginal": "tv", "transabdominal": "ta", "unknown": "unk"}


class Ignored(NamedTuple):
    """A link parameter (or one serial item) that was not used, and why."""

    param: str
    value: str
    reason: str


# --- scanners (no regular expressions: each looks at every character at most a few times) --------

_DIGITS = frozenset("0123456789")
_SPACE = frozenset(" \t\n\r\f\v")


def _digits(text: str) -> bool:
    """One or more ASCII digits and nothing else."""
    return bool(text) and all(ch in _DIGITS for ch in text)


def _is_number(text: str) -> bool:
    """``[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?`` in ASCII, read in one pass."""
    body = text[1:] if text[:1] in ("+", "-") else text
    mantissa, e, exponent = body.replace("E", "e").partition("e")
    if e:
        exponent = exponent[1:] if exponent[:1] in ("+", "-") else exponent
        if not _digits(exponent):
            return False
    whole, _dot, fraction = mantissa.partition(".")
    if not whole and not fraction:
        return False
    return all(ch in _DIGITS for ch in whole) and all(ch in _DIGITS for ch in fraction)


def _split_ga(text: str) -> tuple[str, str] | None:
    """``19``, ``19+3``, ``19 3`` or ``19 + 3`` -> ("19", "3" or ""); None for anything else."""
    end = 0
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    weeks, rest = text[:end], text[end:]
    if not weeks:
        return None
    if not rest:
        return weeks, ""
    before, plus, after = rest.partition("+")
    if plus:  # spaces, "+", spaces, days
        if not all(ch in _SPACE for ch in before):
            return None
        days = after.lstrip(" \t\n\r\f\v")
    else:  # a "+" read back as a space: spaces (at least one " "), days
        days = rest.lstrip(" \t\n\r\f\v")
        if " " not in rest[: len(rest) - len(days)]:
            return None
    return (weeks, days) if _digits(days) else None


# --- case -> params -------------------------------------------------------------------------

def _num(value: Any) -> str | None:
    """18.0 -> "18", 18.25 -> "18.25" (shortest text that reads back exactly); None if not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return None
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def _ga_text(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    weeks, days = value.get("weeks"), value.get("days", 0)
    days = 0 if days is None else days
    if isinstance(weeks, bool) or isinstance(days, bool) or not isinstance(weeks, int) or not isinstance(days, int):
        return None
    return f"{weeks}+{days}"


def _get(case: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = case
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _format(param: Param, value: Any) -> str | None:
    """The parameter text for a case value, or None when it is the default or cannot be written."""
    if value is None or (value == param.default and type(value) is type(param.default)):
        return None
    kind = param.kind
    if kind == "ga":
        return _ga_text(value)
    if kind == "bool":
        return "1" if value is True else None
    if kind in {"int", "float"}:
        if param.default is not None and not isinstance(value, bool) and value == param.default:
            return None
        return _num(value)
    if kind == "status":
        return "r" if value == "ruptured" else None
    if kind == "rh":
        return RH_TEXT.get(value) if isinstance(value, bool) else None
    if kind == "ctype":
        return CERCLAGE_TYPE_TEXT.get(value) if isinstance(value, str) else None
    if kind == "serial":
        if not isinstance(value, (list, tuple)):
            return None
        items = []
        for item in value:
            ga = _ga_text(item.get("gestational_age")) if isinstance(item, Mapping) else None
            length = _num(item.get("length_mm")) if isinstance(item, Mapping) else None
            if ga is not None and length is not None:
                items.append(f"{ga}:{length}")
        return ";".join(items) or None
    return None


def case_to_params(case: Mapping[str, Any], profile: str | None = None) -> dict[str, str]:
    """The link parameters of a case (clinical values that differ from the defaults), in table order.

    ``case`` may be a case being entered (even an invalid one: each field is written as it is, and
    a field that cannot be written is left out). ``profile`` adds ``p`` unless it is ``acog``.
    Never raises.
    """
    out: dict[str, str] = {}
    if isinstance(case, Case):
        case = case_to_dict(case)
    if isinstance(case, Mapping):
        for param in PARAMS.values():
            try:
                text = _format(param, _get(case, param.path))
            except Exception:  # a field being typed can hold anything: leave it out of the link
                text = None
            if text is not None:
                out[param.name] = text
    if profile is not None and profile != DEFAULT_PROFILE and profile in PROFILES:
        out[PROFILE_PARAM] = profile
    return out


def query_string(params: Mapping[str, str]) -> str:
    """``?ga=19+3&cl=18`` ('' when empty), keeping ``+ : ;`` readable (a ``+`` read back as a space is accepted)."""
    if not params:
        return ""
    return "?" + urlencode(params, quote_via=quote, safe="+:;")


# --- normalised case ------------------------------------------------------------------------

_DEFAULTS = case_to_dict(Case(gestational_age={"weeks": 20}))


def compact_case(case: Any) -> dict[str, Any]:
    """A valid case in the form a link reads back: parsed, then every default value dropped.

    Gestational ages keep both ``weeks`` and ``days``; numbers are as the case model stores them
    (lengths and dilations as floats). Raises :class:`CaseValidationError` for an invalid case.
    """
    data = case_to_dict(parse_case(case))
    out: dict[str, Any] = {"gestational_age": data["gestational_age"]}
    if data["plurality"] != _DEFAULTS["plurality"]:
        out["plurality"] = data["plurality"]
    for section in ("history", "cervix"):
        fields = {k: v for k, v in data[section].items() if v != _DEFAULTS[section][k]}
        if fields:
            out[section] = fields
    if data["serial_cervical_lengths"]:
        out["serial_cervical_lengths"] = data["serial_cervical_lengths"]
    membranes = {k: v for k, v in data["membranes"].items() if v != _DEFAULTS["membranes"][k]}
    if membranes:
        out["membranes"] = membranes
    if data["cerclage_in_place"]:
        out["cerclage_in_place"] = True
    if data["cerclage_type"] is not None:
        out["cerclage_type"] = data["cerclage_type"]
    treatments = {k: v for k, v in data["treatments"].items() if v is not None}
    if treatments:
        out["treatments"] = treatments
    if data["rhd_negative"] is not None:
        out["rhd_negative"] = data["rhd_negative"]
    flags = {k: v for k, v in data["red_flags"].items() if v != _DEFAULTS["red_flags"][k]}
    if flags:
        out["red_flags"] = flags
    return out


# --- params -> case -------------------------------------------------------------------------

def _shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def _plus_for_spaces(text: str) -> str:
    """Spaces between two digits shown as one "+" again (``19 3`` -> ``19+3``); one pass."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == " " and out and out[-1][-1:] in _DIGITS:
            j = i
            while j < n and text[j] == " ":
                j += 1
            out.append("+" if j < n and text[j] in _DIGITS else text[i:j])
            i = j
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _display(name: str, text: str) -> str:
    """A value as the user wrote it, except that a GA's "+" read back as a space is shown as "+" again."""
    text = text[: MAX_VALUE + 1]
    if PARAMS[name].kind in {"ga", "serial"}:
        text = _plus_for_spaces(text)
    return _shown(text)


def _parse_ga(text: str) -> dict[str, int]:
    parts = _split_ga(text)
    if parts is None:
        raise ValueError("expected weeks+days such as 19+3 (days 0-6)")
    weeks, days = parts[0], parts[1] or "0"
    if len(weeks) > 3 or len(days) > 3:
        raise ValueError("expected weeks+days such as 19+3 (days 0-6)")
    return {"weeks": int(weeks), "days": int(days)}


def _parse_number(text: str, whole: bool) -> int | float:
    if len(text) > MAX_VALUE or not _is_number(text):
        raise ValueError("expected a whole number such as 2" if whole else "expected a number such as 18 or 18.5")
    unsigned = text[1:] if text[:1] in ("+", "-") else text
    if whole and len(unsigned) <= 100 and _digits(unsigned):
        return int(text)
    number = float(text)
    if whole and math.isfinite(number) and number.is_integer():
        return int(number)
    return number  # a fraction or a huge value: the case model rejects it, naming the range


def _parse_serial_item(text: str) -> dict[str, Any]:
    ga_text, sep, length = text.partition(":")
    if not sep:
        raise ValueError("expected an item such as 16+0:31 (GA:length in mm)")
    try:
        ga = _parse_ga(ga_text.strip())
    except ValueError:
        raise ValueError("expected an item such as 16+0:31 (GA weeks+days, days 0-6)") from None
    try:
        number = _parse_number(length.strip(), whole=False)
    except ValueError:
        raise ValueError("expected an item such as 16+0:31 (length a number in mm)") from None
    return {"gestational_age": ga, "length_mm": number}


def parse_value(name: str, text: str) -> Any:
    """The case value of one parameter's text (serial: a list of items); ValueError says what is expected.

    Only the form is checked here; ranges and rules between fields are the case model's.
    """
    param = PARAMS[name]
    text = text.strip()
    if not text:
        raise ValueError("empty value")
    kind = param.kind
    if kind == "ga":
        return _parse_ga(text)
    if kind in {"int", "float"}:
        return _parse_number(text, whole=kind == "int")
    if kind == "bool":
        lowered = text.lower()
        if lowered in TRUE:
            return True
        if lowered in FALSE:
            return False
        raise ValueError("expected 1 (yes) or 0 (no)")
    if kind == "status":
        status = STATUS_CODES.get(text.lower())
        if status is None:
            raise ValueError("expected r (ruptured) or i (intact)")
        return status
    if kind == "rh":
        lowered = text.lower()
        if lowered not in RH_CODES:
            raise ValueError("expected neg (RhD-negative), pos (RhD-positive) or unk (unknown)")
        return RH_CODES[lowered]
    if kind == "ctype":
        cerclage_type = CERCLAGE_TYPE_CODES.get(text.lower())
        if cerclage_type is None:
            raise ValueError("expected tv (transvaginal), ta (transabdominal) or unk (unknown)")
        return cerclage_type
    return [_parse_serial_item(item.strip()) for item in _serial_chunks(text)]


def _serial_chunks(text: str) -> list[str]:
    """The items of a serial value (separated by ``;`` or ``,``), stripped, empty ones left out."""
    return [chunk.strip() for chunk in text.replace(",", ";").split(";") if chunk.strip()]


def _too_long(text: str) -> str | None:
    """The reason a value is refused unread, or None when it is within :data:`MAX_VALUE`."""
    if len(text) <= MAX_VALUE:
        return None
    return f"too long ({len(text):,} characters): a value may have at most {MAX_VALUE} characters"


def link_length(params: Mapping[str, Any]) -> int:
    """The length of a link's parameters: every name and value, plus one ``=`` and one ``&`` each."""
    total = 0
    for key, raw in params.items():
        values = _values(raw)
        total += sum(len(str(key)) + len(v) + 2 for v in values) if values else len(str(key)) + 1
        if total > MAX_LINK:
            break  # enough to refuse; do not walk the rest of a huge link
    return total


def link_refusal(params: Mapping[str, Any]) -> Ignored | None:
    """Why a link is refused as a whole (too long, or unreadable), or None when it may be read."""
    try:
        size = link_length(params)
    except Exception:
        return Ignored("(link)", "", "the link's parameters could not be read")
    if size <= MAX_LINK:
        return None
    return Ignored("(link)", "", f"the link is too long (over {MAX_LINK:,} characters of parameters): "
                                 "nothing was loaded; open the case again from a shorter link")


class _Entry(NamedTuple):
    param: str
    text: str
    path: tuple[str, ...]  # each serial item is an entry of its own, in link order
    value: Any


def _values(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, (list, tuple)):
        return [v if isinstance(v, str) else str(v) for v in raw]
    return [str(raw)]


def _entries(params: Mapping[str, Any], ignored: list[Ignored]) -> list[_Entry]:
    """Every usable parameter (each serial item on its own); the rest goes to ``ignored``."""
    entries: list[_Entry] = []
    try:
        items = list(params.items())
    except Exception:
        ignored.append(Ignored("(link)", "", "the link's parameters could not be read"))
        return []
    for key, raw in items:
        name = str(key)
        try:
            values = _values(raw)
        except Exception:
            ignored.append(Ignored(_shown(name), "", "the value could not be read"))
            continue
        if name == PROFILE_PARAM:
            continue  # the profile: see params_to_profile
        if name not in PARAMS:
            for value in values or [""]:
                ignored.append(Ignored(_shown(name), _shown(value), "unknown parameter"))
            continue
        if not values:
            ignored.append(Ignored(name, "", "no value"))
            continue
        for value in values[:-1]:
            ignored.append(Ignored(name, _display(name, value), "repeated parameter: only its last value is used"))
        text = values[-1]
        refused = _too_long(text)
        if refused is not None:  # checked before the value is looked at
            ignored.append(Ignored(name, _shown(text[: MAX_SHOWN + 1]), refused))
            continue
        chunks = _serial_chunks(text)
        if PARAMS[name].kind == "serial" and text.strip():
            if not chunks:
                ignored.append(Ignored(name, _display(name, text), "expected items such as 16+0:31 separated by ';'"))
            for chunk in chunks:
                try:
                    item = _parse_serial_item(chunk)
                except (ValueError, OverflowError) as exc:
                    ignored.append(Ignored(name, _display(name, chunk), str(exc)))
                    continue
                entries.append(_Entry(name, _display(name, chunk), PARAMS[name].path, item))
            continue
        try:
            value = parse_value(name, text)
        except (ValueError, OverflowError) as exc:
            ignored.append(Ignored(name, _display(name, text), str(exc) or "could not be read"))
            continue
        entries.append(_Entry(name, _display(name, text), PARAMS[name].path, value))
    return entries


def _build(entries: list[_Entry]) -> dict[str, Any]:
    case: dict[str, Any] = {}
    for entry in entries:
        if entry.path[0] == "serial_cervical_lengths":
            case.setdefault("serial_cervical_lengths", []).append(entry.value)
            continue
        node = case
        for key in entry.path[:-1]:
            node = node.setdefault(key, {})
        node[entry.path[-1]] = entry.value
    return case


def _culprits(path: str, entries: list[_Entry]) -> list[_Entry]:
    """The entries an error path of the case model points at."""
    serial = [e for e in entries if e.path[0] == "serial_cervical_lengths"]
    if path.startswith("serial_cervical_lengths"):
        index_text = path[len("serial_cervical_lengths"):].partition("]")[0]
        if not index_text.startswith("[") or not _digits(index_text[1:]):
            return serial
        index = int(index_text[1:])
        return [serial[index]] if index < len(serial) else serial
    found = [e for e in entries if e.path[0] != "serial_cervical_lengths"
             and (path == ".".join(e.path) or path.startswith(".".join(e.path) + "."))]
    if found:
        return found
    # A section-level path (e.g. "cervix"): every entry inside it.
    return [e for e in entries if ".".join(e.path).startswith(path + ".")]


_NO_GA = "needs a valid gestational age (ga), which the link does not have: nothing was loaded"


def params_to_case(params: Mapping[str, str | list[str]]) -> tuple[dict[str, Any], list[Ignored]]:
    """The case a link describes, and every parameter (or serial item) not used, with the reason.

    Each problem is ignored on its own and every valid parameter is kept: malformed values and
    unknown names first; then, while the case model rejects the case, the parameters its error
    paths name (out of range, or in conflict with another field: ``ga`` wins over ``rga``,
    ``serial`` and ``acs``, ``dil`` over ``os``, ``os`` over ``prol``, ``acs`` over ``acsn``,
    ``cerc`` over ``ctype``) are dropped, with its message. The
    case returned passes :func:`parse_case` (in :func:`compact_case` form), or is ``{}`` when the
    link has no usable ``ga``. ``p`` (the profile) is left to :func:`params_to_profile`.
    Never raises.
    """
    refused = link_refusal(params)
    if refused is not None:
        return {}, [refused]
    ignored: list[Ignored] = []
    try:
        entries = _entries(params, ignored)
        while entries:
            if not any(e.param == "ga" for e in entries):
                ignored.extend(Ignored(e.param, e.text, _NO_GA) for e in entries)
                return {}, ignored
            try:
                return compact_case(_build(entries)), ignored
            except CaseValidationError as exc:
                drop: dict[int, str] = {}
                for error in exc.errors:
                    for entry in _culprits(error.path, entries):
                        drop.setdefault(id(entry), error.message)
                if not drop:  # an error no parameter explains (never expected): keep nothing rather than loop
                    ignored.extend(Ignored(e.param, e.text, "; ".join(f"{x.path}: {x.message}" for x in exc.errors))
                                   for e in entries)
                    return {}, ignored
                kept = []
                for entry in entries:
                    if id(entry) in drop:
                        ignored.append(Ignored(entry.param, entry.text, drop[id(entry)]))
                    else:
                        kept.append(entry)
                entries = kept
    except Exception as exc:  # defensive: a link must never break the app
        ignored.append(Ignored("(link)", "", f"could not be read ({type(exc).__name__})"))
    return {}, ignored


def params_to_profile(params: Mapping[str, str | list[str]]) -> tuple[str | None, list[Ignored]]:
    """The profile a link names (``p``; None when absent or unusable) and the problems with it."""
    if link_refusal(params) is not None:
        return None, []  # the refusal is reported once, by params_to_case
    try:
        if PROFILE_PARAM not in params:
            return None, []
        values = _values(params[PROFILE_PARAM])
    except Exception:
        return None, [Ignored(PROFILE_PARAM, "", "the value could not be read")]
    ignored = [Ignored(PROFILE_PARAM, _shown(v[: MAX_SHOWN + 1]), "repeated parameter: only its last value is used")
               for v in values[:-1]]
    if not values:
        return None, [Ignored(PROFILE_PARAM, "", "no value")]
    chosen = values[-1][: MAX_VALUE + 1].strip().lower()
    if chosen not in PROFILES:
        shown = _shown(values[-1][: MAX_SHOWN + 1])
        return None, [*ignored, Ignored(PROFILE_PARAM, shown, f"must be one of {', '.join(PROFILES)}")]
    return chosen, ignored


def read_link(params: Mapping[str, str | list[str]]) -> tuple[dict[str, Any], str | None, list[Ignored]]:
    """(case, profile or None, ignored) of a link: :func:`params_to_case` plus :func:`params_to_profile`."""
    case, ignored = params_to_case(params)
    profile, more = params_to_profile(params)
    return case, profile, ignored + more


def has_known(keys: Iterable[Any]) -> bool:
    """Whether any of ``keys`` is a link parameter (the case's or ``p``)."""
    return any(str(k) in KNOWN for k in keys)
