"""The consultation at a glance (issue 13), pure: the plan's use of the ranking, which study patient mode may
show, what the patient is told was found, the cervix drawing's states, the case timeline, the one-line serial
field. No app, no browser."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision import evaluate, knowledge
from decision.patient_view import (
    EVIDENCE_OPTION,
    OFFERED,
    come_in_text,
    patient_view,
)
from decision.plan import rank_plan
from figures import cervix_diagram
from figures.cervix import cervix_known
from figures.inputs import case_bands
from ui.plan import plan_rows
from ui.serial import GA_COL, LEN_COL, line_text, parse_line

GA = {"weeks": 20, "days": 0}
# The five cases of the issue.
EMERGENCY = {"gestational_age": GA, "cervix": {"length_mm": 15.0, "dilation_cm": 2.0}}
PPROM = {"gestational_age": {"weeks": 19, "days": 0},
         "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}}}
ONE_LOSS = {"gestational_age": {"weeks": 13, "days": 0}, "history": {"second_trimester_losses_painless_dilation": 1}}
SHORTENING = {"gestational_age": {"weeks": 21, "days": 0}, "history": {"spontaneous_preterm_births_before_34w": 1},
              "cervix": {"length_mm": 22.0},
              "serial_cervical_lengths": [{"gestational_age": {"weeks": 16, "days": 0}, "length_mm": 34.0},
                                          {"gestational_age": {"weeks": 18, "days": 0}, "length_mm": 27.0}]}
PROLAPSE = {"gestational_age": {"weeks": 22, "days": 0},
            "cervix": {"dilation_cm": 3.0, "membranes_at_or_beyond_external_os": True,
                       "membranes_prolapsed_into_vagina": True}}
FIVE = {"emergency": EMERGENCY, "pprom": PPROM, "one_loss": ONE_LOSS, "shortening": SHORTENING, "prolapse": PROLAPSE}
LOW_RISK = {"gestational_age": GA}


def rows(case: dict[str, Any], profile: str = "acog") -> list:
    return plan_rows(evaluate(case, profile), case)


# --- the plan at a glance: how the options page uses rank_plan --------------------------------------------


@pytest.mark.parametrize("name", list(FIVE))
def test_plan_rows_are_the_ranking_in_its_order_and_only_offered_options(name: str) -> None:
    case = FIVE[name]
    assessment = evaluate(case, "acog")
    shown = rows(case)
    assert [r.item.id for r in shown] == [p.id for p in rank_plan(assessment, case)]
    assert {r.item.id for r in shown} == {o.id for o in assessment.options if o.status in OFFERED}
    for row in shown:
        assert row.item.title in row.markdown and row.item.one_line_reason in row.markdown
        assert ("Recommended" if row.item.status == "recommended" else "Consider") in row.markdown  # status word
        assert ":material/" in row.markdown  # and its icon
        assert "\n" not in row.markdown  # one line


def test_time_critical_first_with_its_deadline() -> None:
    one_loss = rows(ONE_LOSS)
    assert one_loss[0].item.id == "history_indicated_cerclage"
    assert one_loss[0].heading is not None and "Time-critical" in one_loss[0].heading
    assert ":red[**window closes 14+6, in 13 days**]" in one_loss[0].markdown
    emergency = rows(EMERGENCY)
    assert emergency[0].item.id == "physical_exam_indicated_cerclage"
    assert "window closes 23+6, in 27 days" in emergency[0].markdown  # the urgency cue the issue found missing
    prolapse = rows(PROLAPSE)
    assert prolapse[0].item.group == "time-critical"


def test_alternatives_read_either_or() -> None:
    one_loss = rows(ONE_LOSS)
    assert [r.lead for r in one_loss] == ["Either", "or"]
    assert one_loss[1].markdown.startswith("**or** ") and one_loss[1].heading is None
    pprom = rows(PPROM)
    leads = {r.item.id: r.lead for r in pprom}
    assert leads["pprom_expectant_management"] == "Either" and leads["delivery"] == "or"


def test_seed_only_discouraged_options_come_after_the_guideline_ones() -> None:
    """Head-down bed rest (consider when a cerclage is not possible) is ranked after every guideline option."""
    case = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"dilation_cm": 5.0}}
    shown = rows(case)
    ids = [r.item.id for r in shown]
    assert "trendelenburg_bed_rest" in ids, ids
    bed_rest = ids.index("trendelenburg_bed_rest")
    assert all(r.item.group != "guideline" for r in shown[bed_rest:])
    assert "guidelines discourage" in (shown[bed_rest].heading or "")


# --- patient mode: which study may be shown --------------------------------------------------------------


@pytest.mark.parametrize(("case", "keys"), [
    (EMERGENCY, ("emergency_cerclage",)),
    (PPROM, ("previable_pprom",)),
    (ONE_LOSS, ()),  # the 13-week preventive stitch: no study fits (never the emergency-stitch arrays)
    (SHORTENING, ("ultrasound_cerclage",)),
    (LOW_RISK, ()),  # a low-risk woman at 20 weeks: nothing
    ({"gestational_age": {"weeks": 30, "days": 0}, "red_flags": {"fetal_demise": True}}, ()),
])
def test_patient_mode_studies_are_patient_views(case: dict, keys: tuple[str, ...]) -> None:
    assert patient_view(evaluate(case, "acog"), case).evidence_keys == keys


@settings(max_examples=60, deadline=None)
@given(weeks=st.integers(12, 36), dilation=st.sampled_from([None, 0.0, 1.0, 2.0, 3.0, 5.0]),
       length=st.sampled_from([None, 8.0, 15.0, 22.0, 35.0]), ruptured=st.booleans(), sptb=st.integers(0, 2),
       twins=st.booleans(), prolapsed=st.booleans())
def test_no_study_for_an_option_not_offered_or_another_population(weeks: int, dilation: float | None,
                                                                  length: float | None, ruptured: bool, sptb: int,
                                                                  twins: bool, prolapsed: bool) -> None:
    cervix: dict[str, Any] = {}
    if length is not None:
        cervix["length_mm"] = length
    if dilation is not None:
        cervix["dilation_cm"] = dilation
        if dilation > 0 and prolapsed:
            cervix |= {"membranes_at_or_beyond_external_os": True, "membranes_prolapsed_into_vagina": True}
    case: dict[str, Any] = {"gestational_age": {"weeks": weeks, "days": 0}, "cervix": cervix,
                            "history": {"spontaneous_preterm_births_before_34w": sptb}, "plurality": 2 if twins else 1}
    if ruptured:
        case["membranes"] = {"status": "ruptured", "rupture_gestational_age": {"weeks": weeks, "days": 0}}
    assessment = evaluate(case, "acog")
    view = patient_view(assessment, case)
    for key in view.evidence_keys:
        assert assessment.option(EVIDENCE_OPTION[key]).status in OFFERED, key  # never a non-offered option
        if key in ("emergency_cerclage", "ultrasound_cerclage", "previable_pprom", "activity_restriction"):
            assert not twins, key  # singleton studies
        if key == "twin_emergency_cerclage":
            assert twins
        if key == "ultrasound_cerclage":
            assert sptb >= 1 and length is not None and length < 25 and weeks < 24
        if key == "previable_pprom":
            assert ruptured and 16 <= weeks <= 22


# --- patient mode: what we found, when to come in --------------------------------------------------------


def test_findings_say_only_what_the_case_records() -> None:
    emergency = patient_view(evaluate(EMERGENCY, "acog"), EMERGENCY).findings
    assert emergency[0] == "You are 20 weeks pregnant."
    assert any("15 mm" in f and "shorter than usual" in f for f in emergency)
    assert any("opened 2 cm" in f for f in emergency)
    assert not any("waters" in f.lower() for f in emergency)
    pprom = patient_view(evaluate(PPROM, "acog"), PPROM).findings
    assert any("waters have broken" in f and "19 weeks" in f for f in pprom)
    assert not any("cervix" in f for f in pprom), "nothing was examined or measured: nothing said about it"
    shortening = " ".join(patient_view(evaluate(SHORTENING, "acog"), SHORTENING).findings)
    assert "34 mm at 16 weeks, 27 mm at 18 weeks" in shortening and "become shorter" in shortening
    assert "1 baby" not in shortening and "one baby born early, before 34 weeks" in shortening
    prolapse = " ".join(patient_view(evaluate(PROLAPSE, "acog"), PROLAPSE).findings)
    assert "into the vagina" in prolapse and "can be seen at the opening" not in prolapse
    normal = {"gestational_age": GA, "cervix": {"length_mm": 38.0, "dilation_cm": 0.0}}
    said = " ".join(patient_view(evaluate(normal, "acog"), normal).findings)
    assert "within the usual length" in said and "cervix is closed" in said and "shorter" not in said


def test_when_to_come_in_fits_the_membranes_and_the_stage() -> None:
    COME_IN_MOVEMENTS = come_in_text("movements")
    intact = patient_view(evaluate(EMERGENCY, "acog"), EMERGENCY).come_in_now
    ruptured = patient_view(evaluate(PPROM, "acog"), PPROM).come_in_now
    assert any("Fluid leaking" in item for item in intact) and not any("Fluid leaking" in i for i in ruptured)
    assert any("changes colour" in item for item in ruptured)
    for items in (intact, ruptured):
        assert any("Bleeding" in i for i in items) and any("fever" in i for i in items)
        assert COME_IN_MOVEMENTS not in items  # before 24 weeks
    late = {"gestational_age": {"weeks": 28, "days": 0}}
    assert COME_IN_MOVEMENTS in patient_view(evaluate(late, "acog"), late).come_in_now
    demise = {"gestational_age": {"weeks": 28, "days": 0}, "red_flags": {"fetal_demise": True}}
    assert COME_IN_MOVEMENTS not in patient_view(evaluate(demise, "acog"), demise).come_in_now


def test_checks_are_the_offered_assessments_in_plain_words() -> None:
    kb = knowledge()
    assessment = evaluate(EMERGENCY, "acog")
    view = patient_view(assessment, EMERGENCY)
    assert set(view.checks) == {kb.assessments[a.id].plain_title for a in assessment.assessments
                                if a.status in OFFERED}
    assert view.checks[0] == kb.assessments["infection_assessment"].plain_title  # recommended before consider


# --- the cervix drawing draws what was found ---------------------------------------------------------------


def names(fig: Any) -> set[str]:
    return {t.name for t in fig.data}


def labels(fig: Any) -> set[str]:
    return {a.text for a in fig.layout.annotations}


def test_no_drawing_when_nothing_about_the_cervix_is_known() -> None:
    assert not cervix_known(None, None)
    assert cervix_known(22.0, None) and cervix_known(None, 0.0) and cervix_known(None, None, funneling=True)
    assert cervix_known(None, None, membranes_at_or_beyond_os=True)


def test_not_examined_is_drawn_as_unknown_hatched() -> None:
    fig = cervix_diagram(22.0, None, False, False, False)
    assert "Opening not examined (hatched)" in names(fig)
    hatch = next(t for t in fig.data if t.name == "Opening not examined (hatched)")
    assert hatch.fillpattern.shape == "/"
    assert "Opening not examined" in labels(fig) and "Opening closed" not in labels(fig)
    assert "not examined" in fig.layout.meta["alt"]
    examined = cervix_diagram(22.0, 0.0, False, False, False)
    assert "Opening closed" in labels(examined) and "Opening not examined (hatched)" not in names(examined)


def test_length_not_measured_is_drawn_hatched() -> None:
    fig = cervix_diagram(None, 2.0, False, False, False)
    cervix = next(t for t in fig.data if t.name.startswith("Cervix"))
    assert cervix.name == "Cervix (length not measured: hatched)" and cervix.fillpattern.shape == "/"
    measured = next(t for t in cervix_diagram(18.0, 2.0, False, False, False).data if t.name.startswith("Cervix"))
    assert measured.name == "Cervix" and not measured.fillpattern.shape


def test_ruptured_membranes_are_drawn_broken_not_an_intact_sac() -> None:
    fig = cervix_diagram(30.0, 0.0, False, False, False, ruptured=True)
    assert "Amniotic sac (membranes)" not in names(fig)
    broken = next(t for t in fig.data if t.name == "Membranes ruptured (waters broken)")
    assert broken.line.dash == "dash" and broken.fill in (None, "none") and None in broken.x  # a gap, no fluid
    assert "Waters broken" in labels(fig) and "ruptured" in fig.layout.meta["alt"]
    intact = cervix_diagram(30.0, 0.0, False, False, False)
    assert "Amniotic sac (membranes)" in names(intact) and "Waters broken" not in labels(intact)


def test_figcache_cervix_for_the_five_cases() -> None:
    from ui.figcache import cervix_for

    assert cervix_for(PPROM) is None  # ruptured, nothing about the cervix known: no drawing
    assert cervix_for(ONE_LOSS) is None
    assert "Opening not examined" in str(cervix_for(SHORTENING).to_dict())  # length only: opening hatched
    prolapse = cervix_for(PROLAPSE).to_dict()
    assert any(t["name"].startswith("Cervix (length not measured") for t in prolapse["data"])
    pprom_with_exam = {**PPROM, "cervix": {"dilation_cm": 1.0}}
    assert any(t["name"] == "Membranes ruptured (waters broken)" for t in cervix_for(pprom_with_exam).to_dict()["data"])


# --- the case timeline: only the windows of this case's options ---------------------------------------------


def test_case_timeline_windows_carry_the_status_and_days_left() -> None:
    kb = knowledge()
    one_loss = case_bands(evaluate(ONE_LOSS, "acog"), kb.profiles["acog"])
    assert [b.label for b in one_loss] == [
        "History-indicated (preventive) cerclage: recommended · closes 14+6, in 13 days",
        "Serial transvaginal cervical-length surveillance: consider · opens 16+0, in 21 days",
    ]
    assert [b.status for b in one_loss] == ["recommended", "consider"]
    emergency = case_bands(evaluate(EMERGENCY, "acog"), kb.profiles["acog"])
    assert emergency[0].label.startswith("Emergency (physical-exam-indicated) cerclage: consider · closes 23+6, in 27")
    assert emergency[-1].label.startswith("Periviable period") and emergency[-1].status is None
    low = case_bands(evaluate(LOW_RISK, "acog"), kb.profiles["acog"])
    assert low == []  # routine care: no window decides anything


# --- the one-line serial field (the link's own format) -----------------------------------------------------


def test_serial_line_reads_the_links_format() -> None:
    got, problems = parse_line("16+0:34; 18+0:27; 20+0:22")
    assert problems == []
    assert got == [{GA_COL: "16+0", LEN_COL: 34.0}, {GA_COL: "18+0", LEN_COL: 27.0}, {GA_COL: "20+0", LEN_COL: 22.0}]
    assert line_text(got) == "16+0:34; 18+0:27; 20+0:22"
    assert parse_line("18+0: 27 mm, 16+0:34.5")[0][0] == {GA_COL: "16+0", LEN_COL: 34.5}  # sorted, mm, commas
    kept, problems = parse_line("16+0:34; 18+9:27; soon")
    assert len(problems) == 2 and "item 2" in problems[0] and "item 3" in problems[1]
    assert kept == [{GA_COL: "16+0", LEN_COL: 34.0}]  # the field then keeps the text and the table is unchanged
    assert line_text([{GA_COL: "bad", LEN_COL: 3.0}, {GA_COL: "17+2", LEN_COL: None}]) == ""
