"""Middleware for the server's own routes: CORS on ``/api/`` and ``/cds-services`` only.

The CDS Hooks specification asks for CORS so that browser-based CDS clients (and sandboxes) can
call the service. Authentication is a bearer JWT in the ``Authorization`` header, never a cookie, so
credentials are not allowed and the default origin list is ``*``; set ``CI_DSS_CORS_ORIGINS`` (comma-
separated origins) to narrow it. The Streamlit UI's own paths are left exactly as Streamlit serves them.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from integration.config import cors_origins

#: Path prefixes that get CORS headers (and JSON 404s; see :mod:`webapi.routes`).
CORS_PREFIXES: tuple[str, ...] = ("/api", "/cds-services")


def under_prefixes(path: str, prefixes: Sequence[str] = CORS_PREFIXES) -> bool:
    """Whether ``path`` is one of ``prefixes`` or below it (``/api`` and ``/api/x``, not ``/apix``)."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)


class PathCORSMiddleware:
    """Starlette's CORS middleware, applied only to requests under :data:`CORS_PREFIXES`."""

    def __init__(self, app: ASGIApp, origins: Sequence[str] | None = None,
                 prefixes: Sequence[str] = CORS_PREFIXES) -> None:
        self.app = app
        self.prefixes = tuple(prefixes)
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins if origins is not None else cors_origins()),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            expose_headers=["Content-Location", "Location"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and under_prefixes(scope.get("path", ""), self.prefixes):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


MIDDLEWARE: list[Middleware] = [Middleware(PathCORSMiddleware)]
