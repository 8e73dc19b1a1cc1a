"""The CDS Hooks figures: ``patient-view`` calls through the real server (``streamlit run server.py``) on loopback.

A typical call: a signed ES384 JWT (a fresh one per call, signed before the clock starts), a prefetch with the
pregnancy dating (gestational age and due date), three cervical lengths, two conditions and the obstetric
history, as a record system would send it (searchset Bundles, identifier-bearing elements included).
Bounded: a fixed number of calls, each with a timeout; the server is stopped afterwards.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ISSUER = "https://ehr.bench.invalid/"
KID = "bench-key"
SERVICE = "/cds-services/cervical-insufficiency"
CALL_TIMEOUT = 30.0
START_TIMEOUT = 90.0


def _observation(code: str, when: date, **value: Any) -> dict[str, Any]:
    return {"resource": {"resourceType": "Observation", "id": str(uuid.uuid4()), "status": "final",
                         "subject": {"reference": "Patient/bench-1"}, "effectiveDateTime": when.isoformat(),
                         "code": {"coding": [{"system": "http://loinc.org", "code": code}]}, **value}}


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}


def _searchset(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": list(entries)}


def typical_request(today: date) -> dict[str, Any]:
    """A prior-preterm-birth pregnancy at 20+3 with a shortening cervix."""
    start = today - timedelta(days=143)
    condition = {"resourceType": "Condition", "subject": {"reference": "Patient/bench-1"},
                 "clinicalStatus": {"coding": [{"code": "active"}]}}
    return {
        "hook": "patient-view", "hookInstance": str(uuid.uuid4()), "fhirServer": "https://ehr.bench.invalid/fhir",
        "context": {"userId": "Practitioner/bench", "patientId": "bench-1"},
        "prefetch": {
            "pregnancyDating": _searchset(
                _observation("49051-6", today, valueQuantity=_quantity(20.43, "wk")),
                _observation("11778-8", start + timedelta(days=84), valueDateTime=(start + timedelta(days=280)).isoformat())),
            "cervixLength": _searchset(
                _observation("11961-0", today, valueQuantity=_quantity(2.2, "cm")),
                _observation("11961-0", start + timedelta(days=126), valueQuantity=_quantity(2.9, "cm")),
                _observation("11961-0", start + timedelta(days=112), valueQuantity=_quantity(34, "mm"))),
            "conditions": _searchset(
                {"resource": {**condition, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "17382005"}]},
                              "recordedDate": "2023-04-02"}},
                {"resource": {**condition, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "413340008"}]},
                              "recordedDate": "2010-01-01"}}),
            "obstetricHistory": _searchset(_observation("11637-6", date(2023, 4, 2), valueInteger=1)),
        },
    }


class _Signer:
    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec
        from jwt.algorithms import ECAlgorithm

        self.private = ec.generate_private_key(ec.SECP384R1())
        jwk = json.loads(ECAlgorithm.to_jwk(self.private.public_key()))
        jwk.update({"kid": KID, "alg": "ES384", "use": "sig"})
        self.jwks = {"keys": [jwk]}

    def token(self, aud: str) -> str:
        import jwt

        now = int(time.time())
        return jwt.encode({"iss": ISSUER, "aud": aud, "iat": now, "exp": now + 240, "jti": str(uuid.uuid4())},
                          self.private, algorithm="ES384", headers={"kid": KID, "typ": "JWT"})


@contextlib.contextmanager
def _server(env: dict[str, str], log: Path) -> Iterator[str]:
    from tools.serve import free_port, stop, wait_healthy

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port), "--server.address",
               "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, timeout=START_TIMEOUT, process=process)
        yield url
    finally:
        stop(process)


def _call(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, float]:
    """One request on a fresh loopback connection: (status, seconds from sending to the last byte read)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CALL_TIMEOUT)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def measure(sequential: int = 200, clients: int = 10, per_client: int = 10) -> dict[str, Any]:
    """p95 of sequential patient-view calls, the health-route floor, and ``clients`` x ``per_client`` concurrent calls."""
    signer = _Signer()
    body = json.dumps(typical_request(date.today())).encode()
    with tempfile.TemporaryDirectory(prefix="ci-dss-cds-bench-") as tmp:
        env = {"CI_DSS_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "CI_DSS_CDS_ALLOW_UNSIGNED": "",
               "CI_DSS_CDS_ISSUERS": json.dumps({"issuers": [{"iss": ISSUER, "jwks": signer.jwks}]}),
               "CI_DSS_CDS_ISSUERS_FILE": "", "CI_DSS_PUBLIC_URL": "", "CI_DSS_FHIR_MAPPING": ""}
        with _server(env, Path(tmp) / "server.log") as url:
            port = int(url.rsplit(":", 1)[1])
            audience = url + SERVICE

            def headers() -> dict[str, str]:
                return {"Content-Type": "application/json", "Authorization": f"Bearer {signer.token(audience)}"}

            for _ in range(20):  # warm-up: imports, mapping and knowledge base loaded, database created
                status, _ = _call(port, "POST", SERVICE, body, headers())
                if status != 200:
                    raise RuntimeError(f"warm-up call answered {status}")
            floor = [_call(port, "GET", "/api/health", None, {})[1] for _ in range(sequential)]
            signed = [headers() for _ in range(sequential)]
            times, errors = [], 0
            for h in signed:
                status, seconds = _call(port, "POST", SERVICE, body, h)
                times.append(seconds)
                errors += status != 200
            concurrent_headers = [[headers() for _ in range(per_client)] for _ in range(clients)]
            results: list[tuple[int, float]] = []
            lock = threading.Lock()

            def client(batch: list[dict[str, str]]) -> None:
                for h in batch:
                    try:
                        outcome = _call(port, "POST", SERVICE, body, h)
                    except OSError:
                        outcome = (0, CALL_TIMEOUT)
                    with lock:
                        results.append(outcome)

            threads = [threading.Thread(target=client, args=(batch,)) for batch in concurrent_headers]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=CALL_TIMEOUT * per_client)
            wall = time.perf_counter() - started
    ordered = sorted(times)
    concurrent = sorted(s for _, s in results)
    return {
        "sequential": {"calls": sequential, "errors": errors, "p95": ordered[int(0.95 * (len(ordered) - 1))],
                       "median": statistics.median(ordered), "floor_p95": sorted(floor)[int(0.95 * (len(floor) - 1))],
                       "floor_median": statistics.median(floor), "body_bytes": len(body)},
        "concurrent": {"clients": clients, "calls": len(results), "expected": clients * per_client,
                       "errors": sum(1 for status, _ in results if status != 200), "wall": wall,
                       "p95": concurrent[int(0.95 * (len(concurrent) - 1))] if concurrent else float("nan"),
                       "median": statistics.median(concurrent) if concurrent else float("nan")},
    }
