"""Teaching cases (``data/cases/*.yaml``): loading, validation and the check against the engine.

One YAML file holds one :class:`TeachingCase`: a clinical vignette, the structured case
(contract.md), the expected status of every option (``expected``) and of every assessment
(``expected_assessments``, spec version 2, section 3.12) under the ``acog`` profile (and, under
``rcog``, those whose status differs), teaching points and a follow-up question, each tied to
source ids of ``data/knowledge/sources.yaml``.

The expected statuses are the clinical spec's answer. Where the engine gives another answer that
the case's author believes contradicts the spec, the case says so in ``engine_disagreements``
(item, profiles, the engine's status, the spec section): :func:`check_all` then does not count
that item as a problem but :func:`known_disagreements` lists it, and an entry the engine no
longer needs (it now agrees, or says something else again) is a problem, so the list stays true.

:func:`load_case_file` raises :class:`TeachingCaseError` whose message names the file and the
field path (``pprom_19w.yaml: expected.acog.delivery: must be one of ...``); a version-1 file
(12 options, no assessments) loads with an error naming what it lacks.
:func:`check_all` returns every problem in a directory of cases as a readable line, including
each option and assessment whose expected status differs from the engine; an empty list means
all is well. Pure: no Streamlit, no clock, no randomness.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, get_args

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .case import Case, allowed_fields, parse_case
from .engine import evaluate
from .errors import CaseValidationError, shown_value
from .inputs import InputError, decode, load_document, read_bytes
from .kb import ASSESSMENT_IDS, OPTION_IDS, PROFILES, STATUSES, knowledge

__all__ = [
    "CASES_DIR", "DIFFICULTIES", "IDENTIFIER_PATTERNS", "SEED_OPTIONS", "TOPICS", "EngineDisagreement", "FollowUp",
    "TeachingCase", "TeachingCaseError", "TeachingPoint", "check_all", "check_cases", "engine_mismatches",
    "expected_assessment_statuses", "expected_statuses", "known_disagreements", "load_all", "load_case_file",
]

CASES_DIR: Path = Path(__file__).resolve().parent.parent / "data" / "cases"

Topic = Literal[
    "history", "cervical length", "examination", "pprom", "red flags", "cerclage in place", "multiples",
    "profiles", "routine",
]
Difficulty = Literal["foundation", "intermediate", "advanced"]
SeedOption = Literal[
    "close_monitoring", "preventive_cerclage", "emergency_cerclage", "trendelenburg_bed_rest",
    "pprom_delivery_counseling",
]
TOPICS: tuple[str, ...] = get_args(Topic)
DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)

#: The seed's five documented options (clinical-spec.md, preamble) and the option id each maps to.
SEED_OPTIONS: dict[str, str] = {
    "close_monitoring": "serial_cervical_length_surveillance",
    "preventive_cerclage": "history_indicated_cerclage",
    "emergency_cerclage": "physical_exam_indicated_cerclage",
    "trendelenburg_bed_rest": "trendelenburg_bed_rest",
    "pprom_delivery_counseling": "previable_pprom_counseling",
}

#: Patterns that suggest a patient identifier slipped into a text (contract.md: no identifier).
IDENTIFIER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a record number (MRN)", re.compile(r"\bMRN\b|\bmedical record\b|\brecord (?:number|no\.?)", re.IGNORECASE)),
    ("a date of birth (DOB)", re.compile(r"\bDOB\b|\bdate of birth\b|\bborn on\b", re.IGNORECASE)),
    ("a calendar date", re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")),
    ("a title followed by a name", re.compile(r"\b(?:Mrs|Ms|Miss|Mr|Dr)\.?\s+[A-Z][a-z]+")),
)

_AGE_PARITY = re.compile(r"\b\d{2}-year-old\b.*?\bG\d{1,2}\s?P\d{1,4}\b", re.DOTALL)
_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_PROBLEMS = "teaching_case_problems"


class TeachingCaseError(ValueError):
    """A teaching-case file that cannot be used; ``problems`` lists ``file: field.path: message`` lines."""

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(problems))


def _fail(problems: list[tuple[str, str]]) -> None:
    """Raise one pydantic error carrying several ``(sub-path, message)`` problems."""
    if problems:
        summary = "; ".join(f"{path}: {msg}" if path else msg for path, msg in problems)
        raise PydanticCustomError(_PROBLEMS, "{summary}", {"summary": summary, "problems": problems})


def _known_sources() -> Mapping[str, Any]:
    return knowledge().sources


def _source_problems(sources: Iterable[str]) -> list[tuple[str, str]]:
    known = _known_sources()
    return [
        (f"[{index}]", f"unknown source id {_shown(source)} (not in data/knowledge/sources.yaml)")
        for index, source in enumerate(sources) if source not in known
    ]


def _checked_sources(sources: list[str]) -> list[str]:
    _fail(_source_problems(sources))
    return sources


#: A non-empty list of source ids that exist in the knowledge base.
Sources = Annotated[list[str], Field(min_length=1), AfterValidator(_checked_sources)]


def _identifier_problems(text: str) -> list[str]:
    return [f"looks like it contains {what}: {match.group(0)!r} (cases hold no identifier)"
            for what, pattern in IDENTIFIER_PATTERNS for match in [pattern.search(text)] if match]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TeachingPoint(_Strict):
    """One teaching point and the source ids that support it."""

    text: str = Field(min_length=1)
    sources: Sources


class FollowUp(_Strict):
    """A follow-up question for the learner, its answer, and the sources of the answer."""

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    sources: Sources


class _ExpectedStatuses(_Strict):
    """Expected statuses: every item under ``acog``; under ``rcog`` only those that differ."""

    _ids: ClassVar[tuple[str, ...]] = ()
    _kind: ClassVar[str] = "item"
    _field: ClassVar[str] = "expected"

    acog: dict[str, str]
    rcog: dict[str, str] = Field(default_factory=dict)

    @field_validator("rcog", mode="before")
    @classmethod
    def _empty_rcog(cls, value: Any) -> Any:
        return {} if value is None else value

    @model_validator(mode="after")
    def _statuses(self) -> _ExpectedStatuses:
        ids, kind = self._ids, self._kind
        problems: list[tuple[str, str]] = []
        for profile, mapping in (("acog", self.acog), ("rcog", self.rcog)):
            for item, status in mapping.items():
                where = f"{profile}.{item}"
                if item not in ids:
                    problems.append((where, f"unknown {kind} id (allowed: {', '.join(ids)})"))
                elif status not in STATUSES:
                    problems.append((where, f"must be one of {', '.join(STATUSES)} (got {_shown(status)})"))
                elif profile == "rcog" and self.acog.get(item) == status:
                    problems.append((where, f"same as {self._field}.acog.{item} ({status}): list under rcog only "
                                            f"the {kind}s whose rcog status differs"))
        missing = [item for item in ids if item not in self.acog]
        if missing:
            problems.append(("acog", f"must give a status for every {kind}; missing: {', '.join(missing)}"))
        _fail(problems)
        return self

    def statuses(self, profile: str) -> dict[str, str]:
        """Every item's expected status under ``profile`` (rcog = acog with the rcog overrides)."""
        out = {item: self.acog[item] for item in self._ids}
        if profile == "rcog":
            out.update(self.rcog)
        return out


class Expected(_ExpectedStatuses):
    """Expected option statuses: every option under ``acog``; under ``rcog`` only those that differ."""

    _ids: ClassVar[tuple[str, ...]] = OPTION_IDS
    _kind: ClassVar[str] = "option"


class ExpectedAssessments(_ExpectedStatuses):
    """Expected assessment statuses (spec 3.12): every assessment under ``acog``; ``rcog`` only where it differs."""

    _ids: ClassVar[tuple[str, ...]] = ASSESSMENT_IDS
    _kind: ClassVar[str] = "assessment"
    _field: ClassVar[str] = "expected_assessments"


class EngineDisagreement(_Strict):
    """An item whose expected (spec) status the engine does not give, recorded with the spec section.

    ``check_all`` does not count it as a problem while the engine still says ``engine``; it is
    reported by :func:`known_disagreements` so that the lead can settle it.
    """

    item: str
    profiles: list[Literal["acog", "rcog"]] = Field(default_factory=lambda: list(PROFILES), min_length=1)
    engine: str
    section: str = Field(min_length=1)
    note: str = Field(min_length=1)

    @field_validator("item")
    @classmethod
    def _known_item(cls, value: str) -> str:
        if value not in OPTION_IDS and value not in ASSESSMENT_IDS:
            _fail([("", f"unknown option or assessment id {value!r}")])
        return value

    @field_validator("engine")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in STATUSES:
            _fail([("", f"must be one of {', '.join(STATUSES)} (got {value!r})")])
        return value


class TeachingCase(_Strict):
    """One teaching case file (``data/cases/<id>.yaml``)."""

    id: str
    title: str = Field(min_length=1)
    topic: Topic
    difficulty: Difficulty
    vignette: str = Field(min_length=1)
    case: dict[str, Any]
    expected: Expected
    expected_assessments: ExpectedAssessments
    engine_disagreements: list[EngineDisagreement] = Field(default_factory=list)
    teaching_points: list[TeachingPoint] = Field(min_length=2, max_length=4)
    follow_up: FollowUp
    key_options: list[str] = Field(min_length=1, max_length=3)
    seed_option: SeedOption | None = None

    @field_validator("id")
    @classmethod
    def _id_snake_case(cls, value: str) -> str:
        if not _ID.match(value):
            _fail([("", f"must be snake_case: lower-case letters, digits and underscores (got {_shown(value)})")])
        return value

    @field_validator("vignette")
    @classmethod
    def _vignette_age_parity(cls, value: str) -> str:
        if not _AGE_PARITY.search(value):
            _fail([("", "must state an age and the gravidity/parity, such as 'A 32-year-old G3P1'")])
        return value

    @field_validator("case")
    @classmethod
    def _case_valid(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            parse_case(value)
        except CaseValidationError as exc:
            _fail([("" if e.path == "(case)" else e.path, e.message) for e in exc.errors])
        return value

    @field_validator("key_options")
    @classmethod
    def _key_options_known(cls, value: list[str]) -> list[str]:
        problems = [(f"[{i}]", f"unknown option id {_shown(option)} (allowed: {', '.join(OPTION_IDS)})")
                    for i, option in enumerate(value) if option not in OPTION_IDS]
        problems += [(f"[{i}]", f"{_shown(option)} is listed twice") for i, option in enumerate(value)
                     if option in value[:i]]
        _fail(problems)
        return value

    @model_validator(mode="after")
    def _disagreements_differ(self) -> TeachingCase:
        problems: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for index, entry in enumerate(self.engine_disagreements):
            for profile in entry.profiles:
                if (profile, entry.item) in seen:
                    problems.append((f"engine_disagreements[{index}]", f"{entry.item} under {profile} is listed twice"))
                seen.add((profile, entry.item))
                if self.expected_status(entry.item, profile) == entry.engine:
                    problems.append((f"engine_disagreements[{index}].engine",
                                     f"{entry.engine} is the expected status of {entry.item} under {profile}: "
                                     "not a disagreement"))
        _fail(problems)
        return self

    @model_validator(mode="after")
    def _no_identifiers(self) -> TeachingCase:
        texts = [("title", self.title), ("vignette", self.vignette)]
        texts += [(f"teaching_points[{i}].text", p.text) for i, p in enumerate(self.teaching_points)]
        texts += [("follow_up.question", self.follow_up.question), ("follow_up.answer", self.follow_up.answer)]
        _fail([(where, msg) for where, text in texts for msg in _identifier_problems(text)])
        return self

    def parsed_case(self) -> Case:
        """The structured case as a validated :class:`~decision.case.Case`."""
        return parse_case(self.case)

    def expected_status(self, item: str, profile: str) -> str:
        """The expected status of one option or assessment under ``profile``."""
        block = self.expected if item in OPTION_IDS else self.expected_assessments
        return block.statuses(profile)[item]

    def disagreement(self, item: str, profile: str) -> EngineDisagreement | None:
        """The recorded engine disagreement for ``item`` under ``profile``, if any."""
        return next((d for d in self.engine_disagreements if d.item == item and profile in d.profiles), None)


def _check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise ValueError(f"profile: must be one of {', '.join(PROFILES)} (got {profile!r})")


def expected_statuses(tc: TeachingCase, profile: str = "acog") -> dict[str, str]:
    """The expected status of every option under ``profile`` (rcog = acog with the rcog overrides)."""
    _check_profile(profile)
    return tc.expected.statuses(profile)


def expected_assessment_statuses(tc: TeachingCase, profile: str = "acog") -> dict[str, str]:
    """The expected status of every assessment (spec 3.12) under ``profile``."""
    _check_profile(profile)
    return tc.expected_assessments.statuses(profile)


# --- loading -------------------------------------------------------------------------------


def _join(loc: Iterable[Any], sub: str = "") -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    if sub:
        out += sub if sub.startswith("[") or not out else f".{sub}"
    return out or "(file)"


def _shown(value: Any) -> str:
    return shown_value(value)


def _messages(err: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, message) pairs for one pydantic error."""
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == _PROBLEMS:
        return [(_join(loc, sub), msg) for sub, msg in ctx["problems"]]
    given = err.get("input")
    if kind == "extra_forbidden":
        allowed = allowed_fields(TeachingCase, loc)
        msg = "unknown field" + (f" (allowed here: {allowed})" if allowed else "")
    elif kind == "missing" and loc == ("expected_assessments",):
        msg = ("required since spec version 2: the expected status of every assessment under acog "
               f"({', '.join(ASSESSMENT_IDS)}), and under rcog those that differ")
    elif kind == "missing":
        msg = "required"
    elif kind == "literal_error":
        msg = f"must be one of {ctx.get('expected', '')} (got {_shown(given)})"
    elif kind == "too_short":
        msg = f"must have at least {ctx.get('min_length')} item(s) (got {ctx.get('actual_length')})"
        if isinstance(given, str):
            msg = "must not be empty"
    elif kind == "too_long":
        msg = f"must have at most {ctx.get('max_length')} items (got {ctx.get('actual_length')})"
    elif kind in {"string_type", "string_sub_type"}:
        msg = f"must be text (got {_shown(given)})"
    elif kind in {"dict_type", "model_type", "model_attributes_type"}:
        msg = f"must be a mapping of named fields (got {_shown(given)})"
    elif kind == "list_type":
        msg = f"must be a list (got {_shown(given)})"
    else:
        msg = f"{err.get('msg', 'invalid value')} (got {_shown(given)})"
    return [(_join(loc), msg)]


def _read_yaml(path: Path) -> Any:
    """The document in ``path``, read by :mod:`decision.inputs` (bounded, strict YAML, duplicate keys refused)."""
    try:
        data, name = read_bytes(path, name=path.name)
        return load_document(decode(data, name), name)
    except InputError as exc:  # "(input)" problems already start with the file name
        lines = [p.message if p.path == "(input)" else f"{path.name}: {p}" for p in exc.problems]
        raise TeachingCaseError(path.name, lines) from None


def load_case_file(path: Path | str) -> TeachingCase:
    """Read and validate one case file; raise :class:`TeachingCaseError` naming the file and field."""
    path = Path(path)
    name = path.name
    data = _read_yaml(path)
    if not isinstance(data, Mapping):
        raise TeachingCaseError(name, [f"{name}: (file): must be a mapping of fields (got {_shown(data)})"])
    problems: list[str] = []
    if "id" in data and data["id"] != path.stem:
        problems.append(f"{name}: id: must equal the file name without .yaml ({path.stem!r}), got {_shown(data['id'])}")
    try:
        tc = TeachingCase.model_validate(dict(data))
    except ValidationError as exc:
        problems += [f"{name}: {where}: {msg}" for err in exc.errors(include_url=False)
                     for where, msg in _messages(err)]
        raise TeachingCaseError(name, problems) from None
    if problems:
        raise TeachingCaseError(name, problems)
    return tc


def _case_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_all(directory: Path | str = CASES_DIR) -> list[TeachingCase]:
    """Every case in ``directory``, sorted by id; the first invalid file raises :class:`TeachingCaseError`."""
    cases = [load_case_file(path) for path in _case_files(Path(directory))]
    return sorted(cases, key=lambda tc: tc.id)


def _engine_statuses(tc: TeachingCase, profile: str) -> dict[str, str]:
    assessment = evaluate(tc.case, profile)
    return {**assessment.statuses(), **assessment.assessment_statuses()}


def _field_of(item: str) -> str:
    return "expected" if item in OPTION_IDS else "expected_assessments"


def _compare(tc: TeachingCase, name: str) -> tuple[list[str], list[str]]:
    """(problems, notes) for one case against the engine, under both profiles."""
    problems: list[str] = []
    notes: list[str] = []
    for profile in PROFILES:
        try:
            actual = _engine_statuses(tc, profile)
        except Exception as exc:  # defensive: report, never crash the check
            problems.append(f"{name}: case: the engine failed under {profile}: {exc}")
            continue
        for item in (*OPTION_IDS, *ASSESSMENT_IDS):
            block = _field_of(item)
            expected = tc.expected_status(item, profile)
            engine = actual.get(item)
            known = tc.disagreement(item, profile)
            if known is not None:
                if engine == known.engine:
                    notes.append(f"{name}: {block}.{profile}.{item}: expected {expected} (spec {known.section}), "
                                 f"engine says {engine}: known disagreement, not counted")
                elif engine == expected:
                    problems.append(f"{name}: engine_disagreements: {item} under {profile}: the engine now says "
                                    f"{engine}, as expected: remove the entry")
                else:
                    problems.append(f"{name}: {block}.{profile}.{item}: expected {expected}, engine says {engine} "
                                    f"(engine_disagreements records {known.engine})")
                continue
            if expected == engine:
                continue
            overrides = (tc.expected if item in OPTION_IDS else tc.expected_assessments).rcog
            note = " (same as acog)" if profile == "rcog" and item not in overrides else ""
            problems.append(f"{name}: {block}.{profile}.{item}: expected {expected}{note}, engine says {engine}")
    return problems, notes


def engine_mismatches(tc: TeachingCase, file: str | None = None) -> list[str]:
    """Every option and assessment whose expected status differs from the engine, under both profiles.

    An item recorded in ``engine_disagreements`` is not a mismatch while the engine gives the
    status recorded there (see :func:`known_disagreements`).
    """
    return _compare(tc, file or f"{tc.id}.yaml")[0]


def check_cases(directory: Path | str = CASES_DIR) -> tuple[list[str], list[str]]:
    """(problems, notes) for every case in ``directory``: :func:`check_all` and :func:`known_disagreements` in one pass."""
    directory = Path(directory)
    if not directory.is_dir():
        return [f"{directory}: not a directory"], []
    problems = [f"{p.name}: use the .yaml extension (files ending .yml are not read)"
                for p in sorted(directory.glob("*.yml"))]
    notes: list[str] = []
    files = _case_files(directory)
    if not files:
        problems.append(f"{directory}: no teaching cases (*.yaml) found")
    for path in files:
        try:
            tc = load_case_file(path)
        except TeachingCaseError as exc:
            problems.extend(exc.problems)
            continue
        found, noted = _compare(tc, path.name)
        problems.extend(found)
        notes.extend(noted)
    return problems, notes


def check_all(directory: Path | str = CASES_DIR) -> list[str]:
    """Human-readable problems with every case in ``directory`` (load errors and engine mismatches,
    options and assessments). An empty list means every case loads and matches the engine under
    both profiles, apart from the disagreements the cases record (:func:`known_disagreements`).
    """
    return check_cases(directory)[0]


def known_disagreements(directory: Path | str = CASES_DIR) -> list[str]:
    """One line per recorded engine disagreement that still holds: the case, the item, the expected
    (spec) status and section, and the engine's status."""
    return check_cases(directory)[1]


# --- authoring: a draft case file from a consultation ------------------------------------------

#: Every text a faculty member must write in a drafted case starts with this marker.
DRAFT_PLACEHOLDER = "FILL IN"


def _draft_topic(case: Case) -> str:
    """A first guess at the topic of a case (faculty may change it)."""
    flags = case.red_flags
    cx = case.cervix
    h = case.history
    if case.membranes.status == "ruptured":
        return "pprom"
    if any((flags.regular_contractions_or_labor, flags.vaginal_bleeding, flags.signs_of_intraamniotic_infection,
            flags.fetal_demise, flags.lethal_fetal_anomaly)):
        return "red flags"
    if case.cerclage_in_place:
        return "cerclage in place"
    if case.plurality > 1:
        return "multiples"
    if (cx.dilation_cm or 0) >= 1 or cx.membranes_at_or_beyond_external_os or cx.membranes_prolapsed_into_vagina:
        return "examination"
    if cx.length_mm is not None or case.serial_cervical_lengths:
        return "cervical length"
    if (h.second_trimester_losses_painless_dilation or h.spontaneous_preterm_births_before_34w
            or h.prior_cerclage_for_painless_dilation or h.cervical_surgery or h.in_utero_des_exposure
            or h.uterine_or_cervical_anomaly or h.cervical_trauma):
        return "history"
    return "routine"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text)


def _block(key: str, value: Any) -> str:
    return yaml.safe_dump({key: value}, sort_keys=False, default_flow_style=None, allow_unicode=True, width=110)


def draft_case_yaml(case: dict, case_id: str = "new_case") -> str:
    """A teaching-case file (YAML text) drafted from a consultation case, ready for faculty.

    The structured ``case`` is copied as entered; ``expected`` and ``expected_assessments`` hold the
    engine's current statuses (every option and assessment under ``acog``, and under ``rcog`` only
    those whose status differs: check them against the clinical spec); topic,
    key options, teaching-point sources and the seed option are first guesses from the case and the
    engine. The title, the vignette, the teaching-point texts and the follow-up question and answer
    are placeholders starting with :data:`DRAFT_PLACEHOLDER`; once faculty write them, the file
    loads with :func:`load_case_file` (saved as ``<case_id>.yaml``). Unfilled, it does not: the
    placeholder vignette states no age and gravidity/parity.

    Raises :class:`~decision.errors.CaseValidationError` for an invalid case and :class:`ValueError`
    for a ``case_id`` that is not snake_case.
    """
    if not _ID.match(case_id):
        raise ValueError(f"case id must be snake_case: lower-case letters, digits and underscores (got {case_id!r})")
    parsed = parse_case(case)
    acog = evaluate(case, "acog")
    rcog = evaluate(case, "rcog")
    acog_statuses = acog.statuses()
    rcog_diff = {o: s for o, s in rcog.statuses().items() if acog_statuses[o] != s}
    acog_checks = acog.assessment_statuses()
    rcog_checks_diff = {a: s for a, s in rcog.assessment_statuses().items() if acog_checks[a] != s}
    offered = [o for status in ("recommended", "consider") for o in OPTION_IDS if acog_statuses[o] == status]
    fallback = [o for o in OPTION_IDS if acog_statuses[o] != "not_applicable"] or [OPTION_IDS[0]]
    key_options = (offered or fallback)[:3]
    sources: list[str] = []
    for option in key_options:
        for source in acog.option(option).sources:
            if source not in sources:
                sources.append(source)
    first_sources = sources[:2] or ["SEED"]
    second_sources = sources[2:4] or first_sources
    seed_by_option = {option: seed for seed, option in SEED_OPTIONS.items()}
    seed_option = next((seed_by_option[o] for o in key_options if o in seed_by_option), None)
    ga = parsed.gestational_age.label
    kb = knowledge()
    p = DRAFT_PLACEHOLDER
    lines = [
        f"# Teaching case drafted from a consultation (knowledge base {kb.version}).",
        f"# For faculty: write every text starting with \"{p}\", check the topic, difficulty, key options,",
        "# teaching-point sources and seed option, then save this file as "
        f"data/cases/{case_id}.yaml and run: python -m decision cases check",
        "# The expected statuses are the engine's answers for this case today. Check them against the clinical",
        "# spec; where the spec gives another answer, write the spec's and record the engine's under",
        "# engine_disagreements (item, engine, section, note).",
        "# No patient identifier: no names, record numbers, dates of birth or calendar dates.",
        f"id: {case_id}",
        f"title: {_quoted(f'{p}: a short title (what the case teaches, at {ga} weeks)')}",
        f"topic: {_quoted(_draft_topic(parsed))}  # one of: {', '.join(TOPICS)}",
        f"difficulty: intermediate  # one of: {', '.join(DIFFICULTIES)}",
        "vignette: " + _quoted(f"{p}: the clinical story, starting with the age and gravidity/parity "
                               f"(A [age]-year-old G[n]P[n] presents at {ga} weeks with ...), then the findings "
                               "recorded under case: below."),
        _block("case", yaml.safe_load(yaml.safe_dump(dict(case)))).rstrip("\n"),
        "expected:",
        "  acog:",
        *[f"    {o}: {acog_statuses[o]}" for o in OPTION_IDS],
        "  rcog:" + ("" if rcog_diff else " {}  # same statuses as acog for every option"),
        *[f"    {o}: {s}" for o, s in rcog_diff.items()],
        "expected_assessments:  # the checks that go with the options (spec 3.12)",
        "  acog:",
        *[f"    {a}: {acog_checks[a]}" for a in ASSESSMENT_IDS],
        "  rcog:" + ("" if rcog_checks_diff else " {}  # same statuses as acog for every assessment"),
        *[f"    {a}: {s}" for a, s in rcog_checks_diff.items()],
        "teaching_points:  # 2 to 4 points, each with source ids from data/knowledge/sources.yaml",
        f"  - text: {_quoted(f'{p}: the first teaching point (why the key option is right for this case).')}",
        f"    sources: [{', '.join(first_sources)}]",
        f"  - text: {_quoted(f'{p}: the second teaching point (a pitfall, or what would change the plan).')}",
        f"    sources: [{', '.join(second_sources)}]",
        "follow_up:",
        f"  question: {_quoted(f'{p}: a follow-up question for the resident.')}",
        f"  answer: {_quoted(f'{p}: its answer.')}",
        f"  sources: [{', '.join(first_sources)}]",
        f"key_options: [{', '.join(key_options)}]  # 1 to 3 options the case is about",
        f"seed_option: {seed_option or 'null'}  # the seed's option this case illustrates, or null; one of: "
        f"{', '.join(SEED_OPTIONS)}",
    ]
    return "\n".join(lines) + "\n"


__all__ += ["DRAFT_PLACEHOLDER", "draft_case_yaml"]
