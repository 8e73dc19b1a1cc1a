"""The CDS Hooks 2.0 service as pure functions: discovery, the ``patient-view`` call, feedback bodies.

The web layer authenticates the request (:mod:`integration.security`), reads the body, calls
:func:`patient_view` with today's date and the app's public URL, stores the cards it issued and the
feedback (:mod:`integration.store`), and writes the JSON. Nothing from the request's ``context``
(patient, user or encounter ids), ``fhirServer``, ``fhirAuthorization`` or ``hookInstance`` is
returned, stored or logged; the prefetch goes through :mod:`integration.mapping`, which drops
identifiers on entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from decision import CaseValidationError, evaluate_case, parse_case

from .cards import OVERRIDE_REASONS, OVERRIDE_SYSTEM, IssuedCard, build_cards
from .mapping import FhirMapping, MappedRecord, map_prefetch, mapping

SERVICE_ID = "cervical-insufficiency"
HOOK = "patient-view"
TITLE = "Cervical insufficiency decision support"
DESCRIPTION = (
    "When a pregnant patient's chart opens: reads the gestational age or due date, transvaginal cervical lengths, "
    "rupture of membranes and history codes from the prefetched record, evaluates them against the cervical-"
    "insufficiency rules of the configured guideline profile (ACOG/SMFM or RCOG/NICE) and returns cards for "
    "critical alerts, recommended options and options to consider, each linking into the app with the case filled "
    "in. Supports, and does not replace, clinical judgment."
)
USAGE = (
    "Needs the prefetch templates below (a required one missing from the request is answered with 412; the service "
    "does not query the FHIR server itself). Requests carry a signed JWT as the CDS Hooks specification describes, "
    "from an issuer on the service's allow-list."
)


def discovery(spec: FhirMapping | None = None) -> dict[str, Any]:
    """``GET /cds-services``: one service on the ``patient-view`` hook, with prefetch templates (no Patient)."""
    spec = spec or mapping()
    return {"services": [{
        "hook": HOOK, "title": TITLE, "description": DESCRIPTION, "id": SERVICE_ID,
        "prefetch": spec.prefetch_templates(), "usageRequirements": USAGE,
    }]}


# --- the service call -------------------------------------------------------------------------------


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ServiceRequest(_Open):
    """The parts of a CDS Hooks request body that are checked (values are never echoed)."""

    hook: str
    hookInstance: str = Field(min_length=1, max_length=200)
    fhirServer: str | None = None
    fhirAuthorization: dict[str, Any] | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None


@dataclass
class Outcome:
    """What the web layer answers: a status, a JSON body and (on 200) the cards to record for feedback."""

    status: int
    body: dict[str, Any]
    cards: list[IssuedCard] = field(default_factory=list)
    record: MappedRecord | None = None
    profile: str = "acog"


def request_problems(data: Any) -> list[dict[str, str]]:
    """``{path, message}`` for each problem with a request body (never with the offending value)."""
    if not isinstance(data, Mapping):
        return [{"path": "(body)", "message": "must be a JSON object (a CDS Hooks request)"}]
    try:
        request = ServiceRequest.model_validate(data)
    except ValidationError as exc:
        return [{"path": ".".join(str(p) for p in e["loc"]) or "(body)", "message": e["type"].replace("_", " ")}
                for e in exc.errors(include_url=False)]
    problems = []
    if request.hook != HOOK:
        problems.append({"path": "hook", "message": f"this service answers the {HOOK} hook only"})
    for name in ("patientId", "userId"):
        if not isinstance(request.context.get(name), str):
            problems.append({"path": f"context.{name}", "message": f"required by the {HOOK} hook"})
    if request.prefetch is not None and not isinstance(request.prefetch, dict):
        problems.append({"path": "prefetch", "message": "must be an object"})
    return problems


def _unavailable(value: Any) -> bool:
    """A prefetch value the record system could not fill (an OperationOutcome instead of data)."""
    return isinstance(value, Mapping) and value.get("resourceType") == "OperationOutcome"


def missing_prefetch(prefetch: Mapping[str, Any] | None, spec: FhirMapping) -> list[str]:
    """Required prefetch keys absent from the request (or answered with an OperationOutcome); null is 'no data'."""
    given = prefetch or {}
    return [key for key in spec.required_prefetch() if key not in given or _unavailable(given[key])]


def patient_view(data: Any, today: date, app_url: str, profile: str = "acog",
                 spec: FhirMapping | None = None) -> Outcome:
    """One ``patient-view`` call: 400 for a malformed request, 412 for missing prefetch, else 200 with cards."""
    spec = spec or mapping()
    problems = request_problems(data)
    if problems:
        return Outcome(400, {"error": "invalid request", "errors": problems})
    prefetch = data.get("prefetch")
    missing = missing_prefetch(prefetch, spec)
    if missing:
        return Outcome(412, {"error": "missing prefetch", "missing": missing,
                             "message": "The service needs these prefetch keys and does not query the FHIR server "
                                        "itself."})
    record = map_prefetch(prefetch or {}, today, spec)
    assessment = None
    if record.has_gestational_age:
        try:
            assessment = evaluate_case(parse_case(record.case), profile, explain=False).to_dict()
        except CaseValidationError:  # defensive: the mapping already dropped values the engine refuses together
            record.case.pop("gestational_age", None)
            record.provenance.pop("gestational_age", None)
    cards = build_cards(record, assessment, app_url, profile)
    return Outcome(200, {"cards": [c.card for c in cards]}, cards, record, profile)


# --- feedback ---------------------------------------------------------------------------------------


class _Coding(_Open):
    system: str | None = None
    code: str | None = None


class _OverrideReason(_Open):
    reason: _Coding | None = None
    userComment: str | None = None  # validated, never stored (it can hold anything)


class _Accepted(_Open):
    id: str


class FeedbackItem(_Open):
    card: str = Field(min_length=1, max_length=100)
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[_Accepted] | None = None
    overrideReason: _OverrideReason | None = None
    outcomeTimestamp: str = Field(min_length=1, max_length=64)

    def reason_code(self) -> str | None:
        """Our own override-reason code, ``other`` for a reason from another code system, None without one."""
        reason = self.overrideReason.reason if self.overrideReason else None
        if reason is None or reason.code is None:
            return None
        if reason.system == OVERRIDE_SYSTEM and reason.code in OVERRIDE_REASONS:
            return reason.code
        return "other"


class FeedbackBody(_Open):
    feedback: list[FeedbackItem] = Field(min_length=1, max_length=100)


def parse_feedback(data: Any) -> tuple[list[FeedbackItem], list[dict[str, str]]]:
    """The feedback items, or the ``{path, message}`` problems (never with the offending value)."""
    try:
        body = FeedbackBody.model_validate(data)
    except ValidationError as exc:
        return [], [{"path": ".".join(str(p) for p in e["loc"]) or "(body)", "message": e["type"].replace("_", " ")}
                    for e in exc.errors(include_url=False)]
    return body.feedback, []
