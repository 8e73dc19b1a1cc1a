"""The knowledge base (data/knowledge/*.yaml): it loads, a malformed copy fails with a
KnowledgeError naming the file and the field, and the reason texts match the rules."""

from __future__ import annotations

import ast
import re
import shutil
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from strategies import case

from decision import ASSESSMENT_IDS, OPTION_IDS, KnowledgeError, knowledge, parse_case
from decision.engine import _case_params
from decision.facts import derive
from decision.kb import _cited
from decision.kb import load as load_knowledge

ROOT = Path(__file__).resolve().parent.parent
KB_DIR = ROOT / "data" / "knowledge"
RULES_PY = ROOT / "decision" / "rules.py"
SPEC = ROOT.parent / "shared" / "clinical-spec.md"
# clinical-spec.md (version 2) section 8, in its order.
SPEC_SOURCE_IDS = {
    "SEED", "EXPERT", "ACOG-PB142", "ACOG-PB217", "ACOG-PB171", "ACOG-PB181", "ACOG-PB196", "ACOG-CO713",
    "ACOG-CO786", "ACOG-CO797", "ACOG-OCC6", "ACOG-OCC10", "ALPS-2016", "SMFM-2016-LATE-PRETERM", "MILLER-2014",
    "ACOG-SMFM-2021", "SMFM-CS40", "SMFM-CS70", "RCOG-GTG75", "RCOG-GTG63", "RCOG-GTG37A", "NICE-NG25",
    "EHSANIPOOR-2015", "BERGHELLA-2011", "GROBMAN-2013", "MONCKEBERG-2019", "ROMAN-2020", "UKOSS-2024",
    "NRN-2003-07", "EPICURE-2", "EXPRESS", "VON-2025",
}


# ---- the real knowledge base -----------------------------------------------------------

def test_knowledge_base_loads() -> None:
    kb = knowledge()
    assert kb.version
    assert tuple(kb.options) == OPTION_IDS
    assert set(kb.profiles) >= {"acog", "rcog"}
    assert kb.reasons
    assert kb.alerts


def test_uncached_load_equals_cached() -> None:
    assert load_knowledge(KB_DIR) == knowledge()


def test_sources_are_exactly_the_spec_section_8_ids() -> None:
    # "never invent a citation": every source id is one of spec section 8
    assert set(knowledge().sources) == SPEC_SOURCE_IDS
    for source in knowledge().sources.values():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.last_reviewed)
        assert source.reference


def test_every_spec_section_8_id_exists() -> None:
    assert len(SPEC_SOURCE_IDS) == 32
    missing = SPEC_SOURCE_IDS - set(knowledge().sources)
    assert not missing, f"section-8 ids missing from sources.yaml: {sorted(missing)}"


@pytest.mark.skipif(not SPEC.exists(), reason="the shared clinical spec is not next to the repository")
def test_section_8_ids_are_read_from_the_spec() -> None:
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("## 8. Sources", 1)[1].split("\n## ", 1)[0]
    ids = set(re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", section, flags=re.M))
    assert ids == SPEC_SOURCE_IDS


def test_every_source_cited_anywhere_in_data_exists() -> None:
    # The loader checks the knowledge base; this also covers the teaching cases (data/cases).
    known = set(knowledge().sources)
    cited: list[tuple[str, str]] = []
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        if path.name == "sources.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cited += [(f"{path.relative_to(ROOT)}: {where}", sid) for where, sid in _cited(data)]
    assert len(cited) > 100
    unknown = [(where, sid) for where, sid in cited if sid not in known]
    assert not unknown, unknown


def test_sources_are_verified_or_say_why_not() -> None:
    for source in knowledge().sources.values():
        if source.last_reviewed < "2026-12-01":
            assert source.note, f"{source.id}: not checked for version 2, and no note says why"
    von = knowledge().source("VON-2025")
    assert "not verified" in (von.note or "")


@pytest.mark.parametrize(
    ("source_id", "words"),
    [
        ("SMFM-CS40", "The role of routine cervical length screening in selected high- and low-risk women"),
        ("NICE-NG25", "(2015, last updated 2022)"),
        ("RCOG-GTG75", "Cervical Cerclage. BJOG 2022"),
        ("BERGHELLA-2011", "Cerclage for short cervix on ultrasonography in women with singleton gestations"),
        ("MONCKEBERG-2019", "without intra-amniotic infection/inflammation treated with cerclage"),
        ("UKOSS-2024", "Goodfellow L et al. Preterm prelabour rupture of membranes before 23 weeks"),
        ("EPICURE-2", "comparison of two birth cohorts in 1995 and 2006"),
        ("NRN-2003-07", "Stoll BJ et al."),
        ("VON-2025", "Boghossian NS et al."),
    ],
)
def test_version_2_titles(source_id: str, words: str) -> None:
    assert words in knowledge().source(source_id).reference
    assert "Choosing Wisely" not in knowledge().source(source_id).reference


def test_expert_is_shown_as_expert_opinion_never_as_a_guideline() -> None:
    from reports.summary import _source_ref

    expert = knowledge().source("EXPERT")
    assert expert.kind == "expert"
    assert expert.kind_label == "Expert opinion (project)"
    assert expert.short == "Expert opinion (project)"  # option cards and alerts show ``short``
    assert expert.reference.startswith("Expert opinion (project)")  # source lists and reports show ``reference``
    assert "guideline" not in f"{expert.short} {expert.kind_label}".lower()
    assert "Not a guideline" in expert.reference
    assert _source_ref("EXPERT").reference.startswith("Expert opinion (project)")
    kinds = {s.kind for s in knowledge().sources.values()}
    assert kinds == {"seed", "guideline", "study", "cohort", "expert"}
    assert [s.id for s in knowledge().sources.values() if s.kind == "expert"] == ["EXPERT"]


def test_evidence_page_shows_the_kind_label() -> None:
    page = (ROOT / "views" / "6_evidence.py").read_text(encoding="utf-8")
    assert "s.kind_label" in page and '"Kind": s.kind,' not in page


def test_unknown_source_kind_is_rejected(kb_copy: Path) -> None:
    def guideline_expert(data: Any) -> None:
        data["sources"][-1]["kind"] = "opinion"

    _edit_yaml(kb_copy, "sources.yaml", guideline_expert)
    with pytest.raises(KnowledgeError, match=r"sources\.yaml.*kind"):
        load_knowledge(kb_copy)


def test_profile_windows_match_spec_section_2_and_4() -> None:
    acog, rcog = knowledge().profiles["acog"], knowledge().profiles["rcog"]
    expected_acog = {
        "history_cerclage": "12+0-14+6", "surveillance": "16+0-23+6", "ultrasound_cerclage": "14+0-23+6",
        "physical_exam_cerclage": "14+0-23+6", "periviable": "20+0-25+6", "steroids_recommended": "24+0-33+6",
        "steroids_consider": "22+0-23+6", "cerclage_removal": "36+0-37+0", "typical_presentation": "16+0-20+6",
        # version 2
        "history_cerclage_late": "15+0-17+6", "progesterone_no_history": "16+0-23+6", "bed_rest": "14+0-33+6",
        "preterm_labor": "20+0-33+6", "late_preterm_steroids": "34+0-36+6", "exam_ci": "12+0-33+6",
        "physical_exam_specialist": "12+0-13+6", "physical_exam_late": "24+0-27+6", "gbs_prophylaxis": "24+0-36+6",
        "gbs_periviable": "22+0-23+6", "expected_loss_counseling": "12+0-19+6",
    }
    expected_rcog = {
        "history_cerclage": "11+0-14+6", "physical_exam_cerclage": "14+0-27+6", "steroids_recommended": "24+0-33+6",
        "steroids_consider": "23+0-23+6", "magnesium": "24+0-29+6", "surveillance": "16+0-24+0",
        "ultrasound_cerclage": "16+0-24+0", "late_preterm_steroids": "34+0-35+6",
    }
    assert {k: acog.window(k).text for k in expected_acog} == expected_acog
    assert {k: rcog.window(k).text for k in expected_rcog} == expected_rcog
    assert acog.value("viability_threshold").days == 24 * 7
    assert acog.value("pprom_delivery_from").days == 34 * 7
    assert (acog.value("short_cervix_mm").number, acog.value("short_cervix_mm").inclusive) == (25, False)
    assert (rcog.value("short_cervix_mm").number, rcog.value("short_cervix_mm").inclusive) == (25, True)
    assert acog.value("cerclage_max_dilation_cm").number == 4
    assert acog.history_cerclage.min_count == 1
    assert rcog.history_cerclage.min_count == 3


def test_every_window_and_value_cites_a_source() -> None:
    for profile in knowledge().profiles.values():
        for key, item in {**profile.windows, **profile.values}.items():
            assert item.sources, f"{profile.id}.{key} has no source"


# ---- malformed copies ------------------------------------------------------------------

def _edit_yaml(directory: Path, filename: str, change: Callable[[Any], None]) -> None:
    path = directory / filename
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KB_DIR, target)
    return target


def test_unmodified_copy_loads(kb_copy: Path) -> None:
    assert load_knowledge(kb_copy).version == knowledge().version


def _unknown_source_in_reason(data: Any) -> None:
    data["reasons"]["pe.window"]["sources"].append("NOT-A-SOURCE-2099")


def _window_start_after_end(data: Any) -> None:
    data["profiles"]["acog"]["windows"]["history_cerclage"]["start"] = "15+0"


def _missing_option(data: Any) -> None:
    data["options"] = [o for o in data["options"] if o["id"] != "trendelenburg_bed_rest"]


def _bad_date(data: Any) -> None:
    data["sources"][1]["last_reviewed"] = "25 November 2026"


def _bad_window_label(data: Any) -> None:
    data["profiles"]["rcog"]["windows"]["physical_exam_cerclage"]["end"] = "27 weeks"


def _missing_required_value(data: Any) -> None:
    del data["profiles"]["acog"]["values"]["short_cervix_mm"]


def _unknown_source_in_profile(data: Any) -> None:
    data["profiles"]["rcog"]["windows"]["magnesium"]["sources"] = ["NICE-NG99"]


def _reason_without_text(data: Any) -> None:
    del data["reasons"]["hx.plan"]["text"]


def _evidence_note_without_patient_words(data: Any) -> None:
    option = next(o for o in data["options"] if o["id"] == "previable_pprom_counseling")
    del option["patient_evidence_note"]


def _patient_note_with_study_code(data: Any) -> None:
    option = next(o for o in data["options"] if o["id"] == "previable_pprom_counseling")
    option["patient_evidence_note"]["text"] += " (UKOSS-2024)"


def _patient_note_with_weeks_plus_days(data: Any) -> None:
    option = next(o for o in data["options"] if o["id"] == "previable_pprom_counseling")
    option["patient_evidence_note"]["text"] = "Waters broken at 16+0-22+6 in the study."


def _patient_note_with_acronym(data: Any) -> None:
    option = next(o for o in data["options"] if o["id"] == "previable_pprom_counseling")
    option["patient_evidence_note"]["text"] = "After PPROM, 44 in 100 babies were born alive."


def _patient_note_citing_another_study(data: Any) -> None:
    option = next(o for o in data["options"] if o["id"] == "previable_pprom_counseling")
    option["patient_evidence_note"]["sources"].append("BERGHELLA-2011")


def _evidence_without_patient_caption(data: Any) -> None:
    del data["evidence"]["previable_pprom"]["patient_caption"]


def _patient_caption_in_clinicians_words(data: Any) -> None:
    data["evidence"]["emergency_cerclage"]["patient_caption"] = "757 women; neonatal survival 71% vs 43%."


def _patient_caption_with_weeks_plus_days(data: Any) -> None:
    data["evidence"]["twin_emergency_cerclage"]["patient_caption"] = "Women expecting twins at 16-23+6 weeks."


def _patient_caption_with_acronym(data: Any) -> None:
    data["evidence"]["previable_pprom"]["patient_caption"] = "Women whose waters broke (PPROM) at 16 to 22 weeks."


def _survival_without_patient_label(data: Any) -> None:
    del data["survival_by_week"]["cohorts"][1]["patient_label"]


def _survival_patient_label_with_source_id(data: Any) -> None:
    data["survival_by_week"]["cohorts"][1]["patient_label"] = "Babies born in England in 2006 (EPICURE-2)"


def _survival_without_patient_axis_title(data: Any) -> None:
    del data["survival_by_week"]["patient_axis_title"]


def _survival_patient_note_in_clinicians_words(data: Any) -> None:
    data["survival_by_week"]["patient_denominator_note"] = "Neonatal survival among live births."


def _survival_without_patient_caveat(data: Any) -> None:
    del data["survival_by_week"]["patient_caveat"]


def _survival_without_patient_not_entered(data: Any) -> None:
    del data["survival_by_week"]["cohorts"][0]["patient_not_entered"]


def _survival_patient_measure_with_percent(data: Any) -> None:
    data["survival_by_week"]["cohorts"][2]["patient_measure"] = "alive at 1 year (%)"


def _come_in_line_with_weeks_plus_days(data: Any) -> None:
    data["lines"][0]["text"] = "Fluid leaking before 24+0"


def _come_in_without_ruptured_lines(data: Any) -> None:
    data["lines"] = [line for line in data["lines"] if line.get("membranes", "any") == "intact"]


def _come_in_bad_ga(data: Any) -> None:
    next(line for line in data["lines"] if line["id"] == "movements")["from_ga"] = "24 weeks"


@pytest.mark.parametrize(
    ("filename", "change", "must_name"),
    [
        pytest.param("options.yaml", _evidence_note_without_patient_words,
                     ("options.yaml", "previable_pprom_counseling", "patient_evidence_note", "required"),
                     id="evidence-note-without-patient-words"),
        pytest.param("options.yaml", _patient_note_with_study_code,
                     ("options.yaml", "previable_pprom_counseling", "patient_evidence_note.text", "UKOSS-2024"),
                     id="patient-note-with-source-id"),
        pytest.param("options.yaml", _patient_note_with_weeks_plus_days,
                     ("options.yaml", "previable_pprom_counseling", "patient_evidence_note.text", "weeks+days"),
                     id="patient-note-with-weeks-plus-days"),
        pytest.param("options.yaml", _patient_note_with_acronym,
                     ("options.yaml", "previable_pprom_counseling", "patient_evidence_note.text", "PPROM"),
                     id="patient-note-with-acronym"),
        pytest.param("options.yaml", _patient_note_citing_another_study,
                     ("options.yaml", "previable_pprom_counseling", "patient_evidence_note.sources", "BERGHELLA-2011"),
                     id="patient-note-citing-another-study"),
        pytest.param("outcomes.yaml", _evidence_without_patient_caption,
                     ("outcomes.yaml", "evidence.previable_pprom.patient_caption", "required"),
                     id="evidence-without-patient-caption"),
        pytest.param("outcomes.yaml", _patient_caption_in_clinicians_words,
                     ("outcomes.yaml", "evidence.emergency_cerclage.patient_caption", "neonatal"),
                     id="patient-caption-in-clinicians-words"),
        pytest.param("outcomes.yaml", _patient_caption_with_weeks_plus_days,
                     ("outcomes.yaml", "evidence.twin_emergency_cerclage.patient_caption", "weeks+days"),
                     id="patient-caption-with-weeks-plus-days"),
        pytest.param("outcomes.yaml", _patient_caption_with_acronym,
                     ("outcomes.yaml", "evidence.previable_pprom.patient_caption", "PPROM"),
                     id="patient-caption-with-acronym"),
        pytest.param("outcomes.yaml", _survival_without_patient_label,
                     ("outcomes.yaml", "survival_by_week.cohorts[1].patient_label", "required"),
                     id="survival-cohort-without-patient-label"),
        pytest.param("outcomes.yaml", _survival_patient_label_with_source_id,
                     ("outcomes.yaml", "survival_by_week.cohorts[1].patient_label", "EPICURE-2"),
                     id="survival-patient-label-with-source-id"),
        pytest.param("outcomes.yaml", _survival_without_patient_axis_title,
                     ("outcomes.yaml", "survival_by_week.patient_axis_title", "required"),
                     id="survival-without-patient-axis-title"),
        pytest.param("outcomes.yaml", _survival_patient_note_in_clinicians_words,
                     ("outcomes.yaml", "survival_by_week.patient_denominator_note", "neonatal"),
                     id="survival-patient-note-in-clinicians-words"),
        pytest.param("outcomes.yaml", _survival_without_patient_caveat,
                     ("outcomes.yaml", "survival_by_week.patient_caveat", "required"),
                     id="survival-without-patient-caveat"),
        pytest.param("outcomes.yaml", _survival_without_patient_not_entered,
                     ("outcomes.yaml", "survival_by_week.cohorts[0].patient_not_entered.26", "required"),
                     id="survival-not-entered-without-patient-reason"),
        pytest.param("outcomes.yaml", _survival_patient_measure_with_percent,
                     ("outcomes.yaml", "survival_by_week.cohorts[2].patient_measure", "%"),
                     id="survival-patient-measure-with-percent"),
        pytest.param("come_in.yaml", _come_in_line_with_weeks_plus_days,
                     ("come_in.yaml", "fluid_leak", "text", "weeks+days"), id="come-in-weeks-plus-days"),
        pytest.param("come_in.yaml", _come_in_without_ruptured_lines, ("come_in.yaml", "ruptured"),
                     id="come-in-nothing-for-ruptured-membranes"),
        pytest.param("come_in.yaml", _come_in_bad_ga, ("come_in.yaml", "movements", "from_ga"),
                     id="come-in-from-not-weeks-plus-days"),
        pytest.param("reasons.yaml", _unknown_source_in_reason, ("reasons.yaml", "pe.window", "NOT-A-SOURCE-2099"),
                     id="unknown-source-id-in-reasons"),
        pytest.param("profiles.yaml", _window_start_after_end, ("profiles.yaml", "acog", "history_cerclage", "15+0"),
                     id="window-start-after-end"),
        pytest.param("options.yaml", _missing_option, ("options.yaml", "options", "trendelenburg_bed_rest"),
                     id="missing-option"),
        pytest.param("sources.yaml", _bad_date, ("sources.yaml", "ACOG-PB142", "last_reviewed"), id="bad-date"),
        pytest.param("profiles.yaml", _bad_window_label, ("profiles.yaml", "rcog", "physical_exam_cerclage"),
                     id="window-not-weeks-plus-days"),
        pytest.param("profiles.yaml", _missing_required_value, ("profiles.yaml", "acog", "short_cervix_mm"),
                     id="missing-required-value"),
        pytest.param("profiles.yaml", _unknown_source_in_profile, ("profiles.yaml", "rcog", "magnesium", "NICE-NG99"),
                     id="unknown-source-id-in-profiles"),
        pytest.param("reasons.yaml", _reason_without_text, ("reasons.yaml", "hx.plan", "text"), id="reason-without-text"),
    ],
)
def test_malformed_copy_names_file_and_field(
    kb_copy: Path, filename: str, change: Callable[[Any], None], must_name: tuple[str, ...]
) -> None:
    _edit_yaml(kb_copy, filename, change)
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kb_copy)
    message = str(info.value)
    for part in must_name:
        assert part in message, message


def test_bad_yaml_names_the_file(kb_copy: Path) -> None:
    (kb_copy / "reasons.yaml").write_text("reasons:\n  pe.window: {text: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"reasons\.yaml.*YAML"):
        load_knowledge(kb_copy)


def test_missing_file_names_the_file(kb_copy: Path) -> None:
    (kb_copy / "alerts.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"alerts\.yaml"):
        load_knowledge(kb_copy)


def test_missing_profile_names_it(kb_copy: Path) -> None:
    def drop_rcog(data: Any) -> None:
        del data["profiles"]["rcog"]

    _edit_yaml(kb_copy, "profiles.yaml", drop_rcog)
    with pytest.raises(KnowledgeError, match=r"profiles\.yaml.*rcog"):
        load_knowledge(kb_copy)


# ---- reason texts and the rules --------------------------------------------------------

def _rules_tree() -> ast.Module:
    return ast.parse(RULES_PY.read_text(encoding="utf-8"))


def _reason_ids_in_rules() -> set[str]:
    """String literals in rules.py that look like reason ids (``section.name``)."""
    literals = {node.value for node in ast.walk(_rules_tree())
                if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return {text for text in literals if re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", text)}


def _rule_keywords() -> set[str]:
    """Keyword arguments the rules pass along with a reason (``which=``, ``rupture=``...)."""
    names: set[str] = set()
    for node in ast.walk(_rules_tree()):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_p":
            names.update(k.arg for k in node.keywords if k.arg)
    return names


def _placeholders(text: str) -> set[str]:
    return {field.split(".")[0].split("[")[0] for _lit, field, _spec, _conv in string.Formatter().parse(text) if field}


def test_every_reason_id_used_in_rules_exists() -> None:
    used = _reason_ids_in_rules()
    assert len(used) > 40  # the regex found the rules' reason ids
    missing = used - set(knowledge().reasons)
    assert not missing, f"rules.py uses reason ids missing from reasons.yaml: {sorted(missing)}"


def test_every_reason_is_referenced_by_the_rules() -> None:
    used = _reason_ids_in_rules()
    unused = {rid for rid in knowledge().reasons if not rid.startswith("default.")} - used
    assert not unused, f"reasons.yaml has reasons no rule uses: {sorted(unused)}"


def test_a_default_reason_for_every_option() -> None:
    items = {f"default.{o}" for o in (*OPTION_IDS, *ASSESSMENT_IDS)}
    assert items <= set(knowledge().reasons)
    assert not {rid for rid in knowledge().reasons if rid.startswith("default.")} - items


REPRESENTATIVE = [
    case("20+0"),
    case("19+3", length=18, spontaneous_preterm_births_before_34w=1, serial=[("16+0", 31)]),
    case("21+4", rupture_at="18+2", cerclage=True, flags=["signs_of_intraamniotic_infection"]),
    case("13+0", dilation=4.5, prolapsed=True, plurality=2, second_trimester_losses_painless_dilation=3,
         cervical_surgery=True, prior_cerclage_for_painless_dilation=True),
    case("38+0", at_os=True, flags=["fetal_demise", "regular_contractions_or_labor"]),
]


@pytest.mark.parametrize("profile", ["acog", "rcog"])
@pytest.mark.parametrize("data", REPRESENTATIVE, ids=[f"case{i}" for i in range(len(REPRESENTATIVE))])
def test_every_reason_template_formats(profile: str, data: dict) -> None:
    kb = knowledge()
    params: dict[str, object] = dict(_case_params(derive(parse_case(data), kb.profiles[profile]), profile))
    params.update(dict.fromkeys(_rule_keywords(), "X"))
    for rid, reason in kb.reasons.items():
        variant = reason.profiles.get(profile)
        for template in (reason.text, variant.text if variant is not None and variant.text else ""):
            text = template.format_map(params)  # KeyError here names a placeholder nothing fills
            assert "{" not in text, rid
        assert reason.sources, f"reason {rid} has no source"


def test_reason_placeholders_are_known() -> None:
    kb = knowledge()
    known = set(_case_params(derive(parse_case(case("20+0")), kb.profiles["acog"]), "acog")) | _rule_keywords()
    for rid, reason in kb.reasons.items():
        texts = [reason.text, *(v.text for v in reason.profiles.values() if v.text)]
        unknown = set().union(*(_placeholders(t) for t in texts)) - known
        assert not unknown, f"reasons.yaml {rid}: unknown placeholder(s) {sorted(unknown)}"


def test_alert_ids_used_by_rules_exist() -> None:
    alerts_rule = next(node for node in ast.walk(_rules_tree()) if isinstance(node, ast.FunctionDef) and node.name == "alerts")
    used = {node.args[0].value for node in ast.walk(alerts_rule)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
            and node.args and isinstance(node.args[0], ast.Constant)}
    assert used
    assert used <= set(knowledge().alerts)
    assert set(knowledge().alerts) <= used, "alerts.yaml has alerts no rule raises"
