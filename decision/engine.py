"""``evaluate``: one case and a profile in, the assessment (contract.md, output) out.

Pure and deterministic: no clock, no randomness, no I/O beyond the cached knowledge base.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import explain as explain_mod
from . import ga as galib
from . import record
from .case import Case, parse_case
from .errors import FieldError
from .facts import Facts, derive
from .kb import ASSESSMENT_IDS, OPTION_IDS, PROFILES, Knowledge, Profile, knowledge
from .rules import OFFERED, apply


class OptionResult(NamedTuple):
    """One option's decision for the case (contract.md, ``options[]``)."""

    id: str
    title: str
    status: str
    rationale: str
    sources: tuple[str, ...]
    documented_in_seed: bool
    evidence_note: str | None
    decided_by: tuple[Mapping[str, Any], ...] = ()
    would_change: tuple[Mapping[str, Any], ...] = ()


class AssessmentResult(NamedTuple):
    """One check that goes with the options (contract.md, ``assessments[]``; spec 3.12)."""

    id: str
    title: str
    status: str
    rationale: str
    sources: tuple[str, ...]
    decided_by: tuple[Mapping[str, Any], ...] = ()
    would_change: tuple[Mapping[str, Any], ...] = ()


class AlertResult(NamedTuple):
    """A banner shown before the options (contract.md, ``alerts[]``)."""

    id: str
    severity: str
    message: str
    sources: tuple[str, ...]


def _item_dict(item: OptionResult | AssessmentResult) -> dict[str, Any]:
    out = item._asdict()
    out["sources"] = list(item.sources)
    out["decided_by"] = [dict(d) for d in item.decided_by]
    out["would_change"] = [dict(w) for w in item.would_change]
    return out


@dataclass(frozen=True, slots=True)
class Assessment:
    profile: str
    knowledge_base_version: str
    gestational_age: Mapping[str, Any]
    alerts: tuple[AlertResult, ...]
    options: tuple[OptionResult, ...]
    assessments: tuple[AssessmentResult, ...] = ()

    def option(self, option_id: str) -> OptionResult:
        for item in self.options:
            if item.id == option_id:
                return item
        raise KeyError(option_id)

    def assessment(self, assessment_id: str) -> AssessmentResult:
        for item in self.assessments:
            if item.id == assessment_id:
                return item
        raise KeyError(assessment_id)

    def statuses(self) -> dict[str, str]:
        """Option id -> status."""
        return {item.id: item.status for item in self.options}

    def assessment_statuses(self) -> dict[str, str]:
        """Assessment id -> status."""
        return {item.id: item.status for item in self.assessments}

    def offered(self) -> tuple[OptionResult | AssessmentResult, ...]:
        """Options and assessments that are ``recommended`` or ``consider``."""
        return tuple(i for i in (*self.options, *self.assessments) if i.status in OFFERED)

    def to_dict(self) -> dict[str, Any]:
        """The assessment as contract JSON."""
        return {
            "profile": self.profile,
            "knowledge_base_version": self.knowledge_base_version,
            "gestational_age": dict(self.gestational_age),
            "alerts": [{**a._asdict(), "sources": list(a.sources)} for a in self.alerts],
            "options": [_item_dict(o) for o in self.options],
            "assessments": [_item_dict(a) for a in self.assessments],
        }


def check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise ValueError(f"profile: must be one of {', '.join(PROFILES)} (got {profile!r})")


@functools.cache
def _profile_params(profile_id: str) -> dict[str, str]:
    """Texts that depend only on the profile (window ranges, thresholds), computed once."""
    p: Profile = knowledge().profiles[profile_id]
    short = p.value("short_cervix_mm")
    params = {f"w_{key}": w.text for key, w in p.windows.items()}
    params.update(
        profile=p.label,
        criterion=p.history_cerclage.label,
        short_text=("at or below" if short.inclusive else "below") + f" {short.number:g} mm",
        v_viability=p.value("viability_threshold").value,
        v_pprom_delivery=p.value("pprom_delivery_from").value,
        v_very_short=f"{p.value('very_short_cervix_mm').number:g} mm",
        v_cap=f"{p.value('cerclage_max_dilation_cm').number:g} cm",
        steroids_text=p.steroids_text,
        magnesium_text=p.magnesium_text,
    )
    return params


ReasonRow = tuple[str | None, str, tuple[str, ...]]  # (template if it has placeholders, text, sources)
ItemRow = tuple[str, bool, str | None]  # (title, documented in seed, evidence note)
_TABLES: dict[tuple[int, str], tuple[Knowledge, dict[str, ReasonRow], dict[str, ItemRow]]] = {}


def _tables(kb: Knowledge, profile: str) -> tuple[dict[str, ReasonRow], dict[str, ItemRow]]:
    """Plain lookup tables for rendering: reason text and sources (the profile's own variant where
    a reason has one), and per option or assessment its title, seed flag and evidence note."""
    cached = _TABLES.get((id(kb), profile))
    if cached is None or cached[0] is not kb:
        reasons = {}
        for r in kb.reasons.values():
            variant = r.profiles.get(profile)
            text = variant.text if variant is not None and variant.text else r.text
            sources = tuple(variant.sources) if variant is not None and variant.sources else tuple(r.sources)
            reasons[r.id] = (text if "{" in text else None, text, sources)
        items: dict[str, ItemRow] = {o.id: (o.title, o.seed.documented, o.evidence_note) for o in kb.options.values()}
        items.update({a.id: (a.title, False, None) for a in kb.assessments.values()})
        cached = (kb, reasons, items)
        _TABLES[(id(kb), profile)] = cached
    return cached[1], cached[2]


def _case_params(f: Facts, profile_id: str) -> dict[str, object]:
    params: dict[str, object] = dict(_profile_params(profile_id))
    history = []
    if f.losses:
        history.append(f"{f.losses} second-trimester loss(es) from painless dilation")
    if f.prior_cerclage:
        history.append("a prior cerclage for painless dilation")
    if f.sptb:
        history.append(f"{f.sptb} spontaneous preterm birth(s) before 34 weeks")
    signs = [name for name, present in (
        ("labor", f.labor), ("ruptured membranes", f.ruptured), ("signs of intra-amniotic infection", f.infection),
        (f"dilation {f.dilation:g} cm" if f.dilation is not None else "", f.dilation is not None and f.exam_ci),
        ("membranes at the os", f.at_os and f.exam_ci), ("prolapsed membranes", f.prolapsed)) if present and name]
    flags = [name for name, present in (
        ("regular contractions or labor", f.labor), ("active vaginal bleeding", f.bleeding),
        ("signs of intra-amniotic infection", f.infection), ("fetal demise", f.demise),
        ("a lethal fetal anomaly", f.lethal), ("ruptured membranes", f.ruptured)) if present]
    params.update(
        ga=f.ga_label,
        length="not measured" if f.length is None else f"{f.length:g} mm",
        dilation="not examined" if f.dilation is None else f"{f.dilation:g} cm",
        at_os="yes" if f.at_os else "no",
        prolapsed="yes" if f.prolapsed else "no",
        plurality=f.plurality,
        risks=f.risk_text,
        history_text="; ".join(history) or "no prior loss or preterm birth",
        risk_signs=", ".join(signs) or "none",
        red_flags=", ".join(flags) or "no red flag",
        cerclage_type=f.cerclage_type or "none",
        cerclage_confirm=" The cerclage type is recorded as unknown: confirm it (treated as transvaginal)."
        if f.cerclage_type == "unknown" else "",
        findings=_findings(f),
    )
    return params


def _findings(f: Facts) -> str:
    """The positive findings, in clinical words (for routine-care and 'no dead end' texts)."""
    out = []
    if f.length is not None:
        out.append(f"cervical length {f.length:g} mm")
    if f.dilation:
        out.append(f"dilation {f.dilation:g} cm")
    if f.funneling:
        out.append("funneling")
    if f.at_os:
        out.append("membranes at the external os")
    if f.cerclage_in_place:
        out.append(f"a {f.cerclage_type} cerclage in place" if f.cerclage_type != "unknown" else "a cerclage in place")
    if f.multiple:
        out.append(f"{f.plurality} fetuses")
    if f.any_risk:
        out.append(f.risk_text)
    return "; ".join(out) or "no finding"


def _rationale(proposals: list, params: dict[str, object], texts: dict[str, ReasonRow]) -> tuple[str, tuple[str, ...]]:
    if len(proposals) == 1:  # the common case: one reason, its sources as they are
        _status, reason_id, extra = proposals[0]
        template, text, sources = texts[reason_id]
        if template is not None:
            text = template.format_map({**params, **extra} if extra else params)
        return text, sources
    parts: list[str] = []
    merged: list[str] = []
    for _status, reason_id, extra in proposals:
        template, plain, reason_sources = texts[reason_id]
        parts.append(plain if template is None else template.format_map({**params, **extra} if extra else params))
        merged.extend(s for s in reason_sources if s not in merged)
    return " ".join(parts), tuple(merged)


def evaluate_case(case: Case, profile: str = "acog", kb: Knowledge | None = None, explain: bool = True) -> Assessment:
    """Assess a validated :class:`Case` under ``profile`` (``acog`` or ``rcog``).

    With ``explain`` (the default) each option and assessment carries ``decided_by`` (section 10):
    the inputs and thresholds its rule read, recorded as the rules ran.
    """
    check_profile(profile)
    kb = kb or knowledge()
    prof = kb.profiles[profile]
    facts = derive(case, prof)
    recorded = None
    if explain:
        board, recorded = record.run(facts, prof)
    else:
        board = apply(facts, prof)
    params = _case_params(facts, profile)
    texts, meta = _tables(kb, profile)
    own = explain_mod.profile_own_thresholds(kb, profile)
    explained = explain_mod.DecidedBy(case, prof) if recorded is not None else None
    options: list[OptionResult] = []
    assessments: list[AssessmentResult] = []
    cache: dict[tuple[str, Any], Any] = {}
    candidates = explain_mod.Candidates(case, prof) if recorded is not None else None

    def statuses_after(changed: Case) -> Mapping[str, str]:
        return apply(derive(changed, prof), prof).status

    for item, status in board.status.items():
        text, sources = _rationale(board.reasons[item], params, texts)
        decided: tuple[Mapping[str, Any], ...] = ()
        changes: tuple[Mapping[str, Any], ...] = ()
        if recorded is not None:
            thresholds = recorded.thresholds[item]
            extra = [s for key in sorted(thresholds & own) for s in explain_mod.threshold_sources(prof, key)]
            sources = tuple(dict.fromkeys((*sources, *extra)))
            decided = explained(recorded.inputs[item], thresholds)
            tried = candidates(recorded.direct_inputs[item], recorded.direct_thresholds[item])
            changes = explain_mod.would_change(case, item, status, tried, statuses_after, cache)
        title, documented, note = meta[item]
        if item in ASSESSMENT_SET:
            assessments.append(AssessmentResult(item, title, status, text, sources, decided, changes))
        else:
            options.append(OptionResult(item, title, status, text, sources, documented, note, decided, changes))
    alerts = tuple(
        AlertResult(a.id, a.severity, a.message, a.sources) for a in (kb.alerts[i] for i in board.alerts)
    )
    ga = case.gestational_age
    order = {o: i for i, o in enumerate(OPTION_IDS)}
    return Assessment(
        profile=profile,
        knowledge_base_version=kb.version,
        gestational_age={"weeks": ga.weeks, "days": ga.days, "label": galib.label(ga.total_days)},
        alerts=alerts,
        options=tuple(sorted(options, key=lambda o: order[o.id])),
        assessments=tuple(assessments),
    )


ASSESSMENT_SET = frozenset(ASSESSMENT_IDS)


def decide(case: Case, profile: str = "acog") -> dict[str, str]:
    """Only the statuses (option and assessment id -> status) for a validated case: the batch's fast path."""
    prof = knowledge().profiles[profile]
    return dict(apply(derive(case, prof), prof).status)


def evaluate(data: Mapping[str, Any] | Case, profile: str = "acog") -> Assessment:
    """Validate ``data`` (contract JSON as a mapping, or a Case) and assess it.

    Raises :class:`~decision.errors.CaseValidationError` for invalid input and ``ValueError``
    for an unknown profile.
    """
    return evaluate_case(parse_case(data), profile)


def validation_errors(data: Any) -> list[FieldError]:
    """The problems with ``data`` as a case (empty when it is valid)."""
    from .errors import CaseValidationError

    try:
        parse_case(data)
    except CaseValidationError as exc:
        return exc.errors
    return []
