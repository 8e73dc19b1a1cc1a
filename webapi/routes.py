"""The server's own routes (Starlette): thin wrappers over :mod:`integration`.

Every answer under ``/api/`` and ``/cds-services`` is JSON, including unknown paths (404) and wrong
methods (405): without the catch-all routes at the end, Streamlit would answer any GET with its page.
Nothing a request carries is logged; log lines name the route, the status and the time taken only.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from integration import api, cds, config, security, store
from integration.httpjson import (
    MAX_API_BODY,
    MAX_CDS_BODY,
    BodyError,
    check_content_type,
    check_declared_length,
    parse_json,
    too_large,
)
from integration.store import StoreUnavailable

LOG = logging.getLogger("ci_dss.server")
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
Handler = Callable[[Request], Awaitable[Response]]


def configure_logging() -> None:
    """One stderr handler for the ``ci_dss`` loggers (INFO), added once per process; warns if the dev switch is on."""
    logger = logging.getLogger("ci_dss")
    if not any(getattr(h, "_ci_dss", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._ci_dss = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        if config.unsigned_allowed():
            LOG.warning("DEVELOPMENT SWITCH ON (%s): CDS Hooks requests are accepted without a valid JWT",
                        config.ALLOW_UNSIGNED)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return json_response(status, {"error": message, **extra})


async def not_found(request: Request) -> Response:
    """404 JSON for any path under ``/api/`` or ``/cds-services/`` that no route serves."""
    return error(404, "not found")


def endpoint(methods: Iterable[str], handler: Handler) -> Handler:
    """``handler`` for ``methods`` (HEAD with GET); any other method gets 405 JSON naming the allowed ones."""
    allowed = {m.upper() for m in methods}
    if "GET" in allowed:
        allowed.add("HEAD")

    async def dispatch(request: Request) -> Response:
        if request.method not in allowed:
            shown = sorted(allowed - {"HEAD"})
            return error(405, f"method {request.method} not allowed; use {', '.join(shown)}", allowed=shown)
        try:
            return await handler(request)
        except Exception as exc:  # a bug must not leak a traceback (or the request's content) into the log or answer
            LOG.error("%s failed: %s", getattr(handler, "__name__", "route"), type(exc).__name__)
            return error(500, "internal error")

    dispatch.__name__ = getattr(handler, "__name__", "dispatch")
    return dispatch


def route(path: str, methods: Iterable[str], handler: Handler) -> Route:
    return Route(path, endpoint(methods, handler), methods=ALL_METHODS)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed ``limit`` (declared or streamed)."""
    check_declared_length(request.headers.get("content-length"), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int = MAX_API_BODY) -> Any:
    """The JSON body (size first, then JSON only, then parsed); :class:`BodyError` otherwise."""
    check_declared_length(request.headers.get("content-length"), limit)
    check_content_type(request.headers.get("content-type"))
    return parse_json(await read_body(request, limit))


def body_error(exc: BodyError) -> JSONResponse:
    return json_response(exc.status, {"errors": exc.errors})


# --- /api ----------------------------------------------------------------------------------------


async def api_health(request: Request) -> Response:
    """``GET /api/health``: 200 while the server runs (for load balancers and probes)."""
    return json_response(200, api.health())


async def api_evaluate(request: Request) -> Response:
    """``POST /api/evaluate?profile=acog|rcog``: the case JSON to the assessment JSON (422 lists the problems)."""
    started = time.perf_counter()
    try:
        data = await read_json(request)
    except BodyError as exc:
        LOG.info("api/evaluate: %s (%s)", exc.status, "body refused")
        return body_error(exc)
    params = request.query_params
    profile = params.getlist("profile")[-1] if "profile" in params else None
    status, body = api.evaluate_payload(data, profile)
    LOG.info("api/evaluate: %s in %.1f ms", status, (time.perf_counter() - started) * 1000)
    return json_response(status, body)


# --- /cds-services --------------------------------------------------------------------------------


def app_base(request: Request) -> str:
    """The server's public base URL (``CI_DSS_PUBLIC_URL``), else the one this request was sent to."""
    return config.public_url() or str(request.base_url).rstrip("/")


def endpoint_url(request: Request) -> str:
    """The exact URL of the endpoint called (the JWT audience): public base URL + path."""
    return app_base(request) + request.url.path


def _remember(issuer: str, jti: str, exp: int) -> bool:
    return store.remember_jti(issuer, jti, datetime.fromtimestamp(exp, UTC), datetime.now(UTC))


def _refusal(authorization: str | None, audience: str) -> str | None:
    """None when the request may proceed, else the refusal's category (for the log only)."""
    if config.unsigned_allowed():
        return None
    try:
        issuers = security.load_issuers()
    except security.IssuerConfigError as exc:
        LOG.error("CDS issuer allow-list cannot be used: %s", exc)
        issuers = {}
    try:
        security.verify(security.bearer(authorization), audience, issuers, time.time(), _remember)
    except security.InvalidToken as exc:
        return exc.reason
    return None


UNAUTHORIZED = (401, {"error": "invalid token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
UNAVAILABLE = (503, {"error": "the database is unavailable"}, {})


def _checked(authorization: str | None, audience: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
    """None for a request with a valid JWT (or with the development switch on), else the 401 (or 503) answer."""
    try:
        reason = _refusal(authorization, audience)
    except StoreUnavailable:
        LOG.warning("CDS token check: database unavailable")
        return UNAVAILABLE
    if reason is None:
        return None
    LOG.info("CDS request refused: %s", reason)
    return UNAUTHORIZED


async def authorize(request: Request) -> Response | None:
    """:func:`_checked` off the event loop, as a response."""
    denied = await run_in_threadpool(_checked, request.headers.get("authorization"), endpoint_url(request))
    return None if denied is None else json_response(denied[0], denied[1], headers=denied[2])


async def cds_discovery(request: Request) -> Response:
    """``GET /cds-services``: the service list (public: it holds no patient data)."""
    return json_response(200, cds.discovery())


def _patient_view(authorization: str | None, audience: str, content_type: str | None, raw: bytes,
                  base: str) -> tuple[int, dict[str, Any], dict[str, str], int]:
    """The whole call in one worker thread: token, body, mapping, evaluation, cards recorded for feedback."""
    denied = _checked(authorization, audience)
    if denied is not None:
        return (*denied, 0)
    try:
        check_content_type(content_type)
        data = parse_json(raw)
    except BodyError as exc:
        return exc.status, {"errors": exc.errors}, {}, 0
    outcome = cds.patient_view(data, date.today(), base, config.cds_profile())
    if outcome.status == 200 and outcome.cards:
        from decision import knowledge

        try:
            store.record_cards([(c.uuid, c.key, c.summary) for c in outcome.cards], outcome.profile,
                               knowledge().version, date.today())
        except StoreUnavailable:
            LOG.warning("patient-view: cards not recorded for feedback (database unavailable)")
    return outcome.status, outcome.body, {}, len(outcome.cards)


async def cds_service(request: Request) -> Response:
    """``POST /cds-services/{id}``: the prefetch mapped, evaluated and answered with cards (400, 412 as the spec says).

    Only the body's size is checked before the token (413); everything else after it, in one worker thread.
    """
    started = time.perf_counter()
    if request.path_params["service_id"] != cds.SERVICE_ID:
        return await not_found(request)
    try:
        raw = await read_body(request, MAX_CDS_BODY)
    except BodyError as exc:
        LOG.info("cds-services/%s: %s (body refused)", cds.SERVICE_ID, exc.status)
        return body_error(exc)
    status, body, headers, cards = await run_in_threadpool(
        _patient_view, request.headers.get("authorization"), endpoint_url(request), request.headers.get("content-type"),
        raw, app_base(request))
    LOG.info("cds-services/%s: %s, %d card(s) in %.1f ms", cds.SERVICE_ID, status, cards,
             (time.perf_counter() - started) * 1000)
    return json_response(status, body, headers=headers)


def _feedback(items: list[cds.FeedbackItem]) -> dict[str, int]:
    return store.record_feedback([(i.card, i.outcome, i.reason_code()) for i in items], date.today())


async def cds_feedback(request: Request) -> Response:
    """``POST /cds-services/{id}/feedback``: accepted / overridden outcomes counted per card (no identifiers kept)."""
    if request.path_params["service_id"] != cds.SERVICE_ID:
        return await not_found(request)
    denied = await authorize(request)
    if denied is not None:
        return denied
    try:
        data = await read_json(request, MAX_API_BODY)
    except BodyError as exc:
        return body_error(exc)
    items, problems = cds.parse_feedback(data)
    if problems:
        return json_response(400, {"error": "invalid feedback", "errors": problems})
    try:
        result = await run_in_threadpool(_feedback, items)
    except StoreUnavailable:
        LOG.warning("feedback: not stored (database unavailable)")
        return error(503, "the database is unavailable; feedback was not stored")
    LOG.info("cds-services/%s/feedback: %d stored, %d for unknown cards", cds.SERVICE_ID, result["stored"],
             result["unknown_cards"])
    return json_response(200, result)


def catch_all() -> list[BaseRoute]:
    """JSON 404s for everything else under the server's own prefixes (registered last)."""
    return [
        Route("/api", not_found, methods=ALL_METHODS),
        Route("/api/{rest:path}", not_found, methods=ALL_METHODS),
        Route("/cds-services/{rest:path}", not_found, methods=ALL_METHODS),
    ]


ROUTES: list[BaseRoute] = [
    route("/api/health", ["GET"], api_health),
    route("/api/evaluate", ["POST"], api_evaluate),
    route("/cds-services", ["GET"], cds_discovery),
    route("/cds-services/{service_id}", ["POST"], cds_service),
    route("/cds-services/{service_id}/feedback", ["POST"], cds_feedback),
    *catch_all(),
]
