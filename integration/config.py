"""Settings read from the environment (each with a safe default); no Streamlit, no web framework.

| variable | what | default |
|---|---|---|
| ``CI_DSS_PUBLIC_URL`` | base URL as record systems reach it: JWT audience, card links | each request's URL |
| ``CI_DSS_CDS_PROFILE`` | guideline profile of the CDS service (``acog`` or ``rcog``) | ``acog`` |
| ``CI_DSS_CDS_ISSUERS`` | allow-listed JWT issuers and their JWKS, inline JSON | (none) |
| ``CI_DSS_CDS_ISSUERS_FILE`` | the same, in a JSON or YAML file | (none) |
| ``CI_DSS_CDS_ALLOW_UNSIGNED`` | development only: ``1`` accepts CDS requests without a valid JWT | off |
| ``CI_DSS_CORS_ORIGINS`` | comma-separated origins allowed by CORS on ``/api/`` and ``/cds-services`` | ``*`` |
| ``CI_DSS_FHIR_MAPPING`` | a site's own FHIR mapping file instead of ``data/fhir/mapping.yaml`` | (none) |
| ``CI_DSS_DATABASE_URL`` | the database shared with teaching progress (:mod:`progress.store`) | ``var/teaching.sqlite3`` |
"""

from __future__ import annotations

import os
from collections.abc import Mapping

PUBLIC_URL = "CI_DSS_PUBLIC_URL"
CDS_PROFILE = "CI_DSS_CDS_PROFILE"
ISSUERS = "CI_DSS_CDS_ISSUERS"
ISSUERS_FILE = "CI_DSS_CDS_ISSUERS_FILE"
ALLOW_UNSIGNED = "CI_DSS_CDS_ALLOW_UNSIGNED"
CORS_ORIGINS = "CI_DSS_CORS_ORIGINS"
FHIR_MAPPING = "CI_DSS_FHIR_MAPPING"

_TRUE = {"1", "true", "yes", "on"}


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def public_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The configured base URL without a trailing slash, or None (then each request's own URL is used)."""
    value = (_env(environ).get(PUBLIC_URL) or "").strip().rstrip("/")
    return value or None


def cds_profile(environ: Mapping[str, str] | None = None) -> str:
    """The CDS service's guideline profile: ``acog`` unless ``CI_DSS_CDS_PROFILE`` names another known one."""
    from decision import PROFILES

    value = (_env(environ).get(CDS_PROFILE) or "").strip().lower()
    return value if value in PROFILES else "acog"


def unsigned_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """The development switch: CDS requests are accepted without a valid JWT. Off unless set to 1/true/yes/on."""
    return (_env(environ).get(ALLOW_UNSIGNED) or "").strip().lower() in _TRUE


def cors_origins(environ: Mapping[str, str] | None = None) -> list[str]:
    """Origins allowed by CORS on the server's own routes (``["*"]`` unless configured)."""
    value = _env(environ).get(CORS_ORIGINS) or ""
    origins = [item.strip() for item in value.split(",") if item.strip()]
    return origins or ["*"]


def mapping_path(environ: Mapping[str, str] | None = None) -> str | None:
    """A site's FHIR mapping file, if ``CI_DSS_FHIR_MAPPING`` is set."""
    value = (_env(environ).get(FHIR_MAPPING) or "").strip()
    return value or None
