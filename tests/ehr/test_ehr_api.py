"""``POST /api/evaluate`` and ``GET /api/health``: the pure functions, then the real server on a loopback port."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from casefiles import teaching_cases
from ehrserver import Running, call

from decision import evaluate, knowledge
from integration import api
from integration.httpjson import MAX_API_BODY, BodyError, check_content_type, parse_json

BAD_CASE = {"gestational_age": {"weeks": 50, "days": 9}, "cervix": {"length_mm": -3}, "colour": "blue"}
BAD_PATHS = {"gestational_age.weeks", "gestational_age.days", "cervix.length_mm", "colour"}
EMERGENCY = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"dilation_cm": 2, "length_mm": 15}}


# --- pure ------------------------------------------------------------------------------------------------


def test_evaluate_payload_is_the_contract_assessment() -> None:
    status, body = api.evaluate_payload(EMERGENCY, "rcog")
    assert status == 200 and body == evaluate(EMERGENCY, "rcog").to_dict()
    assert api.evaluate_payload(EMERGENCY)[1]["profile"] == "acog"


def test_evaluate_payload_lists_every_problem_with_the_cli_messages() -> None:
    status, body = api.evaluate_payload(BAD_CASE)
    assert status == 422
    assert {e["path"] for e in body["errors"]} == BAD_PATHS
    cli = subprocess.run([sys.executable, "-m", "decision", "evaluate", "-"], input=json.dumps(BAD_CASE),
                         capture_output=True, text=True, timeout=60, check=False)
    assert cli.returncode == 2
    assert cli.stderr.splitlines() == [f"{e['path']}: {e['message']}" for e in body["errors"]]


@pytest.mark.parametrize("data", [None, [], "19+3", 3, {"gestational_age": None}])
def test_evaluate_payload_never_raises(data: object) -> None:
    status, body = api.evaluate_payload(data)
    assert status == 422 and body["errors"] and all(set(e) == {"path", "message"} for e in body["errors"])


def test_an_unknown_profile_is_named_with_the_allowed_values() -> None:
    status, body = api.evaluate_payload(EMERGENCY, "nice")
    assert status == 422 and body["errors"] == [{"path": "profile", "message": "must be one of acog, rcog (got 'nice')"}]


@pytest.mark.parametrize(("body", "fragment"), [
    (b"", "empty body"), (b"{", "line 1, column 2"), (b"\xff\xfe", "not UTF-8"), (b'{"a": NaN}', "NaN"),
    (b"[" * 100_000, "nested too deeply"),
])
def test_malformed_bodies_are_400_with_a_reason(body: bytes, fragment: str) -> None:
    with pytest.raises(BodyError) as caught:
        parse_json(body)
    assert caught.value.status == 400 and fragment in caught.value.errors[0]["message"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "application/fhir+json"])
def test_json_content_types_are_accepted(content_type: str) -> None:
    check_content_type(content_type)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_other_content_types_are_415(content_type: str | None) -> None:
    with pytest.raises(BodyError) as caught:
        check_content_type(content_type)
    assert caught.value.status == 415 and "application/json" in caught.value.errors[0]["message"]


# --- through the real server --------------------------------------------------------------------------


def test_health(server: Running) -> None:
    reply = call(server.url + "/api/health")
    assert reply.status == 200
    assert reply.json() == {"status": "ok", "knowledge_base_version": knowledge().version, "profiles": ["acog", "rcog"]}


def test_evaluate_200_for_every_teaching_case(server: Running) -> None:
    for case_id, case in teaching_cases().items():
        for profile in ("acog", "rcog"):
            reply = call(f"{server.url}/api/evaluate?profile={profile}", "POST", body=case)
            assert reply.status == 200, (case_id, reply.text)
            assert reply.json() == evaluate(case, profile).to_dict()
            assert reply.headers["content-type"].startswith("application/json")


def test_evaluate_without_profile_is_acog(server: Running) -> None:
    assert call(server.url + "/api/evaluate", "POST", body=EMERGENCY).json()["profile"] == "acog"


def test_evaluate_422_names_every_path(server: Running) -> None:
    reply = call(server.url + "/api/evaluate", "POST", body=BAD_CASE)
    assert reply.status == 422
    errors = reply.json()["errors"]
    assert {e["path"] for e in errors} == BAD_PATHS
    weeks = next(e for e in errors if e["path"] == "gestational_age.weeks")
    assert "4" in weeks["message"] and "42" in weeks["message"]  # the allowed range is named


def test_evaluate_422_for_an_unknown_profile(server: Running) -> None:
    reply = call(server.url + "/api/evaluate?profile=xyz", "POST", body=EMERGENCY)
    assert reply.status == 422 and reply.json()["errors"][0]["path"] == "profile"


def test_evaluate_413_on_an_oversized_body(server: Running) -> None:
    big = json.dumps({"gestational_age": {"weeks": 20}, "pad": "x" * (MAX_API_BODY + 10)})
    reply = call(server.url + "/api/evaluate", "POST", body=big, headers={"Content-Type": "application/json"})
    assert reply.status == 413 and "64 KB" in reply.json()["errors"][0]["message"]


def test_evaluate_413_on_an_oversized_chunked_body(server: Running) -> None:
    """No Content-Length: the limit holds while the body streams in."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        chunks = iter([b'{"pad": "', *([b"x" * 8192] * 10), b'"}'])
        connection.request("POST", "/api/evaluate", body=chunks, headers={"Content-Type": "application/json"},
                           encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["errors"][0]["path"] == "(input)"
    finally:
        connection.close()


def test_evaluate_415_400_and_405(server: Running) -> None:
    reply = call(server.url + "/api/evaluate", "POST", body=b"ga=20", headers={"Content-Type": "text/plain"})
    assert reply.status == 415
    reply = call(server.url + "/api/evaluate", "POST", body=b"{not json", headers={"Content-Type": "application/json"})
    assert reply.status == 400 and "not valid JSON" in reply.json()["errors"][0]["message"]
    reply = call(server.url + "/api/evaluate")
    assert reply.status == 405 and reply.json()["allowed"] == ["POST"]
