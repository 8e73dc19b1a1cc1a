"""CDS Hooks request authentication: a signed JWT from an allow-listed record system (pure, PyJWT).

What the CDS Hooks specification ("Trusting CDS Clients") asks, checked in this order:

- ``Authorization: Bearer <JWT>`` on every service and feedback call;
- the issuer (``iss``) is on the allow-list, which gives its JWK Set (inline, or a file; the service
  never fetches keys over the network, and a ``jku`` header must be one the issuer's entry lists);
- the header's ``kid`` names a key of that set, and ``alg`` is an asymmetric algorithm allowed for the
  issuer (ES384 and RS384 are the specification's recommendation; ``none`` and HMAC are never allowed);
- the signature verifies; ``aud`` is exactly the URL of the endpoint called; ``exp`` has not passed;
  ``iat`` is not in the future; the token lives at most :data:`MAX_LIFETIME` seconds;
- ``jti`` has not been seen before (remembered in the shared database until the token expires, so
  replicas agree).

Every failure is :class:`InvalidToken`; the web layer answers 401 ``{"error": "invalid token"}`` and
logs only the failure's category, never the token or its claims.

The allow-list is JSON or YAML, from ``CI_DSS_CDS_ISSUERS`` (inline) or ``CI_DSS_CDS_ISSUERS_FILE``::

    issuers:
      - iss: https://ehr.example.org/
        jwks: {keys: [{kty: EC, crv: P-384, kid: ehr-1, x: ..., y: ...}]}   # or jwks_file: /etc/ci-dss/ehr.jwks.json
        algorithms: [ES384]                                                 # optional (default: asymmetric ones)
        jku: [https://ehr.example.org/jwks]                                 # optional: accepted jku headers
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import yaml
from jwt import PyJWK, PyJWKSet

from . import config

#: Clock skew tolerated on ``exp`` and ``iat`` (seconds).
LEEWAY = 30
#: Longest accepted token lifetime (``exp`` - now, seconds): the specification's tokens are short-lived.
MAX_LIFETIME = 300
#: Asymmetric algorithms accepted unless an issuer's entry narrows them.
DEFAULT_ALGORITHMS = ("ES384", "RS384", "ES256", "RS256", "ES512", "RS512", "PS256", "PS384", "PS512")
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]


class InvalidToken(Exception):
    """No valid token; ``reason`` is a category for the log ("missing", "expired", ...), never shown to the caller."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class IssuerConfigError(ValueError):
    """The issuer allow-list cannot be used; the message names the problem (never a key)."""


@dataclass(frozen=True)
class Issuer:
    iss: str
    keys: Mapping[str, PyJWK]
    algorithms: tuple[str, ...]
    jku: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verified:
    """What a valid token established (kept for the request only)."""

    iss: str
    jti: str
    exp: int


def _read_document(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError:
            raise IssuerConfigError(f"{where}: not valid JSON or YAML") from None


def _issuer(entry: Any, index: int, base: Path | None) -> Issuer:
    where = f"issuers[{index}]"
    if not isinstance(entry, Mapping) or not isinstance(entry.get("iss"), str) or not entry["iss"]:
        raise IssuerConfigError(f"{where}.iss: required (the issuer URI of the record system)")
    jwks = entry.get("jwks")
    if jwks is None and isinstance(entry.get("jwks_file"), str):
        path = Path(entry["jwks_file"])
        if base is not None and not path.is_absolute():
            path = base / path
        try:
            jwks = _read_document(path.read_text(encoding="utf-8"), f"{where}.jwks_file")
        except OSError:
            raise IssuerConfigError(f"{where}.jwks_file: cannot be read ({path})") from None
    if not isinstance(jwks, Mapping):
        raise IssuerConfigError(f"{where}: needs jwks (a JWK Set) or jwks_file")
    try:
        keyset = PyJWKSet.from_dict(dict(jwks))
    except (jwt.exceptions.PyJWKSetError, jwt.exceptions.PyJWKError, ValueError, TypeError):
        raise IssuerConfigError(f"{where}.jwks: no usable public key") from None
    keys = {k.key_id: k for k in keyset.keys if k.key_id}
    if not keys:
        raise IssuerConfigError(f"{where}.jwks: no key has a kid (the specification requires one)")
    if any(getattr(k.key, "private_numbers", None) is not None for k in keys.values()):
        raise IssuerConfigError(f"{where}.jwks: holds a private key; configure the public key only")
    algorithms = entry.get("algorithms", DEFAULT_ALGORITHMS)
    if not isinstance(algorithms, list | tuple) or not algorithms or any(a not in DEFAULT_ALGORITHMS for a in algorithms):
        raise IssuerConfigError(f"{where}.algorithms: choose from {', '.join(DEFAULT_ALGORITHMS)} (asymmetric only)")
    jku = entry.get("jku", [])
    if not isinstance(jku, list) or not all(isinstance(u, str) for u in jku):
        raise IssuerConfigError(f"{where}.jku: a list of URLs")
    return Issuer(entry["iss"], keys, tuple(algorithms), tuple(jku))


def parse_issuers(document: Any, base: Path | None = None) -> dict[str, Issuer]:
    """The allow-list document (``{"issuers": [...]}``) to issuers by ``iss``; IssuerConfigError names a problem."""
    if not isinstance(document, Mapping) or not isinstance(document.get("issuers"), list):
        raise IssuerConfigError("the issuer allow-list must be an object with an 'issuers' list")
    issuers: dict[str, Issuer] = {}
    for index, entry in enumerate(document["issuers"]):
        issuer = _issuer(entry, index, base)
        if issuer.iss in issuers:
            raise IssuerConfigError(f"issuers[{index}].iss: listed twice")
        issuers[issuer.iss] = issuer
    return issuers


@functools.lru_cache(maxsize=8)
def _load(inline: str, file: str, stamp: float) -> dict[str, Issuer]:
    if inline.strip():
        return parse_issuers(_read_document(inline, config.ISSUERS))
    if file:
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise IssuerConfigError(f"{config.ISSUERS_FILE}: cannot be read ({path})") from None
        return parse_issuers(_read_document(text, str(path)), path.parent)
    return {}


def load_issuers(environ: Mapping[str, str] | None = None) -> dict[str, Issuer]:
    """The configured allow-list (re-read when the file changes); IssuerConfigError when it cannot be used."""
    env = os.environ if environ is None else environ
    inline = env.get(config.ISSUERS) or ""
    file = (env.get(config.ISSUERS_FILE) or "").strip()
    stamp = 0.0
    if file and not inline.strip():
        try:
            stamp = Path(file).stat().st_mtime
        except OSError:
            stamp = -1.0
    return _load(inline, file, stamp)


def bearer(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; InvalidToken("missing") otherwise."""
    if not authorization:
        raise InvalidToken("missing")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 16_384:
        raise InvalidToken("missing")
    return token.strip()


def verify(token: str, audience: str, issuers: Mapping[str, Issuer], now: float,
           remember: Callable[[str, str, int], bool]) -> Verified:
    """Check ``token`` for the endpoint ``audience``; ``remember(iss, jti, exp)`` returns False for a replay."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.exceptions.PyJWTError:
        raise InvalidToken("malformed") from None
    issuer = issuers.get(unverified.get("iss")) if isinstance(unverified.get("iss"), str) else None
    if issuer is None:
        raise InvalidToken("unknown issuer")
    algorithm = header.get("alg")
    if algorithm not in issuer.algorithms:
        raise InvalidToken("algorithm not allowed")
    typ = header.get("typ")
    if typ is not None and str(typ).upper() != "JWT":
        raise InvalidToken("malformed")
    jku = header.get("jku")
    if jku is not None and jku not in issuer.jku:
        raise InvalidToken("jku not allowed")
    key = issuer.keys.get(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if key is None:
        raise InvalidToken("unknown key")
    try:
        claims = jwt.decode(token, key=key, algorithms=[algorithm], audience=audience, issuer=issuer.iss, leeway=LEEWAY,
                            options={"require": REQUIRED_CLAIMS, "verify_iat": True})
    except jwt.exceptions.InvalidSignatureError:
        raise InvalidToken("bad signature") from None
    except jwt.exceptions.ExpiredSignatureError:
        raise InvalidToken("expired") from None
    except jwt.exceptions.InvalidAudienceError:
        raise InvalidToken("wrong audience") from None
    except jwt.exceptions.ImmatureSignatureError:
        raise InvalidToken("issued in the future") from None
    except jwt.exceptions.MissingRequiredClaimError:
        raise InvalidToken("claim missing") from None
    except jwt.exceptions.PyJWTError:
        raise InvalidToken("invalid") from None
    exp, iat, jti = claims["exp"], claims["iat"], claims["jti"]
    if not isinstance(exp, int | float) or not isinstance(iat, int | float) or exp - now > MAX_LIFETIME + LEEWAY:
        raise InvalidToken("lifetime too long")
    if not isinstance(jti, str) or not 0 < len(jti) <= 255:
        raise InvalidToken("bad jti")
    if not remember(issuer.iss, jti, int(exp)):
        raise InvalidToken("replayed")
    return Verified(issuer.iss, jti, int(exp))
