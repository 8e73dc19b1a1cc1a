"""The consultation summary as plain data: everything a report shows, built once from a case.

Pure: no Streamlit, no I/O. The only clock readings are ``generated_at`` and ``today`` (for the
EDD), and both can be passed in, so a report can be reproduced exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from decision import CaseValidationError, case_to_dict, evaluate_case, knowledge, parse_case
from decision.dating import edd_from_ga
from decision.errors import FieldError
from decision.kb import PROFILES, Profile
from decision.patient_view import PatientCard, patient_view
from decision.plan import PlanItem, rank_plan
from figures import Band, icon_count
from figures.inputs import (
    EVIDENCE_LABELS,
    evidence_caption,
    ga_days,
    icon_arrays_for,
    length_thresholds,
    patient_evidence_caption,
    rupture_days,
    timeline_bands,
)

from .findings import clinician_findings, length_points, patient_findings, short_cervix_text

Audience = Literal["clinician", "patient"]

DISCLAIMER = "Decision support: supports, and does not replace, clinical judgment."
NO_IDENTIFIERS = "No patient identifier is recorded in this summary (clinical values only)."

# Status as text with an icon-like marker, so it never depends on colour alone.
STATUS_MARKER = {
    "recommended": "[+]",
    "consider": "[?]",
    "not_recommended": "[-]",
    "contraindicated": "[x]",
    "not_applicable": "[n/a]",
}
STATUS_WORD = {
    "recommended": "Recommended",
    "consider": "Consider",
    "not_recommended": "Not recommended",
    "contraindicated": "Contraindicated",
    "not_applicable": "Not applicable",
}
PATIENT_STATUS_WORD = {
    "recommended": "We recommend this",
    "consider": "Something to talk about",
    "not_recommended": "Not recommended for you now",
    "contraindicated": "Not safe for you now",
    "not_applicable": "Does not apply",
}
OFFERED = ("recommended", "consider")
#: The heading that starts the clinician summary's appendix (the plan comes before it, at most two pages).
APPENDIX_HEADING = "Appendix: full case, every option, references"
#: How the plan names each group of decision.plan (alternatives name their partner instead).
GROUP_TEXT = {"time-critical": "TIME-CRITICAL", "guideline": "",
              "seed-only discouraged": "practice leaflet only; guidelines discourage it", "alternative": ""}
WHEN_TO_COME_IN_HEADING = "When to call or come in straight away"


def status_text(status: str) -> str:
    """``[+] Recommended`` and so on: the marker and the word."""
    return f"{STATUS_MARKER[status]} {STATUS_WORD[status]}"


def patient_status_text(status: str) -> str:
    """``[+] We recommend this`` and so on: the marker and the patient's words."""
    return f"{STATUS_MARKER[status]} {PATIENT_STATUS_WORD[status]}"


def format_date(value: date) -> str:
    """``5 March 2027``: unambiguous in every locale."""
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime) -> str:
    """``1 Dec 2026 10:42 CET``: local time with its zone (a naive time is taken as the machine's local time)."""
    local = value.astimezone() if value.tzinfo is None else value
    zone = local.tzname() or local.strftime("%z")
    return f"{local.day} {local:%b %Y %H:%M} {zone}".rstrip()


@dataclass(frozen=True, slots=True)
class CaseSection:
    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SourceRef:
    id: str
    short: str
    reference: str
    last_reviewed: str

    @property
    def text(self) -> str:
        return f"{self.reference} (last reviewed {self.last_reviewed})"


@dataclass(frozen=True, slots=True)
class AlertItem:
    id: str
    severity: str
    title: str
    message: str
    sources: tuple[str, ...]

    @property
    def marker(self) -> str:
        return {"critical": "[!] Critical", "warning": "[!] Warning"}.get(self.severity, "[i] Note")


@dataclass(frozen=True, slots=True)
class OptionItem:
    id: str
    title: str
    status: str
    rationale: str
    sources: tuple[str, ...]
    documented_in_seed: bool
    seed_quote: str | None
    evidence_note: str | None
    plain_title: str
    plain_explanation: str
    basis_inputs: tuple[str, ...] = ()  # decided_by: "field.path: value" (spec section 10)
    basis_thresholds: tuple[str, ...] = ()  # decided_by: "label (id): value (sources)"

    @property
    def status_text(self) -> str:
        return status_text(self.status)

    @property
    def basis_text(self) -> str:
        """The inputs and thresholds that decided the status, in one line (empty when none recorded)."""
        parts = []
        if self.basis_inputs:
            parts.append("Inputs: " + "; ".join(self.basis_inputs) + ".")
        if self.basis_thresholds:
            parts.append("Thresholds: " + "; ".join(self.basis_thresholds) + ".")
        return " ".join(parts)

    @property
    def status_word(self) -> str:
        return STATUS_WORD[self.status]

    @property
    def patient_status_text(self) -> str:
        return patient_status_text(self.status)

    @property
    def offered(self) -> bool:
        return self.status in OFFERED

    @property
    def seed_text(self) -> str | None:
        """What the founding practice text says about this option (None when it says nothing)."""
        if not self.seed_quote:
            return None
        where = "says" if self.documented_in_seed else "does not describe this option; it says"
        return f"Practice leaflet {where}: \u201c{self.seed_quote}\u201d"


@dataclass(frozen=True, slots=True)
class AssessmentItem:
    """One check that goes with the options (spec 3.12)."""

    id: str
    title: str
    plain_title: str
    short: str
    status: str
    rationale: str
    sources: tuple[str, ...]

    @property
    def status_text(self) -> str:
        return status_text(self.status)

    @property
    def patient_status_text(self) -> str:
        return patient_status_text(self.status)

    @property
    def offered(self) -> bool:
        return self.status in OFFERED


@dataclass(frozen=True, slots=True)
class IconArrayItem:
    percent: float
    count: int
    label: str

    @property
    def text(self) -> str:
        if self.count == 0 and self.percent > 0:
            return f"Fewer than 1 in 100 {self.label}"
        return f"About {self.count} in 100 {self.label}"


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """A study whose figures fit an option offered in this case (decision.patient_view decides which)."""

    key: str
    label: str
    option_id: str
    option_title: str
    entry: Mapping[str, Any]
    source: SourceRef
    caption: str  # figures.inputs.evidence_caption: source, denominator, design, who is not counted, mother's risks
    icon_arrays: tuple[IconArrayItem, ...]
    # The handout's: figures.inputs.patient_evidence_caption (the same facts in plain words), under the option's
    # plain title (the label names the study as clinicians do: "Previable rupture of membranes (UKOSS)").
    patient_caption: str = ""
    plain_option_title: str = ""


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything a report shows (see :func:`build_summary`)."""

    audience: Audience
    title: str
    disclaimer: str
    profile: str
    profile_label: str
    knowledge_base_version: str
    knowledge_base_reviewed: str
    generated_at: datetime
    today: date
    ga_label: str
    ga_weeks: int
    ga_total_days: int
    edd: date
    case_sections: tuple[CaseSection, ...]
    alerts: tuple[AlertItem, ...]
    options: tuple[OptionItem, ...]
    sources: tuple[SourceRef, ...]
    assessments: tuple[AssessmentItem, ...]
    evidence_items: tuple[EvidenceItem, ...]  # the studies that fit (patient_view.evidence_keys); may be empty
    patient_cards: tuple[PatientCard, ...]  # what the patient sees of the offered options (patient_view)
    not_for_now_ids: tuple[str, ...]
    delivery_text: str
    show_outcomes: bool
    outcomes_not_applicable: str | None  # demise / lethal anomaly: the clinician's chart says the figures do not apply
    survival: Mapping[str, Any]
    bands: tuple[Band, ...]
    rupture_total_days: int | None
    case: Mapping[str, Any] = field(repr=False)
    plan: tuple[PlanItem, ...] = ()  # the offered options ranked (decision.plan.rank_plan)
    findings: tuple[str, ...] = ()  # positive findings, clinician words
    plain_findings: tuple[str, ...] = ()  # what was found, in plain words (handout)
    length_points: tuple[tuple[int, float], ...] = ()  # every cervical length: (GA days, mm)
    short_cervix: str = "< 25 mm"  # the profile's short-cervix threshold as text
    length_lines: tuple[tuple[float, str], ...] = ()  # the length chart's reference lines (figures.inputs.length_thresholds)
    come_in_now: tuple[str, ...] = ()  # when to call or come in (decision.patient_view: the list patient mode shows)

    @property
    def edd_text(self) -> str:
        return f"{format_date(self.edd)} (EDD computed on {format_date(self.today)})"

    @property
    def generated_text(self) -> str:
        return format_datetime(self.generated_at)

    @property
    def footer_text(self) -> str:
        if self.audience == "patient":
            return f"Printed {self.generated_text}"
        return f"Generated {self.generated_text} · knowledge base {self.knowledge_base_version}"

    @property
    def not_offered(self) -> tuple[OptionItem, ...]:
        return tuple(o for o in self.options if not o.offered)

    @property
    def offered(self) -> tuple[OptionItem, ...]:
        return tuple(o for o in self.options if o.offered)

    @property
    def not_for_now(self) -> tuple[OptionItem, ...]:
        """Options a patient may have read about (the seed's) that are advised against now (patient_view)."""
        return tuple(o for o in self.options if o.id in self.not_for_now_ids)

    @property
    def offered_assessments(self) -> tuple[AssessmentItem, ...]:
        return tuple(a for a in self.assessments if a.offered)

    @property
    def icon_arrays(self) -> tuple[IconArrayItem, ...]:
        """Every icon array the handout shows (all from studies that fit)."""
        return tuple(icon for item in self.evidence_items for icon in item.icon_arrays)

    @property
    def evidence_option_id(self) -> str | None:
        """The option the first fitting study speaks to (None when no study fits an offered option)."""
        return self.evidence_items[0].option_id if self.evidence_items else None

    @property
    def evidence_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.evidence_items)

    def option(self, option_id: str) -> OptionItem:
        return next(o for o in self.options if o.id == option_id)

    def source(self, source_id: str) -> SourceRef:
        return next(s for s in self.sources if s.id == source_id)

    @property
    def filename_stem(self) -> str:
        """``consultation-summary-19+3`` or ``patient-handout-19+3`` (no identifier)."""
        kind = "patient-handout" if self.audience == "patient" else "consultation-summary"
        return f"{kind}-{self.ga_label}"


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _mm(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:g} mm"


def _case_sections(case: Mapping[str, Any], ga_label: str, edd_text: str) -> tuple[CaseSection, ...]:
    history = case["history"]
    cervix = case["cervix"]
    membranes = case["membranes"]
    flags = case["red_flags"]
    plurality = int(case["plurality"])
    rupture = membranes.get("rupture_gestational_age")
    serial = tuple(
        (f"At {item['gestational_age']['weeks']}+{item['gestational_age']['days']}", _mm(item["length_mm"], "-"))
        for item in sorted(case["serial_cervical_lengths"],
                           key=lambda i: (i["gestational_age"]["weeks"], i["gestational_age"]["days"]))
    )
    return (
        CaseSection("Pregnancy", (
            ("Gestational age", ga_label),
            ("Estimated due date", edd_text),
            ("Number of fetuses", {1: "1 (singleton)", 2: "2 (twins)", 3: "3 (triplets)"}.get(plurality, str(plurality))),
        )),
        CaseSection("History", (
            ("Second-trimester losses from painless dilation", str(history["second_trimester_losses_painless_dilation"])),
            ("Spontaneous preterm births before 34 weeks", str(history["spontaneous_preterm_births_before_34w"])),
            ("Prior cerclage for painless dilation", _yes(history["prior_cerclage_for_painless_dilation"])),
            ("Cervical surgery (cone biopsy, LEEP)", _yes(history["cervical_surgery"])),
            ("In-utero DES exposure", _yes(history["in_utero_des_exposure"])),
            ("Uterine or cervical anomaly", _yes(history["uterine_or_cervical_anomaly"])),
            ("Cervical trauma", _yes(history["cervical_trauma"])),
        )),
        CaseSection("Cervix", (
            ("Cervical length (transvaginal ultrasound)", _mm(cervix["length_mm"], "not measured")),
            ("Dilation", "not examined" if cervix["dilation_cm"] is None else f"{cervix['dilation_cm']:g} cm"),
            ("Funneling", _yes(cervix["funneling"])),
            ("Membranes at or beyond the external os", _yes(cervix["membranes_at_or_beyond_external_os"])),
            ("Membranes prolapsed into the vagina", _yes(cervix["membranes_prolapsed_into_vagina"])),
        )),
        CaseSection("Earlier cervical-length measurements", serial or (("Earlier measurements", "none recorded"),)),
        CaseSection("Membranes and cerclage", (
            ("Membranes", "Ruptured" if membranes["status"] == "ruptured" else "Intact"),
            *((("Rupture at", "not recorded" if rupture is None else f"{rupture['weeks']}+{rupture['days']}"),)
              if membranes["status"] == "ruptured" else ()),
            ("Cerclage in place", _yes(case["cerclage_in_place"])),
        )),
        CaseSection("Warning signs", (
            ("Regular contractions or labor", _yes(flags["regular_contractions_or_labor"])),
            ("Vaginal bleeding", _yes(flags["vaginal_bleeding"])),
            ("Signs of intra-amniotic infection", _yes(flags["signs_of_intraamniotic_infection"])),
            ("Fetal demise", _yes(flags["fetal_demise"])),
            ("Lethal fetal anomaly", _yes(flags["lethal_fetal_anomaly"])),
        )),
    )


def _source_ref(source_id: str) -> SourceRef:
    src = knowledge().sources[source_id]
    return SourceRef(src.id, src.short, src.reference, src.last_reviewed)


def _value_text(value: Any) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v) for v in value) or "none"
    return str(value)


def _threshold_label(profile: Profile, key: str) -> str:
    if key in profile.windows:
        return f"{profile.window(key).label} ({key})"
    if key in profile.values:
        return f"{profile.value(key).label} ({key})"
    return key


def _basis(decided_by: tuple[Mapping[str, Any], ...], profile: Profile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``decided_by`` (spec section 10) as text: "field.path: value" and "label (id): value (sources)"."""
    inputs, thresholds = [], []
    for entry in decided_by:
        if "input" in entry:
            inputs.append(f"{entry['input']}: {_value_text(entry.get('value'))}")
        elif "threshold" in entry:
            sources = entry.get("sources") or ([entry["source"]] if entry.get("source") else [])
            cited = f" ({', '.join(sources)})" if sources else ""
            thresholds.append(f"{_threshold_label(profile, str(entry['threshold']))}: "
                              f"{_value_text(entry.get('value'))}{cited}")
    return tuple(inputs), tuple(thresholds)


def when_to_come_in(summary: Summary) -> list[str]:
    """The warning signs for this handout: the list patient mode shows (``decision.patient_view.come_in_now``,
    for these membranes, this GA and these red flags), one line each."""
    return list(summary.come_in_now)


def build_summary(
    case: Mapping[str, Any],
    profile: str = "acog",
    *,
    audience: Audience = "clinician",
    generated_at: datetime | None = None,
    today: date | None = None,
) -> Summary:
    """Validate ``case``, assess it under ``profile`` and gather what a report shows.

    Raises :class:`decision.CaseValidationError` for an invalid case (the caller reports it) and
    ``ValueError`` for an unknown profile or audience.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile: must be one of {', '.join(PROFILES)} (got {profile!r})")
    if audience not in ("clinician", "patient"):
        raise ValueError(f"audience: must be 'clinician' or 'patient' (got {audience!r})")
    parsed = parse_case(case)  # CaseValidationError with field paths
    assessment = evaluate_case(parsed, profile)
    kb = knowledge()
    generated_at = generated_at or datetime.now().astimezone().replace(microsecond=0)
    today = today or generated_at.date()
    full = case_to_dict(parsed)
    ga_total = ga_days(full)
    if ga_total is None:  # parse_case requires it; defensive
        raise CaseValidationError([FieldError("gestational_age", "required")])
    edd = edd_from_ga(ga_total, today)
    ga_label = str(assessment.gestational_age["label"])
    edd_text = f"{format_date(edd)} (EDD computed on {format_date(today)})"

    prof = kb.profiles[profile]
    options = []
    for result in assessment.options:
        meta = kb.options[result.id]
        inputs, thresholds = _basis(result.decided_by, prof)
        options.append(OptionItem(
            id=result.id, title=result.title, status=result.status, rationale=result.rationale,
            sources=tuple(result.sources), documented_in_seed=result.documented_in_seed, seed_quote=meta.seed.quote,
            evidence_note=result.evidence_note, plain_title=meta.plain_title,
            plain_explanation=" ".join(meta.plain_explanation.split()),
            basis_inputs=inputs, basis_thresholds=thresholds,
        ))
    checks = tuple(
        AssessmentItem(a.id, a.title, kb.assessments[a.id].plain_title, kb.assessments[a.id].short, a.status,
                       a.rationale, tuple(a.sources))
        for a in assessment.assessments
    )
    alerts = tuple(
        AlertItem(a.id, a.severity, a.id.replace("_", " ").capitalize(), a.message, tuple(a.sources))
        for a in assessment.alerts
    )

    # What may be shown, decided once for the screen and the handout alike (spec section 6). The clinician
    # summary shows the same studies: those that fit an offered option and this pregnancy.
    view = patient_view(assessment, parsed)
    titles = {o.id: o.title for o in options}
    evidence_items = []
    for key in view.evidence_keys:
        entry = kb.outcomes["evidence"][key]
        source = _source_ref(str(entry["source"]))
        evidence_items.append(EvidenceItem(
            key=key, label=EVIDENCE_LABELS[key], option_id=view.evidence_option(key),
            option_title=titles[view.evidence_option(key)], entry=entry, source=source,
            caption=evidence_caption(entry, source.short),
            icon_arrays=tuple(IconArrayItem(float(percent), icon_count(float(percent)), " ".join(str(label).split()))
                              for percent, label in icon_arrays_for(entry)),
            patient_caption=patient_evidence_caption(entry),
            plain_option_title=kb.options[view.evidence_option(key)].plain_title,
        ))
    survival = kb.outcomes["survival_by_week"]
    show_outcomes = audience == "clinician" or view.shows_survival_figures

    # Sources: those the report cites, in the order they first appear.
    shown_options = options if audience == "clinician" else [o for o in options if o.offered]
    shown_checks = checks if audience == "clinician" else [a for a in checks if a.offered]
    cited: list[str] = []
    for ids in [a.sources for a in alerts] + [o.sources for o in shown_options] + [a.sources for a in shown_checks]:
        cited.extend(ids)
    cited.extend(item.source.id for item in evidence_items)
    if show_outcomes:
        cited.extend(str(c["source"]) for c in survival.get("cohorts", []))
        if survival.get("von"):
            cited.append(str(survival["von"]["source"]))
    sources = tuple(_source_ref(s) for s in dict.fromkeys(cited))

    title = "Your consultation summary" if audience == "patient" else "Consultation summary: cervical insufficiency"
    return Summary(
        audience=audience,
        title=title,
        disclaimer=DISCLAIMER,
        profile=profile,
        profile_label=kb.profiles[profile].label,
        knowledge_base_version=assessment.knowledge_base_version,
        knowledge_base_reviewed=kb.last_reviewed,
        generated_at=generated_at,
        today=today,
        ga_label=ga_label,
        ga_weeks=int(assessment.gestational_age["weeks"]),
        ga_total_days=ga_total,
        edd=edd,
        case_sections=_case_sections(full, ga_label, edd_text),
        alerts=alerts,
        options=tuple(options),
        sources=sources,
        assessments=checks,
        evidence_items=tuple(evidence_items),
        patient_cards=view.cards,
        not_for_now_ids=view.not_for_now,
        delivery_text=view.delivery_text,
        show_outcomes=show_outcomes,
        outcomes_not_applicable=view.outcomes_not_applicable,
        survival=survival,
        bands=tuple(timeline_bands(kb.profiles[profile], view.timeline_excluded_windows if audience == "patient" else ())),
        rupture_total_days=rupture_days(full),
        case=full,
        plan=tuple(rank_plan(assessment, parsed)),
        findings=clinician_findings(full, profile),
        plain_findings=patient_findings(full, profile),
        length_points=length_points(full),
        short_cervix=short_cervix_text(profile),
        length_lines=length_thresholds(kb.profiles[profile]),
        come_in_now=view.come_in_now,
    )
