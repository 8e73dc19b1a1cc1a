"""CDS Hooks 2.0: discovery, the patient-view service, 412 on missing prefetch, feedback (stored and counted)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from casefiles import teaching_cases
from ehrserver import Running, call
from fhirgen import case_prefetch, hook_request, site_mapping
from specrules import check_card, check_discovery, check_response
from streamlit.testing.v1 import AppTest

from decision import evaluate, knowledge
from decision.querystring import compact_case, read_link
from integration import cds, store
from integration.cards import OVERRIDE_REASONS, OVERRIDE_SYSTEM, clip, source_label
from integration.mapping import mapping
from progress.store import dispose_engines

TODAY = date.today()
SERVICE = f"/cds-services/{cds.SERVICE_ID}"
EMERGENCY = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"dilation_cm": 2, "length_mm": 15}}
PPROM = teaching_cases()["previable_pprom_19w"]
APP_ROOT = Path(__file__).resolve().parents[2]


def service(server: Running, signed, body: Any, path: str = SERVICE) -> Any:
    url = server.url + path
    return call(url, "POST", body=body, headers=signed(url))


# --- discovery ------------------------------------------------------------------------------------------


def test_discovery_follows_the_specification(server: Running) -> None:
    reply = call(server.url + "/cds-services")
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    check_discovery(body)
    (entry,) = body["services"]
    assert (entry["hook"], entry["id"]) == ("patient-view", cds.SERVICE_ID)
    prefetch = entry["prefetch"]
    assert set(prefetch) == {"pregnancyDating", "cervixLength", "conditions", "obstetricHistory"}
    assert all(t.startswith(("Observation?patient={{context.patientId}}&code=", "Condition?patient={{context.patientId}}"
                             "&code=")) for t in prefetch.values())
    assert not any(t.startswith("Patient") or "Patient?" in t for t in prefetch.values())  # no Patient resource
    for code in ("11961-0", "49051-6", "11884-4", "18185-9", "11778-8"):
        assert f"http://loinc.org|{code}" in prefetch["pregnancyDating"] + prefetch["cervixLength"]
    for code in ("17382005", "44223004", "413340008"):
        assert f"http://snomed.info/sct|{code}" in prefetch["conditions"]
    assert "http://loinc.org|11637-6" in prefetch["obstetricHistory"]


def test_discovery_lists_enabled_site_codes_only() -> None:
    shipped = cds.discovery(mapping())["services"][0]["prefetch"]
    site = cds.discovery(site_mapping())["services"][0]["prefetch"]
    assert "examination" not in shipped and "procedures" not in shipped
    assert "11878-6" in site["examination"] and "urn:example:site-codes|cerclage" in site["procedures"]


# --- the service ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["acog", "rcog"])
def test_cards_follow_the_specification_for_every_teaching_case(profile: str) -> None:
    spec = site_mapping()
    for case_id, case in teaching_cases().items():
        outcome = cds.patient_view(hook_request(case_prefetch(case, TODAY, site=True)), TODAY, "https://cds.example.org",
                                   profile, spec)
        assert outcome.status == 200, case_id
        check_response(outcome.body)
        cards = outcome.body["cards"]
        assert cards, case_id
        assessment = evaluate(outcome.record.case, profile).to_dict()
        keys = [c.key for c in outcome.cards]
        # one critical card per critical alert, one per recommended option, one summary of those to consider
        critical = [a["id"] for a in assessment["alerts"] if a["severity"] == "critical"]
        assert [k.split(":", 1)[1] for k in keys if k.startswith("alert:")] == [a["id"] for a in assessment["alerts"]]
        assert [c["indicator"] for c, k in zip(cards, keys, strict=True) if k.startswith("alert:")
                and k[6:] in critical] == ["critical"] * len(critical)
        recommended = [o["id"] for o in assessment["options"] if o["status"] == "recommended"]
        assert [k[7:] for k in keys if k.startswith("option:")] == recommended
        consider = [o for o in assessment["options"] if o["status"] == "consider"]
        assert keys.count("summary:consider") == (1 if consider else 0)
        for card in cards:
            assert card["source"]["label"] == source_label(profile)
            assert knowledge().version in card["source"]["label"]
            assert knowledge().profiles[profile].label in card["source"]["label"]
            (link,) = card["links"]
            assert link["type"] == "absolute" and link["url"].startswith("https://cds.example.org/options?")
            linked, linked_profile, ignored = read_link(parse_qs(urlsplit(link["url"]).query, keep_blank_values=True))
            assert not ignored and linked == compact_case(outcome.record.case), case_id
            assert linked_profile == (None if profile == "acog" else profile)
            assert {r["code"] for r in card["overrideReasons"]} == set(OVERRIDE_REASONS)


def test_emergency_cerclage_cards() -> None:
    outcome = cds.patient_view(hook_request(case_prefetch(EMERGENCY, TODAY, site=True)), TODAY, "https://cds.example.org",
                               "acog", site_mapping())
    (card,) = outcome.body["cards"]
    assert card["indicator"] == "info" and "Emergency (physical-exam-indicated) cerclage" in card["summary"]
    assert card["links"][0]["url"] == "https://cds.example.org/options?ga=20+0&cl=15&dil=2"
    for text in ("Ehsanipoor 2015", "ACOG-PB142", "dilation: 2 cm", "cervical length: 15 mm", "LOINC 11961-0",
                 "Recommended checks", "does not replace"):
        assert text in card["detail"], text


def test_summaries_are_clipped_below_140_characters() -> None:
    text = "word " * 60
    assert len(clip(text)) < 140 and clip(text).endswith("…")
    assert clip("short  text\nhere") == "short text here"


def test_service_through_the_server(server: Running, signed) -> None:
    reply = service(server, signed, hook_request(case_prefetch(PPROM, TODAY)))
    assert reply.status == 200
    body = reply.json()
    check_response(body)
    critical = [c for c in body["cards"] if c["indicator"] == "critical"]
    assert critical and any("Ruptured membranes" in c["summary"] for c in critical)
    url = body["cards"][0]["links"][0]["url"]
    assert url.startswith(server.url + "/options?ga=")  # the app on the same server


def test_no_gestational_age_gives_one_info_card(server: Running, signed) -> None:
    prefetch = {"pregnancyDating": None, "cervixLength": None, "conditions": None}
    reply = service(server, signed, hook_request(prefetch))
    assert reply.status == 200
    (card,) = reply.json()["cards"]
    check_card(card)
    assert card["indicator"] == "info" and "gestational age" in card["summary"]
    assert card["links"][0]["url"] == server.url + "/"


@pytest.mark.parametrize("drop", ["pregnancyDating", "cervixLength", "conditions"])
def test_missing_required_prefetch_is_412(server: Running, signed, drop: str) -> None:
    prefetch = case_prefetch(PPROM, TODAY)
    del prefetch[drop]
    reply = service(server, signed, hook_request(prefetch))
    assert reply.status == 412 and reply.json()["missing"] == [drop]


def test_no_prefetch_or_an_operation_outcome_is_412(server: Running, signed) -> None:
    reply = service(server, signed, hook_request(None))
    assert reply.status == 412 and reply.json()["missing"] == ["pregnancyDating", "cervixLength", "conditions"]
    prefetch = case_prefetch(PPROM, TODAY)
    prefetch["cervixLength"] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
    assert service(server, signed, hook_request(prefetch)).status == 412


def test_optional_prefetch_may_be_missing(server: Running, signed) -> None:
    prefetch = case_prefetch(PPROM, TODAY)
    prefetch.pop("obstetricHistory", None)
    assert service(server, signed, hook_request(prefetch)).status == 200


@pytest.mark.parametrize(("change", "path"), [
    ({"hook": "order-select"}, "hook"), ({"context": {"userId": "Practitioner/1"}}, "context.patientId"),
    ({"hookInstance": ""}, "hookInstance"), ({"context": "pat-ZQ-5566"}, "context"),
])
def test_malformed_requests_are_400_without_echoing_values(server: Running, signed, change: dict, path: str) -> None:
    body = {**hook_request(case_prefetch(PPROM, TODAY)), **change}
    reply = service(server, signed, body)
    assert reply.status == 400
    assert path in [e["path"] for e in reply.json()["errors"]]
    assert "pat-ZQ-5566" not in reply.text and "order-select" not in reply.text


def test_unknown_service_is_404(server: Running, signed) -> None:
    reply = service(server, signed, hook_request(case_prefetch(PPROM, TODAY)), "/cds-services/other-service")
    assert reply.status == 404 and reply.json()["error"] == "not found"


# --- feedback ---------------------------------------------------------------------------------------------


def feedback(server: Running, signed, items: list[dict[str, Any]]) -> Any:
    return service(server, signed, {"feedback": items}, SERVICE + "/feedback")


def rows(db_path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(f"SELECT * FROM {table}").fetchall()


def test_feedback_is_stored_per_card_without_identifiers(server: Running, signed, db_path: Path) -> None:
    cards = service(server, signed, hook_request(case_prefetch(PPROM, TODAY))).json()["cards"]
    first, second = cards[0]["uuid"], cards[1]["uuid"]
    stamp = "2026-12-11T10:05:31Z"
    reply = feedback(server, signed, [
        {"card": first, "outcome": "accepted", "acceptedSuggestions": [], "outcomeTimestamp": stamp},
        {"card": second, "outcome": "overridden", "outcomeTimestamp": stamp,
         "overrideReason": {"reason": {"system": OVERRIDE_SYSTEM, "code": "patient-preference"},
                            "userComment": "Zelda Quuxington declined, MRN-99887766"}},
        {"card": second, "outcome": "overridden", "outcomeTimestamp": stamp,
         "overrideReason": {"reason": {"system": "https://ehr.example/reasons", "code": "x-17"}}},
        {"card": "00000000-0000-4000-8000-000000000000", "outcome": "accepted", "outcomeTimestamp": stamp},
    ])
    assert reply.status == 200 and reply.json() == {"stored": 3, "unknown_cards": 1}
    stored = [r for r in rows(db_path, "cds_feedback") if r[1] in (first, second)]
    assert sorted((r[1] == first, r[3], r[4]) for r in stored) == [
        (False, "overridden", "other"), (False, "overridden", "patient-preference"), (True, "accepted", None)]
    counts = {c.card_key: c for c in store.card_counts(engine=store.service_engine(f"sqlite:///{db_path}"))}
    key = next(k for k, c in counts.items() if c.accepted)
    assert counts[key].shown >= 1
    over = next(c for c in counts.values() if c.overridden)
    assert over.reasons == {"patient-preference": 1, "other": 1}
    dispose_engines()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    for secret in (b"Zelda", b"MRN-99887766", b"x-17", b"https://ehr.example", b"10:05:31"):
        assert secret not in raw


@pytest.mark.parametrize("body", [{}, {"feedback": []}, {"feedback": [{"card": "x", "outcome": "ignored",
                                                                           "outcomeTimestamp": "t"}]},
                                  {"feedback": [{"outcome": "accepted", "outcomeTimestamp": "t"}]}])
def test_malformed_feedback_is_400(server: Running, signed, body: dict) -> None:
    url = server.url + SERVICE + "/feedback"
    assert call(url, "POST", body=body, headers=signed(url)).status == 400


# --- the page showing the counts ---------------------------------------------------------------------------


def test_record_integration_page_shows_counts_per_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    monkeypatch.setenv("CI_DSS_DATABASE_URL", url)
    engine = store.service_engine(url)
    on = TODAY - timedelta(days=1)
    store.record_cards([("11111111-1111-4111-8111-111111111111", "option:delivery", "Recommended: Delivery"),
                        ("22222222-2222-4222-8222-222222222222", "option:delivery", "Recommended: Delivery"),
                        ("33333333-3333-4333-8333-333333333333", "alert:ruptured_membranes", "Ruptured")],
                       "acog", knowledge().version, on, engine=engine)
    store.record_feedback([("11111111-1111-4111-8111-111111111111", "accepted", None),
                           ("22222222-2222-4222-8222-222222222222", "overridden", "clinical-judgment")], on,
                          engine=engine)
    try:
        at = AppTest.from_file(str(APP_ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page("views/10_record_integration.py").run()
        assert not at.exception
        (frame,) = at.dataframe
        table = frame.value
        by_card = {row["Card"]: row for row in table.to_dict("records")}
        delivery = by_card["Recommended: Delivery (expedited, or active delivery after counseling)"]
        assert (delivery["Shown"], delivery["Accepted"], delivery["Overridden"]) == (2, 1, 1)
        assert delivery["Override reasons"] == "clinical-judgment: 1"
        assert by_card["Alert: ruptured membranes"]["Shown"] == 1
    finally:
        dispose_engines()
