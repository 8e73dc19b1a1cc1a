"""``evaluate``: one case and a profile in, the assessment (contract.md, output) out.

Pure and deterministic: no clock, no randomness, no I/O beyond the cached knowledge base.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import ga as galib
from .case import Case, parse_case
from .errors import FieldError
from .facts import Facts, derive
from .kb import OPTION_IDS, PROFILES, Knowledge, Profile, knowledge
from .rules import apply


class OptionResult(NamedTuple):
    """One option's decision for the case (contract.md, ``options[]``)."""

    id: str
    title: str
    status: str
    rationale: str
    sources: tuple[str, ...]
    documented_in_seed: bool
    evidence_note: str | None


class AlertResult(NamedTuple):
    """A banner shown before the options (contract.md, ``alerts[]``)."""

    id: str
    severity: str
    message: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    profile: str
    knowledge_base_version: str
    gestational_age: Mapping[str, Any]
    alerts: tuple[AlertResult, ...]
    options: tuple[OptionResult, ...]

    def option(self, option_id: str) -> OptionResult:
        for item in self.options:
            if item.id == option_id:
                return item
        raise KeyError(option_id)

    def statuses(self) -> dict[str, str]:
        return {item.id: item.status for item in self.options}

    def to_dict(self) -> dict[str, Any]:
        """The assessment as contract JSON."""
        return {
            "profile": self.profile,
            "knowledge_base_version": self.knowledge_base_version,
            "gestational_age": dict(self.gestational_age),
            "alerts": [{**a._asdict(), "sources": list(a.sources)} for a in self.alerts],
            "options": [{**o._asdict(), "sources": list(o.sources)} for o in self.options],
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
OptionRow = tuple[str, bool, str | None]  # (title, documented in seed, evidence note)
_TABLES: dict[int, tuple[Knowledge, dict[str, ReasonRow], dict[str, OptionRow]]] = {}


def _tables(kb: Knowledge) -> tuple[dict[str, ReasonRow], dict[str, OptionRow]]:
    """Plain lookup tables for rendering (reason text and sources; option title, seed flag, note)."""
    cached = _TABLES.get(id(kb))
    if cached is None or cached[0] is not kb:
        reasons = {r.id: (r.text if "{" in r.text else None, r.text, tuple(r.sources)) for r in kb.reasons.values()}
        options = {o.id: (o.title, o.seed.documented, o.evidence_note) for o in kb.options.values()}
        cached = (kb, reasons, options)
        _TABLES[id(kb)] = cached
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
        ("labor", f.labor), ("ruptured membranes", f.ruptured),
        (f"dilation {f.dilation:g} cm" if f.dilation is not None else "", f.dilation is not None and f.exam_ci),
        ("membranes at the os", f.at_os), ("prolapsed membranes", f.prolapsed)) if present and name]
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
    )
    return params


def evaluate_case(case: Case, profile: str = "acog", kb: Knowledge | None = None) -> Assessment:
    """Assess a validated :class:`Case` under ``profile`` (``acog`` or ``rcog``)."""
    check_profile(profile)
    kb = kb or knowledge()
    prof = kb.profiles[profile]
    facts = derive(case, prof)
    board = apply(facts, prof)
    params = _case_params(facts, profile)
    texts_by_reason, meta_by_option = _tables(kb)
    options = []
    status = board.status
    for option_id in OPTION_IDS:
        decided = board.reasons[option_id]
        if len(decided) == 1:  # the common case: one reason, its sources as they are
            reason_id, extra = decided[0]
            template, text, sources = texts_by_reason[reason_id]
            if template is not None:
                if extra:
                    params.update(extra)
                text = template.format_map(params)
        else:
            texts: list[str] = []
            merged: list[str] = []
            for reason_id, extra in decided:
                template, plain, reason_sources = texts_by_reason[reason_id]
                if extra:
                    params.update(extra)
                texts.append(plain if template is None else template.format_map(params))
                merged.extend(s for s in reason_sources if s not in merged)
            text, sources = " ".join(texts), tuple(merged)
        title, documented, note = meta_by_option[option_id]
        options.append(OptionResult(option_id, title, status[option_id], text, sources, documented, note))
    alerts = tuple(
        AlertResult(a.id, a.severity, a.message, a.sources) for a in (kb.alerts[i] for i in board.alerts)
    )
    ga = case.gestational_age
    return Assessment(
        profile=profile,
        knowledge_base_version=kb.version,
        gestational_age={"weeks": ga.weeks, "days": ga.days, "label": galib.label(ga.total_days)},
        alerts=alerts,
        options=tuple(options),
    )


def decide(case: Case, profile: str = "acog") -> dict[str, str]:
    """Only the statuses (option id -> status) for a validated case: the batch's fast path."""
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
