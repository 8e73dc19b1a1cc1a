"""Test signing keys for the CDS Hooks JWT tests (generated per session; nothing on disk but the public JWKS)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

TEST_ISSUER = "https://ehr.test.invalid/"
KID = "test-key-1"


@dataclass
class SigningKeys:
    private: ec.EllipticCurvePrivateKey
    other: ec.EllipticCurvePrivateKey  # not in the JWKS: a bad signature
    jwks: dict[str, Any]

    def token(self, aud: str | list[str], *, iss: str = TEST_ISSUER, kid: str = KID, lifetime: int = 120,
              iat: float | None = None, jti: str | None = None, key: Any = None, drop: tuple[str, ...] = (),
              alg: str = "ES384", **extra: Any) -> str:
        now = time.time() if iat is None else iat
        claims = {"iss": iss, "aud": aud, "iat": int(now), "exp": int(now) + lifetime,
                  "jti": jti or str(uuid.uuid4()), **extra}
        for name in drop:
            claims.pop(name, None)
        return jwt.encode(claims, key or self.private, algorithm=alg, headers={"kid": kid, "typ": "JWT"})


def make_keys() -> SigningKeys:
    private = ec.generate_private_key(ec.SECP384R1())
    other = ec.generate_private_key(ec.SECP384R1())
    jwk = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": KID, "use": "sig", "alg": "ES384"})
    return SigningKeys(private=private, other=other, jwks={"keys": [jwk]})
