"""Request-body rules shared by the server's routes: a size limit, JSON only, one error per problem.

Pure functions; the Starlette layer (:mod:`webapi.routes`) reads the bytes and maps
:class:`BodyError` to its HTTP status. Messages never repeat the body's content.
"""

from __future__ import annotations

import json
from typing import Any

#: Largest body accepted by ``POST /api/evaluate`` and the feedback endpoint (bytes).
MAX_API_BODY = 64 * 1024
#: Largest body accepted by a CDS Hooks service call (prefetched FHIR bundles are bigger than a case).
MAX_CDS_BODY = 1024 * 1024


class BodyError(ValueError):
    """A request body that cannot be used: ``status`` is the HTTP status, ``errors`` the ``{path, message}`` list."""

    def __init__(self, status: int, message: str, path: str = "(input)"):
        self.status = status
        self.errors = [{"path": path, "message": message}]
        super().__init__(message)


def too_large(limit: int) -> BodyError:
    return BodyError(413, f"the request body is larger than {limit // 1024} KB (the limit)")


def check_content_type(content_type: str | None) -> None:
    """JSON only: ``application/json`` or ``application/<something>+json`` (parameters such as charset allowed)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        return
    shown = media[:60] or "none"
    raise BodyError(415, f"the body must be JSON sent with Content-Type: application/json (got {shown})",
                    path="(content-type)")


def check_declared_length(content_length: str | None, limit: int) -> None:
    """Refuse early when ``Content-Length`` already says the body is too large (or is not a number)."""
    if content_length is None:
        return
    try:
        declared = int(content_length)
    except ValueError:
        raise BodyError(400, "Content-Length is not a number", path="(content-length)") from None
    if declared > limit:
        raise too_large(limit)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(body: bytes) -> Any:
    """The JSON document in ``body`` (UTF-8), or :class:`BodyError` 400 saying where it is malformed."""
    if not body.strip():
        raise BodyError(400, "empty body (expected a JSON document)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(400, f"the body is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise BodyError(400, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except ValueError as exc:  # NaN / Infinity
        raise BodyError(400, f"not valid JSON ({exc})") from None
    except RecursionError:
        raise BodyError(400, "not valid JSON (nested too deeply)") from None
