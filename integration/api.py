"""``POST /api/evaluate`` as a pure function: the contract's case JSON in, a status and JSON out.

200 with the assessment (contract.md, output); 422 with one ``{"path", "message"}`` per problem, the
same paths and messages as ``python -m decision evaluate`` prints (``path: message``).
"""

from __future__ import annotations

from typing import Any

from decision import PROFILES, CaseValidationError, evaluate_case, knowledge, parse_case


def profile_errors(profile: str | None) -> list[dict[str, str]]:
    """Problems with the ``profile`` query parameter (empty when it is absent or known)."""
    if profile is None or profile in PROFILES:
        return []
    shown = profile if len(profile) <= 40 else profile[:39] + "…"
    return [{"path": "profile", "message": f"must be one of {', '.join(PROFILES)} (got {shown!r})"}]


def evaluate_payload(data: Any, profile: str | None = None) -> tuple[int, dict[str, Any]]:
    """``(200, assessment)`` or ``(422, {"errors": [...]})``; never raises for any JSON value."""
    errors = profile_errors(profile)
    try:
        case = parse_case(data)
    except CaseValidationError as exc:
        errors += [{"path": e.path, "message": e.message} for e in exc.errors]
    if errors:
        return 422, {"errors": errors}
    return 200, evaluate_case(case, profile or "acog").to_dict()


def health() -> dict[str, Any]:
    """What ``GET /api/health`` answers: the service is up, and which knowledge base it serves."""
    kb = knowledge()
    return {"status": "ok", "knowledge_base_version": kb.version, "profiles": list(PROFILES)}
