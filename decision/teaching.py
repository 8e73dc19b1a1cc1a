"""Teaching cases (``data/cases/*.yaml``): loading, validation and the check against the engine.

One YAML file holds one :class:`TeachingCase`: a clinical vignette, the structured case
(contract.md), the expected status of every option under the ``acog`` profile (and the
options whose ``rcog`` status differs), teaching points and a follow-up question, each tied to
source ids of ``data/knowledge/sources.yaml``.

:func:`load_case_file` raises :class:`TeachingCaseError` whose message names the file and the
field path (``pprom_19w.yaml: expected.acog.delivery: must be one of ...``).
:func:`check_all` returns every problem in a directory of cases as a readable line, including
each option whose expected status differs from the engine; an empty list means all is well.
Pure: no Streamlit, no clock, no randomness.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .case import Case, allowed_fields, parse_case
from .engine import evaluate
from .errors import CaseValidationError, shown_value
from .inputs import InputError, decode, load_document, read_bytes
from .kb import OPTION_IDS, PROFILES, STATUSES, knowledge

__all__ = [
    "CASES_DIR", "DIFFICULTIES", "IDENTIFIER_PATTERNS", "SEED_OPTIONS", "TOPICS", "FollowUp", "TeachingCase",
    "TeachingCaseError", "TeachingPoint", "check_all", "engine_mismatches", "expected_statuses", "load_all",
    "load_case_file",
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


class Expected(_Strict):
    """Expected statuses: every option under ``acog``; under ``rcog`` only those that differ."""

    acog: dict[str, str]
    rcog: dict[str, str] = Field(default_factory=dict)

    @field_validator("rcog", mode="before")
    @classmethod
    def _empty_rcog(cls, value: Any) -> Any:
        return {} if value is None else value

    @model_validator(mode="after")
    def _statuses(self) -> Expected:
        problems: list[tuple[str, str]] = []
        for profile, mapping in (("acog", self.acog), ("rcog", self.rcog)):
            for option, status in mapping.items():
                where = f"{profile}.{option}"
                if option not in OPTION_IDS:
                    problems.append((where, f"unknown option id (allowed: {', '.join(OPTION_IDS)})"))
                elif status not in STATUSES:
                    problems.append((where, f"must be one of {', '.join(STATUSES)} (got {_shown(status)})"))
                elif profile == "rcog" and self.acog.get(option) == status:
                    problems.append((where, f"same as expected.acog.{option} ({status}): list under rcog only "
                                            "the options whose rcog status differs"))
        missing = [option for option in OPTION_IDS if option not in self.acog]
        if missing:
            problems.append(("acog", f"must give a status for every option; missing: {', '.join(missing)}"))
        _fail(problems)
        return self


class TeachingCase(_Strict):
    """One teaching case file (``data/cases/<id>.yaml``)."""

    id: str
    title: str = Field(min_length=1)
    topic: Topic
    difficulty: Difficulty
    vignette: str = Field(min_length=1)
    case: dict[str, Any]
    expected: Expected
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
    def _no_identifiers(self) -> TeachingCase:
        texts = [("title", self.title), ("vignette", self.vignette)]
        texts += [(f"teaching_points[{i}].text", p.text) for i, p in enumerate(self.teaching_points)]
        texts += [("follow_up.question", self.follow_up.question), ("follow_up.answer", self.follow_up.answer)]
        _fail([(where, msg) for where, text in texts for msg in _identifier_problems(text)])
        return self

    def parsed_case(self) -> Case:
        """The structured case as a validated :class:`~decision.case.Case`."""
        return parse_case(self.case)


def expected_statuses(tc: TeachingCase, profile: str = "acog") -> dict[str, str]:
    """The expected status of every option under ``profile`` (rcog = acog with the rcog overrides)."""
    if profile not in PROFILES:
        raise ValueError(f"profile: must be one of {', '.join(PROFILES)} (got {profile!r})")
    statuses = {option: tc.expected.acog[option] for option in OPTION_IDS}
    if profile == "rcog":
        statuses.update(tc.expected.rcog)
    return statuses


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


def engine_mismatches(tc: TeachingCase, file: str | None = None) -> list[str]:
    """Every option whose expected status differs from the engine, under both profiles."""
    name = file or f"{tc.id}.yaml"
    out: list[str] = []
    for profile in PROFILES:
        try:
            actual = evaluate(tc.case, profile).statuses()
        except Exception as exc:  # defensive: report, never crash the check
            out.append(f"{name}: case: the engine failed under {profile}: {exc}")
            continue
        expected = expected_statuses(tc, profile)
        for option in OPTION_IDS:
            if expected[option] == actual.get(option):
                continue
            inherited = profile == "rcog" and option not in tc.expected.rcog
            note = " (same as acog)" if inherited else ""
            out.append(f"{name}: expected.{profile}.{option}: expected {expected[option]}{note}, "
                       f"engine says {actual.get(option)}")
    return out


def check_all(directory: Path | str = CASES_DIR) -> list[str]:
    """Human-readable problems with every case in ``directory`` (load errors and engine mismatches).

    An empty list means every case loads and matches the engine under both profiles.
    """
    directory = Path(directory)
    if not directory.is_dir():
        return [f"{directory}: not a directory"]
    problems = [f"{p.name}: use the .yaml extension (files ending .yml are not read)"
                for p in sorted(directory.glob("*.yml"))]
    files = _case_files(directory)
    if not files:
        problems.append(f"{directory}: no teaching cases (*.yaml) found")
    for path in files:
        try:
            tc = load_case_file(path)
        except TeachingCaseError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(engine_mismatches(tc, path.name))
    return problems


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

    The structured ``case`` is copied as entered; ``expected`` holds the engine's current statuses
    (every option under ``acog``, and under ``rcog`` only the options whose status differs); topic,
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
        "# The expected statuses are the engine's answers for this case today: do not edit them by hand.",
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
