"""The Streamlit pages, driven headless with ``streamlit.testing.v1.AppTest``.

Each test starts a fresh session on ``app.py`` (``st.navigation``), enters values through the
widgets bound to the case (keys ``w<generation>.<field>``) and checks what the pages show and what
lands in ``st.session_state["ci.case"]``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from decision import evaluate, knowledge

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
CASE = "ci.case"

PAGES = {
    "dating": "views/1_gestational_age.py",
    "history": "views/2_history.py",
    "cervix": "views/3_cervix.py",
    "membranes": "views/4_membranes.py",
    "options": "views/5_options.py",
    "evidence": "views/6_evidence.py",
}
CONSULTATION = ("dating", "history", "cervix", "membranes", "options")
STEP_LABELS = ("1. Dating", "2. History", "3. Cervix", "4. Membranes", "5. Options")
CERCLAGES = ("history_indicated_cerclage", "ultrasound_indicated_cerclage", "physical_exam_indicated_cerclage")
TEXT_TYPES = {"markdown", "caption", "title", "header", "subheader", "text", "error", "warning", "info", "success"}


# --------------------------------------------------------------------------------------------- helpers


def walk(node: Any) -> Iterator[Any]:
    """Every node of an element (sub)tree, depth first, in page order."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def text(node: Any) -> str:
    """All the text shown in a (sub)tree: markdown, captions, headings, alerts, labels."""
    parts = []
    for item in walk(node):
        kind = getattr(item, "type", "")
        if kind in TEXT_TYPES:
            parts.append(html.unescape(str(item.value)))  # a Markdown element with a disclosure escapes "<", "&"
        elif kind in ("page_link", "expander"):
            parts.append(item.proto.label)
    return "\n".join(parts)


def block(at: AppTest, key: str) -> Any | None:
    """The container rendered with ``key`` (``st.container(key=...)``), or None."""
    return next((n for n in walk(at.main) if getattr(n, "key", None) == key and getattr(n, "type", "") != "plotly_chart"),
                None)


def blocks_with_prefix(at: AppTest, prefix: str) -> dict[str, Any]:
    return {n.key: n for n in walk(at.main)
            if getattr(n, "type", "") == "flex_container" and str(getattr(n, "key", "") or "").startswith(prefix)}


def charts(at: AppTest) -> dict[str, dict]:
    """Every Plotly chart on the page: key -> figure JSON."""
    return {chart.key: json.loads(chart.proto.spec) for chart in at.get("plotly_chart")}


def chart_title(spec: dict) -> str:
    title = spec["layout"].get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title)


def summary(at: AppTest) -> str:
    """The case so far (one line under the title, in the main area: there is no sidebar)."""
    found = block(at, "case_summary")
    assert found is not None, "every page shows the case so far"
    return text(found)


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def fresh() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES[page]).run()
    assert_ok(at)
    return at


def wkey(at: AppTest, name: str) -> str:
    return f"w{at.session_state.get('ci.widget_generation', 0)}.{name}"


def set_number(at: AppTest, name: str, value: float | None) -> AppTest:
    at.number_input(key=wkey(at, name)).set_value(value).run()
    assert_ok(at)
    return at


def set_checkbox(at: AppTest, name: str, value: bool = True) -> AppTest:
    at.checkbox(key=wkey(at, name)).set_value(value).run()
    assert_ok(at)
    return at


def enter_ga(at: AppTest, weeks: int, days: int = 0) -> AppTest:
    goto(at, "dating")
    set_number(at, "gestational_age.weeks", weeks)
    return set_number(at, "gestational_age.days", days)


def case(at: AppTest) -> dict:
    return at.session_state[CASE]


def cards_by_group(at: AppTest) -> dict[str, str]:
    """Option id -> its status on the options page: the badge of its card, or for a card folded to one line the
    status subheader it is listed under (Contraindicated)."""
    group, out = None, {}
    for node in walk(at.main):
        kind = getattr(node, "type", "")
        if kind == "subheader":
            group = str(node.value).split(" (")[0]
        elif kind == "flex_container" and str(getattr(node, "key", "") or "").startswith("card."):
            badge = re.search(r"-badge\[:material/[a-z_]+: ([^\]]+)\]", text(node))
            out[node.key.removeprefix("card.")] = badge.group(1) if badge else group
    return out


DISCLOSURE = re.compile(r'<details class="ci-why"><summary>(.*?)</summary>(.*?)</details>', re.S)


def disclosures(node: Any) -> dict[str, str]:
    """The native disclosures (``<details>``) inside the Markdown of a (sub)tree: summary -> body (unescaped). They
    open in the browser without a rerun; their content is sent with the element."""
    found: dict[str, str] = {}
    for item in walk(node):
        if getattr(item, "type", "") == "markdown":
            for summary_text, body in DISCLOSURE.findall(str(item.value)):
                found[html.unescape(summary_text)] = html.unescape(body).strip()
    return found


def open_disclosure(at: AppTest, key: str) -> AppTest:
    """Open a disclosure built only while open (``ui.widgets.disclosure``), as a click on it does: a rerun."""
    at.session_state[key] = True
    at.run()
    assert_ok(at)
    return at


def checks_listed(at: AppTest) -> set[str]:
    """The assessments listed in the options page's checklist (by their titles in bold)."""
    shown = text(block(at, "checklist"))
    return {item_id for item_id, item in knowledge().assessments.items() if f"**{item.title}**" in shown}


def enter_pprom(at: AppTest, weeks: int = 19, rupture_weeks: int = 19) -> AppTest:
    enter_ga(at, weeks)
    goto(at, "membranes")
    at.radio(key=wkey(at, "membranes.status")).set_value("ruptured").run()
    assert_ok(at)
    return set_number(at, "rupture.weeks", rupture_weeks)


# --------------------------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", list(PAGES))
def test_page_opens_on_an_empty_case(page: str) -> None:
    at = goto(fresh(), page)
    assert case(at) == {}
    assert errors(at) == []
    assert at.title, "page has a title"
    captions = " ".join(c.value for c in at.caption)
    assert "does not replace, clinical judgment" in captions
    # "New case" builds its confirmation only while open (one element on every rerun, not three).
    assert "Clear everything entered" not in text(at.main)
    open_disclosure(at, "ci.new_case")
    if page in CONSULTATION:
        steps = at.segmented_control(key=f"nav.steps.{page}")
        shown = list(steps.options)  # the labels as shown, with their status icon
        for label in STEP_LABELS:
            assert any(label in str(option) for option in shown), (label, shown)
        assert steps.value == page, "the current step is the selected one"
        assert "Clear everything entered" in text(block(at, "steps")), "New case ends the steps' row"
        assert "Clear everything entered" not in summary(at), "once per page"
    else:
        assert "Clear everything entered" in summary(at)
    # The case so far and the case actions are on every page, in the main area; nothing in the sidebar.
    assert "GA** not entered" in summary(at)
    assert not text(at.sidebar), "a sidebar would narrow the content on a portrait tablet"


# --------------------------------------------------------------------------------------------- 1. dating


def test_dating_direct_entry_shows_ga_edd_and_the_timeline_marker() -> None:
    at = enter_ga(fresh(), 19, 3)
    assert case(at)["gestational_age"] == {"weeks": 19, "days": 3}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gestational age"] == "19+3"
    edd = date.today() + timedelta(days=280 - (19 * 7 + 3))
    assert metrics["Estimated due date"] == edd.strftime("%d %b %Y")
    spec = charts(at)["chart.timeline.dating"]
    marks = [t for t in spec["data"] if t.get("type") == "scatter" and t.get("name") == "Today 19+3"]
    assert marks and all(x == pytest.approx(19 + 3 / 7, abs=0.01) for x in marks[0]["x"])
    assert any("Today 19+3" in a.get("text", "") for a in spec["layout"]["annotations"])
    assert "GA** 19+3" in summary(at) and "EDD" in summary(at)


def test_dating_without_ga_shows_no_marker_and_asks_for_it() -> None:
    at = goto(fresh(), "dating")
    spec = charts(at)["chart.timeline.dating"]
    assert not any("Today" in a.get("text", "") for a in spec["layout"].get("annotations", []))
    assert any("gestational age" in i.value for i in at.info)


def lmp_mode(at: AppTest, on: date) -> AppTest:
    goto(at, "dating")
    at.button_group(key=wkey(at, "dating.mode")).set_value("lmp").run()
    assert_ok(at)
    at.date_input(key=wkey(at, "dating.today")).set_value(on).run()
    assert_ok(at)
    return at


def test_dating_from_lmp_computes_ga() -> None:
    on = date.today() - timedelta(days=5)
    at = lmp_mode(fresh(), on)
    at.date_input(key=wkey(at, "dating.lmp")).set_value(on - timedelta(days=19 * 7 + 3)).run()
    assert_ok(at)
    assert errors(at) == []
    assert case(at)["gestational_age"] == {"weeks": 19, "days": 3}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gestational age"] == "19+3"
    assert metrics["Estimated due date"] == (on - timedelta(days=19 * 7 + 3) + timedelta(days=280)).strftime("%d %b %Y")


@pytest.mark.parametrize(("lmp_days_before", "words"), [(-10, "in the future"), (400, "check the date"), (10, "")])
def test_dating_lmp_out_of_range_names_the_field(lmp_days_before: int, words: str) -> None:
    on = date.today()
    at = lmp_mode(fresh(), on)
    at.date_input(key=wkey(at, "dating.lmp")).set_value(on - timedelta(days=19 * 7)).run()
    assert case(at)["gestational_age"] == {"weeks": 19, "days": 0}
    at.date_input(key=wkey(at, "dating.lmp")).set_value(on - timedelta(days=lmp_days_before)).run()
    assert_ok(at)
    problems = errors(at)
    assert len(problems) == 1 and "last_menstrual_period" in problems[0] and words in problems[0], problems
    # The GA of the earlier, valid LMP is not kept behind the error.
    assert "gestational_age" not in case(at)
    assert "Gestational age" not in {m.label for m in at.metric}


def test_dating_moving_todays_date_before_the_lmp_is_an_error_not_an_exception() -> None:
    on = date.today()
    at = lmp_mode(fresh(), on)
    at.date_input(key=wkey(at, "dating.lmp")).set_value(on - timedelta(days=20)).run()
    at.date_input(key=wkey(at, "dating.today")).set_value(on - timedelta(days=40)).run()
    assert_ok(at)
    assert any("last_menstrual_period" in e and "in the future" in e for e in errors(at)), errors(at)


def test_dating_from_edd_and_scan() -> None:
    on = date.today()
    at = goto(fresh(), "dating")
    at.button_group(key=wkey(at, "dating.mode")).set_value("edd").run()
    at.date_input(key=wkey(at, "dating.today")).set_value(on).run()
    at.date_input(key=wkey(at, "dating.edd")).set_value(on + timedelta(days=280 - 20 * 7)).run()
    assert_ok(at)
    assert case(at)["gestational_age"] == {"weeks": 20, "days": 0}
    at.date_input(key=wkey(at, "dating.edd")).set_value(on + timedelta(days=290)).run()
    assert_ok(at)
    assert any("estimated_due_date" in e for e in errors(at)), errors(at)

    at.button_group(key=wkey(at, "dating.mode")).set_value("scan").run()
    at.date_input(key=wkey(at, "dating.scan")).set_value(on - timedelta(days=14)).run()
    set_number(at, "dating.scan_weeks", 12)
    assert case(at)["gestational_age"] == {"weeks": 14, "days": 0}
    at.date_input(key=wkey(at, "dating.scan")).set_value(on + timedelta(days=3)).run()
    assert_ok(at)
    assert any("scan_date" in e for e in errors(at)), errors(at)


# --------------------------------------------------------------------------------------------- 2. history


def test_history_entries_land_in_the_case_and_the_sidebar() -> None:
    at = goto(fresh(), "history")
    set_number(at, "history.second_trimester_losses_painless_dilation", 2)
    set_number(at, "history.spontaneous_preterm_births_before_34w", 1)
    set_checkbox(at, "history.cervical_surgery")
    set_checkbox(at, "history.prior_cerclage_for_painless_dilation")
    at.selectbox(key=wkey(at, "plurality")).set_value(2).run()
    assert_ok(at)
    assert case(at)["history"] == {
        "second_trimester_losses_painless_dilation": 2,
        "spontaneous_preterm_births_before_34w": 1,
        "cervical_surgery": True,
        "prior_cerclage_for_painless_dilation": True,
    }
    assert case(at)["plurality"] == 2
    sidebar = summary(at)
    for words in ("2 2nd-trimester loss(es)", "1 sPTB <34w", "cervical surgery", "prior cerclage", "Plurality** 2"):
        assert words in sidebar, (words, sidebar)
    # Unticking removes the field again (absent = no).
    set_checkbox(at, "history.cervical_surgery", False)
    assert "cervical_surgery" not in case(at)["history"]
    assert "cervical surgery" not in summary(at)


# --------------------------------------------------------------------------------------------- 3. cervix


def test_cervix_length_and_dilation_draw_the_charts() -> None:
    at = enter_ga(fresh(), 20)
    goto(at, "cervix")
    set_number(at, "cervix.length_mm", 18)
    set_number(at, "cervix.dilation_cm", 2)
    assert case(at)["cervix"] == {"length_mm": 18.0, "dilation_cm": 2.0}
    assert errors(at) == []
    specs = charts(at)
    assert set(specs) == {"chart.cervical_length", "chart.cervix_diagram"}
    length_traces = specs["chart.cervical_length"]["data"]
    assert any(18 in (t.get("y") or []) for t in length_traces), length_traces
    for spec in specs.values():
        assert chart_title(spec)
    assert "length 18 mm" in summary(at) and "dilation 2 cm" in summary(at)


def test_cervix_membranes_at_os_with_closed_os_is_an_error() -> None:
    at = enter_ga(fresh(), 20)
    goto(at, "cervix")
    set_number(at, "cervix.dilation_cm", 0)
    set_checkbox(at, "cervix.membranes_at_or_beyond_external_os")
    problems = errors(at)
    assert any("Membranes at or beyond the external os" in e and "dilation 0" in e for e in problems), problems
    goto(at, "options")
    assert "Membranes at or beyond the external os" in text(at.main)
    assert "cervix.membranes_at_or_beyond_external_os" not in text(at.main), "never a raw field path on screen"
    assert not blocks_with_prefix(at, "card.")


def test_prolapsed_implies_membranes_at_the_os() -> None:
    at = enter_ga(fresh(), 22)
    goto(at, "cervix")
    set_number(at, "cervix.dilation_cm", 3)
    set_checkbox(at, "cervix.membranes_prolapsed_into_vagina")
    assert case(at)["cervix"] == {"dilation_cm": 3.0, "membranes_at_or_beyond_external_os": True,
                                  "membranes_prolapsed_into_vagina": True}
    assert at.checkbox(key=wkey(at, "cervix.membranes_at_or_beyond_external_os")).value is True
    assert errors(at) == []
    # Unticking "at the os" unticks "prolapsed" (which needs it).
    set_checkbox(at, "cervix.membranes_at_or_beyond_external_os", False)
    assert "membranes_prolapsed_into_vagina" not in case(at).get("cervix", {})
    assert errors(at) == []


def test_prolapsed_without_the_os_from_a_loaded_case_has_a_one_click_fix() -> None:
    at = with_case({"gestational_age": {"weeks": 22, "days": 0},
                    "cervix": {"dilation_cm": 3.0, "membranes_prolapsed_into_vagina": True}})
    main = text(at.main)
    assert "**Membranes prolapsed into the vagina**" in main and "cervix." not in main
    at.button(key="fix.0.cervix.membranes_prolapsed_into_vagina").click().run()
    assert_ok(at)
    assert case(at)["cervix"]["membranes_at_or_beyond_external_os"] is True
    assert block(at, "plan") is not None, "the options are shown once fixed"


# --------------------------------------------------------------------------------------------- 4. membranes


def test_previable_pprom_shows_counseling_and_contraindicates_cerclage() -> None:
    at = enter_pprom(fresh(), 19, 19)
    assert case(at)["membranes"] == {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}}
    assert errors(at) == []
    assert "ruptured at 19+0" in summary(at)
    goto(at, "options")
    groups = cards_by_group(at)
    assert groups["previable_pprom_counseling"] == "Recommended"
    card = block(at, "card.previable_pprom_counseling")
    assert "Counseling after previable" in text(card) and "Recommended" in text(card)
    for option_id in CERCLAGES:
        assert groups[option_id] == "Contraindicated"
        assert "Contraindicated" in text(block(at, f"card.{option_id}"))


def test_rupture_after_current_ga_is_an_error_and_options_explain() -> None:
    at = enter_pprom(fresh(), 19, 21)
    problems = errors(at)
    assert any("GA at rupture" in e for e in problems), problems
    goto(at, "options")
    main = text(at.main)
    assert "**GA at rupture**" in main and "Fix on Membranes" in main
    assert "membranes.rupture_gestational_age" not in main
    assert errors(at), "the options page says why there are no options"
    assert not blocks_with_prefix(at, "card.")
    assert not at.get("plotly_chart")


def test_switching_membranes_back_to_intact_keeps_and_flags_the_rupture_ga() -> None:
    at = enter_pprom(fresh(), 19, 19)
    at.radio(key=wkey(at, "membranes.status")).set_value("intact").run()
    assert_ok(at)
    assert any("still entered" in w.value for w in at.warning)
    at.button(key="ci.clear_rupture").click().run()
    assert_ok(at)
    assert "membranes" not in case(at) or "rupture_gestational_age" not in case(at)["membranes"]


# --------------------------------------------------------------------------------------------- 5. options


def test_options_without_ga_points_to_dating() -> None:
    at = goto(fresh(), "options")
    assert any("gestational age" in i.value for i in at.info)
    assert not blocks_with_prefix(at, "card.")


def test_dilation_at_20_weeks_offers_emergency_cerclage() -> None:
    at = enter_ga(fresh(), 20)
    goto(at, "cervix")
    set_number(at, "cervix.dilation_cm", 2)
    goto(at, "options")
    assert errors(at) == []
    assert cards_by_group(at)["physical_exam_indicated_cerclage"] == "Consider"
    assert "Consider" in text(block(at, "card.physical_exam_indicated_cerclage"))
    assert_every_visual_aid_has_a_title(at)


def assert_every_visual_aid_has_a_title(at: AppTest) -> None:
    """Each visual aid (one shown at a time, chosen with ``opt.aid``) and every other chart has a title."""
    seen = set()
    for aid, key in (("timeline", "chart.options.timeline"), ("outcomes", "chart.options.outcomes"),
                     ("evidence", "chart.options.evidence")):
        at.button_group(key="opt.aid").set_value(aid).run()
        assert_ok(at)
        specs = charts(at)
        assert key in specs, (aid, list(specs))
        for chart_key, spec in specs.items():
            assert chart_title(spec), chart_key
        seen |= set(specs)
    assert {"chart.options.timeline", "chart.options.outcomes", "chart.options.evidence"} <= seen


def test_profile_switch_changes_the_summary() -> None:
    at = enter_ga(fresh(), 20)
    goto(at, "options")
    kb = knowledge()
    assert f"Options ({kb.profiles['acog'].label})" in summary(at)
    at.button_group(key="opt.profile").set_value("rcog").run()
    assert_ok(at)
    assert at.session_state["ci.profile"] == "rcog"
    assert f"Options ({kb.profiles['rcog'].label})" in summary(at)
    # The choice is kept when the page is left and opened again.
    goto(at, "history")
    goto(at, "options")
    assert at.button_group(key="opt.profile").value == "rcog"
    assert f"Options ({kb.profiles['rcog'].label})" in summary(at)


def test_compare_shows_where_the_profiles_differ() -> None:
    two_losses = {"gestational_age": {"weeks": 13, "days": 0},
                  "history": {"second_trimester_losses_painless_dilation": 2}}
    assert evaluate(two_losses, "acog").option("history_indicated_cerclage").status == "recommended"
    assert evaluate(two_losses, "rcog").option("history_indicated_cerclage").status == "not_recommended"
    at = enter_ga(fresh(), 13)
    goto(at, "history")
    set_number(at, "history.second_trimester_losses_painless_dilation", 2)
    goto(at, "options")
    at.toggle(key="opt.compare").set_value(True).run()
    assert_ok(at)
    assert any(s.value == "Where the profiles differ" for s in at.subheader)
    row = block(at, "compare.history_indicated_cerclage")
    assert row is not None
    shown = text(row)
    assert "Recommended" in shown and "Not recommended" in shown
    kb = knowledge()
    assert kb.profiles["acog"].label in shown and kb.profiles["rcog"].label in shown
    for key in blocks_with_prefix(at, "compare."):
        option_id = key.removeprefix("compare.")
        assert evaluate(two_losses, "acog").option(option_id).status != evaluate(two_losses, "rcog").option(option_id).status


def test_compare_with_no_difference_says_so() -> None:
    at = enter_ga(fresh(), 20)
    goto(at, "options")
    at.toggle(key="opt.compare").set_value(True).run()
    assert_ok(at)
    if not blocks_with_prefix(at, "compare."):
        assert any("same status" in s.value for s in at.success)


def patient_mode(at: AppTest) -> AppTest:
    """From the options page, "Show to the patient": the patient page, menu hidden."""
    at.button(key="opt.patient_mode").click().run()
    assert_ok(at)
    assert at.session_state["ci.patient_mode"] is True
    assert block(at, "patient-mode") is not None
    # A browser's address bar follows st.switch_page; AppTest keeps requesting the page last given to
    # at.switch_page, so follow the page this run finished on.
    at.switch_page("views/0_patient.py")
    return at


def back_to_clinician(at: AppTest) -> AppTest:
    at.button(key="patient.back").click().run()
    assert_ok(at)
    assert at.session_state["ci.patient_mode"] is False
    at.switch_page(PAGES["options"])  # the address bar now shows the options page
    return at


def test_patient_mode_uses_plain_titles_and_icon_arrays_as_page_text() -> None:
    at = patient_mode(goto(enter_pprom(fresh(), 19, 19), "options"))
    kb = knowledge()
    assessment = evaluate(case(at), "acog")
    offered = [o.id for o in assessment.options if o.status in ("recommended", "consider")]
    shown = text(at.main)
    for option_id in offered:
        assert kb.options[option_id].plain_title in shown, option_id
        assert block(at, f"patient.{option_id}") is not None
    assert "Talking through your choices after the waters broke early" in shown
    assert not blocks_with_prefix(at, "card."), "no clinician card"
    for words in ("Guideline profile", "Compare profiles", "Summary (PDF)", "For faculty", "Case so far", "Sources",
                  "Plan at a glance", "Why this status", "ruptured_membranes", "Ruptured membranes (PPROM)"):
        assert words not in shown, words
    assert not at.get("download_button") and not at.toggle and not text(at.sidebar)
    # Each icon array's sentence is page text (it wraps), the chart title only "About N in 100".
    specs = charts(at)
    icons = [k for k in specs if k.startswith("chart.patient.icons.previable_pprom.")]
    assert len(icons) == 3  # UKOSS 2024: born alive, survived to go home, and the mothers' sepsis
    sentences = [m.value for m in at.markdown if str(m.value).startswith("**About ")]
    assert len(sentences) == 3 and any("babies survived to go home" in m for m in sentences), sentences
    for key in icons:
        assert re.fullmatch(r"About \d+ in 100(<br>.*)?", chart_title(specs[key])), chart_title(specs[key])
    assert "chart.patient.cervix" not in specs, "nothing about the cervix is known: no drawing"
    # Under the arrays, the study in plain words (outcomes.yaml patient_caption), not the clinicians' caption.
    entry = kb.outcomes["evidence"]["previable_pprom"]
    assert " ".join(entry["patient_caption"].split()) in shown
    for words in ("Source:", "singleton", "UKOSS", "sepsis 12%", "maternal deaths", "Observational:"):
        assert words not in shown, words
    assert "Fluid that smells" not in shown and "changes colour (green or brown)" in shown  # ruptured: come-in list
    # Back to the clinician view: the options page as it was.
    back_to_clinician(at)
    assert block(at, "plan") is not None and block(at, "patient-mode") is None


def test_patient_mode_draws_the_cervix_as_found() -> None:
    at = patient_mode(with_case(EMERGENCY))
    specs = charts(at)
    assert "chart.patient.cervix" in specs
    shown = text(at.main)
    assert "the cervix has opened 2 cm" in shown and "15 mm" in shown
    assert "Hatched parts" not in shown  # length and dilation both known: nothing hatched


@pytest.mark.parametrize("setup", ["demise_30w", "pprom_35w", "low_risk_20w", "one_loss_13w", "prolapse_22w"])
def test_patient_mode_shows_only_the_studies_patient_view_allows(setup: str) -> None:
    """Spec section 6: evidence and icon arrays only for an offered option whose study fits the case; none (no
    fallback) for a low-risk woman at 20 weeks or the 13-week preventive stitch."""
    from decision.patient_view import patient_view

    cases = {
        "demise_30w": {"gestational_age": {"weeks": 30, "days": 0}, "red_flags": {"fetal_demise": True}},
        "pprom_35w": {"gestational_age": {"weeks": 35, "days": 0},
                      "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 35, "days": 0}}},
        "low_risk_20w": {"gestational_age": {"weeks": 20, "days": 0}},
        "one_loss_13w": {"gestational_age": {"weeks": 13, "days": 0},
                         "history": {"second_trimester_losses_painless_dilation": 1}},
        "prolapse_22w": {"gestational_age": {"weeks": 22, "days": 0},
                         "cervix": {"dilation_cm": 3.0, "membranes_at_or_beyond_external_os": True,
                                    "membranes_prolapsed_into_vagina": True}},
    }
    data = cases[setup]
    at = patient_mode(with_case(data))
    view = patient_view(evaluate(data, "acog"), data)
    shown = text(at.main)
    specs = charts(at)
    arrays = {k.split(".")[3] for k in specs if k.startswith("chart.patient.icons.")}
    assert arrays == set(view.evidence_keys), (arrays, view.evidence_keys)
    if not view.evidence_keys:
        assert "babies survived" not in shown and "born before 37 weeks" not in shown
    assert ("chart.patient.outcomes" in specs) == view.shows_survival_figures
    if setup == "demise_30w":
        assert "has died" in shown
        assert "too young to survive" not in shown and "moving less" not in shown
        assert not re.search(r"corticosteroids recommended|steroid", shown + json.dumps(specs), re.I)
        assert block(at, "patient.preterm_birth_preparation") is None
    if setup == "pprom_35w":
        assert "a few weeks early" in shown  # the late-preterm delivery text
        assert "Your baby moving less than usual" in shown
    if setup == "prolapse_22w":
        assert "bed rest" not in shown.lower() and "before 37 weeks" not in shown
        assert "come down through the cervix into the vagina" in shown


def test_patient_mode_survival_chart_in_plain_words_options_page_keeps_the_clinicians() -> None:
    """Patient mode's survival chart: the same bars as the clinician chart, named in plain words (outcomes.yaml
    patient_* texts), no study names or clinicians' words; the options page keeps the clinicians' chart."""
    from figures import outcomes_figure

    at = goto(enter_pprom(fresh(), 19, 19), "options")
    at.button_group(key="opt.aid").set_value("outcomes").run()
    assert_ok(at)
    clinician = charts(at)["chart.options.outcomes"]
    survival = knowledge().outcomes["survival_by_week"]
    expected = outcomes_figure.spec(survival, 19)
    assert clinician["data"] == json.loads(json.dumps(expected["data"]))
    assert clinician["layout"]["xaxis"]["title"]["text"] == "Gestational age at birth (completed weeks)"
    back = patient_mode(at)
    spec = charts(back)["chart.patient.outcomes"]
    words = json.dumps(spec)
    for word in ("NICHD", "NRN", "EPICure", "EXPRESS", "JAMA", "Stoll", "Costeloe", "Vermont", "completed weeks",
                 "cohort"):
        assert word.lower() not in words.lower(), word
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == [f"{c['patient_label']}: {c['patient_measure']}" for c in survival["cohorts"]]
    assert [(b["x"], b["y"]) for b in bars] == [(b["x"], b["y"]) for b in clinician["data"] if b["type"] == "bar"]
    assert spec["layout"]["xaxis"]["title"]["text"] == survival["patient_axis_title"]
    alt = spec["layout"]["meta"]["alt"]
    assert "Babies born in England in 2006" in alt and survival["patient_denominator_note"] in alt


def test_clinician_outcomes_chart_says_the_figures_do_not_apply_after_demise() -> None:
    at = with_case({"gestational_age": {"weeks": 30, "days": 0}, "red_flags": {"fetal_demise": True}})
    at.button_group(key="opt.aid").set_value("outcomes").run()
    assert_ok(at)
    spec = charts(at)["chart.options.outcomes"]
    assert "These figures do not apply to this pregnancy: fetal demise." in json.dumps(spec)


# --------------------------------------------------------------------------------------------- 6. evidence


def table(at: AppTest, column: str) -> Any:
    """The one table on the page with ``column`` (dataframes carry no key in AppTest)."""
    frames = [getattr(df.value, "data", df.value) for df in at.dataframe]
    found = [f for f in frames if column in f.columns]
    assert len(found) == 1, [list(f.columns) for f in frames]
    return found[0]


def evidence_section(at: AppTest, section: str) -> AppTest:
    at.button_group(key="ev.section").set_value(section).run()
    assert_ok(at)
    assert errors(at) == []
    return at


def test_evidence_page_lists_every_source_and_the_thresholds() -> None:
    at = goto(fresh(), "evidence")
    sources = table(at, "Id")
    assert set(sources["Id"]) == set(knowledge().sources)
    assert sources["Reference"].str.len().min() > 0

    evidence_section(at, "thresholds")
    thresholds = table(at, "Window")
    assert len(thresholds) > 0
    assert {"Window", "ACOG / SMFM", "RCOG / NICE", "Differs"} <= set(thresholds.columns)
    differs = thresholds["Differs"] != ""
    assert differs.any() and not differs.all()
    assert "History-indicated cerclage criterion" in set(thresholds.loc[differs, "Window"])
    at.toggle(key="ev.thresholds_only_diff").set_value(True).run()
    assert_ok(at)
    only = table(at, "Window")
    assert len(only) == differs.sum() and (only["Differs"] != "").all()

    evidence_section(at, "disagree")
    notes = [o for o in knowledge().options.values() if o.evidence_note]
    shown = text(at.main)
    assert notes and all(o.title in shown for o in notes)
    evidence_section(at, "seed")
    assert len(text(at.main)) > 500


# --------------------------------------------------------------------------------------------- state


def test_case_survives_page_switches() -> None:
    at = enter_ga(fresh(), 19)
    goto(at, "cervix")
    set_number(at, "cervix.dilation_cm", 2)
    goto(at, "history")
    goto(at, "dating")
    assert at.number_input(key=wkey(at, "gestational_age.weeks")).value == 19
    goto(at, "cervix")
    assert at.number_input(key=wkey(at, "cervix.dilation_cm")).value == 2
    assert case(at)["gestational_age"] == {"weeks": 19, "days": 0}
    assert case(at)["cervix"]["dilation_cm"] == 2
    # A no-op rerun does not change anything either.
    at.run()
    assert case(at)["cervix"]["dilation_cm"] == 2


def test_new_case_clears_everything() -> None:
    at = enter_ga(fresh(), 19)
    goto(at, "cervix")
    set_number(at, "cervix.dilation_cm", 2)
    open_disclosure(at, "ci.new_case")
    at.button(key="ci.confirm_clear").click().run()
    assert_ok(at)
    assert case(at) == {}
    assert "Clear everything entered" not in text(at.main), "the confirmation closes once the case is cleared"
    assert at.number_input(key=wkey(at, "cervix.dilation_cm")).value is None
    goto(at, "dating")
    assert at.number_input(key=wkey(at, "gestational_age.weeks")).value is None
    assert "GA** not entered" in summary(at)


def test_loading_an_example_fills_the_case_and_the_widgets() -> None:
    at = goto(fresh(), "dating")
    generation = at.session_state.get("ci.widget_generation", 0)
    at.selectbox(key="ci.example_choice").set_value("previable_pprom_19w").run()
    at.button(key="ci.load_example").click().run()
    assert_ok(at)
    loaded = case(at)
    assert loaded["membranes"]["status"] == "ruptured"
    assert at.session_state["ci.widget_generation"] == generation + 1
    ga = loaded["gestational_age"]
    assert at.number_input(key=f"w{generation + 1}.gestational_age.weeks").value == ga["weeks"]
    assert at.number_input(key=f"w{generation + 1}.gestational_age.days").value == ga.get("days", 0)
    assert {m.label: m.value for m in at.metric}["Gestational age"] == f"{ga['weeks']}+{ga.get('days', 0)}"
    goto(at, "membranes")
    assert at.radio(key=wkey(at, "membranes.status")).value == "ruptured"
    goto(at, "options")
    assert cards_by_group(at)["previable_pprom_counseling"] == "Recommended"


def test_every_chart_carries_its_text_alternative() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["ci.case"] = {"gestational_age": {"weeks": 20, "days": 1}, "cervix": {"length_mm": 18.0,
                                   "dilation_cm": 2.0, "membranes_at_or_beyond_external_os": True}}
    at.run()
    for page in ("dating", "cervix", "options"):
        goto(at, page)
        charts = at.get("plotly_chart")
        assert charts, page
        for chart in charts:
            assert chart.proto.alt and len(chart.proto.alt) > 40, (page, chart.proto.alt)


# --------------------------------------------------------------------------------------------- version 2 inputs

EMERGENCY = {"gestational_age": {"weeks": 20, "days": 0}, "cervix": {"length_mm": 15.0, "dilation_cm": 2.0}}


def with_case(data: dict, page: str = "options") -> AppTest:
    """A session opened on ``page`` with ``data`` as the case (as a loaded case or link would set it)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["ci.case"] = json.loads(json.dumps(data))
    return goto(at, page)


def set_radio(at: AppTest, name: str, value: Any) -> AppTest:
    at.radio(key=wkey(at, name)).set_value(value).run()
    assert_ok(at)
    return at


def test_membranes_step_takes_the_version_2_inputs_and_keeps_them_across_pages() -> None:
    at = with_case({"gestational_age": {"weeks": 27, "days": 3}}, "membranes")
    labels = {c.label for c in at.checkbox}
    assert "Active bleeding, more than spotting or a bloody show" in labels
    assert "Cerclage type" not in {r.label for r in at.radio}, "the type is asked only with a cerclage in place"
    set_checkbox(at, "cerclage_in_place")
    assert at.radio(key=wkey(at, "cerclage_type")).value == "transvaginal"  # absent = transvaginal
    assert "cerclage_type" not in case(at)
    set_radio(at, "cerclage_type", "transabdominal")
    set_number(at, "steroids.weeks", 23)
    set_number(at, "steroids.days", 2)
    set_radio(at, "treatments.antenatal_corticosteroid_courses", 2)
    set_radio(at, "rhd_negative", "negative")
    set_checkbox(at, "red_flags.vaginal_bleeding")
    assert errors(at) == []
    expected = {"cerclage_in_place": True, "cerclage_type": "transabdominal", "rhd_negative": True,
                "treatments": {"antenatal_corticosteroids_ga": {"weeks": 23, "days": 2},
                               "antenatal_corticosteroid_courses": 2},
                "red_flags": {"vaginal_bleeding": True}}
    assert {k: case(at)[k] for k in expected} == expected
    sidebar = summary(at)
    for words in ("cerclage in place (transabdominal)", "course from 23+2 (2 courses)", "RhD** negative"):
        assert words in sidebar, (words, sidebar)
    assert {k: at.query_params[k] for k in ("ctype", "acs", "acsn", "rh")} == {"ctype": "ta", "acs": "23+2",
                                                                               "acsn": "2", "rh": "neg"}
    goto(at, "history")
    goto(at, "options")
    assert checks_listed(at) >= {"anti_d_prophylaxis"}  # bleeding: anti-D, RhD-negative recorded
    goto(at, "membranes")
    assert {k: case(at)[k] for k in expected} == expected
    assert at.radio(key=wkey(at, "cerclage_type")).value == "transabdominal"
    assert at.number_input(key=wkey(at, "steroids.weeks")).value == 23
    assert at.number_input(key=wkey(at, "steroids.days")).value == 2
    assert at.radio(key=wkey(at, "treatments.antenatal_corticosteroid_courses")).value == 2
    assert at.radio(key=wkey(at, "rhd_negative")).value == "negative"
    # Unticking the cerclage clears its type; clearing the steroid GA clears the number of courses.
    set_checkbox(at, "cerclage_in_place", False)
    assert "cerclage_type" not in case(at) and "cerclage_in_place" not in case(at)
    set_number(at, "steroids.weeks", None)
    assert "treatments" not in case(at)
    set_radio(at, "rhd_negative", "positive")
    assert case(at)["rhd_negative"] is False
    set_radio(at, "rhd_negative", "unknown")
    assert "rhd_negative" not in case(at)
    assert errors(at) == []


def test_a_version_1_case_is_not_rewritten_by_visiting_the_membranes_step() -> None:
    v1 = {"gestational_age": {"weeks": 30, "days": 0}, "cerclage_in_place": True,
          "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 29, "days": 5}},
          "red_flags": {"regular_contractions_or_labor": True}}
    at = with_case(v1, "membranes")
    assert errors(at) == []
    assert at.radio(key=wkey(at, "cerclage_type")).value == "transvaginal"
    assert at.radio(key=wkey(at, "rhd_negative")).value == "unknown"
    assert at.number_input(key=wkey(at, "steroids.weeks")).value is None
    assert case(at) == v1
    at.run()
    assert case(at) == v1


def test_steroid_course_after_todays_ga_is_named_in_clinical_words_with_its_step() -> None:
    at = with_case({"gestational_age": {"weeks": 24, "days": 0}, "cerclage_in_place": False,
                    "treatments": {"antenatal_corticosteroids_ga": {"weeks": 25, "days": 0},
                                   "antenatal_corticosteroid_courses": 2}})
    main = text(at.main)
    assert not blocks_with_prefix(at, "card.")
    assert "**Steroid course GA**" in main and "must be from 22+0 up to the current gestational age 24+0" in main
    problems = [m.value for m in at.markdown if str(m.value).startswith("- ")]
    assert problems and all(p.startswith("- **") and not p.startswith("- **treatments") for p in problems), problems
    links = [p.proto.label for p in at.get("page_link")]
    assert links.count("Fix on Membranes") == len(problems), links
    goto(at, "membranes")
    assert any("Steroid course GA" in e for e in errors(at)), errors(at)


def test_cerclage_type_without_a_cerclage_points_to_the_membranes_step() -> None:
    at = with_case({"gestational_age": {"weeks": 30, "days": 0}, "cerclage_type": "transabdominal"})
    main = text(at.main)
    assert "**Cerclage type**" in main and "unless cerclage in place is true" in main
    assert "Fix on Membranes" in main


def test_link_with_the_version_2_parameters_opens_the_case_and_round_trips() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    link = {"ga": "27+3", "cerc": "1", "ctype": "ta", "acs": "23 2", "acsn": "1", "rh": "neg", "bleed": "1"}
    at.query_params.update(link)
    goto(at, "history")  # any page opens the link
    assert case(at) == {"gestational_age": {"weeks": 27, "days": 3}, "cerclage_in_place": True,
                        "cerclage_type": "transabdominal", "rhd_negative": True,
                        "treatments": {"antenatal_corticosteroids_ga": {"weeks": 23, "days": 2},
                                       "antenatal_corticosteroid_courses": 1},
                        "red_flags": {"vaginal_bleeding": True}}
    assert not at.warning
    goto(at, "membranes")
    assert at.radio(key=wkey(at, "cerclage_type")).value == "transabdominal"
    assert at.number_input(key=wkey(at, "steroids.weeks")).value == 23
    assert at.radio(key=wkey(at, "rhd_negative")).value == "negative"
    goto(at, "options")
    assert dict(at.query_params) == {**link, "acs": "23+2"}
    assert not at.get("code"), "the link is in the take-away, built only while it is open"
    open_disclosure(at, "opt.take_away")
    assert at.get("code")[0].value == "?ga=27+3&cerc=1&ctype=ta&acs=23+2&acsn=1&rh=neg&bleed=1"
    assert checks_listed(at) >= {"anti_d_prophylaxis"}  # bleeding in an RhD-negative woman


def test_checklist_beside_the_options_for_an_emergency_cerclage_case() -> None:
    at = with_case(EMERGENCY)
    assessment = evaluate(EMERGENCY, "acog")
    assert assessment.assessment("infection_assessment").status == "recommended"
    assert assessment.assessment("preterm_labor_assessment").status == "recommended"
    checklist = block(at, "checklist")
    assert checklist is not None
    shown = text(checklist)
    assert "Before or alongside these options" in shown
    rows = checks_listed(at)
    assert rows == {a.id for a in assessment.assessments if a.status != "not_applicable"}
    assert {"infection_assessment", "preterm_labor_assessment"} <= rows
    kb = knowledge()
    for item_id in ("infection_assessment", "preterm_labor_assessment"):
        line = f":green-badge[:material/check_circle: Recommended] **{kb.assessments[item_id].title}**  \n" \
               f":gray[{kb.assessments[item_id].short}]"
        assert line in shown
    # The rationales sit behind one native disclosure in the checklist's one element (opens without a rerun).
    assert len([n for n in walk(checklist) if getattr(n, "type", "") in TEXT_TYPES | {"expander"}]) == 1
    found = disclosures(checklist)
    rationales = found["Rationale for these checks"]
    for item in assessment.assessments:
        assert (item.rationale in rationales) == (item.id in rows), item.id
    folded = [a for a in assessment.assessments if a.status == "not_applicable"]
    names = found[f"Not applicable to this case: {len(folded)} other checks"]
    assert names == "; ".join(a.title for a in folded)
    assert kb.assessments[folded[0].id].short not in shown, "not-applicable checks are folded into a count"
    # a compact checklist, not a second wall of cards: no bordered card per assessment
    assert not blocks_with_prefix(at, "card.infection")


def expanders(node: Any) -> list[Any]:
    return [n for n in walk(node) if getattr(n, "type", "") == "expander"]


def test_why_this_status_shows_the_dilation_and_the_4_cm_threshold_with_its_source() -> None:
    at = with_case(EMERGENCY)
    card = block(at, "card.physical_exam_indicated_cerclage")
    assert not expanders(card), "compact: the details are a native disclosure inside the card's one element"
    assert len([n for n in walk(card) if getattr(n, "type", "") in TEXT_TYPES]) == 1
    shown = disclosures(card)["Why / evidence / sources / practice leaflet"]
    assert "**Why this status**" in shown
    assert "dilation 2 cm" in shown and "cervical length 15 mm" in shown and "GA 20+0" in shown
    seed = knowledge().sources["SEED"].short
    assert f"Cerclage usually not possible above 4 cm (seed); studies used 1-5 cm: **4 cm** — _{seed}" in shown
    assert "not measured" not in shown
    assert "Practice leaflet says" in shown and "The seed (practice text)" not in shown
    # Not-applicable options: one line each, their details behind a closed "Why".
    assessment = evaluate(EMERGENCY, "acog")
    assert not blocks_with_prefix(at, "card-na."), "collapsed: not rendered"
    at.session_state["card.na_open"] = True
    at.run()
    folded = blocks_with_prefix(at, "card-na.")
    assert {k.removeprefix("card-na.") for k in folded} == {o.id for o in assessment.options
                                                          if o.status == "not_applicable"}
    for row in folded.values():
        assert not expanders(row) and "**Why this status**" in disclosures(row)["Why"]


def test_plan_at_a_glance_ranks_the_offered_options_before_the_cards() -> None:
    from ui.plan import plan_rows

    data = {"gestational_age": {"weeks": 13, "days": 0}, "history": {"second_trimester_losses_painless_dilation": 1}}
    at = with_case(data)
    plan = block(at, "plan")
    assert plan is not None
    shown = text(plan)
    rows = plan_rows(evaluate(data, "acog"), data)
    assert [r.item.id for r in rows] == ["history_indicated_cerclage", "serial_cervical_length_surveillance"]
    assert "window closes 14+6, in 13 days" in shown
    assert shown.index("History-indicated (preventive) cerclage") < shown.index("Serial transvaginal")
    assert "**Either**" in shown and "**or**" in shown
    # The plan comes before the first card on the page.
    keys = [getattr(n, "key", None) for n in walk(at.main)]
    assert keys.index("plan") < keys.index("card.history_indicated_cerclage")


def test_why_this_status_says_not_measured_and_not_examined() -> None:
    at = with_case({"gestational_age": {"weeks": 13, "days": 0},
                    "history": {"second_trimester_losses_painless_dilation": 1}})
    shown = text(block(at, "card.history_indicated_cerclage"))
    assert "1 second-trimester loss from painless dilation" in shown and "dilation not examined" in shown
    assert "dilation None" not in shown and "None" not in shown
    kb = knowledge()
    assert (f"History-indicated cerclage (seed: around 13 weeks): **12+0-14+6** — _{kb.sources['SEED'].short}; "
            f"{kb.sources['ACOG-PB142'].short}_") in shown
    assert f"**12+0** — _{kb.sources['EXPERT'].short}_" in shown  # EXPERT reads as expert opinion
    assert kb.sources["EXPERT"].short == "Expert opinion (project)"
    assert "cervical length not measured" in text(block(at, "card.serial_cervical_length_surveillance"))


def test_patient_mode_shows_nothing_of_decided_by() -> None:
    at = patient_mode(with_case(EMERGENCY))
    shown = text(at.main)
    for words in ("Why this status", "What would change it", "Thresholds (", "**Inputs:**", "Not present:",
                  "Before or alongside these options", "dilation 2 cm", "Cerclage usually not possible above 4 cm",
                  "Practice leaflet says"):
        assert words not in shown, words
    assert not blocks_with_prefix(at, "check.") and block(at, "checklist") is None


def test_compare_profiles_shows_the_evidence_note_with_each_differing_option() -> None:
    late = {"gestational_age": {"weeks": 25, "days": 0}, "cervix": {"length_mm": 15.0, "dilation_cm": 2.0}}
    at = with_case(late)
    at.toggle(key="opt.compare").set_value(True).run()
    assert_ok(at)
    kb = knowledge()
    rows = blocks_with_prefix(at, "compare.")
    assert "compare.physical_exam_indicated_cerclage" in rows
    for key, row in rows.items():
        note = kb.options[key.removeprefix("compare.")].evidence_note
        if note:
            assert note in [i.value for i in walk(row) if getattr(i, "type", "") == "alert"] or note in text(row), key


def test_options_caption_links_to_what_changed_and_the_evidence_page_lists_it() -> None:
    import yaml

    at = with_case(EMERGENCY)
    assert any(p.proto.label == f"Knowledge base {knowledge().version}: what changed" for p in at.get("page_link"))
    goto(at, "evidence")
    kb = knowledge()
    meta = yaml.safe_load((ROOT / "data" / "knowledge" / "meta.yaml").read_text(encoding="utf-8"))
    found = [e for e in expanders(at.main) if e.proto.label == f"What changed in knowledge base {kb.version}"]
    assert len(found) == 1
    shown = text(found[0])
    assert meta["changes"] and all(change in shown for change in meta["changes"])
    # the earlier versions' changes too (clinical spec version 2's list), after this version's
    for earlier in meta["earlier"]:
        assert f"**Knowledge base {earlier['version']}**" in shown
        assert all(shown.index(change) > shown.index(meta["changes"][-1]) for change in earlier["changes"])


def test_would_change_is_rendered_in_clinical_words_when_the_engine_gives_it() -> None:
    from ui.why import would_change_markdown

    shown = would_change_markdown([
        {"change": "dilation above 4 cm", "set": {"cervix.dilation_cm": 4.5}, "status": "not_recommended"},
        {"change": "GA 24+0 or later", "set": {"gestational_age": {"weeks": 24, "days": 0}}, "status": "not_applicable"},
        {"change": "no lethal anomaly", "set": {"red_flags.lethal_fetal_anomaly": False}, "status": "consider"},
    ]).splitlines()
    assert shown[0] == ("- dilation above 4 cm → :orange-badge[:material/do_not_disturb_on: Not recommended] "
                        ":gray[(dilation 4.5 cm)]")
    assert shown[1].endswith(":gray[(GA 24+0)]") and "Not applicable" in shown[1]
    assert shown[2].endswith(":gray[(no lethal fetal anomaly)]")
    assert would_change_markdown([]) == ""
