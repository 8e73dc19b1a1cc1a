"""Explanations (clinical-spec.md section 10; issue 10): ``decided_by`` and ``would_change``.

The properties: applying a ``would_change`` edit gives exactly the claimed status (the explanation
cannot lie), and changing an input that ``decided_by`` does not list never changes the status
(the record is sufficient; it is made by the rules as they read, so it cannot be padded by hand).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import case, valid_cases

from decision import ASSESSMENT_IDS, OPTION_IDS, CaseValidationError, evaluate, knowledge, parse_case
from decision.engine import evaluate_case
from decision.explain import INPUT_ORDER, Candidates, _set_json

PROFILES = ("acog", "rcog")
ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _apply_set(data: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for path, value in edit.items():
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def _items(assessment: Any) -> dict[str, Any]:
    return {i.id: i for i in (*assessment.options, *assessment.assessments)}


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=valid_cases())
def test_every_would_change_entry_gives_the_claimed_status(profile: str, data: dict) -> None:
    before = _items(evaluate(data, profile))
    found = 0
    for item_id, item in before.items():
        assert len(item.would_change) <= 3
        for entry in item.would_change:
            found += 1
            assert entry["status"] != item.status
            assert entry["change"].endswith(entry["status"].replace("_", " "))
            changed = _apply_set(data, entry["set"])
            after = _items(evaluate_case(parse_case(changed), profile, explain=False))  # always a valid case
            assert after[item_id].status == entry["status"], (item_id, entry)
    assert found > 0  # every case has something that would change some status


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=valid_cases())
def test_inputs_not_in_decided_by_never_change_the_status(profile: str, data: dict) -> None:
    kb = knowledge()
    prof = kb.profiles[profile]
    parsed = parse_case(data)
    before = _items(evaluate_case(parsed, profile))
    every_threshold = list(prof.windows) + list(prof.values) + ["history_cerclage_criterion"]
    tries = Candidates(parsed, prof)(INPUT_ORDER, every_threshold)
    checked = 0
    for cand in tries:
        try:
            after = _items(evaluate_case(parse_case(_apply_set(data, _set_json(cand.path, cand.value))), profile,
                                         explain=False))
        except CaseValidationError:
            continue
        for item_id, item in before.items():
            listed = {d["input"] for d in item.decided_by if "input" in d}
            if cand.path not in listed:
                checked += 1
                assert after[item_id].status == item.status, (item_id, cand.path, cand.value)
    assert checked > 0


def test_decided_by_entries_have_the_contract_shape() -> None:
    a = evaluate(case("20+0", dilation=2, length=15))
    for item in (*a.options, *a.assessments):
        assert item.decided_by, item.id
        for entry in item.decided_by:
            assert ("input" in entry) != ("threshold" in entry)
            if "threshold" in entry:
                assert entry["source"] in knowledge().sources
    assert {i.id for i in a.options} == set(OPTION_IDS) and {i.id for i in a.assessments} == set(ASSESSMENT_IDS)
    json.dumps(a.to_dict(), allow_nan=False)


# --- hand-checked explanations (issue 10) --------------------------------------------------------

def test_10_emergency_cerclage_20w_2cm() -> None:
    pe = evaluate(case("20+0", dilation=2, length=15)).option("physical_exam_indicated_cerclage")
    assert pe.status == "consider"
    assert {"input": "cervix.dilation_cm", "value": 2.0} in pe.decided_by
    cap = next(d for d in pe.decided_by if d.get("threshold") == "cerclage_max_dilation_cm")
    assert (cap["value"], cap["source"]) == (4, "SEED")
    window = next(d for d in pe.decided_by if d.get("threshold") == "physical_exam_cerclage")
    assert window["value"] == "14+0-23+6"
    changes = {w["change"]: (w["set"], w["status"]) for w in pe.would_change}
    assert changes["dilation above 4 cm: not recommended"] == ({"cervix.dilation_cm": 4.5}, "not_recommended")
    assert changes["dilation below 1 cm: not applicable"] == ({"cervix.dilation_cm": 0.5}, "not_applicable")


def test_10_prior_preterm_birth_26mm_18w() -> None:
    us = evaluate(case("18+0", length=26, spontaneous_preterm_births_before_34w=1)).option("ultrasound_indicated_cerclage")
    assert us.status == "not_applicable"
    assert us.would_change[0] == {"change": "cervical length below 25 mm: consider",
                                  "set": {"cervix.length_mm": 24.0}, "status": "consider"}
    assert {"input": "cervix.length_mm", "value": 26.0} in us.decided_by
    assert any(d.get("threshold") == "short_cervix_mm" and d["value"] == 25 for d in us.decided_by)


def test_10_pprom_23w6() -> None:
    a = evaluate(case("23+6", ruptured=True))
    counseling = a.option("previable_pprom_counseling")
    assert counseling.status == "recommended"
    assert counseling.would_change[0]["change"] == "GA 24+0 or later: not applicable"
    assert counseling.would_change[0]["set"] == {"gestational_age": {"weeks": 24, "days": 0}}
    expectant = a.option("pprom_expectant_management")
    assert {"change": "GA 24+0 or later: recommended", "set": {"gestational_age": {"weeks": 24, "days": 0}},
            "status": "recommended"} in expectant.would_change
    assert any(d.get("threshold") == "viability_threshold" and d["value"] == "24+0" for d in counseling.decided_by)


def test_10_not_measured_is_listed_as_none() -> None:
    pe = evaluate(case("20+0", dilation=2)).option("physical_exam_indicated_cerclage")
    assert {"input": "cervix.length_mm", "value": None} in pe.decided_by


def test_10_cli_shows_would_change_for_the_issue_example() -> None:
    example = ('{"gestational_age":{"weeks":18,"days":0},"history":{"spontaneous_preterm_births_before_34w":1},'
               '"cervix":{"length_mm":26}}')
    done = subprocess.run([sys.executable, "-m", "decision", "evaluate", "-"], input=example, capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    options = {o["id"]: o for o in json.loads(done.stdout)["options"]}
    entry = options["ultrasound_indicated_cerclage"]["would_change"][0]
    assert entry == {"change": "cervical length below 25 mm: consider", "set": {"cervix.length_mm": 24.0},
                     "status": "consider"}
