"""FHIR R4 resources to a case, as data (``data/fhir/mapping.yaml``): each value with its provenance.

Entry points: :func:`map_bundle` (an uploaded Bundle, or one resource), :func:`map_prefetch` (a CDS
Hooks request's prefetch object) and :func:`map_resources` (any iterable of resources). Each returns a
:class:`MappedRecord`: the case fields that could be filled, where each came from (resource type,
code, date), the refusals (what could not be used, and why) and hints for the clinician to confirm.

Identifiers never get past the entry: only Observation, Condition and Procedure are read, and of
those only the elements listed in :data:`KEEP` (codes, status, value, dates) are copied before the
resource is parsed with the ``fhir.resources`` R4B models. Patient resources, ids, identifiers,
subjects, narrative text and notes are dropped there and then. Messages are built from the mapping's
own labels, numbers, dates and codes; a validation error is reported by its element path and error
type only, never with the offending value.

Pure: no Streamlit, no web framework, no clock (``today`` is a parameter).
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from decision import CaseValidationError, parse_case
from decision.case import RANGES, UNITS

from .config import mapping_path

MAPPING_FILE = Path(__file__).resolve().parent.parent / "data" / "fhir" / "mapping.yaml"
UCUM = "http://unitsofmeasure.org"
SUPPORTED = ("Observation", "Condition", "Procedure")
#: The only elements copied from each supported resource before it is parsed (everything else is dropped).
KEEP: dict[str, tuple[str, ...]] = {
    "Observation": ("status", "code", "effectiveDateTime", "effectiveInstant", "effectivePeriod", "valueQuantity",
                    "valueInteger", "valueDateTime", "valueCodeableConcept", "dataAbsentReason"),
    "Condition": ("clinicalStatus", "verificationStatus", "code", "onsetDateTime", "onsetPeriod", "recordedDate"),
    "Procedure": ("status", "code", "performedDateTime", "performedPeriod"),
}
#: R4 requires a subject on Condition and Procedure: the real one is dropped and this placeholder parsed instead.
PLACEHOLDER_SUBJECT = {"reference": "Patient/subject"}
MAX_RESOURCES = 5_000
MAX_BUNDLE_DEPTH = 3
MIN_GA_DAYS = 4 * 7
MAX_GA_DAYS = 42 * 7 + 6
DUE_DATE_DAYS = 280
SYSTEM_NAMES = {"http://loinc.org": "LOINC", "http://snomed.info/sct": "SNOMED CT"}
GOOD_STATUS = {
    "Observation": {"final", "amended", "corrected"},
    "Procedure": {"completed"},
}
BAD_VERIFICATION = {"refuted", "entered-in-error"}
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:/#{}[]%*^'")

RefusalKind = Literal["not_used", "invalid", "unknown_code", "unknown_unit", "out_of_range", "conflict",
                      "earlier_pregnancy", "no_date", "future", "status", "no_dating", "not_current"]


# --- the mapping file -----------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Coding(_Model):
    system: str
    code: str
    display: str = ""

    @property
    def label(self) -> str:
        return f"{SYSTEM_NAMES.get(self.system, self.system)} {self.code}"


class Answer(_Model):
    system: str
    code: str
    value: str | bool | int | float


class PrefetchKey(_Model):
    required: bool = True


class Entry(_Model):
    """One row of the mapping: which codes of which resource fill which field, and how."""

    id: str
    role: Literal["dating_ga", "dating_edd", "measure", "flag", "coded", "hint"]
    resource: Literal["Observation", "Condition", "Procedure"]
    codes: tuple[Coding, ...] = ()
    field: str | None = None
    series_field: str | None = None
    onset_field: str | None = None
    set: str | bool | int | float | None = None
    value: Literal["quantity", "count"] = "quantity"
    units: Mapping[str, float] = Field(default_factory=dict)
    answers: tuple[Answer, ...] = ()
    current_within_days: int = Field(0, ge=0)
    scope: Literal["current_pregnancy", "any"] = "current_pregnancy"
    hint: str | None = None
    prefetch: str | None = None
    verified: bool = False
    enabled: bool = True
    note: str | None = None

    @property
    def active(self) -> bool:
        return self.enabled and bool(self.codes)


class FhirMapping(_Model):
    version: str
    dating_tolerance_days: int = Field(3, ge=0)
    prefetch: Mapping[str, PrefetchKey] = Field(default_factory=dict)
    entries: tuple[Entry, ...]

    def model_post_init(self, context: Any) -> None:
        for entry in self.entries:
            if entry.role in ("measure", "flag", "coded") and not entry.field:
                raise ValueError(f"entries.{entry.id}: field is required for role {entry.role}")
            if entry.role == "flag" and entry.set is None:
                raise ValueError(f"entries.{entry.id}: set is required for role flag")
            if entry.role == "hint" and not entry.hint:
                raise ValueError(f"entries.{entry.id}: hint is required for role hint")
            if entry.prefetch is not None and entry.prefetch not in self.prefetch:
                raise ValueError(f"entries.{entry.id}: prefetch key {entry.prefetch!r} is not listed under prefetch")

    @functools.cached_property
    def lookup(self) -> dict[tuple[str, str, str], tuple[Entry, Coding]]:
        """(resource type, system, code) -> (entry, coding), for the active entries."""
        out: dict[tuple[str, str, str], tuple[Entry, Coding]] = {}
        for entry in self.entries:
            if entry.active:
                for coding in entry.codes:
                    out.setdefault((entry.resource, coding.system, coding.code), (entry, coding))
        return out

    def active_entries(self) -> list[Entry]:
        return [e for e in self.entries if e.active]

    def prefetch_templates(self) -> dict[str, str]:
        """The CDS Hooks prefetch templates: one FHIR search per prefetch key, over its active entries' codes."""
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.active_entries():
            if entry.prefetch:
                grouped[entry.prefetch].append(entry)
        templates = {}
        for key in self.prefetch:
            entries = grouped.get(key)
            if not entries:
                continue
            resources = {e.resource for e in entries}
            for resource in sorted(resources):
                codes = ",".join(f"{c.system}|{c.code}" for e in entries if e.resource == resource for c in e.codes)
                name = key if len(resources) == 1 else f"{key}{resource}"
                sort = "&_sort=-date" if resource == "Observation" else ""
                templates[name] = f"{resource}?patient={{{{context.patientId}}}}&code={codes}{sort}"
        return templates

    def required_prefetch(self) -> list[str]:
        """The prefetch keys (as templated) whose absence from a request is a 412."""
        required = {k for k, v in self.prefetch.items() if v.required}
        return [name for name in self.prefetch_templates() if any(name.startswith(k) for k in required)]


def load_mapping(path: str | Path | None = None) -> FhirMapping:
    """The mapping in ``path`` (default: ``CI_DSS_FHIR_MAPPING`` or ``data/fhir/mapping.yaml``); ValueError names the problem."""
    source = Path(path or mapping_path() or MAPPING_FILE)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{source}: cannot be read ({type(exc).__name__})") from None
    try:
        return FhirMapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False))
        raise ValueError(f"{source}: {problems}") from None


@functools.cache
def _default_mapping(path: str) -> FhirMapping:
    return load_mapping(path)


def mapping(path: str | Path | None = None) -> FhirMapping:
    """The configured mapping, loaded once per path."""
    return _default_mapping(str(Path(path or mapping_path() or MAPPING_FILE).resolve()))


# --- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a value came from: resource type, the mapping's code and label, the resource's date."""

    resource: str
    code: str
    display: str
    date: date | None

    def label(self) -> str:
        when = f", {self.date.isoformat()}" if self.date else ""
        shown = f" ({self.display})" if self.display else ""
        return f"{self.resource} {self.code}{shown}{when}"

    def to_dict(self) -> dict[str, Any]:
        return {"resource": self.resource, "code": self.code, "display": self.display,
                "date": self.date.isoformat() if self.date else None}


@dataclass(frozen=True)
class Refusal:
    """Something in the input that was not used, and why (``kind`` names the reason)."""

    kind: RefusalKind
    message: str
    field: str | None = None
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "field": self.field, "message": self.message,
                "source": self.source.to_dict() if self.source else None}


@dataclass(frozen=True)
class Hint:
    """A value for the clinician to confirm (never written into the case)."""

    field: str | None
    message: str
    source: Source

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message, "source": self.source.to_dict()}


@dataclass
class MappedRecord:
    """The case fields filled from the record, their provenance, the refusals and the hints."""

    case: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, list[Source]] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)
    mapping_version: str = ""

    @property
    def fields(self) -> list[str]:
        """The dotted paths of the case fields that were filled."""
        return list(self.provenance)

    @property
    def has_gestational_age(self) -> bool:
        return "gestational_age" in self.case

    def value(self, path: str) -> Any:
        node: Any = self.case
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "fields": [{"path": p, "value": self.value(p), "sources": [s.to_dict() for s in sources]}
                       for p, sources in self.provenance.items()],
            "refusals": [r.to_dict() for r in self.refusals],
            "hints": [h.to_dict() for h in self.hints],
            "mapping_version": self.mapping_version,
        }


# --- helpers --------------------------------------------------------------------------------------


def _safe(text: Any, limit: int = 40) -> str:
    """A code, unit or type from the input, shown only if it looks like one (never free text)."""
    if not isinstance(text, str) or not text or len(text) > limit or any(ch not in _SAFE for ch in text):
        return "(unreadable)"
    return text


def _type_label(value: Any) -> str:
    """The resourceType, shown only if it names a FHIR resource type."""
    if not isinstance(value, str) or not value.isalpha() or len(value) > 40:
        return "(not a FHIR resource)"
    try:
        from fhir.resources.R4B import get_fhir_model_class

        get_fhir_model_class(value)
    except (ValueError, KeyError, AttributeError, ImportError):
        return "(not a FHIR resource)"
    return value


def _ga_text(days: int) -> str:
    return f"{days // 7}+{days % 7}"


def _ga_dict(days: int) -> dict[str, int]:
    return {"weeks": days // 7, "days": days % 7}


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _concept(value: Any) -> dict[str, Any] | None:
    """A CodeableConcept reduced to its codings' system and code (text and display are dropped)."""
    if not isinstance(value, Mapping):
        return None
    codings = value.get("coding")
    if not isinstance(codings, list):
        return {"coding": []}
    out = []
    for coding in codings[:20]:
        if isinstance(coding, Mapping):
            out.append({k: coding[k] for k in ("system", "code") if k in coding})
    return {"coding": out}


def _quantity(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {k: value[k] for k in ("value", "comparator", "unit", "system", "code") if k in value}


def _period(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {k: value[k] for k in ("start", "end") if k in value}


def _clean(resource_type: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Only the elements in :data:`KEEP`, each reduced to what is read (identifiers are dropped here)."""
    out: dict[str, Any] = {"resourceType": resource_type}
    for key in KEEP[resource_type]:
        if key not in raw:
            continue
        value = raw[key]
        if key in ("code", "valueCodeableConcept", "clinicalStatus", "verificationStatus", "dataAbsentReason"):
            value = _concept(value)
        elif key == "valueQuantity":
            value = _quantity(value)
        elif key.endswith("Period"):
            value = _period(value)
        out[key] = value
    if resource_type in ("Condition", "Procedure"):
        out["subject"] = dict(PLACEHOLDER_SUBJECT)
    return out


def _validation_problem(exc: ValidationError) -> str:
    """``element.path: error type`` for the first few errors; the input values are never included."""
    parts = []
    for err in exc.errors(include_url=False)[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if not isinstance(p, int)) or "(resource)"
        parts.append(f"{where}: {err.get('type', 'invalid')}")
    return "; ".join(parts)


# --- one resource -----------------------------------------------------------------------------------


@dataclass
class _Item:
    entry: Entry
    coding: Coding
    resource: Any  # the fhir.resources model
    date: date | None  # for scope: effective / onset / recorded / performed
    onset: date | None = None

    @property
    def source(self) -> Source:
        return Source(self.entry.resource, self.coding.label, self.coding.display, self.date)


def _model_class(resource_type: str) -> Any:
    if resource_type == "Observation":
        from fhir.resources.R4B.observation import Observation

        return Observation
    if resource_type == "Condition":
        from fhir.resources.R4B.condition import Condition

        return Condition
    from fhir.resources.R4B.procedure import Procedure

    return Procedure


def _codings(concept: Any) -> list[tuple[str, str]]:
    codings = getattr(concept, "coding", None) or []
    return [(c.system or "", c.code or "") for c in codings]


def _resource_dates(resource_type: str, model: Any) -> tuple[date | None, date | None]:
    """(date for the pregnancy check, onset date) of a parsed resource."""
    if resource_type == "Observation":
        when = model.effectiveDateTime or model.effectiveInstant
        if when is None and model.effectivePeriod is not None:
            when = model.effectivePeriod.start or model.effectivePeriod.end
        return _as_date(when), None
    if resource_type == "Condition":
        onset = model.onsetDateTime
        if onset is None and model.onsetPeriod is not None:
            onset = model.onsetPeriod.start
        onset_date = _as_date(onset)
        return onset_date or _as_date(model.recordedDate), onset_date
    when = model.performedDateTime
    if when is None and model.performedPeriod is not None:
        when = model.performedPeriod.start or model.performedPeriod.end
    return _as_date(when), None


def _read(raw: Any, spec: FhirMapping, refusals: list[Refusal], unused: Counter[str]) -> _Item | None:
    """One raw resource to an :class:`_Item`, or None after recording why it is not used."""
    if not isinstance(raw, Mapping):
        refusals.append(Refusal("invalid", "An entry is not a FHIR resource (not a JSON object)."))
        return None
    resource_type = raw.get("resourceType")
    if resource_type not in SUPPORTED:
        unused[_type_label(resource_type)] += 1
        return None
    try:
        model = _model_class(resource_type).model_validate(_clean(resource_type, raw))
    except ValidationError as exc:
        codes = _codings_raw(raw.get("code"))
        shown = f" with code {codes}" if codes else ""
        refusals.append(Refusal("invalid", f"{resource_type}{shown}: not a valid FHIR R4 resource "
                                           f"({_validation_problem(exc)})."))
        return None
    codes = _codings(model.code)
    found = next((spec.lookup[(resource_type, s, c)] for s, c in codes if (resource_type, s, c) in spec.lookup), None)
    if found is None:
        shown = ", ".join(f"{SYSTEM_NAMES.get(s, _safe(s, 80))} {_safe(c)}" for s, c in codes[:3]) or "no code"
        refusals.append(Refusal("unknown_code", f"{resource_type} with code {shown}: not used (this code is not in the "
                                                 "mapping)."))
        return None
    entry, coding = found
    when, onset = _resource_dates(resource_type, model)
    item = _Item(entry, coding, model, when, onset)
    status_problem = _status_problem(resource_type, model)
    if status_problem:
        refusals.append(Refusal("status", f"{item.source.label()}: not used ({status_problem}).", entry.field,
                                item.source))
        return None
    return item


def _codings_raw(concept: Any) -> str:
    reduced = _concept(concept) or {}
    codes = [f"{SYSTEM_NAMES.get(c.get('system'), _safe(c.get('system'), 80))} {_safe(c.get('code'))}"
             for c in reduced.get("coding", []) if isinstance(c, Mapping)]
    return ", ".join(codes[:3])


def _status_problem(resource_type: str, model: Any) -> str | None:
    if resource_type == "Condition":
        verification = {c for _s, c in _codings(model.verificationStatus)}
        bad = verification & BAD_VERIFICATION
        return f"verification status {sorted(bad)[0]}" if bad else None
    status = model.status
    if status not in GOOD_STATUS[resource_type]:
        return f"status {_safe(status)}; only {', '.join(sorted(GOOD_STATUS[resource_type]))} are used"
    return None


# --- values -----------------------------------------------------------------------------------------


class _ValueProblem(ValueError):
    def __init__(self, kind: RefusalKind, message: str):
        self.kind = kind
        super().__init__(message)


def _decimal(value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _ValueProblem("invalid", "the value is not a number") from None
    if not number.is_finite():
        raise _ValueProblem("invalid", "the value is not a finite number")
    return number


def _quantity_value(item: _Item, units: Mapping[str, float]) -> tuple[Decimal, str]:
    """(value converted with the entry's unit table, the unit as written); _ValueProblem otherwise."""
    model = item.resource
    quantity = getattr(model, "valueQuantity", None)
    if quantity is None:
        if getattr(model, "dataAbsentReason", None) is not None:
            raise _ValueProblem("invalid", "no value (the record gives a reason it is absent)")
        raise _ValueProblem("invalid", "the value is not a quantity")
    if quantity.value is None:
        raise _ValueProblem("invalid", "the quantity has no value")
    if quantity.comparator:
        raise _ValueProblem("invalid", f"the value is a bound ({_safe(quantity.comparator)}), not a measurement")
    if quantity.system and quantity.system != UCUM:
        raise _ValueProblem("unknown_unit", "the unit is not a UCUM unit")
    unit = quantity.code if quantity.code is not None else quantity.unit
    if unit not in units:
        allowed = ", ".join(units)
        raise _ValueProblem("unknown_unit", f"unknown unit {_safe(unit, 20) if unit else '(none)'} (allowed: {allowed})")
    return _decimal(quantity.value) * Decimal(str(units[unit])), unit


def _count_value(item: _Item) -> int:
    model = item.resource
    value = getattr(model, "valueInteger", None)
    if value is None:
        quantity = getattr(model, "valueQuantity", None)
        if quantity is None or quantity.value is None:
            raise _ValueProblem("invalid", "the value is not a count")
        unit = quantity.code if quantity.code is not None else quantity.unit
        allowed = item.entry.units or {"1": 1, "{#}": 1}
        if unit is not None and unit not in allowed:
            raise _ValueProblem("unknown_unit", f"unknown unit {_safe(unit, 20)} for a count")
        number = _decimal(quantity.value)
        if number != number.to_integral_value():
            raise _ValueProblem("invalid", "the count is not a whole number")
        value = int(number)
    return int(value)


def _number(value: Decimal) -> float:
    return float(value)


def _range_check(path: str, value: float) -> None:
    leaf = path.rsplit(".", 1)[-1]
    if leaf not in RANGES:
        return
    low, high = RANGES[leaf]
    if not low <= value <= high:
        unit = f" {UNITS[leaf]}" if leaf in UNITS else ""
        raise _ValueProblem("out_of_range", f"{value:g}{unit} is out of range (allowed {low:g}-{high:g}{unit})")


# --- the mapping ------------------------------------------------------------------------------------


def _flatten(document: Any, out: list[Any], refusals: list[Refusal], depth: int = 0) -> None:
    """The resources in ``document``: a Bundle's entries (nested Bundles too), or the resource itself."""
    if isinstance(document, Mapping) and document.get("resourceType") == "Bundle":
        if depth >= MAX_BUNDLE_DEPTH:
            refusals.append(Refusal("invalid", "A Bundle nested too deeply was not read."))
            return
        entries = document.get("entry")
        if entries is None:
            return
        if not isinstance(entries, list):
            refusals.append(Refusal("invalid", "Bundle.entry is not a list: the Bundle was not read."))
            return
        for entry in entries:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("resource"), Mapping):
                refusals.append(Refusal("invalid", "A Bundle entry has no resource."))
                continue
            _flatten(entry["resource"], out, refusals, depth + 1)
        return
    if isinstance(document, Mapping) and document.get("resourceType") == "OperationOutcome":
        refusals.append(Refusal("not_used", "An OperationOutcome from the record system (an error report, not data) "
                                            "was not used."))
        return
    out.append(document)


def map_bundle(document: Any, today: date, spec: FhirMapping | None = None) -> MappedRecord:
    """A FHIR Bundle (or a single resource) to a :class:`MappedRecord`."""
    resources: list[Any] = []
    refusals: list[Refusal] = []
    if not isinstance(document, Mapping) or not isinstance(document.get("resourceType"), str):
        record = MappedRecord(mapping_version=(spec or mapping()).version)
        record.refusals.append(Refusal("invalid", "The file is not a FHIR resource or Bundle (no resourceType)."))
        return record
    _flatten(document, resources, refusals)
    return map_resources(resources, today, spec, refusals)


def map_prefetch(prefetch: Mapping[str, Any], today: date, spec: FhirMapping | None = None) -> MappedRecord:
    """A CDS Hooks ``prefetch`` object (each value a Bundle, a resource or null) to a :class:`MappedRecord`."""
    resources: list[Any] = []
    refusals: list[Refusal] = []
    for value in prefetch.values():
        if value is None:
            continue  # the record system has no data for this key
        _flatten(value, resources, refusals)
    return map_resources(resources, today, spec, refusals)


def map_resources(resources: Iterable[Any], today: date, spec: FhirMapping | None = None,
                  refusals: list[Refusal] | None = None) -> MappedRecord:
    """Resources (JSON objects) to a :class:`MappedRecord`; never raises for any input."""
    spec = spec or mapping()
    record = MappedRecord(mapping_version=spec.version)
    record.refusals = list(refusals or [])
    unused: Counter[str] = Counter()
    items: list[_Item] = []
    for index, raw in enumerate(resources):
        if index >= MAX_RESOURCES:
            record.refusals.append(Refusal("invalid", f"Only the first {MAX_RESOURCES} resources were read."))
            break
        item = _read(raw, spec, record.refusals, unused)
        if item is not None:
            items.append(item)
    for resource_type, count in sorted(unused.items()):
        what = f"{count} {resource_type} resource{'s' if count > 1 else ''}"
        record.refusals.append(Refusal("not_used", f"{what}: not used (only Observation, Condition and Procedure "
                                                   "are read; names, record numbers and birth dates are dropped)."))
    fresh: list[_Item] = []
    for item in items:
        if item.date is not None and item.date > today:
            record.refusals.append(Refusal("future", f"{item.source.label()}: dated after today.", item.entry.field,
                                           item.source))
        else:
            fresh.append(item)
    start = _dating(fresh, today, spec, record)
    candidates: dict[str, list[tuple[Any, list[Source]]]] = defaultdict(list)
    by_entry: dict[str, list[tuple[_Item, Any]]] = defaultdict(list)
    for item in fresh:
        entry = item.entry
        if entry.role in ("dating_ga", "dating_edd"):
            continue
        if not _in_pregnancy(item, start, today, record):
            continue
        try:
            value = _item_value(item)
        except _ValueProblem as problem:
            record.refusals.append(Refusal(problem.kind, f"{item.source.label()}: {problem}.", entry.field, item.source))
            continue
        if entry.role == "hint":
            _hint(item, value, record)
            continue
        by_entry[entry.id].append((item, value))
    for entry in spec.active_entries():
        found = by_entry.get(entry.id)
        if not found:
            continue
        if entry.role == "measure":
            _measure(entry, found, start, today, candidates, record)
        elif entry.role == "flag":
            _flag(entry, found, start, candidates)
        elif entry.role == "coded":
            _coded(entry, found, today, candidates, record)
    _assemble(candidates, record)
    _validate(record)
    return record


def _dating(items: list[_Item], today: date, spec: FhirMapping, record: MappedRecord) -> date | None:
    """The start (day 0) of the current pregnancy from the dating observations; sets ``gestational_age``."""
    dated: list[tuple[_Item, date]] = []
    for item in items:
        if item.entry.role not in ("dating_ga", "dating_edd"):
            continue
        source = item.source
        if item.date is None:
            record.refusals.append(Refusal("no_date", f"{source.label()}: no date, so the pregnancy cannot be dated "
                                                      "from it.", "gestational_age", source))
            continue
        try:
            if item.entry.role == "dating_ga":
                days, _unit = _quantity_value(item, item.entry.units)
                ga_days = int(days.quantize(Decimal(1), rounding=ROUND_HALF_UP))
                if not 0 <= ga_days <= 45 * 7:
                    raise _ValueProblem("out_of_range", f"gestational age {_ga_text(max(ga_days, 0))} is out of range")
                start = item.date - timedelta(days=ga_days)
            else:
                due = _as_date(getattr(item.resource, "valueDateTime", None))
                if due is None:
                    raise _ValueProblem("invalid", "the value is not a full date")
                start = due - timedelta(days=DUE_DATE_DAYS)
        except _ValueProblem as problem:
            record.refusals.append(Refusal(problem.kind, f"{source.label()}: {problem}.", "gestational_age", source))
            continue
        dated.append((item, start))
    if not dated:
        return None
    dated.sort(key=lambda pair: pair[0].date or date.min, reverse=True)
    latest, start = dated[0]
    current = (today - start).days
    if current > MAX_GA_DAYS:
        for item, item_start in dated:
            record.refusals.append(Refusal(
                "earlier_pregnancy", f"{item.source.label()}: an earlier pregnancy (it would be "
                                     f"{_ga_text((today - item_start).days)} today, beyond 42+6).", "gestational_age",
                item.source))
        return None
    if current < MIN_GA_DAYS:
        record.refusals.append(Refusal("out_of_range", f"{latest.source.label()}: gestational age {_ga_text(max(current, 0))} "
                                                       "today is out of range (allowed 4+0-42+6).", "gestational_age",
                                       latest.source))
        return None
    agreeing = [latest]
    for item, item_start in dated[1:]:
        assert item.date is not None
        if item.date < start:
            record.refusals.append(Refusal("earlier_pregnancy", f"{item.source.label()}: dated before this pregnancy "
                                                                "began (an earlier pregnancy).", "gestational_age",
                                           item.source))
        elif abs((item_start - start).days) <= spec.dating_tolerance_days:
            agreeing.append(item)
        else:
            record.refusals.append(Refusal(
                "conflict", f"Conflicting dating: {latest.source.label()} gives {_ga_text(current)} today, "
                            f"{item.source.label()} gives {_ga_text((today - item_start).days)} (more than "
                            f"{spec.dating_tolerance_days} days apart). Enter the gestational age by hand.",
                "gestational_age", item.source))
            return None
    record.case["gestational_age"] = _ga_dict(current)
    record.provenance["gestational_age"] = [i.source for i in agreeing]
    return start


def _in_pregnancy(item: _Item, start: date | None, today: date, record: MappedRecord) -> bool:
    """Whether a current-pregnancy item belongs to it (else a refusal is recorded)."""
    if item.entry.scope == "any":
        return True
    source = item.source
    if start is None:
        record.refusals.append(Refusal("no_dating", f"{source.label()}: cannot be placed in the current pregnancy "
                                                    "(no usable gestational age or due date in the record).",
                                       item.entry.field, source))
        return False
    if item.date is None:
        record.refusals.append(Refusal("no_date", f"{source.label()}: no date, so it cannot be placed in the current "
                                                  "pregnancy.", item.entry.field, source))
        return False
    if item.date < start:
        record.refusals.append(Refusal("earlier_pregnancy", f"{source.label()}: dated before the current pregnancy "
                                                            f"began (an earlier pregnancy).", item.entry.field, source))
        return False
    return True


def _item_value(item: _Item) -> Any:
    """The value an item contributes (checked against the field's range); _ValueProblem otherwise."""
    entry = item.entry
    if entry.role in ("flag",):
        return entry.set
    if entry.role == "coded":
        for system, code in _codings(getattr(item.resource, "valueCodeableConcept", None)):
            for answer in entry.answers:
                if answer.system == system and answer.code == code:
                    return answer.value
        raise _ValueProblem("unknown_code", "the answer code is not in the mapping")
    if entry.role == "hint":
        if entry.value == "count" and entry.resource == "Observation":
            count = _count_value(item)
            if count < 0 or count > 50:
                raise _ValueProblem("out_of_range", f"{count} is out of range")
            return count
        return None
    if entry.value == "count":
        value: float = _count_value(item)
    else:
        converted, _unit = _quantity_value(item, entry.units)
        value = _number(converted)
    if entry.field:
        _range_check(entry.field, value)
    return value


def _hint(item: _Item, value: Any, record: MappedRecord) -> None:
    template = item.entry.hint or ""
    when = f" ({item.date.isoformat()})" if item.date else ""
    message = " ".join(template.replace("{value}", "" if value is None else str(value)).replace("{when}", when).split())
    record.hints.append(Hint(item.entry.field, message, item.source))


def _measure(entry: Entry, found: list[tuple[_Item, Any]], start: date | None, today: date,
             candidates: dict[str, list[tuple[Any, list[Source]]]], record: MappedRecord) -> None:
    """Measurements: one per date (conflicts refused); the latest recent one is today's, the rest a series."""
    assert entry.field is not None
    by_date: dict[date, list[tuple[_Item, Any]]] = defaultdict(list)
    undated: list[tuple[_Item, Any]] = []
    for item, value in found:
        if item.date is None:  # scope "any" measures without a date
            undated.append((item, value))
        else:
            by_date[item.date].append((item, value))
    values: list[tuple[date, Any, list[Source]]] = []
    for when in sorted(by_date):
        group = by_date[when]
        distinct: list[Any] = []
        for _item, value in group:  # one value written in mm and in cm is the same value (float noise aside)
            if not any(math.isclose(value, seen, rel_tol=1e-9, abs_tol=1e-9) for seen in distinct):
                distinct.append(value)
        distinct.sort()
        if len(distinct) > 1:
            shown = " and ".join(f"{v:g}" for v in distinct)
            record.refusals.append(Refusal("conflict", f"{entry.field}: conflicting values on {when.isoformat()} "
                                                       f"({shown}): none used.", entry.field, group[0][0].source))
            continue
        values.append((when, distinct[0], [i.source for i, _v in group]))
    for item, _value in undated:
        record.refusals.append(Refusal("no_date", f"{item.source.label()}: no date, so it cannot be used as a current "
                                                  "value.", entry.field, item.source))
    if not values:
        return
    latest_date, latest_value, latest_sources = values[-1]
    rest = values[:-1]
    age = (today - latest_date).days
    if age <= entry.current_within_days:
        candidates[entry.field].append((latest_value, latest_sources))
    else:
        rest = values
        if not entry.series_field:
            record.refusals.append(Refusal(
                "not_current", f"{latest_sources[0].label()}: measured {age} days ago; only values from the last "
                               f"{entry.current_within_days} day(s) are used for {entry.field}.", entry.field,
                latest_sources[0]))
            return
    if not entry.series_field or not rest:
        return
    if start is None:  # series need the pregnancy's dating (scope any does not date them)
        return
    series = []
    sources: list[Source] = []
    for when, value, srcs in rest:
        days = (when - start).days
        if days < MIN_GA_DAYS:
            record.refusals.append(Refusal("out_of_range", f"{srcs[0].label()}: at {_ga_text(days)}, before 4+0.",
                                           entry.series_field, srcs[0]))
            continue
        series.append({"gestational_age": _ga_dict(days), "length_mm": value})
        sources += srcs
    if series:
        candidates[entry.series_field].append((series, sources))


def _flag(entry: Entry, found: list[tuple[_Item, Any]], start: date | None,
          candidates: dict[str, list[tuple[Any, list[Source]]]]) -> None:
    assert entry.field is not None
    sources = [item.source for item, _v in found]
    candidates[entry.field].append((entry.set, sources))
    if entry.onset_field and start is not None:
        onsets = sorted(item.onset for item, _v in found if item.onset is not None)
        if onsets:
            candidates[entry.onset_field].append((_ga_dict((onsets[0] - start).days),
                                                  [item.source for item, _v in found if item.onset == onsets[0]]))


def _coded(entry: Entry, found: list[tuple[_Item, Any]], today: date,
           candidates: dict[str, list[tuple[Any, list[Source]]]], record: MappedRecord) -> None:
    assert entry.field is not None
    dated = sorted(((item.date or date.min, item, value) for item, value in found), key=lambda t: t[0])
    when, item, value = dated[-1]
    if (today - when).days > entry.current_within_days:
        record.refusals.append(Refusal("not_current", f"{item.source.label()}: recorded {(today - when).days} days ago; "
                                                      f"only the last {entry.current_within_days} day(s) count.",
                                       entry.field, item.source))
        return
    same_day = {v for d, _i, v in dated if d == when}
    if len(same_day) > 1:
        record.refusals.append(Refusal("conflict", f"{entry.field}: conflicting values on {when.isoformat()}: none used.",
                                       entry.field, item.source))
        return
    candidates[entry.field].append((value, [i.source for d, i, _v in dated if d == when]))


def _set_path(case: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    node = case
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def _drop_path(record: MappedRecord, path: str) -> None:
    keys = path.split(".")
    node: Any = record.case
    parents = []
    for key in keys[:-1]:
        if not isinstance(node, dict) or key not in node:
            return
        parents.append((node, key))
        node = node[key]
    if isinstance(node, dict):
        node.pop(keys[-1], None)
    for parent, key in reversed(parents):
        if not parent[key]:
            parent.pop(key)
    record.provenance.pop(path, None)


def _assemble(candidates: dict[str, list[tuple[Any, list[Source]]]], record: MappedRecord) -> None:
    """Fields filled by one value (several sources agreeing); disagreeing sources are a conflict."""
    dependants = {"membranes.status": "membranes.rupture_gestational_age"}
    conflicted: set[str] = set()
    for path, found in candidates.items():
        distinct = []
        for value, _sources in found:
            if value not in distinct:
                distinct.append(value)
        if len(distinct) > 1:
            labels = "; ".join(s.label() for _v, srcs in found for s in srcs[:1])
            record.refusals.append(Refusal("conflict", f"{path}: the record gives different values ({labels}): none used.",
                                           path, found[0][1][0]))
            conflicted.add(path)
            continue
        _set_path(record.case, path, distinct[0])
        record.provenance[path] = [s for _v, srcs in found for s in srcs]
    for path, dependant in dependants.items():
        if path in conflicted and dependant in record.provenance:
            _drop_path(record, dependant)


def _validate(record: MappedRecord, rounds: int = 3) -> None:
    """Drop mapped fields the engine refuses together (each such drop is a "conflict" refusal)."""
    if not record.has_gestational_age:
        return
    for _ in range(rounds):
        try:
            parse_case(record.case)
            return
        except CaseValidationError as exc:
            dropped = False
            for error in exc.errors:
                mapped = [p for p in record.fields if error.path == p or error.path.startswith(p + ".")
                          or p.startswith(error.path + ".")]
                for path in mapped:
                    if path == "gestational_age":
                        continue
                    record.refusals.append(Refusal("conflict", f"{path}: not used ({error.path}: {error.message}).", path))
                    _drop_path(record, path)
                    dropped = True
            if not dropped:
                return

