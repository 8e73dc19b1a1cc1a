"""Integration with record systems, pure Python (no Streamlit, no web framework).

- :mod:`integration.config`: settings read from the environment (public URL, profile, CORS, issuers).
- :mod:`integration.httpjson`: request-body rules shared by the HTTP routes (size, JSON only).
- :mod:`integration.api`: ``POST /api/evaluate`` as a function (case JSON in, status and JSON out).
- :mod:`integration.mapping`: FHIR R4 resources to a case, driven by ``data/fhir/mapping.yaml``.
- :mod:`integration.cds`: the CDS Hooks 2.0 service (discovery, ``patient-view`` cards, feedback).
- :mod:`integration.security`: the CDS Hooks JWT rules (JWKS per allow-listed issuer, jti replay).
- :mod:`integration.store`: the service's tables in the teaching-progress database (no identifiers).
"""
