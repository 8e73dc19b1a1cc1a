"""The knowledge base (``data/knowledge/*.yaml``): loaded once, validated when loaded.

A malformed file raises :class:`KnowledgeError` naming the file and the field. Every source id
cited anywhere in the knowledge base must exist in ``sources.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from . import ga as galib
from .errors import KnowledgeError

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"

OPTION_IDS: tuple[str, ...] = (
    "routine_prenatal_care",
    "serial_cervical_length_surveillance",
    "history_indicated_cerclage",
    "ultrasound_indicated_cerclage",
    "physical_exam_indicated_cerclage",
    "vaginal_progesterone",
    "trendelenburg_bed_rest",
    "previable_pprom_counseling",
    "pprom_expectant_management",
    "preterm_birth_preparation",
    "delivery",
    "cerclage_removal",
    "periviable_birth_counseling",
    "pregnancy_options_counseling",
)
# Version 2 (clinical-spec.md section 3.12): the checks that go with the options.
ASSESSMENT_IDS: tuple[str, ...] = (
    "infection_assessment",
    "speculum_exam",
    "placental_assessment",
    "preterm_labor_assessment",
    "anti_d_prophylaxis",
    "gbs_prophylaxis",
    "vte_assessment",
)
PLACEMENT_OPTIONS: tuple[str, ...] = (
    "history_indicated_cerclage",
    "ultrasound_indicated_cerclage",
    "physical_exam_indicated_cerclage",
)
STATUSES: tuple[str, ...] = ("recommended", "consider", "not_recommended", "contraindicated", "not_applicable")
PROFILES: tuple[str, ...] = ("acog", "rcog")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


SOURCE_KIND_LABELS: dict[str, str] = {
    "seed": "Seed (practice page)", "guideline": "Guideline", "study": "Study", "cohort": "Cohort",
    "expert": "Expert opinion (project)",
}


class Source(_Model):
    id: str
    short: str
    reference: str
    year: int | None
    kind: Literal["seed", "guideline", "study", "cohort", "expert"]  # expert: the project's own opinion, never a guideline
    last_reviewed: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    note: str | None = None  # e.g. what could not be checked against the publication

    @property
    def kind_label(self) -> str:
        """How the kind reads on screen ("Expert opinion (project)" for ``expert``)."""
        return SOURCE_KIND_LABELS[self.kind]


class SeedText(_Model):
    documented: bool
    quote: str | None


class PatientNote(_Model):
    """The plain-language variant of an evidence note, for patient mode and the handout: the same facts,
    resting on the same sources, without study acronyms, source ids or weeks+days notation."""

    text: str
    sources: tuple[str, ...] = Field(min_length=1)


class Option(_Model):
    id: str
    title: str
    plain_title: str
    plain_explanation: str
    seed: SeedText
    sources: tuple[str, ...]
    evidence_note: str | None  # for clinicians
    patient_evidence_note: PatientNote | None = None  # required with an evidence note (see load)


class ComeInLine(_Model):
    """One line of "when to call or come in straight away" (patient mode and the handout alike)."""

    id: str
    text: str
    membranes: Literal["intact", "ruptured", "any"] = "any"
    from_ga: str | None = None  # weeks+days from which the line applies (None: at any GA)
    not_with: tuple[Literal["fetal_demise", "lethal_fetal_anomaly"], ...] = ()  # red flags that drop it
    sources: tuple[str, ...] = Field(min_length=1)
    _from_days: int | None = PrivateAttr(None)

    @field_validator("from_ga")
    @classmethod
    def _weeks_plus_days(cls, value: str | None) -> str | None:
        if value is not None:
            galib.parse_label(value)  # ValueError (named with the field) if malformed
        return value

    def model_post_init(self, context: Any) -> None:
        if self.from_ga is not None:
            object.__setattr__(self, "_from_days", galib.parse_label(self.from_ga))

    def applies(self, *, ruptured: bool, ga_days: int, fetal_demise: bool = False,
                lethal_anomaly: bool = False) -> bool:
        """Whether this line is true advice for these membranes, this GA and these red flags."""
        if self.membranes != "any" and self.membranes != ("ruptured" if ruptured else "intact"):
            return False
        if self._from_days is not None and ga_days < self._from_days:
            return False
        return not (("fetal_demise" in self.not_with and fetal_demise)
                    or ("lethal_fetal_anomaly" in self.not_with and lethal_anomaly))


class AssessmentItem(_Model):
    """A check that goes with the options (clinical-spec.md section 3.12)."""

    id: str
    title: str
    short: str
    plain_title: str
    sources: tuple[str, ...]


def _ga_days(value: Any) -> int | None:
    if value is None:
        return None
    return galib.parse_label(str(value))


class Window(_Model):
    """An inclusive gestational-age window, in days; ``start_days`` None means no lower bound."""

    key: str = ""
    label: str
    start_days: int | None
    end_days: int
    sources: tuple[str, ...]

    def contains(self, days: int) -> bool:
        return (self.start_days is None or days >= self.start_days) and days <= self.end_days

    @property
    def text(self) -> str:
        if self.start_days is None:
            return f"up to {galib.label(self.end_days)}"
        return f"{galib.label(self.start_days)}-{galib.label(self.end_days)}"


class Value(_Model):
    key: str = ""
    value: float | int | str
    inclusive: bool | None = None
    label: str
    sources: tuple[str, ...]
    _days: int | None = PrivateAttr(None)

    def model_post_init(self, context: Any) -> None:
        if isinstance(self.value, str):
            object.__setattr__(self, "_days", galib.parse_label(self.value))  # parsed once; ValueError if malformed

    @property
    def days(self) -> int:
        if self._days is None:
            raise KnowledgeError(f"profiles.yaml: values.{self.key}: expected weeks+days such as 24+0, got {self.value!r}")
        return self._days

    @property
    def number(self) -> float:
        if isinstance(self.value, str):
            raise KnowledgeError(f"profiles.yaml: values.{self.key}: expected a number, got {self.value!r}")
        return float(self.value)


class HistoryCriterion(_Model):
    count_fields: tuple[Literal["second_trimester_losses_painless_dilation", "spontaneous_preterm_births_before_34w"], ...]
    min_count: int = Field(ge=1)
    prior_cerclage_counts: bool
    sources: tuple[str, ...]
    label: str


class UltrasoundPolicy(_Model):
    history_short_progesterone: Literal["recommended", "consider"]
    no_history_progesterone_by_length: bool
    history_alone_progesterone: bool
    no_history_very_short_cerclage: Literal["consider", "not_recommended"] = "consider"
    sources: tuple[str, ...]


REQUIRED_WINDOWS = (
    "typical_presentation", "history_cerclage", "surveillance", "ultrasound_cerclage", "physical_exam_cerclage",
    "periviable", "steroids_recommended", "steroids_consider", "magnesium", "latency_antibiotics", "cerclage_removal",
    "history_cerclage_late", "progesterone_no_history", "short_cervix_recheck", "physical_exam_specialist", "exam_ci",
    "physical_exam_late",
    "bed_rest", "preterm_labor", "expected_loss_counseling", "late_preterm_steroids", "gbs_prophylaxis", "gbs_periviable",
)
REQUIRED_VALUES = (
    "normal_cervix_length_mm", "short_cervix_mm", "progesterone_recommended_max_mm", "progesterone_consider_max_mm",
    "very_short_cervix_mm", "exam_dilation_min_cm", "cerclage_max_dilation_cm", "viability_threshold",
    "pprom_delivery_from", "shortening_min_drop_mm", "preterm_birth_before",
    "early_pregnancy_before", "term_from", "exam_dilation_no_tvcl_cm", "failing_cerclage_dilation_cm",
    "repeat_steroids_after_days", "rescue_steroids_after_days", "max_steroid_courses", "anti_d_routine_from",
)
GA_VALUES = ("viability_threshold", "pprom_delivery_from", "preterm_birth_before", "early_pregnancy_before", "term_from",
             "anti_d_routine_from")


class Profile(_Model):
    id: str
    label: str
    description: str
    windows: Mapping[str, Window]
    values: Mapping[str, Value]
    history_cerclage: HistoryCriterion
    ultrasound_cerclage: UltrasoundPolicy
    magnesium_text: str
    steroids_text: str

    @field_validator("windows")
    @classmethod
    def _all_windows(cls, value: Mapping[str, Window]) -> Mapping[str, Window]:
        missing = [k for k in REQUIRED_WINDOWS if k not in value]
        if missing:
            raise ValueError(f"missing windows: {', '.join(missing)}")
        return value

    @field_validator("values")
    @classmethod
    def _all_values(cls, value: Mapping[str, Value]) -> Mapping[str, Value]:
        missing = [k for k in REQUIRED_VALUES if k not in value]
        if missing:
            raise ValueError(f"missing values: {', '.join(missing)}")
        return value

    def window(self, key: str) -> Window:
        return self.windows[key]

    def value(self, key: str) -> Value:
        return self.values[key]

    def ga_thresholds(self) -> tuple[int, ...]:
        """Every gestational-age boundary the rules compare against (for batch grouping)."""
        points: set[int] = set()
        for window in self.windows.values():
            if window.start_days is not None:
                points.add(window.start_days)
            points.add(window.end_days + 1)
        for key in GA_VALUES:
            points.add(self.values[key].days)
        return tuple(sorted(points))

    def number_thresholds(self, suffix: str) -> tuple[float, ...]:
        """Every number threshold of one unit (``_mm`` or ``_cm``) in the profile."""
        return tuple(sorted({v.number for k, v in self.values.items() if k.endswith(suffix)}))

    def thresholds(self) -> dict[str, Window | Value]:
        """Every window and value by id (for explanations)."""
        return {**self.windows, **self.values}


class ReasonVariant(_Model):
    """A profile's own wording or sources for a reason (for example RCOG/NICE under ``rcog``)."""

    text: str | None = None
    sources: tuple[str, ...] | None = None


class Reason(_Model):
    id: str
    text: str
    sources: tuple[str, ...]
    profiles: Mapping[str, ReasonVariant] = {}


class Alert(_Model):
    id: str
    severity: Literal["critical", "warning", "info"]
    message: str
    sources: tuple[str, ...]


class Knowledge(_Model):
    version: str
    last_reviewed: str
    sources: Mapping[str, Source]
    options: Mapping[str, Option]
    profiles: Mapping[str, Profile]
    assessments: Mapping[str, AssessmentItem]
    reasons: Mapping[str, Reason]
    alerts: Mapping[str, Alert]
    outcomes: Mapping[str, Any]
    come_in: tuple[ComeInLine, ...] = ()

    def source(self, source_id: str) -> Source:
        return self.sources[source_id]


# libyaml's loader when PyYAML has it (several times faster at process start); it builds the same
# data. A file it refuses is read again by the pure-Python loader, so the message is always that one's.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def _read(path: Path) -> Any:
    try:
        if _FAST_LOADER is not None:
            try:
                with path.open(encoding="utf-8") as handle:
                    return yaml.load(handle, Loader=_FAST_LOADER)
            except yaml.YAMLError:
                pass
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise KnowledgeError(f"{path.name}: file is missing from {path.parent}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: not valid YAML: {exc}") from None


def _validate(model: type[_Model], data: Any, where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(f"{where}{'.' + loc if loc else ''}: {first['msg']}") from None


def _windows(raw: Mapping[str, Any], where: str) -> dict[str, Window]:
    out = {}
    for key, item in raw.items():
        if not isinstance(item, Mapping):
            raise KnowledgeError(f"{where}.{key}: expected a mapping with start, end, sources, label")
        try:
            start, end = _ga_days(item.get("start")), _ga_days(item.get("end"))
        except ValueError as exc:
            raise KnowledgeError(f"{where}.{key}: {exc}") from None
        if end is None:
            raise KnowledgeError(f"{where}.{key}.end: required")
        if start is not None and start > end:
            raise KnowledgeError(f"{where}.{key}: start {item.get('start')} is after end {item.get('end')}")
        data = {"key": key, "label": item.get("label", key), "start_days": start, "end_days": end,
                "sources": item.get("sources")}
        out[key] = _validate(Window, data, f"{where}.{key}")
    return out


def _profiles(raw: Any) -> dict[str, Profile]:
    where = "profiles.yaml: profiles"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("profiles"), Mapping):
        raise KnowledgeError("profiles.yaml: profiles: expected a mapping of profile ids")
    merged: dict[str, dict[str, Any]] = {}
    for pid, body in raw["profiles"].items():
        if not isinstance(body, Mapping):
            raise KnowledgeError(f"{where}.{pid}: expected a mapping")
        parent = body.get("inherits")
        base = dict(merged.get(parent, {})) if parent else {}
        if parent and parent not in merged:
            raise KnowledgeError(f"{where}.{pid}.inherits: unknown profile {parent!r} (define it first)")
        windows = {**base.get("windows", {}), **_windows(body.get("windows", {}), f"{where}.{pid}.windows")}
        values = dict(base.get("values", {}))
        for key, item in (body.get("values") or {}).items():
            if not isinstance(item, Mapping):
                raise KnowledgeError(f"{where}.{pid}.values.{key}: expected a mapping with value, sources, label")
            values[key] = _validate(Value, {"key": key, **item}, f"{where}.{pid}.values.{key}")
        entry = {**base, **{k: v for k, v in body.items() if k not in {"inherits", "windows", "values"}}}
        entry.update({"id": pid, "windows": windows, "values": values})
        merged[pid] = entry
    profiles = {pid: _validate(Profile, entry, f"{where}.{pid}") for pid, entry in merged.items()}
    for pid in PROFILES:
        if pid not in profiles:
            raise KnowledgeError(f"{where}: profile {pid!r} is missing")
    for pid, profile in profiles.items():
        for key in GA_VALUES:
            try:
                _ = profile.values[key].days
            except ValueError as exc:
                raise KnowledgeError(f"{where}.{pid}.values.{key}: {exc}") from None
    return profiles


def _listed(raw: Any, key: str, model: type[_Model], filename: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get(key), list):
        raise KnowledgeError(f"{filename}: {key}: expected a list")
    out: dict[str, Any] = {}
    for index, item in enumerate(raw[key]):
        ident = item.get("id", f"[{index}]") if isinstance(item, Mapping) else f"[{index}]"
        parsed = _validate(model, item, f"{filename}: {key}.{ident}")
        if parsed.id in out:
            raise KnowledgeError(f"{filename}: {key}.{parsed.id}: duplicate id")
        out[parsed.id] = parsed
    return out


def _cited(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (path, source id) cited in a raw structure, under keys ``source`` or ``sources``."""
    found: list[tuple[str, str]] = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if key == "source" and isinstance(value, str):
                found.append((here, value))
            elif key == "sources" and isinstance(value, (list, tuple)):
                found.extend((here, str(v)) for v in value)
            else:
                found.extend(_cited(value, here))
    elif isinstance(node, (list, tuple)):
        for index, value in enumerate(node):
            found.extend(_cited(value, f"{path}[{index}]"))
    return found


# What a patient's text must not contain: source ids (ACOG-PB142), weeks+days notation (16+0, 16+0-22+6) and
# the clinicians' abbreviations and words (the handout and patient mode show the text as it is).
_SOURCE_ID_RE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")
_GA_NOTATION_RE = re.compile(r"\d\s*\+\s*\d")
PATIENT_JARGON: tuple[str, ...] = (
    "PPROM", "TVCL", "UKOSS", "ACOG", "SMFM", "RCOG", "NICE", "seed", "singleton", "nulliparous", "morbidity",
    "neonatal", "et al", "vs", "%",
)


def patient_text_problem(text: str) -> str | None:
    """Why ``text`` is not fit for a patient (None when it is)."""
    if m := _SOURCE_ID_RE.search(text):
        return f"names a source id ({m[0]}); name no study or guideline by its code"
    if m := _GA_NOTATION_RE.search(text):
        return f"uses weeks+days notation ({m[0]}); write weeks in words"
    for word in PATIENT_JARGON:
        if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text, flags=0 if word.isupper() else re.I):
            return f"uses clinicians' wording ({word!r})"
    return None


def _require_plain(where: str, text: Any, shown: str) -> None:
    """``text`` is required (``shown`` says where the patient sees it) and must be fit for a patient."""
    if not isinstance(text, str) or not text.strip():
        raise KnowledgeError(f"{where}: required ({shown})")
    if problem := patient_text_problem(text):
        raise KnowledgeError(f"{where}: {problem}")


def _check_patient_notes(options: Mapping[str, Option], sources: Mapping[str, Source]) -> None:
    """Every evidence note has a patient variant (patient mode and the handout show it whenever the option is
    offered, and any option may be offered); the variant is plain and rests only on the note's own sources."""
    for option in options.values():
        where = f"options.yaml: options.{option.id}.patient_evidence_note"
        note, plain = option.evidence_note, option.patient_evidence_note
        if note and plain is None:
            raise KnowledgeError(f"{where}: required (the option has an evidence note, and patient mode shows it)")
        if plain is None:
            continue
        if not note:
            raise KnowledgeError(f"{where}: a patient variant without an evidence note to vary")
        if problem := patient_text_problem(plain.text):
            raise KnowledgeError(f"{where}.text: {problem}")
        for source_id in plain.sources:
            if source_id not in sources:
                continue  # reported below as an unknown source id
            named = sources[source_id].short.split()[0]  # "Grobman", "UKOSS", ...; the seed is "the seed"
            if source_id == "SEED":
                named = "seed"
            if not (source_id in option.sources or source_id in note or named in note):
                raise KnowledgeError(f"{where}.sources: {source_id} is neither the option's source nor named in its "
                                     "evidence note (same facts, same sources)")


def _check_patient_captions(outcomes: Mapping[str, Any]) -> None:
    """Every study in ``outcomes.yaml`` ``evidence:`` has a ``patient_caption``: patient mode and the handout
    show it under the study's icon arrays (any entry may be shown: decision.patient_view.EVIDENCE_OPTION names
    them all), in plain words, checked as the options' patient evidence notes are. Clinicians keep the caption
    built from the entry's ``denominator``, ``design``, ``termination_note`` and ``maternal_risks``."""
    evidence = outcomes.get("evidence", {})
    if not isinstance(evidence, Mapping):
        raise KnowledgeError("outcomes.yaml: evidence: expected a mapping of study keys")
    for key, entry in evidence.items():
        where = f"outcomes.yaml: evidence.{key}.patient_caption"
        caption = entry.get("patient_caption") if isinstance(entry, Mapping) else None
        _require_plain(where, caption, "patient mode and the patient handout show it under the study's figures")


def _check_patient_survival(outcomes: Mapping[str, Any]) -> None:
    """``survival_by_week`` has the plain texts of patient mode's survival chart (figures.outcomes_figure with
    ``audience="patient"``): an x-axis title, a denominator note and, when there is a caveat, a plain caveat; per
    cohort a ``patient_label`` and ``patient_measure``, and a ``patient_not_entered`` reason for each week of its
    ``not_entered``. Each is required and checked as the options' patient evidence notes are."""
    survival = outcomes.get("survival_by_week")
    if not isinstance(survival, Mapping):
        raise KnowledgeError("outcomes.yaml: survival_by_week: expected a mapping")
    where = "outcomes.yaml: survival_by_week"
    texts = [("patient_axis_title", survival.get("patient_axis_title")),
             ("patient_denominator_note", survival.get("patient_denominator_note"))]
    if survival.get("caveat"):
        texts.append(("patient_caveat", survival.get("patient_caveat")))
    for index, cohort in enumerate(survival.get("cohorts") or []):
        if not isinstance(cohort, Mapping):
            raise KnowledgeError(f"{where}.cohorts[{index}]: expected a mapping")
        here = f"cohorts[{index}]"
        texts += [(f"{here}.patient_label", cohort.get("patient_label")),
                  (f"{here}.patient_measure", cohort.get("patient_measure"))]
        plain = cohort.get("patient_not_entered") or {}
        if not isinstance(plain, Mapping):
            raise KnowledgeError(f"{where}.{here}.patient_not_entered: expected a mapping of weeks")
        for week in cohort.get("not_entered") or {}:
            texts.append((f"{here}.patient_not_entered.{week}", plain.get(week, plain.get(str(week)))))
    for key, text in texts:
        _require_plain(f"{where}.{key}", text, "patient mode shows it on the survival chart")


def _come_in(raw: Any) -> tuple[ComeInLine, ...]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("lines"), list):
        raise KnowledgeError("come_in.yaml: lines: expected a list")
    lines: list[ComeInLine] = []
    for index, item in enumerate(raw["lines"]):
        ident = item.get("id", f"[{index}]") if isinstance(item, Mapping) else f"[{index}]"
        where = f"come_in.yaml: lines.{ident}"
        line = _validate(ComeInLine, item, where)
        if any(other.id == line.id for other in lines):
            raise KnowledgeError(f"{where}: duplicate id")
        if problem := patient_text_problem(line.text):
            raise KnowledgeError(f"{where}.text: {problem}")
        lines.append(line)
    for status in ("intact", "ruptured"):
        if not any(line.membranes in (status, "any") for line in lines):
            raise KnowledgeError(f"come_in.yaml: lines: none applies with {status} membranes")
    return tuple(lines)


def load(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Read and validate every knowledge-base file in ``directory`` (uncached)."""
    meta = _read(directory / "meta.yaml")
    if not isinstance(meta, Mapping) or not isinstance(meta.get("version"), str):
        raise KnowledgeError("meta.yaml: version: expected a string such as 2026.11.0")
    sources = _listed(_read(directory / "sources.yaml"), "sources", Source, "sources.yaml")
    options = _listed(_read(directory / "options.yaml"), "options", Option, "options.yaml")
    if tuple(options) != OPTION_IDS:
        raise KnowledgeError(f"options.yaml: options: expected exactly these ids in this order: {', '.join(OPTION_IDS)}")
    assessments = _listed(_read(directory / "assessments.yaml"), "assessments", AssessmentItem, "assessments.yaml")
    if tuple(assessments) != ASSESSMENT_IDS:
        raise KnowledgeError(
            f"assessments.yaml: assessments: expected exactly these ids in this order: {', '.join(ASSESSMENT_IDS)}")
    reasons_raw = _read(directory / "reasons.yaml")
    if not isinstance(reasons_raw, Mapping) or not isinstance(reasons_raw.get("reasons"), Mapping):
        raise KnowledgeError("reasons.yaml: reasons: expected a mapping of reason ids")
    reasons = {
        rid: _validate(Reason, {"id": rid, **(body if isinstance(body, Mapping) else {"text": body})},
                       f"reasons.yaml: reasons.{rid}")
        for rid, body in reasons_raw["reasons"].items()
    }
    alerts = _listed(_read(directory / "alerts.yaml"), "alerts", Alert, "alerts.yaml")
    outcomes = _read(directory / "outcomes.yaml")
    if not isinstance(outcomes, Mapping):
        raise KnowledgeError("outcomes.yaml: expected a mapping")
    survival = outcomes.get("survival_by_week", {})
    weeks = survival.get("weeks", []) if isinstance(survival, Mapping) else []
    for index, cohort in enumerate(survival.get("cohorts", []) if isinstance(survival, Mapping) else []):
        if len(cohort.get("percent", [])) != len(weeks):
            raise KnowledgeError(f"outcomes.yaml: survival_by_week.cohorts[{index}].percent: expected {len(weeks)} values")
    profiles = _profiles(_read(directory / "profiles.yaml"))
    come_in = _come_in(_read(directory / "come_in.yaml"))
    _check_patient_notes(options, sources)
    _check_patient_captions(outcomes)
    _check_patient_survival(outcomes)
    knowledge = Knowledge(
        version=meta["version"], last_reviewed=str(meta.get("last_reviewed", "")), sources=sources,
        options=options, profiles=profiles, assessments=assessments, reasons=reasons, alerts=alerts, outcomes=outcomes,
        come_in=come_in,
    )
    cited = (
        [(f"options.yaml: {o.id}.sources", s) for o in options.values() for s in o.sources]
        + [(f"options.yaml: {o.id}.patient_evidence_note.sources", s) for o in options.values()
           if o.patient_evidence_note for s in o.patient_evidence_note.sources]
        + [(f"come_in.yaml: lines.{line.id}.sources", s) for line in come_in for s in line.sources]
        + [(f"assessments.yaml: {a.id}.sources", s) for a in assessments.values() for s in a.sources]
        + [(f"reasons.yaml: {r.id}.sources", s) for r in reasons.values() for s in r.sources]
        + [(f"reasons.yaml: {r.id}.profiles.{pid}.sources", s) for r in reasons.values()
           for pid, v in r.profiles.items() for s in (v.sources or ())]
        + [(f"alerts.yaml: {a.id}.sources", s) for a in alerts.values() for s in a.sources]
        + [(f"outcomes.yaml: {p}", s) for p, s in _cited(outcomes)]
        + [(f"profiles.yaml: {pid}.{k}", s) for pid, p in profiles.items()
           for k, w in {**p.windows, **p.values}.items() for s in w.sources]
        + [(f"profiles.yaml: {pid}.history_cerclage", s) for pid, p in profiles.items() for s in p.history_cerclage.sources]
    )
    for where, source_id in cited:
        if source_id not in sources:
            raise KnowledgeError(f"{where}: unknown source id {source_id!r} (not in sources.yaml)")
    return knowledge


@functools.cache
def knowledge() -> Knowledge:
    """The project's knowledge base, loaded and validated once per process."""
    return load(KNOWLEDGE_DIR)
