"""CDS Hooks security: every JWT failure is a bare 401, jti replays are refused across replicas, the development
switch is off by default and announced when on, and identifiers never reach the response, the database or the log."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jwt
import pytest
from ehrserver import Running, call, serve
from fhirgen import BIRTH_DATE, MRN, PATIENT_NAME, case_prefetch, hook_request
from signingkeys import KID, TEST_ISSUER, SigningKeys
from streamlit.testing.v1 import AppTest

from integration import cds, security
from integration.cards import OVERRIDE_SYSTEM
from progress.store import dispose_engines

SERVICE = f"/cds-services/{cds.SERVICE_ID}"
FEEDBACK = SERVICE + "/feedback"
CASE = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"length_mm": 15},
        "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 5}}}
ROOT = Path(__file__).resolve().parents[2]
INVALID = {"error": "invalid token"}


def body() -> dict[str, Any]:
    return hook_request(case_prefetch(CASE, date.today()))


def post(server: Running, path: str, headers: dict[str, str] | None, payload: Any = None) -> Any:
    payload = payload if payload is not None else (body() if path == SERVICE else
                                                    {"feedback": [{"card": str(uuid.uuid4()), "outcome": "accepted",
                                                                   "outcomeTimestamp": "2026-12-01T10:00:00Z"}]})
    return call(server.url + path, "POST", body=payload, headers={"Content-Type": "application/json", **(headers or {})})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(aud: str) -> str:
    now = int(time.time())
    claims = {"iss": TEST_ISSUER, "aud": aud, "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())}
    return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{_b64(claims)}."


FAILURES: dict[str, Any] = {
    "missing header": lambda keys, aud: {},
    "not a bearer token": lambda keys, aud: {"Authorization": "Basic dXNlcjpwYXNz"},
    "empty bearer": lambda keys, aud: {"Authorization": "Bearer "},
    "malformed token": lambda keys, aud: bearer("not.a.jwt"),
    "bad signature": lambda keys, aud: bearer(keys.token(aud, key=keys.other)),
    "unknown issuer": lambda keys, aud: bearer(keys.token(aud, iss="https://other-ehr.invalid/")),
    "unknown kid": lambda keys, aud: bearer(keys.token(aud, kid="another-key")),
    "wrong audience: another endpoint": lambda keys, aud: bearer(keys.token(aud.rsplit("/", 1)[0])),
    "wrong audience: trailing slash": lambda keys, aud: bearer(keys.token(aud + "/")),
    "wrong audience: another host": lambda keys, aud: bearer(keys.token("https://cds.example.org" + SERVICE)),
    "expired": lambda keys, aud: bearer(keys.token(aud, iat=time.time() - 600, lifetime=60)),
    "issued in the future": lambda keys, aud: bearer(keys.token(aud, iat=time.time() + 600)),
    "lifetime too long": lambda keys, aud: bearer(keys.token(aud, lifetime=3600)),
    "missing jti": lambda keys, aud: bearer(keys.token(aud, drop=("jti",))),
    "missing exp": lambda keys, aud: bearer(keys.token(aud, drop=("exp",))),
    "missing iat": lambda keys, aud: bearer(keys.token(aud, drop=("iat",))),
    "missing aud": lambda keys, aud: bearer(keys.token(aud, drop=("aud",))),
    "alg none": lambda keys, aud: bearer(unsigned(aud)),
    "HMAC": lambda keys, aud: bearer(keys.token(aud, key="a-shared-secret-of-32-bytes-long!", alg="HS256")),
    "jku not allowed": lambda keys, aud: bearer(jwt.encode(
        {"iss": TEST_ISSUER, "aud": aud, "iat": int(time.time()), "exp": int(time.time()) + 60, "jti": str(uuid.uuid4())},
        keys.private, algorithm="ES384", headers={"kid": KID, "jku": "https://evil.invalid/jwks"})),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_every_jwt_failure_is_401_invalid_token(server: Running, keys: SigningKeys, failure: str) -> None:
    headers = FAILURES[failure](keys, server.url + SERVICE)
    reply = post(server, SERVICE, headers)
    assert reply.status == 401, failure
    assert reply.json() == INVALID  # nothing about why
    assert reply.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("failure", ["missing header", "bad signature", "unknown issuer", "expired", "wrong audience: "
                                     "another endpoint", "missing jti"])
def test_the_feedback_endpoint_checks_the_same(server: Running, keys: SigningKeys, failure: str) -> None:
    headers = FAILURES[failure](keys, server.url + FEEDBACK)
    reply = post(server, FEEDBACK, headers)
    assert reply.status == 401 and reply.json() == INVALID


def test_a_service_token_is_not_accepted_by_the_feedback_endpoint(server: Running, keys: SigningKeys) -> None:
    assert post(server, FEEDBACK, bearer(keys.token(server.url + SERVICE))).status == 401
    assert post(server, FEEDBACK, bearer(keys.token(server.url + FEEDBACK))).status == 200


def test_a_valid_token_and_an_audience_list(server: Running, keys: SigningKeys) -> None:
    url = server.url + SERVICE
    assert post(server, SERVICE, bearer(keys.token(url))).status == 200
    assert post(server, SERVICE, bearer(keys.token([url, "https://other.invalid/x"]))).status == 200


def test_a_replayed_jti_is_refused_and_remembered_in_the_database(server: Running, keys: SigningKeys, db_path: Path) -> None:
    import sqlite3

    url = server.url + SERVICE
    token = keys.token(url)
    with sqlite3.connect(db_path) as connection:
        before = connection.execute("SELECT COUNT(*) FROM cds_jti").fetchone()[0]
    assert post(server, SERVICE, bearer(token)).status == 200
    replay = post(server, SERVICE, bearer(token))
    assert replay.status == 401 and replay.json() == INVALID
    jti = jwt.decode(token, options={"verify_signature": False})["jti"]
    assert post(server, SERVICE, bearer(keys.token(url, jti=jti))).status == 401  # a new token, the same jti
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM cds_jti").fetchone()[0] == before + 1
        keys_stored = [row[0] for row in connection.execute("SELECT key FROM cds_jti")]
    assert jti not in keys_stored  # a hash of issuer and jti is kept, not the token id itself


# --- replicas, and the development switch, on their own servers ------------------------------------------


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory, keys: SigningKeys) -> Iterator[tuple[Running, Running]]:
    """Two servers behind one public URL, sharing one database."""
    where = tmp_path_factory.mktemp("replicas")
    env = {"CI_DSS_DATABASE_URL": f"sqlite:///{where / 'shared.sqlite3'}", "CI_DSS_PUBLIC_URL": "https://cds.example.org",
           "CI_DSS_CDS_ISSUERS": json.dumps({"issuers": [{"iss": TEST_ISSUER, "jwks": keys.jwks}]}),
           "CI_DSS_CDS_ISSUERS_FILE": "", "CI_DSS_CDS_ALLOW_UNSIGNED": ""}
    with serve(env, where / "a.log") as first, serve(env, where / "b.log") as second:
        yield first, second


def test_replicas_sharing_the_database_agree_on_replays(replicas: tuple[Running, Running], keys: SigningKeys) -> None:
    first, second = replicas
    token = keys.token("https://cds.example.org" + SERVICE)  # the public URL is the audience on both
    assert post(first, SERVICE, bearer(token)).status == 200
    assert post(second, SERVICE, bearer(token)).status == 401
    # links into the app use the public URL too
    reply = post(second, SERVICE, bearer(keys.token("https://cds.example.org" + SERVICE)))
    assert reply.json()["cards"][0]["links"][0]["url"].startswith("https://cds.example.org/options?ga=20+0")


def test_the_development_switch_accepts_unsigned_requests(tmp_path: Path) -> None:
    env = {"CI_DSS_DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}", "CI_DSS_CDS_ALLOW_UNSIGNED": "1",
           "CI_DSS_CDS_ISSUERS": "", "CI_DSS_CDS_ISSUERS_FILE": "", "CI_DSS_PUBLIC_URL": ""}
    with serve(env, tmp_path / "dev.log") as dev:
        assert post(dev, SERVICE, None).status == 200
        assert "DEVELOPMENT SWITCH ON" in dev.log_text()


def test_the_switch_is_off_by_default() -> None:
    assert not security.config.unsigned_allowed({})
    assert not security.config.unsigned_allowed({"CI_DSS_CDS_ALLOW_UNSIGNED": "0"})
    assert security.config.unsigned_allowed({"CI_DSS_CDS_ALLOW_UNSIGNED": "true"})


@pytest.mark.parametrize("on", [False, True])
def test_the_app_says_so_on_screen_when_the_switch_is_on(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    monkeypatch.setenv("CI_DSS_CDS_ALLOW_UNSIGNED", "1" if on else "")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    shown = [w.value for w in at.warning if "Development mode" in w.value]
    assert len(shown) == (1 if on else 0)
    if on:
        assert "CI_DSS_CDS_ALLOW_UNSIGNED" in shown[0] and "without a signed token" in shown[0]


# --- the allow-list --------------------------------------------------------------------------------------


def test_issuers_from_a_file_with_a_jwks_file(tmp_path: Path, keys: SigningKeys) -> None:
    (tmp_path / "ehr.jwks.json").write_text(json.dumps(keys.jwks))
    (tmp_path / "issuers.yaml").write_text(f"issuers:\n  - iss: {TEST_ISSUER}\n    jwks_file: ehr.jwks.json\n"
                                           "    algorithms: [ES384]\n")
    issuers = security.load_issuers({"CI_DSS_CDS_ISSUERS_FILE": str(tmp_path / "issuers.yaml")})
    assert list(issuers) == [TEST_ISSUER] and issuers[TEST_ISSUER].algorithms == ("ES384",)
    seen: set[str] = set()

    def remember(iss: str, jti: str, exp: int) -> bool:
        fresh = jti not in seen
        seen.add(jti)
        return fresh

    token = keys.token("https://cds.example.org/x")
    assert security.verify(token, "https://cds.example.org/x", issuers, time.time(), remember).iss == TEST_ISSUER
    with pytest.raises(security.InvalidToken, match="replayed"):
        security.verify(token, "https://cds.example.org/x", issuers, time.time(), remember)


@pytest.mark.parametrize(("document", "problem"), [
    ({"issuers": [{"jwks": {}}]}, "iss: required"),
    ({"issuers": [{"iss": "https://a/", "jwks": {"keys": []}}]}, "no usable public key"),
    ({"issuers": [{"iss": "https://a/", "jwks_file": "/nonexistent/x.json"}]}, "cannot be read"),
    ({"issuers": [{"iss": "https://a/"}]}, "needs jwks"),
    ({"nope": 1}, "'issuers' list"),
])
def test_a_broken_allow_list_is_named(document: dict, problem: str) -> None:
    with pytest.raises(security.IssuerConfigError, match=problem):
        security.parse_issuers(document)


def test_hmac_is_never_allowed(keys: SigningKeys) -> None:
    with pytest.raises(security.IssuerConfigError, match="asymmetric"):
        security.parse_issuers({"issuers": [{"iss": "https://a/", "jwks": keys.jwks, "algorithms": ["HS256"]}]})


def test_a_private_key_in_the_allow_list_is_refused(keys: SigningKeys) -> None:
    from jwt.algorithms import ECAlgorithm

    private = json.loads(ECAlgorithm.to_jwk(keys.private))
    private["kid"] = "k"
    with pytest.raises(security.IssuerConfigError, match="private key"):
        security.parse_issuers({"issuers": [{"iss": "https://a/", "jwks": {"keys": [private]}}]})


# --- identifiers: never in the response, the database or the log ------------------------------------------

SECRETS = (*PATIENT_NAME, MRN, BIRTH_DATE, "pat-ZQ-5566", "dr-example-42", "enc-7731", "secret-access-token-xyz",
           "ehr.test.invalid/fhir", "Dr Example")


def test_identifiers_never_reach_the_response_the_database_or_the_log(server: Running, keys: SigningKeys,
                                                                      db_path: Path) -> None:
    prefetch = case_prefetch(CASE, date.today(), with_patient=True)
    # an invalid resource carrying the name (its validation error must not repeat it)
    prefetch["cervixLength"]["entry"].append({"resource": {
        "resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org",
                                                                              "code": "11961-0"}]},
        "effectiveDateTime": date.today().isoformat(), "valueQuantity": {"value": " ".join(PATIENT_NAME), "code": "mm"}}})
    request = hook_request(prefetch, encounterId="enc-7731")
    request["fhirAuthorization"] = {"access_token": "secret-access-token-xyz", "token_type": "Bearer", "expires_in": 300,
                                    "scope": "user/Observation.read", "subject": "cds-service"}
    url = server.url + SERVICE
    reply = call(url, "POST", body=request, headers={"Authorization": f"Bearer {keys.token(url)}",
                                                     "Content-Type": "application/json"})
    assert reply.status == 200 and reply.json()["cards"]
    # a malformed request carrying identifiers, and feedback with a comment naming the patient
    bad = {**request, "hook": " ".join(PATIENT_NAME)}
    assert call(url, "POST", body=bad, headers={"Authorization": f"Bearer {keys.token(url)}"}).status == 400
    card = reply.json()["cards"][0]["uuid"]
    feedback_url = server.url + FEEDBACK
    comment = {"card": card, "outcome": "overridden", "outcomeTimestamp": "2026-12-01T10:00:00Z",
               "overrideReason": {"reason": {"system": OVERRIDE_SYSTEM, "code": "patient-preference"},
                                  "userComment": f"{' '.join(PATIENT_NAME)} ({MRN}, born {BIRTH_DATE}) declined"}}
    assert call(feedback_url, "POST", body={"feedback": [comment]},
                headers={"Authorization": f"Bearer {keys.token(feedback_url)}"}).status == 200
    dispose_engines()
    database = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    time.sleep(0.5)  # let the server flush its log
    log = server.log_text()
    assert "cds-services/cervical-insufficiency: 200" in log  # the log is written, with the outcome only
    for secret in SECRETS:
        assert secret not in reply.text, secret
        assert secret.encode() not in database, secret
        assert secret not in log, secret
