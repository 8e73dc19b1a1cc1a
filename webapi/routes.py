"""The server's own routes (Starlette): thin wrappers over :mod:`integration`.

Every answer under ``/api/`` and ``/cds-services`` is JSON, including unknown paths (404) and wrong
methods (405): without the catch-all routes at the end, Streamlit would answer any GET with its page.
Nothing a request carries is logged; log lines name the route, the status and the time taken only.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

LOG = logging.getLogger("ci_dss.server")
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
Handler = Callable[[Request], Awaitable[Response]]


def configure_logging() -> None:
    """One stderr handler for the ``ci_dss`` loggers (INFO), added once per process."""
    logger = logging.getLogger("ci_dss")
    if not any(getattr(h, "_ci_dss", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._ci_dss = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return json_response(status, {"error": message, **extra})


async def not_found(request: Request) -> Response:
    """404 JSON for any path under ``/api/`` or ``/cds-services/`` that no route serves."""
    return error(404, "not found", path=request.url.path[:200])


def endpoint(methods: Iterable[str], handler: Handler) -> Handler:
    """``handler`` for ``methods`` (HEAD with GET); any other method gets 405 JSON naming the allowed ones."""
    allowed = {m.upper() for m in methods}
    if "GET" in allowed:
        allowed.add("HEAD")

    async def dispatch(request: Request) -> Response:
        if request.method not in allowed:
            shown = sorted(allowed - {"HEAD"})
            return error(405, f"method {request.method} not allowed; use {', '.join(shown)}", allowed=shown)
        return await handler(request)

    dispatch.__name__ = getattr(handler, "__name__", "dispatch")
    return dispatch


def route(path: str, methods: Iterable[str], handler: Handler) -> Route:
    return Route(path, endpoint(methods, handler), methods=ALL_METHODS)


def catch_all() -> list[BaseRoute]:
    """JSON 404s for everything else under the server's own prefixes (registered last)."""
    return [
        Route("/api", not_found, methods=ALL_METHODS),
        Route("/api/{rest:path}", not_found, methods=ALL_METHODS),
        Route("/cds-services/{rest:path}", not_found, methods=ALL_METHODS),
    ]


ROUTES: list[BaseRoute] = [
    *catch_all(),
]
