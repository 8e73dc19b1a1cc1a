"""Tests for the Plotly figure builders in ``figures/`` (clinical-spec.md sections 6 and 7)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import figures
from decision import knowledge
from figures import (
    OKABE_ITO,
    Band,
    alt_text,
    bands_from_windows,
    cervical_length_figure,
    cervix_diagram,
    evidence_figure,
    format_ga,
    icon_array,
    outcomes_figure,
    parse_ga,
    timeline_figure,
)
from figures.inputs import TIMELINE_WINDOWS, length_thresholds

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "data" / "knowledge"
LINES = length_thresholds(knowledge().profiles["acog"])  # the length chart's reference lines (profiles.yaml)


def length_chart(measurements: list, current: tuple[int, float] | None = None) -> go.Figure:
    """The cervical-length chart with the acog profile's reference lines, as the pages draw it."""
    return cervical_length_figure(measurements, current, thresholds=LINES)


@pytest.fixture(scope="module")
def outcomes() -> dict:
    return yaml.safe_load((KNOWLEDGE / "outcomes.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def acog_bands() -> list[Band]:
    profiles = yaml.safe_load((KNOWLEDGE / "profiles.yaml").read_text(encoding="utf-8"))
    return bands_from_windows(profiles["profiles"]["acog"]["windows"], names=TIMELINE_WINDOWS)


def weeks(days: int) -> float:
    return days / 7


def title_of(fig: go.Figure) -> str:
    return fig.layout.title.text.replace("<br>", " ")


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def note_text(fig: go.Figure) -> str:
    """The notes under a chart as one text (the builder wraps them into lines)."""
    return " ".join(a.text for a in fig.layout.annotations if a.name == "note")


def trace(fig: go.Figure, name: str) -> go.Scatter | go.Bar:
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, f"expected one trace named {name!r}, got {[t.name for t in fig.data]}"
    return matches[0]


def y_span(t) -> tuple[float, float]:
    ys = [y for y in t.y if y is not None]
    return min(ys), max(ys)


# --- gestational-age helpers -------------------------------------------------------------


@pytest.mark.parametrize(("days", "text"), [(0, "0+0"), (136, "19+3"), (112, "16+0"), (167, "23+6"), (280, "40+0")])
def test_format_ga(days: int, text: str) -> None:
    assert format_ga(days) == text
    assert parse_ga(text) == days


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=99 * 7 + 6))
def test_format_parse_round_trip(days: int) -> None:
    assert parse_ga(format_ga(days)) == days


@pytest.mark.parametrize("bad", ["16", "16+7", "w+d", "", "16-0"])
def test_parse_ga_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_ga(bad)


def test_format_ga_rejects_negative() -> None:
    with pytest.raises(ValueError):
        format_ga(-1)


def test_bands_from_profile_windows(acog_bands: list[Band]) -> None:
    by_label = {b.label: b for b in acog_bands}
    assert len(acog_bands) == len(TIMELINE_WINDOWS)
    surveillance = by_label["Serial cervical-length surveillance"]
    assert (surveillance.start_days, surveillance.end_days) == (112, 167)
    assert surveillance.source == "SMFM-CS40"
    assert by_label["Elective cerclage removal"].source == "ACOG-PB142, RCOG-GTG75"


# --- 1. timeline ---------------------------------------------------------------------------


def test_timeline_one_bar_per_band_with_labels(acog_bands: list[Band]) -> None:
    fig = timeline_figure(136, acog_bands)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert len(bars) == len(acog_bands)
    assert [b.name for b in bars] == [band.label for band in acog_bands]
    band_labels = [a.text for a in fig.layout.annotations if a.name == "band"]
    assert band_labels == [band.label for band in acog_bands]
    # one row per band, in order
    assert [b.y[0] for b in bars] == list(range(len(acog_bands)))


def test_timeline_band_span_in_weeks() -> None:
    fig = timeline_figure(136, [Band("Ultrasound-indicated cerclage", 112, 167, "ACOG-PB142")])
    (bar,) = [t for t in fig.data if isinstance(t, go.Bar)]
    assert bar.base[0] == pytest.approx(16.0)
    assert bar.base[0] + bar.x[0] == pytest.approx(24.0)
    assert bar.orientation == "h"
    assert bar.hovertext[0] == "Ultrasound-indicated cerclage: 16+0 – 23+6 (ACOG-PB142)"


def test_timeline_today_marker_and_annotation(acog_bands: list[Band]) -> None:
    fig = timeline_figure(136, acog_bands)
    today = trace(fig, "Today 19+3")
    assert list(today.x) == pytest.approx([19.428571, 19.428571], abs=1e-4)
    assert "<b>Today 19+3</b>" in annotation_texts(fig)
    assert not any("Rupture" in (t.name or "") for t in fig.data)
    assert not any("Rupture" in text for text in annotation_texts(fig))


def test_timeline_rupture_line_only_when_given(acog_bands: list[Band]) -> None:
    fig = timeline_figure(136, acog_bands, rupture_ga_days=128)
    rupture = trace(fig, "Rupture 18+2")
    assert list(rupture.x) == pytest.approx([128 / 7, 128 / 7])
    assert rupture.line.dash == "dash"
    assert "<b>Rupture 18+2</b>" in annotation_texts(fig)
    # the earlier label extends left, the later one right, so they do not overlap
    anchors = {a.text: a.xanchor for a in fig.layout.annotations if a.yref == "paper"}
    assert anchors == {"<b>Rupture 18+2</b>": "right", "<b>Today 19+3</b>": "left"}
    assert "ruptured at 18+2" in alt_text(fig)


def test_timeline_without_ga(acog_bands: list[Band]) -> None:
    fig = timeline_figure(None, acog_bands)
    assert not any((t.name or "").startswith("Today") for t in fig.data)
    assert "not known" in alt_text(fig)
    assert "no marker for today" in alt_text(fig)


def test_timeline_open_ended_bands() -> None:
    bands = [Band("No start", None, 30), Band("No end", 100, None), Band("Both", 14, 20)]
    fig = timeline_figure(20, bands)
    bars = {t.name: t for t in fig.data if isinstance(t, go.Bar)}
    assert set(bars) == {"No start", "Both"}
    assert bars["No start"].base[0] == fig.layout.xaxis.range[0] == 1  # from the left edge (GA 2+6 widens it to 1)
    assert bars["No start"].base[0] + bars["No start"].x[0] == pytest.approx(31 / 7)
    assert "inside: No start; Both" in alt_text(fig)


def test_timeline_rejects_inverted_band() -> None:
    with pytest.raises(ValueError):
        timeline_figure(100, [Band("Backwards", 50, 40)])


def test_timeline_alt_lists_windows_containing_today(acog_bands: list[Band]) -> None:
    alt = alt_text(timeline_figure(136, acog_bands))
    assert "19+3" in alt
    inside = alt.split("inside: ", 1)[1]
    assert "Ultrasound-indicated cerclage" in inside
    assert "Periviable period" not in inside  # starts at 20+0


def test_timeline_x_axis_covers_the_span_that_matters(acog_bands: list[Band]) -> None:
    fig = timeline_figure(136, acog_bands)
    assert list(fig.layout.xaxis.range) == [10, 40]  # 10-40 weeks, not 0-42
    assert timeline_figure(300, acog_bands).layout.xaxis.range[1] > 300 / 7  # widened for a GA beyond 40
    early = timeline_figure(8 * 7 + 2, acog_bands).layout.xaxis.range
    assert early[0] < 8 and early[1] == 40  # widened for a GA before 10 weeks
    # every band starts at or after the left edge
    assert all(bar.base[0] >= fig.layout.xaxis.range[0] for bar in fig.data if isinstance(bar, go.Bar))


def test_timeline_labels_are_opaque_so_no_line_strikes_through(acog_bands: list[Band]) -> None:
    fig = timeline_figure(136, acog_bands, rupture_ga_days=128)
    labels = [a for a in fig.layout.annotations if a.name == "band"]
    assert labels and all(a.bgcolor == "#FFFFFF" for a in labels)


# --- 2. cervical length --------------------------------------------------------------------


def test_cervical_length_threshold_lines() -> None:
    fig = length_chart([(112, 30), (126, 24)])
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert sorted((s.y0, s.y1) for s in lines) == [(10, 10), (20, 20), (25, 25), (30, 30)]
    assert all(s.xref == "paper" and s.line.dash for s in lines)
    assert {s.name for s in lines} == {"Normal > 30 mm", "Short < 25 mm", "20 mm", "10 mm"}
    assert {"Normal > 30 mm", "Short < 25 mm", "20 mm", "10 mm"} <= set(annotation_texts(fig))


def _line_values(fig) -> list[tuple[float, str]]:
    """(mm, label) of a length chart's reference lines (a real figure or the pages' ``SpecFigure``)."""
    shapes = fig.to_dict()["layout"].get("shapes", [])
    return [(s["y0"], s["name"]) for s in shapes if s["type"] == "line"]


LINE_KEYS = ("normal_cervix_length_mm", "short_cervix_mm", "progesterone_recommended_max_mm", "very_short_cervix_mm")


@pytest.mark.parametrize("profile", ["acog", "rcog"])
def test_cervical_length_lines_are_the_knowledge_base_values(profile: str) -> None:
    """Spec section 6 (2): lines at 30, 25, 20 and 10 mm, each a profile value with its source (section 2: normal
    more than 30 mm, SEED; short below 25 mm, ACOG-PB142, or 25 mm or less under rcog; very short below 10 mm,
    SMFM-CS70; section 3.5: 20 mm or less, SMFM-CS70) — as the pages draw the chart (ui.figcache)."""
    from ui import figcache

    prof = knowledge().profiles[profile]
    fig = figcache.cervical_length(((112, 30.0), (126, 24.0)), (136, 18.0), profile)
    values = [value for value, _ in _line_values(fig)]
    assert values == [prof.value(key).number for key in LINE_KEYS] == [30, 25, 20, 10]
    short = "Short ≤ 25 mm" if profile == "rcog" else "Short < 25 mm"
    assert [name for _, name in _line_values(fig)] == ["Normal > 30 mm", short, "20 mm", "10 mm"]
    assert all(prof.value(key).sources for key in LINE_KEYS)


def test_cervical_length_lines_follow_the_knowledge_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A modified copy of the knowledge base moves the lines (and their labels): nothing is hard-coded."""
    import shutil

    from decision.kb import load
    from ui import figcache

    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, copy)
    raw = yaml.safe_load((copy / "profiles.yaml").read_text(encoding="utf-8"))
    values = raw["profiles"]["acog"]["values"]
    values["normal_cervix_length_mm"]["value"] = 32
    values["short_cervix_mm"].update(value=24, inclusive=True)
    values["very_short_cervix_mm"]["value"] = 12
    (copy / "profiles.yaml").write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    modified = load(copy)
    expected = [(32, "Normal > 32 mm"), (24, "Short ≤ 24 mm"), (20, "20 mm"), (12, "12 mm")]
    assert list(length_thresholds(modified.profiles["acog"])) == expected
    monkeypatch.setattr(figcache, "knowledge", lambda: modified)
    figcache.cervical_length.cache_clear()
    try:
        fig = figcache.cervical_length(((112, 30.0),), None, "acog")
        assert _line_values(fig) == expected
        assert "Reference lines at 32 mm, 24 mm, 20 mm, 12 mm." in fig.alt
    finally:
        figcache.cervical_length.cache_clear()


def test_cervical_length_points_sorted_and_latest_highlighted() -> None:
    fig = length_chart([(126, 24), (112, 30), (136, 18)])
    series = trace(fig, "Cervical length")
    assert list(series.x) == pytest.approx([16.0, 18.0, weeks(136)])
    assert list(series.y) == [30, 24, 18]
    assert series.mode == "lines+markers"
    latest = trace(fig, "Latest: 18 mm at 19+3")
    assert list(latest.y) == [18]
    assert list(latest.x) == pytest.approx([weeks(136)])
    assert latest.marker.size > series.marker.size
    assert latest.marker.symbol != series.marker.symbol
    assert "<b>Latest: 18 mm at 19+3</b>" in annotation_texts(fig)
    assert "fell by 12 mm" in fig.layout.title.text


def test_cervical_length_current_is_merged() -> None:
    fig = length_chart([(112, 30), (126, 24)], current=(136, 18.5))
    assert list(trace(fig, "Cervical length").y) == [30, 24, 18.5]
    assert list(trace(fig, "Latest: 18.5 mm at 19+3").y) == [18.5]
    # a current value at a GA already measured is not added twice
    fig = length_chart([(112, 30), (126, 24)], current=(126, 22))
    assert list(trace(fig, "Cervical length").y) == [30, 24]


def test_cervical_length_current_only() -> None:
    fig = length_chart([], current=(140, 27))
    assert list(trace(fig, "Latest: 27 mm at 20+0").y) == [27]


def test_cervical_length_empty() -> None:
    fig = length_chart([])
    assert "No cervical length measured yet" in annotation_texts(fig)
    assert not fig.data
    assert list(fig.layout.yaxis.range) == [0, 50]
    assert "no cervical length" in alt_text(fig).lower()


def test_cervical_length_y_axis_grows_with_data() -> None:
    assert list(length_chart([(112, 40)]).layout.yaxis.range) == [0, 50]
    assert list(length_chart([(112, 58)]).layout.yaxis.range) == [0, 63]


def test_cervical_length_alt_text() -> None:
    alt = alt_text(length_chart([(112, 30), (126, 24)], current=(136, 18)))
    assert "18 mm at 19+3" in alt
    assert "below the 20 mm line" in alt
    assert "fell by 12 mm" in alt


def test_cervical_length_rejects_negative() -> None:
    with pytest.raises(ValueError):
        length_chart([(112, -3)])


# --- 3. cervix diagram ---------------------------------------------------------------------


# The normal length the drawing marks: clinical-spec.md section 2, "normal cervix length: more than 30 mm" (SEED).
NORMAL_MM = knowledge().profiles["acog"].value("normal_cervix_length_mm").number


def test_cervix_canal_length_follows_measurement() -> None:
    short = trace(cervix_diagram(18, 0, False, False, False), "Cervical canal")
    normal = trace(cervix_diagram(35, 0, False, False, False), "Cervical canal")
    assert y_span(short) == (0, 18)
    assert y_span(normal) == (0, 35)
    reference = trace(cervix_diagram(18, 0, False, False, False), "Normal cervix: over 30 mm (reference)")
    assert y_span(reference) == (0, NORMAL_MM)
    assert reference.line.dash == "dash"


def test_cervix_normal_length_is_the_knowledge_base_value_the_findings_use() -> None:
    """The drawing marked "Normal 35 mm" while the sentence beside it said "more than 30 mm": both now read
    the knowledge base's normal_cervix_length_mm (30 mm, SEED), the drawing as "over 30 mm"."""
    assert NORMAL_MM == 30
    assert figures.normal_length_mm() == NORMAL_MM
    fig = cervix_diagram(18, 0, False, False, False)
    labels = annotation_texts(fig)
    assert "Normal: over 30 mm (dashed)" in labels
    assert not any("35" in text for text in labels)
    assert y_span(trace(fig, "Normal cervix: over 30 mm (reference)")) == (0, 30)
    # the patient's sentence beside the drawing names the same value
    from decision.case import parse_case
    from decision.patient_view import plain_findings
    said = " ".join(plain_findings(parse_case({"gestational_age": {"weeks": 20, "days": 0},
                                               "cervix": {"length_mm": 18}})))
    assert "more than 30 mm" in said
    # the value drawn is the one passed (the pages pass none: the knowledge base's)
    other = cervix_diagram(18, 0, False, False, False, normal_mm=32)
    assert "Normal: over 32 mm (dashed)" in annotation_texts(other)
    assert y_span(trace(other, "Normal cervix: over 32 mm (reference)")) == (0, 32)


def test_cervix_funnel_only_with_funneling() -> None:
    with_funnel = cervix_diagram(18, 0, True, False, False)
    without = cervix_diagram(18, 0, False, False, False)
    funnel = trace(with_funnel, "Funnel")
    assert y_span(funnel)[0] == 18  # the V starts where the closed canal ends
    xs = list(funnel.x)
    assert max(xs) - min(xs) > 10  # open at the top, a V
    assert "Funnel" not in {t.name for t in without.data}
    assert any("Funnel" in text for text in annotation_texts(with_funnel))


def test_cervix_opening_proportional_to_dilation() -> None:
    def bottom_width(fig: go.Figure) -> float:
        canal = trace(fig, "Cervical canal")
        xs = [x for x, y in zip(canal.x, canal.y, strict=True) if y == 0]
        return max(xs) - min(xs)

    assert bottom_width(cervix_diagram(18, 2, False, False, False)) == pytest.approx(20)
    assert bottom_width(cervix_diagram(18, 4, False, False, False)) == pytest.approx(40)


def test_cervix_membranes_position() -> None:
    inside = trace(cervix_diagram(18, 0, False, False, False), "Amniotic sac (membranes)")
    at_os = trace(cervix_diagram(18, 2, True, True, False), "Amniotic sac (membranes)")
    prolapsed = trace(cervix_diagram(18, 3, True, True, True), "Amniotic sac (membranes)")
    assert y_span(inside)[0] > 18  # above the internal os
    assert y_span(at_os)[0] == 0  # down to the external os
    assert y_span(prolapsed)[0] < -5  # below the external os, into the vagina


def test_cervix_labels() -> None:
    texts = annotation_texts(cervix_diagram(18, 2, True, True, False))
    for expected in ("Uterus", "Cervix 18 mm", "Opening 2 cm", "Membranes at the os", "Vagina"):
        assert expected in texts
    texts = annotation_texts(cervix_diagram(12.5, 1.5, False, True, True))
    assert "Cervix 12.5 mm" in texts
    assert "Opening 1.5 cm" in texts
    assert "Membranes in the vagina" in texts
    assert "Opening closed" in annotation_texts(cervix_diagram(30, 0, False, False, False))


def test_cervix_length_not_measured() -> None:
    fig = cervix_diagram(None, 0, False, False, False)
    assert "Length not measured" in annotation_texts(fig)
    assert y_span(trace(fig, "Cervical canal")) == (0, NORMAL_MM)  # drawn (hatched) at the normal length
    assert "not measured" in alt_text(fig)


def test_cervix_axes_hidden_fixed_aspect() -> None:
    fig = cervix_diagram(18, 2, True, True, False)
    assert fig.layout.xaxis.visible is False
    assert fig.layout.yaxis.visible is False
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.yaxis.scaleratio == 1


@pytest.mark.parametrize(("length", "dilation"), [(-1, 0), (18, -0.5), (float("nan"), 0)])
def test_cervix_rejects_bad_values(length: float, dilation: float) -> None:
    with pytest.raises(ValueError):
        cervix_diagram(length, dilation, False, False, False)


@settings(max_examples=30, deadline=None)
@given(
    length=st.one_of(st.none(), st.floats(min_value=1, max_value=60)),
    dilation=st.floats(min_value=0, max_value=10),
    funneling=st.booleans(),
    at_os=st.booleans(),
    prolapsed=st.booleans(),
)
def test_cervix_any_case_draws(length: float | None, dilation: float, funneling: bool, at_os: bool, prolapsed: bool) -> None:
    fig = cervix_diagram(length, dilation, funneling, at_os, prolapsed)
    canal = trace(fig, "Cervical canal")
    assert y_span(canal) == pytest.approx((0, NORMAL_MM if length is None else length))
    sac_bottom = y_span(trace(fig, "Amniotic sac (membranes)"))[0]
    assert (sac_bottom < 0) == prolapsed
    low, high = fig.layout.yaxis.range
    assert low < min(0.0, sac_bottom) and high > y_span(canal)[1]


# --- 4. outcomes ---------------------------------------------------------------------------


def test_outcomes_one_trace_per_cohort(outcomes: dict) -> None:
    survival = outcomes["survival_by_week"]
    fig = outcomes_figure(survival, 23)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert len(bars) == len(survival["cohorts"]) == 3
    for bar, cohort in zip(bars, survival["cohorts"], strict=True):
        assert list(bar.x) == [22, 23, 24, 25, 26]
        assert cohort["label"] in bar.name
        assert cohort["measure"] in bar.name
        assert cohort["denominator"] in bar.name
    assert bars[0].name == "NICHD NRN 2003-07 (Stoll 2010) — survival to discharge, live births"
    assert bars[2].name == "EXPRESS, Sweden 2004-07 (JAMA 2009) — 1-year survival, live births"
    assert fig.layout.barmode == "group"
    assert "born alive" in title_of(fig)


def test_outcomes_each_cohort_names_its_source_and_denominator(outcomes: dict) -> None:
    survival = outcomes["survival_by_week"]
    fig = outcomes_figure(survival, 23)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    for bar, cohort in zip(bars, survival["cohorts"], strict=True):
        assert cohort["denominator"] == "live births"
        assert set(bar.customdata) == {cohort["source"]}
        assert "live births" in bar.hovertemplate and "Source" in bar.hovertemplate
    assert [c["source"] for c in survival["cohorts"]] == ["NRN-2003-07", "EPICURE-2", "EXPRESS"]
    assert "(Stoll 2010)" in bars[0].name and "(Costeloe 2012)" in bars[1].name


def test_outcomes_say_live_births_overstate_survival_for_a_woman_still_pregnant(outcomes: dict) -> None:
    survival = outcomes["survival_by_week"]
    fig = outcomes_figure(survival, 24)
    assert "overstates survival for a woman who is still pregnant" in survival["denominator_note"]
    assert survival["denominator_note"] in note_text(fig)
    assert survival["denominator_note"] in alt_text(fig)


def test_outcomes_values_and_labels(outcomes: dict) -> None:
    fig = outcomes_figure(outcomes["survival_by_week"], 23)
    epicure = trace(fig, "EPICure-2, England 2006 (Costeloe 2012) — survival to discharge, live births")
    assert list(epicure.y) == [2, 19, 40, 66, 77]
    assert list(epicure.text) == ["2%", "19%", "40%", "66%", "77%"]
    express = trace(fig, "EXPRESS, Sweden 2004-07 (JAMA 2009) — 1-year survival, live births")
    assert express.text[0] == "9.8%"


def test_outcomes_null_is_not_zero(outcomes: dict) -> None:
    fig = outcomes_figure(outcomes["survival_by_week"], 23)
    nrn = trace(fig, "NICHD NRN 2003-07 (Stoll 2010) — survival to discharge, live births")
    assert nrn.y[4] is None
    assert list(nrn.y[:4]) == [6, 26, 55, 72]
    assert nrn.text[4] == ""


def test_outcomes_nrn_26_weeks_says_not_entered_here(outcomes: dict) -> None:
    # Spec 7: the NRN cohort covers 22-28 weeks, so a 26-week figure exists; until it is read from
    # the paper's table the chart says "not entered here", never "no published figure".
    survival = outcomes["survival_by_week"]
    nrn_cohort = survival["cohorts"][0]
    assert nrn_cohort["percent"][survival["weeks"].index(26)] is None
    assert "table" in nrn_cohort["not_entered"][26]
    fig = outcomes_figure(survival, 23)
    [cell] = [a for a in fig.layout.annotations if a.name == "not entered"]
    assert cell.text == "not entered here"
    assert 25.5 < cell.x < 26  # the empty slot of NRN, the first bar of the 26-week group
    assert cell.textangle == -90 and cell.y == 0 and cell.yref == "y"
    assert "table" in cell.hovertext
    assert "26 weeks not entered here" in alt_text(fig)
    payload = fig.to_json().lower()
    assert "no published figure" not in payload and "no data" not in payload and "n/a" not in payload


def test_outcomes_highlight(outcomes: dict) -> None:
    fig = outcomes_figure(outcomes["survival_by_week"], 23)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 1
    assert (rects[0].x0, rects[0].x1) == (22.5, 23.5)
    assert "<b>This pregnancy: 23 weeks</b>" in annotation_texts(fig)
    alt = alt_text(fig)
    assert "This pregnancy is at 23 weeks" in alt
    assert "EPICure-2, England 2006 (Costeloe 2012) 19%" in alt


def test_outcomes_highlight_outside_cohorts(outcomes: dict) -> None:
    fig = outcomes_figure(outcomes["survival_by_week"], 19)
    assert not [s for s in fig.layout.shapes if s.type == "rect"]
    assert "outside the range of the cohorts" in alt_text(fig)
    assert any("outside the range of the cohorts" in text for text in annotation_texts(fig))


def test_outcomes_without_highlight(outcomes: dict) -> None:
    fig = outcomes_figure(outcomes["survival_by_week"])
    assert not fig.layout.shapes
    assert not any("This pregnancy" in text for text in annotation_texts(fig))


def test_outcomes_von_is_text_about_hospital_variation_not_a_bar(outcomes: dict) -> None:
    # Spec 7: VON's denominator (probably infants given active treatment) is not verified, so VON stays
    # out of the chart and is text about hospital variation.
    survival = outcomes["survival_by_week"]
    assert survival["von"]["chart"] is False
    assert "not verified" in survival["von"]["denominator"] and "not verified" in survival["von"]["label"]
    fig = outcomes_figure(survival, 22)
    assert not any("Vermont Oxford Network" in (t.name or "") for t in fig.data)
    notes = note_text(fig)
    assert survival["caveat"] in notes and "varies widely between hospitals" in notes
    assert "Vermont Oxford Network, US (denominator not verified; not charted)" in notes
    assert "22 weeks 25.7% to 41%; 23 weeks 53.8% to 57.9%" in notes
    assert "2014 to 2023" in alt_text(fig)
    assert fig.layout.yaxis.title.text == "Survival (%)"
    assert list(fig.layout.yaxis.range) == [0, 100]


def test_outcomes_von_charted_when_its_entry_allows(outcomes: dict) -> None:
    survival = dict(outcomes["survival_by_week"])
    survival["von"] = dict(survival["von"], chart=True, label="Vermont Oxford Network")
    fig = outcomes_figure(survival, 22)
    von = next(t for t in fig.data if "Vermont Oxford Network" in (t.name or ""))
    assert [y for y in von.y if y is not None] == [25.7, 41.0, 53.8, 57.9]
    assert "2014" in von.name and "2023" in von.name
    assert "25.7% in 2014 to 41% in 2023" in alt_text(fig)
    assert "not charted" not in note_text(fig)


def test_outcomes_can_say_the_figures_do_not_apply(outcomes: dict) -> None:
    fig = outcomes_figure(outcomes["survival_by_week"], 22, not_applicable="fetal demise")
    assert "These figures do not apply to this pregnancy: fetal demise." in note_text(fig)
    assert "do not apply" in alt_text(fig)
    assert "do not apply" not in note_text(outcomes_figure(outcomes["survival_by_week"], 22))


def test_outcomes_rejects_mismatched_lengths(outcomes: dict) -> None:
    survival = dict(outcomes["survival_by_week"])
    survival["cohorts"] = [dict(survival["cohorts"][0], percent=[1, 2])]
    with pytest.raises(ValueError):
        outcomes_figure(survival)


# The patient chart (patient mode): the same bars, none of the clinicians' study names or words.
PATIENT_CHART_FORBIDDEN = ("NICHD", "NRN", "EPICure", "EXPRESS", "JAMA", "Stoll", "Costeloe", "Vermont",
                           "completed weeks", "cohort")

# sha256 of the clinician chart's spec (json.dumps(..., sort_keys=True)) as built before the patient version
# existed: adding audience="patient" changed nothing for clinicians.
CLINICIAN_OUTCOMES_SHA256 = {
    (23, None): "8e6db7a44d6557bfe4d11f6a4db0b7cc008620bc48fc0265279a5bcf7b81edbc",
    (19, None): "2306f4f032d8d58dcf88df2a46c1e36d78158471df81d6de1e76cb12bae0eda6",
    (None, None): "9c74bd7bd7a8d9e35a1fc5b998e35f36ab667274b1a50e2dda7bebfbe6ef2b12",
    (22, "fetal demise"): "d951eb1103202b671275ccaa37cbc9e2f5ea613bf63ffde7d957d062ad9a1b69",
}


def _without_patient_texts(survival: dict) -> dict:
    plain = {k: v for k, v in survival.items() if not k.startswith("patient_")}
    plain["cohorts"] = [{k: v for k, v in c.items() if not k.startswith("patient_")} for c in survival["cohorts"]]
    return plain


@pytest.mark.parametrize(("highlight", "not_applicable"), list(CLINICIAN_OUTCOMES_SHA256))
def test_outcomes_clinician_chart_unchanged_by_the_patient_texts(
    outcomes: dict, highlight: int | None, not_applicable: str | None
) -> None:
    import hashlib

    survival = outcomes["survival_by_week"]
    spec = outcomes_figure.spec(survival, highlight, not_applicable)
    assert spec == outcomes_figure.spec(survival, highlight, not_applicable, audience="clinician")
    assert spec == outcomes_figure.spec(_without_patient_texts(survival), highlight, not_applicable)
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    assert digest == CLINICIAN_OUTCOMES_SHA256[(highlight, not_applicable)]


def patient_chart_words(spec: dict) -> str:
    """Everything a patient can read or hear of the chart: legend, hover, axis titles, annotations, notes, alt."""
    layout = spec["layout"]
    parts = [layout["title"]["text"], layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"],
             layout["meta"]["alt"]]
    parts += [str(t.get(k, "")) for t in spec["data"] for k in ("name", "hovertemplate", "hovertext")]
    parts += [str(a.get(k, "")) for a in layout.get("annotations", ()) for k in ("text", "hovertext")]
    return "\n".join(parts)


@pytest.mark.parametrize("highlight", [23, 19, 26, None])
def test_outcomes_patient_chart_in_plain_words_with_the_same_numbers(outcomes: dict, highlight: int | None) -> None:
    survival = outcomes["survival_by_week"]
    clinician = outcomes_figure.spec(survival, highlight)
    patient = outcomes_figure.spec(survival, highlight, audience="patient")
    words = patient_chart_words(patient)
    for word in PATIENT_CHART_FORBIDDEN:
        assert word.lower() not in words.lower(), word
        # Nothing anywhere in the spec, not even a source id in custom data.
        assert word.lower() not in json.dumps(patient).lower(), word
    assert "denominator" not in words and "25.7" not in words  # the Vermont Oxford figures are left out
    bars = [t for t in patient["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == [f"{c['patient_label']}: {c['patient_measure']}" for c in survival["cohorts"]]
    assert bars[1]["name"] == "Babies born in England in 2006: survived to go home"
    assert bars[2]["name"] == "Babies born in Sweden, 2004-2007: alive at 1 year"
    clinician_bars = [t for t in clinician["data"] if t["type"] == "bar"]
    for ours, theirs in zip(bars, clinician_bars, strict=True):
        assert (ours["x"], ours["y"], ours["text"]) == (theirs["x"], theirs["y"], theirs["text"])
    layout = patient["layout"]
    assert layout["xaxis"]["title"]["text"] == survival["patient_axis_title"]
    assert layout["yaxis"] == clinician["layout"]["yaxis"]
    assert layout.get("shapes") == clinician["layout"].get("shapes")
    notes = " ".join(a["text"] for a in layout["annotations"] if a.get("name") == "note")
    assert " ".join(notes.split()) == " ".join((survival["patient_denominator_note"] + " "
                                                 + survival["patient_caveat"]).split())
    alt = layout["meta"]["alt"]
    for cohort in survival["cohorts"]:
        assert cohort["patient_label"] in alt
    assert "22 weeks 9.8%" in alt and "26 weeks not entered here" in alt
    assert survival["patient_denominator_note"] in alt
    if highlight == 23:
        assert "Babies born in England in 2006, 19% survived to go home" in alt
    if highlight == 19:
        assert "the studies counted babies born at 22 to 26 weeks" in words


def test_outcomes_patient_chart_says_when_the_figures_do_not_apply(outcomes: dict) -> None:
    spec = outcomes_figure.spec(outcomes["survival_by_week"], 22, "fetal demise", audience="patient")
    assert "These figures do not apply to this pregnancy: fetal demise." in spec["layout"]["meta"]["alt"]


def test_outcomes_rejects_an_unknown_audience(outcomes: dict) -> None:
    with pytest.raises(ValueError, match="audience"):
        outcomes_figure.spec(outcomes["survival_by_week"], 23, audience="family")


# --- 5. icon array -------------------------------------------------------------------------


def filled_count(fig: go.Figure) -> int:
    return len(next(t for t in fig.data if t.name.startswith("Filled")).x)


@pytest.mark.parametrize(("percent", "expected"), [(26, 26), (9.8, 10), (0, 0), (100, 100), (55.4, 55)])
def test_icon_array_counts(percent: float, expected: int) -> None:
    fig = icon_array(percent, "survive to discharge")
    assert filled_count(fig) == expected
    assert sum(len(t.x) for t in fig.data) == 100
    assert len({(x, y) for t in fig.data for x, y in zip(t.x, t.y, strict=True)}) == 100


def test_icon_array_title_and_meaning() -> None:
    fig = icon_array(26, "survive to discharge")
    assert fig.layout.title.text.startswith("About 26 in 100 survive to discharge")
    names = [t.name for t in fig.data]
    assert names == ["Filled: survive to discharge (26 of 100)", "Open grey: the other 74"]
    filled, rest = fig.data
    assert filled.marker.symbol != rest.marker.symbol  # not colour alone
    assert fig.layout.showlegend is True
    assert "about 26 in 100 survive to discharge" in alt_text(fig)


def test_icon_array_grid_is_ten_by_ten() -> None:
    fig = icon_array(26, "survive")
    xs = {x for t in fig.data for x in t.x}
    ys = {y for t in fig.data for y in t.y}
    assert xs == set(range(10)) and ys == set(range(10))


def test_icon_array_small_percent() -> None:
    assert icon_array(0.3, "have sepsis").layout.title.text.startswith("Fewer than 1 in 100 have sepsis")


@pytest.mark.parametrize("bad", [-1, 101, float("nan")])
def test_icon_array_rejects_bad_percent(bad: float) -> None:
    with pytest.raises(ValueError):
        icon_array(bad, "x")


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=0, max_value=100))
def test_icon_array_any_percent(percent: float) -> None:
    fig = icon_array(percent, "survive")
    assert filled_count(fig) == round(percent)
    assert sum(len(t.x) for t in fig.data) == 100


# --- 6. evidence ---------------------------------------------------------------------------


def bar_values(fig: go.Figure) -> dict[str, dict[str, float]]:
    return {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data if isinstance(t, go.Bar)}


def test_evidence_arms(outcomes: dict) -> None:
    entry = outcomes["evidence"]["emergency_cerclage"]
    fig = evidence_figure(entry)
    assert bar_values(fig) == {"Neonatal survival": {"Emergency cerclage": 71, "Expectant management": 43}}
    assert list(fig.data[0].text) == ["71%", "43%"]
    assert entry["label"] in title_of(fig)
    assert "757 women in 10 studies" in fig.layout.title.text
    assert "EHSANIPOOR-2015" in fig.layout.title.text
    assert entry["extra"] in annotation_texts(fig)
    assert fig.layout.yaxis.title.text == "Neonatal survival (%)"


def test_evidence_ehsanipoor_is_labelled_observational(outcomes: dict) -> None:
    entry = outcomes["evidence"]["emergency_cerclage"]
    assert entry["design_kind"] == "observational"
    plain = "in studies that compared women who chose it with women who did not; not a randomised trial"
    assert plain in entry["design"]
    assert "1 randomised trial, 2 prospective and 7 retrospective cohort studies" in entry["design"]
    fig = evidence_figure(entry)
    assert plain in note_text(fig) and plain in alt_text(fig)
    assert note_text(fig).startswith("Mostly observational")
    assert "33.98, 95% CI 17.88-50.08" in alt_text(fig)


def test_evidence_cerclage_vs_no_cerclage(outcomes: dict) -> None:
    fig = evidence_figure(outcomes["evidence"]["ultrasound_cerclage"])
    assert bar_values(fig) == {
        "Cerclage": {"birth before 35 weeks": 28.4, "perinatal morbidity and mortality": 15.6},
        "No cerclage": {"birth before 35 weeks": 41.3, "perinatal morbidity and mortality": 24.8},
    }
    assert fig.layout.barmode == "group"
    assert list(fig.data[0].text) == ["28.4%", "15.6%"]
    assert "BERGHELLA-2011" in fig.layout.title.text
    assert fig.data[0].marker.pattern.shape != fig.data[1].marker.pattern.shape


def test_evidence_percent_measures(outcomes: dict) -> None:
    fig = evidence_figure(outcomes["evidence"]["previable_pprom"])
    assert bar_values(fig) == {
        "The baby": {"live birth": 44, "survival to discharge": 26, "survival without severe morbidity": 18},
        "The mother": {"maternal sepsis": 12},
    }
    assert list(fig.data[0].text) == ["44%", "26%", "18%"]
    assert fig.data[0].marker.pattern.shape != fig.data[1].marker.pattern.shape  # not colour alone
    assert fig.layout.barmode == "overlay"  # disjoint categories: full-width bars
    assert "UKOSS-2024" in fig.layout.title.text


def test_evidence_percent_measures_without_the_mother() -> None:
    entry = {"label": "X", "source": "S", "measures": [{"measure": "a", "percent": 10}, {"measure": "b", "percent": 20}]}
    fig = evidence_figure(entry)
    assert bar_values(fig) == {"Percent": {"a": 10, "b": 20}}
    assert fig.layout.showlegend is False


def test_evidence_ukoss_says_terminations_are_not_counted_and_gives_the_mothers_risks(outcomes: dict) -> None:
    # Spec 6 and 7: previable PPROM figures say that pregnancies ended by termination are not counted,
    # and give the mother's risks (sepsis; maternal deaths) beside the baby's.
    entry = outcomes["evidence"]["previable_pprom"]
    assert "not ended by termination for medical reasons" in entry["denominator"]
    assert entry["maternal_deaths"] == {"deaths": 2, "women": 364}
    assert [(m["measure"], m["percent"], m["n"]) for m in entry["measures"]] == [
        ("live birth", 44, "98/223"), ("survival to discharge", 26, "54/207"),
        ("survival without severe morbidity", 18, "38/207"), ("maternal sepsis", 12, "39/326"),
    ]
    fig = evidence_figure(entry)
    title, notes, alt = title_of(fig), note_text(fig), alt_text(fig)
    assert "not ended by termination for medical reasons" in title
    assert "not counted in the babies' figures" in notes
    assert "sepsis 12%" in notes and "2 maternal deaths in 364 women" in notes
    for text in ("termination", "2 maternal deaths in 364 women", "the mother: maternal sepsis 12% (39/326)",
                 "Live birth 44% (98/223)"):
        assert text in alt


def test_evidence_caption_carries_the_labels(outcomes: dict) -> None:
    from figures.inputs import evidence_caption

    pprom = evidence_caption(outcomes["evidence"]["previable_pprom"], "UKOSS previable PPROM study")
    assert pprom.startswith("Source: UKOSS previable PPROM study. Babies: singleton pregnancies not ended by termination")
    assert "2 maternal deaths in 364 women" in pprom and "not counted" in pprom
    emergency = evidence_caption(outcomes["evidence"]["emergency_cerclage"], "Ehsanipoor")
    assert "not a randomised trial" in emergency


def test_every_evidence_entry_says_how_it_was_gathered(outcomes: dict) -> None:
    for key, entry in outcomes["evidence"].items():
        assert entry["design_kind"] in ("observational", "randomised"), key
        design = entry["design"]
        if entry["design_kind"] == "observational":
            assert "observational" in design.lower(), key
            if "arms" in entry:  # a comparison: say it was not randomised
                assert "not a randomised trial" in design, key
        else:
            assert design.startswith("Randomised"), key
        assert design in note_text(evidence_figure(entry)).replace("<br>", " "), key
        assert entry["source"] and entry["denominator"], key


def test_evidence_roman_twins_is_a_small_randomised_trial_stopped_early(outcomes: dict) -> None:
    entry = outcomes["evidence"]["twin_emergency_cerclage"]
    assert entry["source"] == "ROMAN-2020"
    assert "30 women analysed" in entry["design"] and "stopped early" in entry["design"]
    fig = evidence_figure(entry)
    assert bar_values(fig) == {"Perinatal mortality": {"Cerclage": 18, "No cerclage": 77}}
    assert "18% (6/34)" in alt_text(fig) and "77% (20/26)" in alt_text(fig)


def test_evidence_activity_restriction(outcomes: dict) -> None:
    fig = evidence_figure(outcomes["evidence"]["activity_restriction"])
    assert bar_values(fig) == {"Preterm birth before 37 weeks": {"Activity restriction": 37, "No restriction": 17}}
    assert "37%" in alt_text(fig) and "17%" in alt_text(fig)


def test_evidence_unknown_shape() -> None:
    with pytest.raises(ValueError):
        evidence_figure({"label": "Nothing", "source": "X"})


# --- every builder -------------------------------------------------------------------------

OUTCOMES = yaml.safe_load((KNOWLEDGE / "outcomes.yaml").read_text(encoding="utf-8"))
BUILDERS = {
    "timeline": (
        lambda: timeline_figure(136, [Band("Ultrasound-indicated cerclage", 112, 167, "ACOG-PB142")], 128),
        ["19+3", "18+2", "16+0"],
    ),
    "cervical_length": (lambda: length_chart([(112, 30), (126, 24)], (136, 18)), ["18 mm", "19+3"]),
    "cervix": (lambda: cervix_diagram(18, 2, True, True, False), ["18 mm", "2 cm"]),
    "outcomes": (lambda: outcomes_figure(OUTCOMES["survival_by_week"], 23), ["23 weeks", "26%"]),
    "icon_array": (lambda: icon_array(26, "survive to discharge"), ["26 in 100"]),
    **{
        f"evidence_{key}": (lambda entry=entry: evidence_figure(entry), [entry["source"]])
        for key, entry in OUTCOMES["evidence"].items()
    },
}
AXIS_UNITS = {
    "timeline": ("(weeks)", None),
    "cervical_length": ("(weeks)", "(mm)"),
    "outcomes": ("weeks)", "(%)"),
    "evidence_emergency_cerclage": (None, "(%)"),
    "evidence_ultrasound_cerclage": (None, "(%)"),
    "evidence_previable_pprom": (None, "(%)"),
    "evidence_activity_restriction": (None, "(%)"),
    "evidence_twin_emergency_cerclage": (None, "(%)"),
}
ALLOWED_DATA_COLOURS = {c.upper() for c in OKABE_ITO} | {"#C8C8C8"}


@pytest.fixture(params=sorted(BUILDERS), name="built")
def built_figure(request: pytest.FixtureRequest) -> tuple[str, go.Figure, list[str]]:
    build, values = BUILDERS[request.param]
    return request.param, build(), values


def test_common_title_alt_and_size(built: tuple[str, go.Figure, list[str]]) -> None:
    name, fig, values = built
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text and fig.layout.title.text.strip()
    alt = alt_text(fig)
    assert alt == fig.layout.meta["alt"]
    assert len(alt) > 40 and alt.endswith(".")
    for value in values:
        assert value in alt, f"{name}: {value!r} missing from alt text {alt!r}"
    assert 300 <= fig.layout.height <= 420
    assert fig.layout.font.size >= 13
    assert fig.layout.title.font.size >= 13
    assert fig.layout.legend.orientation == "h"
    assert fig.layout.margin.l <= 20 and fig.layout.margin.r <= 20
    for annotation in fig.layout.annotations:
        assert annotation.font.size is None or annotation.font.size >= 13


def test_common_axis_titles_with_units(built: tuple[str, go.Figure, list[str]]) -> None:
    name, fig, _ = built
    if name in ("cervix", "icon_array"):
        assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
        return
    x_unit, y_unit = AXIS_UNITS[name]
    assert fig.layout.xaxis.title.text
    if x_unit:
        assert x_unit in fig.layout.xaxis.title.text
    if y_unit:
        assert y_unit in fig.layout.yaxis.title.text


def test_common_palette(built: tuple[str, go.Figure, list[str]]) -> None:
    name, fig, _ = built
    if name == "cervix":
        return  # anatomical fills are tints of Okabe-Ito colours
    for t in fig.data:
        colours = t.marker.color if t.marker and t.marker.color is not None else ()
        colours = [colours] if isinstance(colours, str) else list(colours)
        if getattr(t, "line", None) is not None and t.line.color:
            colours.append(t.line.color)
        for colour in colours:
            assert colour.upper() in ALLOWED_DATA_COLOURS, f"{name}: {colour} is not Okabe-Ito"


def test_common_serialisable(built: tuple[str, go.Figure, list[str]]) -> None:
    _, fig, _ = built
    payload = json.loads(fig.to_json())
    assert payload["layout"]["meta"]["alt"] == alt_text(fig)
    go.Figure(payload)  # round-trips through Plotly's validators


def test_alt_text_of_foreign_figure() -> None:
    assert alt_text(go.Figure()) == ""


def test_package_is_pure_and_light() -> None:
    code = (
        "import sys, figures; "
        "bad = [m for m in ('streamlit', 'plotly.express', 'pandas') if m in sys.modules]; "
        "assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_percent_labels_never_nan(outcomes: dict) -> None:
    fig = outcomes_figure(outcomes["survival_by_week"], 24)
    for t in fig.data:
        for text in t.text or ():
            assert "nan" not in str(text).lower()
    assert not any(isinstance(y, float) and math.isnan(y) for t in fig.data for y in (t.y or ()) if y is not None)


# --- build cost (structural, not timed) -----------------------------------------------------
# Plotly validates on every add_annotation/add_shape/update_* call (quadratic in the number of
# annotations) and copies the template on every ``template=`` assignment: 70-140 ms a figure.
# The builders collect traces, shapes and annotations as plain data and construct once.

_INCREMENTAL = (
    "add_annotation",
    "add_shape",
    "add_hline",
    "add_vline",
    "add_hrect",
    "add_vrect",
    "add_trace",
    "add_traces",
    "update_layout",
    "update_xaxes",
    "update_yaxes",
    "update_traces",
)


def _realistic_timeline(acog_bands: list[Band]) -> go.Figure:
    return timeline_figure(136, acog_bands, 128)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builders_construct_figure_once(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*_args, **_kwargs):
        raise AssertionError("figure builders must construct the figure once, not add to it step by step")

    for method in _INCREMENTAL:
        monkeypatch.setattr(go.Figure, method, forbidden)
    fig = BUILDERS[name][0]()
    assert isinstance(fig, go.Figure)


def test_timeline_construct_once_with_many_windows(acog_bands: list[Band], monkeypatch: pytest.MonkeyPatch) -> None:
    for method in _INCREMENTAL:
        monkeypatch.setattr(go.Figure, method, lambda *a, **k: pytest.fail("incremental figure update"))
    fig = _realistic_timeline(acog_bands)
    # One bar per window plus the two marker lines: no per-point or per-label traces.
    assert len(fig.data) == len(acog_bands) + 2
    assert len(fig.layout.annotations) == len(acog_bands) + 2


def test_validation_would_change_nothing(built: tuple[str, go.Figure, list[str]]) -> None:
    """Builders skip Plotly's (slow) validation: validating their output must be a no-op."""
    name, fig, _ = built
    payload = fig.to_dict()
    assert go.Figure(payload).to_dict() == payload, name
    assert payload["layout"]["template"] == pio.templates["plotly_white"].to_plotly_json()


def test_validation_would_change_nothing_realistic(acog_bands: list[Band], outcomes: dict) -> None:
    for fig in (
        _realistic_timeline(acog_bands),
        timeline_figure(None, []),
        length_chart([]),
        cervix_diagram(None, 6, True, False, True),
        outcomes_figure(outcomes["survival_by_week"], 30),
        icon_array(0.3, "survive"),
    ):
        payload = fig.to_dict()
        assert go.Figure(payload).to_dict() == payload


@pytest.mark.parametrize("percent", [0, 26, 100])
def test_icon_array_is_two_traces(percent: float) -> None:
    fig = icon_array(percent, "survive to discharge")
    assert len(fig.data) == 2
    assert sum(len(t.x) for t in fig.data) == 100
    assert not fig.layout.shapes and not fig.layout.annotations


def test_figures_stay_small(acog_bands: list[Band], outcomes: dict) -> None:
    """Trace and annotation counts stay bounded, so to_dict/to_json stay cheap."""
    figs = {
        "timeline": _realistic_timeline(acog_bands),
        "cervical_length": length_chart([(112, 30), (126, 24)], (136, 18)),
        "cervix": cervix_diagram(18, 2, True, True, False),
        "outcomes": outcomes_figure(outcomes["survival_by_week"], 23),
        "icon_array": icon_array(26, "survive to discharge"),
    }
    for name, fig in figs.items():
        assert len(fig.data) <= (len(acog_bands) + 2 if name == "timeline" else 10), name
        assert len(fig.layout.annotations) + len(fig.layout.shapes) <= 20, name
        assert len(pio.to_json(fig, validate=False)) < 40_000, name


# --- the display path: SpecFigure hands Streamlit the same JSON as the real figure ---------------


def _with_lines(builder):
    """The length-chart builder with its (keyword) reference lines bound, called like the other builders."""
    def build(*args):
        return builder(*args, thresholds=LINES)

    build.spec = lambda *args: builder.spec(*args, thresholds=LINES)
    build.__name__ = builder.__name__
    return build


def _display_cases():
    from decision import knowledge
    from figures.inputs import timeline_bands

    kb = knowledge()
    outcomes = kb.outcomes
    bands = timeline_bands(kb.profiles["acog"])
    cases = [
        (figures.timeline_figure, (136, bands, 130)),
        (figures.timeline_figure, (None, bands)),
        (_with_lines(figures.cervical_length_figure), ([(112, 31.0), (126, 24.0)], (136, 18.0))),
        (_with_lines(figures.cervical_length_figure), ([], None)),
        (figures.cervix_diagram, (18.0, 2.0, True, True, False)),
        (figures.cervix_diagram, (None, 0.0, False, False, False)),
        (figures.outcomes_figure, (outcomes["survival_by_week"], 23)),
        (figures.icon_array, (26.0, "babies survived to go home")),
    ]
    cases += [(figures.evidence_figure, (entry,)) for entry in outcomes["evidence"].values()]
    return cases


@pytest.mark.parametrize(("builder", "args"), _display_cases(), ids=lambda v: getattr(v, "__name__", ""))
def test_spec_figure_sends_the_same_json_as_the_real_figure(builder, args) -> None:
    import plotly.tools

    real = json.loads(pio.to_json(builder(*args), validate=False))
    fast_figure = figures.SpecFigure(builder.spec(*args))
    # Streamlit's own path: return_figure_from_figure_or_data(..., validate_figure=True) then to_json.
    sent = plotly.tools.return_figure_from_figure_or_data(fast_figure, validate_figure=True)
    fast = json.loads(pio.to_json(sent, validate=False))
    assert fast == real
    assert figures.alt_text(fast_figure) == figures.alt_text(builder(*args)) != ""
