"""Consultation summaries (reports/): Markdown, self-contained HTML, PDF; the ``summary`` CLI; downloads."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from decision import CaseValidationError, evaluate, knowledge
from reports import build_summary, status_text, to_html, to_markdown, to_pdf
from reports.pdf import APPENDIX_HEADING

ROOT = Path(__file__).resolve().parent.parent
WHEN = datetime(2026, 11, 30, 10, 15, tzinfo=timezone(timedelta(hours=1), "CET"))
TODAY = date(2026, 11, 30)
DISCLAIMER = "Decision support: supports, and does not replace, clinical judgment."

PPROM_19 = {
    "gestational_age": {"weeks": 19, "days": 0},
    "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}},
}
EMERGENCY_20 = {
    "gestational_age": {"weeks": 20, "days": 3},
    "history": {"cervical_surgery": True},
    "cervix": {"length_mm": 10, "dilation_cm": 2, "funneling": True, "membranes_at_or_beyond_external_os": True},
    "serial_cervical_lengths": [{"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 24}],
}
INVALID = {"gestational_age": {"weeks": 50}, "cervix": {"lenght_mm": 20}}
CERCLAGE_TITLES = ("History-indicated (preventive) cerclage", "Ultrasound-indicated cerclage",
                   "Emergency (physical-exam-indicated) cerclage")
COUNSELING = "Counseling after previable / periviable rupture of membranes"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, _flat("\n".join(page.extract_text() or "" for page in reader.pages))


def _summary(case: dict, audience: str = "clinician", profile: str = "acog"):
    return build_summary(case, profile, audience=audience, generated_at=WHEN, today=TODAY)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pprom():
    return _summary(PPROM_19)


@pytest.fixture(scope="module")
def pprom_patient():
    return _summary(PPROM_19, "patient")


@pytest.fixture(scope="module")
def emergency():
    return _summary(EMERGENCY_20)


@pytest.fixture(scope="module")
def emergency_pdf(emergency):
    return _pdf_text(to_pdf(emergency))


@pytest.fixture(scope="module")
def emergency_html(emergency):
    return to_html(emergency)


# --- the summary object -------------------------------------------------------------------------
def test_summary_holds_what_a_report_shows(emergency) -> None:
    kb = knowledge()
    assessment = evaluate(EMERGENCY_20)
    assert emergency.disclaimer == DISCLAIMER
    assert emergency.profile_label == kb.profiles["acog"].label
    assert emergency.knowledge_base_version == kb.version
    assert emergency.ga_label == "20+3"
    assert emergency.edd == date(2027, 4, 16)  # 280 - 143 = 137 days after 30 Nov 2026
    assert "EDD computed on 30 November 2026" in emergency.edd_text
    assert emergency.generated_at == WHEN
    assert [o.id for o in emergency.options] == [o.id for o in assessment.options]
    assert [o.status for o in emergency.options] == [o.status for o in assessment.options]
    for option in emergency.options:
        assert option.rationale
        for source_id in option.sources:
            ref = emergency.source(source_id)
            assert ref.reference == kb.sources[source_id].reference
            assert ref.last_reviewed == kb.sources[source_id].last_reviewed
    values = {label: value for section in emergency.case_sections for label, value in section.rows}
    assert values["Cervical length (transvaginal ultrasound)"] == "10 mm"
    assert values["Dilation"] == "2 cm"
    assert values["Cervical surgery (cone biopsy, LEEP)"] == "Yes"
    assert values["At 18+0"] == "24 mm"
    assert emergency.evidence_option_id == "physical_exam_indicated_cerclage"


def test_invalid_case_raises_case_validation_error() -> None:
    with pytest.raises(CaseValidationError) as info:
        build_summary(INVALID)
    assert {e.path for e in info.value.errors} == {"gestational_age.weeks", "cervix.lenght_mm"}


def test_unknown_profile_or_audience_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="profile"):
        build_summary(PPROM_19, "nice")
    with pytest.raises(ValueError, match="audience"):
        build_summary(PPROM_19, audience="family")  # type: ignore[arg-type]


def test_same_inputs_same_report(pprom) -> None:
    assert to_markdown(_summary(PPROM_19)) == to_markdown(pprom)


def test_status_markers_are_text_not_colour() -> None:
    assert status_text("recommended") == "[+] Recommended"
    assert status_text("consider") == "[?] Consider"
    assert status_text("not_recommended") == "[-] Not recommended"
    assert status_text("contraindicated") == "[x] Contraindicated"


# --- PDF ------------------------------------------------------------------------------------------
def test_pdf_sections_options_statuses_and_footer(emergency, emergency_pdf) -> None:
    reader, text = emergency_pdf
    for heading in ("Findings", "Plan: offered options, most urgent first", "Assessments to do",
                    "Cervical-length trend", "Record of the consultation", APPENDIX_HEADING, "A.1 Case as entered",
                    "A.2 Every option", "A.4 Timeline", "A.6 Outcomes by gestational age at birth", "A.7 References"):
        assert heading in text, heading
    for option in emergency.options:
        assert f"{option.title} {option.status_text}" in text, option.title  # the appendix: every option
    assert emergency.profile_label in text
    assert DISCLAIMER in text
    assert "EDD computed on 30 November 2026" in text
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        footer = _flat(page.extract_text())
        assert f"Page {number} of {pages}" in footer
        assert f"knowledge base {emergency.knowledge_base_version}" in footer
        assert "30 Nov 2026 10:15 CET" in footer  # local time with its zone
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_pdf_charts_are_drawn_natively_with_alt_text_not_printed(emergency_pdf) -> None:
    reader, text = emergency_pdf
    assert "Today 20+3" in text
    assert "Gestational age (weeks)" in text
    assert "Latest: 10 mm at 20+3" in text  # the cervical-length trend
    assert not any("/Image" in str(page.get("/Resources", {}).get("/XObject", {})) for page in reader.pages)
    assert "Text alternative" not in text
    alts = _figure_alts(reader)
    assert len(alts) == 2, alts  # the cervical-length trend and the timeline
    assert any(alt.startswith("Line chart") or "cervical length" in alt.lower() for alt in alts), alts
    for alt in alts:
        assert _flat(alt)[:60] not in text  # alt text, not body text


def _figure_alts(reader: PdfReader) -> list[str]:
    """The /Alt of every tagged /Figure in the structure tree."""
    out: list[str] = []

    def walk(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure" and node.get("/Alt"):
            out.append(str(node["/Alt"]))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def test_pdf_lists_full_references_with_last_reviewed(emergency, emergency_pdf) -> None:
    _reader, text = emergency_pdf
    for ref in emergency.sources:
        assert _flat(ref.reference) in text, ref.id
    assert "(last reviewed " in text


def test_patient_pdf_has_plain_titles_and_icon_arrays(pprom_patient) -> None:
    _reader, text = _pdf_text(to_pdf(pprom_patient))
    offered = [o for o in pprom_patient.options if o.status in ("recommended", "consider")]
    assert offered
    for option in offered:
        assert _flat(option.plain_title) in text
    assert "in 100" in text
    assert "About 44 in 100 babies were born alive" in text  # UKOSS 2024: the evidence that fits previable PPROM
    assert "supports your talks with your care team" in text


# --- HTML -----------------------------------------------------------------------------------------
def test_html_embeds_three_interactive_charts_offline(emergency_html) -> None:
    html = emergency_html
    for div_id in ("chart-length", "chart-timeline", "chart-outcomes", "chart-evidence"):
        assert f'id="{div_id}"' in html
        assert f'class="sr-only" id="{div_id}-alt"' in html  # the alt text follows each chart, for screen readers
    assert html.count("Plotly.newPlot") == 4
    assert html.count("plotly.js v") == 1  # plotly.js inlined exactly once
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html, re.I)
    assert "@media print" in html
    assert re.search(r"@media print\s*{[^@]*box-shadow:\s*none", html)
    assert "@page { size: A4" in html
    assert "page-break-before: always" in html


def test_html_shows_every_status_and_the_basics(emergency, emergency_html) -> None:
    html = emergency_html
    for option in emergency.options:
        assert f'id="option-{option.id}"' in html
        assert option.status_text in html
    assert DISCLAIMER in html
    assert emergency.profile_label in html
    assert emergency.knowledge_base_version in html
    assert "This pregnancy: 20 weeks" in html  # outcomes chart highlighted at the patient's week


def test_patient_html_has_plain_titles_and_icon_arrays(pprom_patient) -> None:
    html = to_html(pprom_patient)
    for option in pprom_patient.options:
        if option.status in ("recommended", "consider"):
            assert option.plain_title in html
    assert "in 100" in html
    assert html.count("plotly.js v") == 1
    assert 'id="alerts"' not in html and 'id="case"' not in html and 'id="sources"' not in html


# --- Markdown -------------------------------------------------------------------------------------
def test_markdown_has_a_table_row_per_option(emergency) -> None:
    md = to_markdown(emergency)
    rows = [line for line in md.splitlines() if line.startswith("| ") and line.count(" | ") >= 4]
    for option in emergency.options:
        assert any(row.startswith(f"| {option.title} | {option.status_text} | ") for row in rows), option.id
    assert DISCLAIMER in md
    assert emergency.knowledge_base_version in md


# --- PPROM at 19+0: counseling recommended, cerclage contraindicated, in every format ----------------
def test_pprom_19w_in_all_formats(pprom) -> None:
    assert pprom.option("previable_pprom_counseling").status == "recommended"
    assert {pprom.option(i).status for i in ("history_indicated_cerclage", "ultrasound_indicated_cerclage",
                                             "physical_exam_indicated_cerclage")} == {"contraindicated"}
    md = to_markdown(pprom)
    assert f"| {COUNSELING} | [+] Recommended |" in md
    for title in CERCLAGE_TITLES:
        assert f"| {title} | [x] Contraindicated |" in md
    html = to_html(pprom)
    assert re.search(r'id="option-previable_pprom_counseling">.*?\[\+\] Recommended', html)
    for option_id in ("history_indicated_cerclage", "ultrasound_indicated_cerclage", "physical_exam_indicated_cerclage"):
        assert re.search(rf'id="option-{option_id}">.*?</td><td><span[^>]*>\[x\] Contraindicated', html)
    _reader, text = _pdf_text(to_pdf(pprom))
    assert f"{COUNSELING} [+] Recommended" in text
    for title in CERCLAGE_TITLES:
        assert f"{title} [x] Contraindicated" in text
    assert "Rupture 19+0" in text


# --- CLI ------------------------------------------------------------------------------------------
def _cli(*args: str, stdin: str | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "decision", "summary", *args], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory):
    """Every CLI run started at once (they run in parallel), then collected."""
    folder = tmp_path_factory.mktemp("cli")
    case = folder / "pprom.json"
    case.write_text(json.dumps(PPROM_19), encoding="utf-8")
    yaml_case = folder / "pprom.yaml"
    yaml_case.write_text("gestational_age: {weeks: 19, days: 0}\nmembranes:\n  status: ruptured\n"
                         "  rupture_gestational_age: {weeks: 19, days: 0}\n", encoding="utf-8")
    pdf = folder / "out.pdf"
    jobs = {
        "pdf": (_cli(str(case), "--format", "pdf", "-o", str(pdf)), None),
        "html": (_cli(str(yaml_case), "--format", "html", "-o", "-"), None),
        "md": (_cli("-", "--format", "md", "-o", "-", "--profile", "rcog"), json.dumps(PPROM_19)),
        "invalid": (_cli("-", "--format", "md", "-o", "-"), json.dumps(INVALID)),
        "missing": (_cli(str(folder / "nope.json"), "--format", "pdf", "-o", str(folder / "x.pdf")), None),
        "pdf_stdout": (_cli(str(case), "--format", "pdf", "-o", "-"), None),
    }
    results = {}
    for name, (proc, stdin) in jobs.items():
        out, err = proc.communicate(stdin, timeout=60)
        results[name] = (proc.returncode, out, err)
    results["pdf_file"] = pdf
    return results


def test_cli_pdf(cli_runs) -> None:
    code, _out, err = cli_runs["pdf"]
    assert code == 0, err
    _reader, text = _pdf_text(cli_runs["pdf_file"].read_bytes())
    assert f"{COUNSELING} [+] Recommended" in text
    for title in CERCLAGE_TITLES:
        assert f"{title} [x] Contraindicated" in text


def test_cli_html_from_yaml_to_stdout(cli_runs) -> None:
    code, out, err = cli_runs["html"]
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")
    assert out.count("Plotly.newPlot") == 3  # timeline, outcomes, evidence (no cervical length measured)
    assert re.search(r'id="option-previable_pprom_counseling">.*?\[\+\] Recommended', out)


def test_cli_markdown_from_stdin_with_profile(cli_runs) -> None:
    code, out, err = cli_runs["md"]
    assert code == 0, err
    assert knowledge().profiles["rcog"].label in out
    assert f"| {COUNSELING} | [+] Recommended |" in out
    for title in CERCLAGE_TITLES:
        assert f"| {title} | [x] Contraindicated |" in out


def test_cli_invalid_case_exits_2_with_field_paths(cli_runs) -> None:
    code, out, err = cli_runs["invalid"]
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert any(line.startswith("gestational_age.weeks: ") for line in lines)
    assert any(line.startswith("cervix.lenght_mm: ") for line in lines)
    assert "Traceback" not in err


def test_cli_unreadable_file_and_pdf_to_stdout_exit_2(cli_runs) -> None:
    for name in ("missing", "pdf_stdout"):
        code, out, err = cli_runs[name]
        assert code == 2, name
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err


# --- version 2: assessments, the evidence note, the basis of each option, patient-view safety ---------
BED_REST_22 = {"gestational_age": {"weeks": 22, "days": 0},
               "cervix": {"dilation_cm": 5, "membranes_at_or_beyond_external_os": True}}
DEMISE_30 = {"gestational_age": {"weeks": 30, "days": 0}, "red_flags": {"fetal_demise": True}}
LETHAL_PPROM_20 = {"gestational_age": {"weeks": 20, "days": 0}, "membranes": {"status": "ruptured"},
                   "red_flags": {"lethal_fetal_anomaly": True}}
BED_REST_NOTE_START = "This is the seed's practice option; no guideline recommends the head-down position itself."
BED_REST_NOTE_PLAIN = "This is an option from the practice leaflet; no guideline recommends lying head-down."


@pytest.fixture(scope="module")
def bed_rest():
    return _summary(BED_REST_22)


@pytest.fixture(scope="module")
def demise_patient():
    return _summary(DEMISE_30, "patient")


def test_bed_rest_22w_clinician_reports_carry_assessments_note_and_basis(bed_rest) -> None:
    assert bed_rest.option("trendelenburg_bed_rest").status == "consider"
    offered_checks = [a for a in bed_rest.offered_assessments]
    assert {a.id for a in offered_checks} >= {"infection_assessment", "vte_assessment"}
    note = _flat(bed_rest.option("trendelenburg_bed_rest").evidence_note)
    bed_rest_basis = bed_rest.option("trendelenburg_bed_rest").basis_text
    assert "cervix.dilation_cm: 5" in bed_rest_basis
    assert "(cerclage_max_dilation_cm): 4 (SEED" in bed_rest_basis
    md = _flat(to_markdown(bed_rest))
    html = _flat(to_html(bed_rest))
    _reader, pdf = _pdf_text(to_pdf(bed_rest))
    for text in (md, html, pdf):
        assert "Assessments to do" in text
        assert "Venous-thromboembolism assessment" in text
        assert "Assess for intra-amniotic infection" in text
        assert "A.2 Every option" in text
        assert "Grobman 2013: 37% vs 17%" in text
        assert "Not recommended" not in "".join(a.status_text for a in offered_checks)
    assert f"Evidence note: {note}" in md
    assert _flat(note)[:80] in pdf
    assert note[:80] in unescape(html)
    assert "cervix.dilation_cm: 5" in md and "cervix.dilation_cm: 5" in html and "cervix.dilation_cm: 5" in pdf
    for check in offered_checks:
        assert f"- [ ] **{check.title}** ({check.status_text})" in to_markdown(bed_rest)
        assert f'id="check-{check.id}"' in to_html(bed_rest)
    for check in bed_rest.assessments:  # the appendix lists every assessment
        assert f"| {check.title} | {check.status_text} |" in to_markdown(bed_rest)
        assert f'id="assessment-{check.id}"' in to_html(bed_rest)
    # The study that fits bed rest is Grobman 2013, said to be observational.
    assert [item.key for item in bed_rest.evidence_items] == ["activity_restriction"]
    assert "not a randomised trial" in md


def test_bed_rest_note_in_the_patient_handout_too() -> None:
    patient = _summary(BED_REST_22, "patient")
    card = next(c for c in patient.patient_cards if c.option_id == "trendelenburg_bed_rest")
    assert card.evidence_note and card.evidence_note.startswith(BED_REST_NOTE_PLAIN)
    for text in (_flat(to_markdown(patient)), _flat(to_html(patient)), _pdf_text(to_pdf(patient))[1]):
        assert BED_REST_NOTE_PLAIN in unescape(text)  # the note travels (spec 3.10), in plain words
        assert "An American guideline finds that limiting activity and bed rest have not been shown to work" in \
            unescape(text)
        assert "ACOG" not in text and BED_REST_NOTE_START not in unescape(text)


def test_demise_patient_handout_has_no_survival_figure(demise_patient) -> None:
    s = demise_patient
    assert not s.show_outcomes
    assert s.evidence_items == () and s.icon_arrays == ()
    md = to_markdown(s)
    # The inlined plotly.js library itself contains "survive" (an error message): leave it out, keep the charts.
    html = "".join(part for part in re.split(r"(<script\b.*?</script>)", to_html(s), flags=re.S)
                   if "plotly.js v" not in part)
    _reader, pdf = _pdf_text(to_pdf(s))
    for text in (md, html, pdf):
        assert not re.search(r"surviv|in 100|Outcomes by gestational age|corticosteroid|recommend\w*[^.]*steroid",
                             text, re.I), text[:200]
        assert "has died" in text
        assert "stitch" not in text  # no "not safe for you now" list of stitches after a demise
    assert 'id="chart-outcomes"' not in html
    assert not any(src.id in ("NRN-2003-07", "EPICURE-2", "EXPRESS", "EHSANIPOOR-2015") for src in s.sources)


def test_demise_clinician_outcomes_chart_says_the_figures_do_not_apply() -> None:
    s = _summary(DEMISE_30)
    assert s.show_outcomes and s.outcomes_not_applicable == "fetal demise"
    assert s.evidence_items == ()
    html = to_html(s)
    assert "These figures do not apply to this pregnancy: fetal demise." in html
    assert 'id="chart-evidence"' not in html  # no study fits: no fallback to emergency cerclage
    assert "No study figure fits an option offered in this case." in _flat(to_markdown(s))
    _reader, pdf = _pdf_text(to_pdf(s))
    assert "These figures do not apply to this pregnancy: fetal demise." in pdf


def test_lethal_anomaly_patient_handout_no_survival_no_steroids() -> None:
    s = _summary(LETHAL_PPROM_20, "patient")
    assert not s.show_outcomes and s.evidence_items == ()
    assert "preterm_birth_preparation" not in {c.option_id for c in s.patient_cards}
    md = to_markdown(s)
    assert not re.search(r"corticosteroid|recommend\w*[^.]*steroid|\d+ in 100|surviv\w* to", md, re.I)


def test_pprom_19w_patient_handout_ukoss_with_terminations_and_the_mothers_risks(pprom_patient) -> None:
    assert [item.key for item in pprom_patient.evidence_items] == ["previable_pprom"]
    texts = (_flat(to_markdown(pprom_patient)), _flat(to_html(pprom_patient)), _pdf_text(to_pdf(pprom_patient))[1])
    for text in texts:
        # Spec section 6 in the study's patient caption: terminations not counted, the mother's risks.
        assert "not ended by a termination for medical reasons; terminations are not counted" in text
        assert "2 of all 364 women in the study died" in text
        assert "About 12 in 100 mothers had sepsis" in text
        assert "too young to survive" in text  # delivery before viability
    assert pprom_patient.show_outcomes  # survival by week is relevant after previable rupture


@pytest.mark.parametrize("at,words", [(35, "a few weeks early"), (39, "at term")])
def test_patient_handout_delivery_text_by_gestational_age(at: int, words: str) -> None:
    s = _summary({"gestational_age": {"weeks": at, "days": 0}, "membranes": {"status": "ruptured"}}, "patient")
    md = to_markdown(s)
    assert words in md
    assert "too young to survive" not in md
    assert s.evidence_items == ()  # PPROM at 35 weeks: no emergency-cerclage (or any) icon arrays
    assert "in 100" not in md


# --- one "when to come in" list for patient mode and the handout (review: two lists that disagreed) ------------
PPROM_19 = {"gestational_age": {"weeks": 19, "days": 0},
            "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}}}
PPROM_28 = {"gestational_age": {"weeks": 28, "days": 0},
            "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 28, "days": 0}}}
INTACT_20 = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"length_mm": 15, "dilation_cm": 2}}
INTACT_28 = {"gestational_age": {"weeks": 28, "days": 0}}


@pytest.mark.parametrize("case", [PPROM_19, PPROM_28, INTACT_20, INTACT_28, DEMISE_30, LETHAL_PPROM_20],
                         ids=["pprom-19", "pprom-28", "intact-20", "intact-28", "demise-30", "lethal-pprom-20"])
def test_when_to_come_in_is_the_patient_modes_list(case: dict) -> None:
    from decision.patient_view import patient_view
    from reports.summary import when_to_come_in

    patient = _summary(case, "patient")
    shown = patient_view(evaluate(case, "acog"), case).come_in_now
    assert when_to_come_in(patient) == list(shown)
    md, html, pdf = _flat(to_markdown(patient)), _flat(unescape(to_html(patient))), _pdf_text(to_pdf(patient))[1]
    for line in shown:
        assert f"- {line}" in md and line in html and _flat(line) in pdf, line


def test_when_to_come_in_fits_the_case_on_both_surfaces() -> None:
    from decision.patient_view import come_in_text, patient_view
    from reports.summary import when_to_come_in

    movements = come_in_text("movements")
    pprom = when_to_come_in(_summary(PPROM_19, "patient"))
    assert pprom == [come_in_text(i) for i in ("fluid_change", "bleeding", "fever", "tummy_pain", "contractions",
                                               "pressure", "worried")]
    assert movements not in pprom and not any("movements" in line for line in pprom)  # 19+0: no movements line
    assert not any(line.startswith("Fluid leaking") for line in pprom)  # the waters have already broken
    intact = when_to_come_in(_summary(INTACT_20, "patient"))
    assert come_in_text("fluid_leak") in intact and come_in_text("fluid_change") not in intact
    assert come_in_text("tummy_pain") not in intact and movements not in intact
    assert movements in when_to_come_in(_summary(INTACT_28, "patient"))
    assert movements in when_to_come_in(_summary(PPROM_28, "patient"))
    assert movements not in when_to_come_in(_summary(DEMISE_30, "patient"))
    assert movements in patient_view(evaluate(INTACT_28, "acog"), INTACT_28).come_in_now
    assert "38 °C" in come_in_text("fever")  # kept from the handout


def test_previable_pprom_handout_note_in_patient_words_with_one_population() -> None:
    patient = _summary(PPROM_19, "patient")
    plain = " ".join(knowledge().options["previable_pprom_counseling"].patient_evidence_note.text.split())
    for text in (_flat(to_markdown(patient)), _flat(unescape(to_html(patient))), _pdf_text(to_pdf(patient))[1]):
        assert plain[:120] in text
        assert "12 in 100 of these 326 women expecting one baby had sepsis" in text
        assert "2 maternal deaths among 364 women" not in text and "UKOSS 2024)" not in text
        assert "16+0" not in text
    clinician = _flat(to_markdown(_summary(PPROM_19)))
    assert "(UKOSS 2024)" in clinician and "2 maternal deaths among all 364 women in the study" in clinician


@pytest.mark.parametrize("data", [PPROM_19, EMERGENCY_20], ids=["previable_pprom", "emergency_cerclage"])
def test_handout_study_captions_in_patient_words_the_clinician_summary_keeps_its_own(data: dict) -> None:
    """Under the icon arrays the handout gives the study's ``patient_caption`` (outcomes.yaml), under the option's
    plain title; the clinician summary keeps the clinicians' caption (source, denominator, design)."""
    from figures.inputs import evidence_caption, patient_evidence_caption

    kb = knowledge()
    patient = _summary(data, "patient")
    (item,) = patient.evidence_items
    entry = kb.outcomes["evidence"][item.key]
    plain = patient_evidence_caption(entry)
    clinical = _flat(evidence_caption(entry, kb.sources[entry["source"]].short))
    for text in (_flat(to_markdown(patient)), _flat(unescape(to_html(patient))), _pdf_text(to_pdf(patient))[1]):
        assert plain in text
        assert clinical not in text and "Source: " not in text
        assert f"{item.label}:" not in text  # "Previable rupture of membranes (UKOSS)": the clinicians' label
        for word in ("singleton", "PPROM", "UKOSS", "Ehsanipoor", "neonatal", "16+0"):
            assert word not in text, word
    assert f"{kb.options[item.option_id].plain_title}:" in _flat(to_markdown(patient))
    clinician = _flat(to_markdown(_summary(data)))
    assert clinical in clinician and plain not in clinician
