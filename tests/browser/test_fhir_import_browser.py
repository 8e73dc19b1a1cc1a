"""FHIR import on the dating step, in a real browser: upload a Bundle, preview, "Use these values", the case is filled."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
FIRST_LOAD = 90_000
UCUM = "http://unitsofmeasure.org"


def record(today: date) -> dict:
    """A record export: a Patient (dropped on reading), today's gestational age and cervical length, an old scan."""
    def observation(code: str, when: date, quantity: dict) -> dict:
        return {"resource": {"resourceType": "Observation", "status": "final", "subject": {"reference": "Patient/p1"},
                             "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
                             "effectiveDateTime": when.isoformat(), "valueQuantity": {**quantity, "system": UCUM}}}

    return {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "name": [{"family": "Quuxington", "given": ["Zelda"]}],
                      "birthDate": "1987-03-14"}},
        observation("49051-6", today, {"value": 20, "unit": "wk", "code": "wk"}),
        observation("11961-0", today, {"value": 1.5, "unit": "cm", "code": "cm"}),
        observation("11961-0", today - timedelta(days=28), {"value": 31, "unit": "mm", "code": "mm"}),
    ]}


def test_fhir_import_on_the_dating_step_fills_the_case(page: Page, tmp_path: Path, screenshots: Path) -> None:
    bundle = tmp_path / "record.json"
    bundle.write_text(json.dumps(record(date.today())), encoding="utf-8")
    page.goto("/gestational_age")  # the quick case is the first screen; the import sits on the dating step
    expect(page.get_by_role("heading", name="Gestational age", exact=True, level=1)).to_be_visible(timeout=FIRST_LOAD)
    main = page.get_by_test_id("stMain")
    main.get_by_text("Import from a FHIR Bundle").click()
    main.locator("input[type='file']").set_input_files(str(bundle))
    expect(main.get_by_text("Values found")).to_be_visible(timeout=TIMEOUT)
    expect(main.get_by_text("1 Patient resource: not used", exact=False)).to_be_visible(timeout=TIMEOUT)
    expect(main).not_to_contain_text("Quuxington")
    main.get_by_role("button", name="Use these values").click()
    summary = page.locator(".st-key-case_summary")  # the case so far, under the title (there is no sidebar)
    expect(summary.get_by_text("From the record")).to_be_visible(timeout=TIMEOUT)
    expect(summary).to_contain_text("GA 20+0", timeout=TIMEOUT)
    expect(summary).to_contain_text("length 15 mm")
    expect(summary).to_contain_text("1 earlier TVCL")
    expect(page.get_by_label("Weeks (4-42)", exact=True)).to_have_value("20")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(screenshots / "fhir_import.png"), full_page=True)
