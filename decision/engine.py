"""``evaluate``: one case and a profile in, the assessment (contract.md, output) out.

Pure and deterministic: no clock, no randomness, no I/O beyond the cached knowledge base.
"""

from __future__ import annotations

import functools
import operator
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import explain as explain_mod
from . import record
from .case import Case, parse_case
from .errors import FieldError
from .facts import Facts, derive
from .kb import ASSESSMENT_IDS, OPTION_IDS, PROFILES, Knowledge, Profile, knowledge
from .rules import ALL_RULES, OFFERED, apply


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
def _profile_params(profile_id: str) -> dict[str, object]:
    """Texts that depend only on the profile (window ranges, thresholds), computed once."""
    p: Profile = knowledge().profiles[profile_id]
    short = p.value("short_cervix_mm")
    params: dict[str, object] = {f"w_{key}": w.text for key, w in p.windows.items()}
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


def _history_text(f: Facts) -> str:
    history = []
    if f.losses:
        history.append(f"{f.losses} second-trimester loss(es) from painless dilation")
    if f.prior_cerclage:
        history.append("a prior cerclage for painless dilation")
    if f.sptb:
        history.append(f"{f.sptb} spontaneous preterm birth(s) before 34 weeks")
    return "; ".join(history) or "no prior loss or preterm birth"


def _risk_signs(f: Facts) -> str:
    signs = []
    if f.labor:
        signs.append("labor")
    if f.ruptured:
        signs.append("ruptured membranes")
    if f.infection:
        signs.append("signs of intra-amniotic infection")
    if f.dilation is not None and f.exam_ci:
        signs.append(f"dilation {f.dilation:g} cm")
    if f.at_os and f.exam_ci:
        signs.append("membranes at the os")
    if f.prolapsed:
        signs.append("prolapsed membranes")
    return ", ".join(signs) or "none"


def _red_flags(f: Facts) -> str:
    flags = []
    if f.labor:
        flags.append("regular contractions or labor")
    if f.bleeding:
        flags.append("active vaginal bleeding")
    if f.infection:
        flags.append("signs of intra-amniotic infection")
    if f.demise:
        flags.append("fetal demise")
    if f.lethal:
        flags.append("a lethal fetal anomaly")
    if f.ruptured:
        flags.append("ruptured membranes")
    return ", ".join(flags) or "no red flag"


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


# The text parameters that depend on the case, each computed only when a rationale asks for it.
CASE_PARAMS: dict[str, Callable[[Facts], object]] = {
    "ga": lambda f: f.ga_label,
    "length": lambda f: "not measured" if f.length is None else f"{f.length:g} mm",
    "dilation": lambda f: "not examined" if f.dilation is None else f"{f.dilation:g} cm",
    "at_os": lambda f: "yes" if f.at_os else "no",
    "prolapsed": lambda f: "yes" if f.prolapsed else "no",
    "plurality": lambda f: str(f.plurality),
    "risks": lambda f: f.risk_text,
    "history_text": _history_text,
    "risk_signs": _risk_signs,
    "red_flags": _red_flags,
    "cerclage_type": lambda f: f.cerclage_type or "none",
    "cerclage_confirm": lambda f: " The cerclage type is recorded as unknown: confirm it (treated as transvaginal)."
    if f.cerclage_type == "unknown" else "",
    "findings": _findings,
}


class _Params(dict):  # type: ignore[type-arg]
    """A case's text parameters: the profile's, copied, and the case's (:data:`CASE_PARAMS`) filled in
    on first use, so a case pays only for the parameters its rationales name."""

    __slots__ = ("facts",)

    def __missing__(self, key: str) -> object:
        value = self[key] = CASE_PARAMS[key](self.facts)  # KeyError for an unknown name, as before
        return value


class _WithExtra(dict):  # type: ignore[type-arg]
    """A proposal's own parameters over the case's (theirs win, as in ``{**params, **extra}``)."""

    __slots__ = ("base",)

    def __missing__(self, key: str) -> object:
        return self.base[key]


def _lazy_params(f: Facts, profile_id: str) -> dict[str, object]:
    """The text parameters for ``f``: the profile's now, the case's when first asked for."""
    params = _Params(_profile_params(profile_id))
    params.facts = f
    return params


def _case_params(f: Facts, profile_id: str) -> dict[str, object]:
    """Every text parameter for ``f``, computed now (the profile's and all of :data:`CASE_PARAMS`)."""
    params = dict(_profile_params(profile_id))
    params.update((key, make(f)) for key, make in CASE_PARAMS.items())
    return params


Render = Callable[[Mapping[str, object]], str]


def _compile(template: str) -> Render:
    """``template.format_map`` as a function of the parameters, compiled once.

    A template whose fields are all plain names (no conversion, no format spec: every text in
    reasons.yaml) becomes its literal pieces around the names, joined with ``str`` of each value,
    which is what ``format`` gives for the str, int and float values the texts use; any other
    template keeps ``format_map`` itself.
    """
    pieces: list[str] = []
    literal = ""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return template.format_map
    for text, name, spec, conversion in parsed:
        literal += text
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return template.format_map
        pieces += (literal, name)
        literal = ""
    # Values are joined as they are when they are all str (nearly always: str() of a str is itself),
    # and with str() of each otherwise (a number, as some rules pass): calling str costs more here.
    if not pieces:
        return lambda _params: literal
    if len(pieces) == 2:
        head, name = pieces

        def one(params: Mapping[str, object]) -> str:
            value = params[name]
            return head + (value if type(value) is str else str(value)) + literal
        return one
    values = operator.itemgetter(*pieces[1::2])  # a tuple of the values, in order
    layout = [*pieces, literal]  # literal, name, literal, ..., literal: the names' places are replaced

    def several(params: Mapping[str, object]) -> str:
        out = layout.copy()
        out[1::2] = got = values(params)
        try:
            return "".join(out)
        except TypeError:  # a value that is not a str
            out[1::2] = map(str, got)
            return "".join(out)
    return several


def _format(render: Render, params: dict[str, object], extra: Mapping[str, object]) -> str:
    if not extra:
        return render(params)
    overlay = _WithExtra(extra)
    overlay.base = params
    return render(overlay)


ASSESSMENT_SET = frozenset(ASSESSMENT_IDS)
ReasonRow = tuple[Render | None, str, tuple[str, ...]]  # (compiled template if it has placeholders, text, sources)
ItemRow = tuple[str, bool, str | None]  # (title, documented in seed, evidence note)


class _Tables(NamedTuple):
    """What rendering needs for one knowledge base and profile, built once."""

    kb: Knowledge
    prof: Profile
    reasons: dict[str, ReasonRow]  # reason id -> text and sources (the profile's own variant where it has one)
    items: dict[str, ItemRow]  # option or assessment id -> title, seed flag, evidence note
    # in decision order (rules.ALL_RULES, the order :func:`rules.apply` fills the board in): id, title,
    # seed flag, evidence note, place among the options (-1: an assessment)
    plan: tuple[tuple[str, str, bool, str | None, int], ...]
    alerts: dict[str, AlertResult]


_TABLES: dict[tuple[int, str], _Tables] = {}


def _tables_for(kb: Knowledge, profile: str) -> _Tables:
    cached = _TABLES.get((id(kb), profile))
    if cached is None or cached.kb is not kb:
        reasons = {}
        for r in kb.reasons.values():
            variant = r.profiles.get(profile)
            text = variant.text if variant is not None and variant.text else r.text
            sources = tuple(variant.sources) if variant is not None and variant.sources else tuple(r.sources)
            reasons[r.id] = (_compile(text) if "{" in text else None, text, sources)
        items: dict[str, ItemRow] = {o.id: (o.title, o.seed.documented, o.evidence_note) for o in kb.options.values()}
        items.update({a.id: (a.title, False, None) for a in kb.assessments.values()})
        slot = {o: i for i, o in enumerate(OPTION_IDS)}
        plan = tuple((item, *items[item], -1 if item in ASSESSMENT_SET else slot[item]) for item, _rule in ALL_RULES)
        alerts = {a.id: AlertResult(a.id, a.severity, a.message, a.sources) for a in kb.alerts.values()}
        cached = _Tables(kb, kb.profiles[profile], reasons, items, plan, alerts)
        _TABLES[(id(kb), profile)] = cached
    return cached


def _tables(kb: Knowledge, profile: str) -> tuple[dict[str, ReasonRow], dict[str, ItemRow]]:
    """Plain lookup tables for rendering: reason text and sources (the profile's own variant where
    a reason has one), and per option or assessment its title, seed flag and evidence note."""
    tables = _tables_for(kb, profile)
    return tables.reasons, tables.items


def _rationale(proposals: list, params: dict[str, object], texts: dict[str, ReasonRow]) -> tuple[str, tuple[str, ...]]:
    if len(proposals) == 1:  # the common case: one reason, its sources as they are
        _status, reason_id, extra = proposals[0]
        template, text, sources = texts[reason_id]
        if template is not None:
            text = _format(template, params, extra)
        return text, sources
    parts: list[str] = []
    merged: list[str] = []
    for _status, reason_id, extra in proposals:
        template, plain, reason_sources = texts[reason_id]
        parts.append(plain if template is None else _format(template, params, extra))
        merged.extend(s for s in reason_sources if s not in merged)
    return " ".join(parts), tuple(merged)


_new = tuple.__new__  # builds the result tuples without the NamedTuple constructors' keyword handling
_NO_EXPLANATION: tuple[Mapping[str, Any], ...] = ()


def _assessment(case: Case, facts: Facts, tables: _Tables, profile: str, board: Any,
                options: list[Any], assessments: list[AssessmentResult]) -> Assessment:
    ga = case.gestational_age
    alerts = tables.alerts
    return Assessment(
        profile=profile,
        knowledge_base_version=tables.kb.version,
        gestational_age={"weeks": ga.weeks, "days": ga.days, "label": facts.ga_label},
        alerts=tuple([alerts[a] for a in board.alerts]),
        options=tuple(options),
        assessments=tuple(assessments),
    )


def _evaluate_plain(case: Case, profile: str, tables: _Tables) -> Assessment:
    """:func:`evaluate_case` without explanations: statuses, rationales and sources only."""
    facts = derive(case, tables.prof)
    board = apply(facts, tables.prof)
    params = _lazy_params(facts, profile)
    texts = tables.reasons
    options: list[Any] = [None] * len(OPTION_IDS)
    assessments: list[AssessmentResult] = []
    for (item, title, documented, note, slot), status, proposals in zip(
            tables.plan, board.status.values(), board.reasons.values(), strict=True):
        if len(proposals) == 1:
            _status, reason_id, extra = proposals[0]
            render, text, sources = texts[reason_id]
            if render is not None:
                text = render(params) if not extra else _format(render, params, extra)
        else:
            text, sources = _rationale(proposals, params, texts)
        if slot < 0:
            assessments.append(_new(AssessmentResult, (item, title, status, text, sources, (), ())))
        else:
            options[slot] = _new(OptionResult, (item, title, status, text, sources, documented, note, (), ()))
    return _assessment(case, facts, tables, profile, board, options, assessments)


def evaluate_case(case: Case, profile: str = "acog", kb: Knowledge | None = None, explain: bool = True) -> Assessment:
    """Assess a validated :class:`Case` under ``profile`` (``acog`` or ``rcog``).

    With ``explain`` (the default) each option and assessment carries ``decided_by`` (section 10):
    the inputs and thresholds its rule read, recorded as the rules ran.
    """
    check_profile(profile)
    kb = kb or knowledge()
    tables = _tables_for(kb, profile)
    if not explain:
        return _evaluate_plain(case, profile, tables)
    prof = tables.prof
    facts = derive(case, prof)
    board, recorded = record.run(facts, prof)
    params = _lazy_params(facts, profile)
    texts = tables.reasons
    own = explain_mod.profile_own_thresholds(kb, profile)
    explained = explain_mod.DecidedBy(case, prof)
    options: list[Any] = [None] * len(OPTION_IDS)
    assessments: list[AssessmentResult] = []
    cache: dict[tuple[str, Any], Any] = {}
    candidates = explain_mod.Candidates(case, prof)

    def statuses_after(changed: Case) -> Mapping[str, str]:
        return apply(derive(changed, prof), prof).status

    for (item, title, documented, note, slot), status in zip(tables.plan, board.status.values(), strict=True):
        text, sources = _rationale(board.reasons[item], params, texts)
        thresholds = recorded.thresholds[item]
        extra = [s for key in sorted(thresholds & own) for s in explain_mod.threshold_sources(prof, key)]
        sources = tuple(dict.fromkeys((*sources, *extra)))
        decided = explained(recorded.inputs[item], thresholds)
        tried = candidates(recorded.direct_inputs[item], recorded.direct_thresholds[item])
        changes = explain_mod.would_change(case, item, status, tried, statuses_after, cache)
        if slot < 0:
            assessments.append(AssessmentResult(item, title, status, text, sources, decided, changes))
        else:
            options[slot] = OptionResult(item, title, status, text, sources, documented, note, decided, changes)
    return _assessment(case, facts, tables, profile, board, options, assessments)



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
