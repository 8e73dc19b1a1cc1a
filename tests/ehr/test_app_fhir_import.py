"""FHIR import on the first step (AppTest): preview with provenance and refusals, "Use these values", the sidebar."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fhirgen import BIRTH_DATE, MRN, PATIENT_NAME, bundle, case_to_bundle, condition, observation
from streamlit.testing.v1 import AppTest

from integration.imports import merge, read_bundle_bytes, same_value

ROOT = Path(__file__).resolve().parents[2]
TODAY = date.today()
CASE = {"gestational_age": {"weeks": 20, "days": 3}, "cervix": {"length_mm": 15},
        "serial_cervical_lengths": [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 31}]}
TEXT_TYPES = {"markdown", "caption", "title", "header", "subheader", "text", "error", "warning", "info", "success"}


def record_file(case: dict[str, Any] = CASE) -> bytes:
    data = case_to_bundle(case, TODAY)
    data["entry"].append({"resource": observation("11637-6", date(2023, 4, 2), valueInteger=1)})  # a hint
    data["entry"].append({"resource": observation("11961-0", TODAY - timedelta(days=400),
                                                  valueQuantity={"value": 3, "code": "cm",
                                                                 "system": "http://unitsofmeasure.org"})})  # refused
    return json.dumps(data).encode()


def all_text(at: AppTest) -> str:
    parts = []

    def walk(node: Any) -> None:
        if getattr(node, "type", "") in TEXT_TYPES:
            parts.append(str(node.value))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def first_step() -> AppTest:
    """The app on step 1 (the quick case is the first screen; the import sits on the dating step)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/1_gestational_age.py").run()
    assert not at.exception
    return at


def upload(at: AppTest, content: bytes, name: str = "record.json") -> AppTest:
    at.file_uploader(key="ci.fhir_upload.0").set_value((name, content, "application/json"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_import_previews_then_fills_the_case_and_the_sidebar_marks_it() -> None:
    at = upload(first_step(), record_file())
    (table,) = [d.value for d in at.dataframe if list(d.value.columns)[:1] == ["Field"]]
    rows = {r["Field"]: r for r in table.to_dict("records")}
    assert rows["gestational age"]["Value"] == "20+3"
    assert rows["cervical length"]["Value"] == "15 mm"
    assert "Observation LOINC 11961-0" in rows["cervical length"]["From the record"]
    assert TODAY.isoformat() in rows["cervical length"]["From the record"]
    assert rows["earlier cervical lengths"]["Value"] == "31 mm at 16+0"
    warnings = " ".join(w.value for w in at.warning)
    assert "Patient" in warnings and "earlier pregnancy" in warnings  # refusals, named
    assert any("preterm birth" in i.value and "confirm" in i.value for i in at.info)  # the hint
    text = all_text(at)
    for secret in (*PATIENT_NAME, MRN, BIRTH_DATE):
        assert secret not in text
    assert at.session_state["ci.case"] == {}  # nothing is applied before the clinician says so

    at.button(key="ci.fhir_use").click().run()
    assert not at.exception
    case = at.session_state["ci.case"]
    assert case["gestational_age"] == {"weeks": 20, "days": 3}
    assert case["cervix"]["length_mm"] == 15
    assert case["serial_cervical_lengths"] == [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 31.0}]
    assert at.number_input(key="w1.gestational_age.weeks").value == 20  # the widgets show the imported values
    sidebar = " ".join(m.value for m in at.markdown)  # the record note sits beside the case summary
    assert "From the record" in sidebar and "gestational age" in sidebar and "cervical length" in sidebar
    assert any("taken from the record" in s.value for s in at.success)

    # a value changed by hand is no longer marked as from the record
    at.number_input(key="w1.gestational_age.weeks").set_value(21).run()
    sidebar = " ".join(m.value for m in at.markdown)  # the record note sits beside the case summary
    assert "From the record" in sidebar and "- gestational age" not in sidebar and "cervical length" in sidebar


def test_import_keeps_what_the_file_does_not_hold() -> None:
    at = first_step()
    at.session_state["ci.case"] = {"gestational_age": {"weeks": 18, "days": 0}, "red_flags": {"vaginal_bleeding": True}}
    at.run()
    upload(at, record_file()).button(key="ci.fhir_use").click().run()
    case = at.session_state["ci.case"]
    assert case["red_flags"] == {"vaginal_bleeding": True} and case["gestational_age"] == {"weeks": 20, "days": 3}


def test_a_file_that_is_not_json_is_named_not_a_traceback() -> None:
    at = upload(first_step(), b"{ this is not json")
    assert any("not a FHIR JSON Bundle" in w.value and "line 1" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "ci.fhir_use"]


def test_a_bundle_with_nothing_usable() -> None:
    content = json.dumps(bundle(condition("73211009"), {"resourceType": "Patient", "name": [{"family": "Quuxington"}]}))
    at = upload(first_step(), content.encode())
    assert any("Nothing in this file could be used" in i.value for i in at.info)
    assert "Quuxington" not in all_text(at)


def test_pure_helpers() -> None:
    record = read_bundle_bytes(record_file(), TODAY)
    merged = merge({"gestational_age": {"weeks": 1}, "plurality": 2}, record)
    assert merged["plurality"] == 2 and merged["gestational_age"] == {"weeks": 20, "days": 3}
    assert same_value({"a": [1, 2.0]}, {"a": [1.0, 2]}) and not same_value(True, 1)
    assert read_bundle_bytes(b"x" * (6 * 1024 * 1024), TODAY).refusals[0].kind == "invalid"
