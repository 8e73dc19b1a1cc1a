"""Shared page furniture: title, the case so far, step indicator, Back/Next, disclaimer (footer).

Every page calls :func:`page_header` first and :func:`page_footer` last (not ``app.py``: elements
rendered by the entrypoint do not survive reruns under ``st.navigation``).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import streamlit as st

from decision import knowledge
from decision.teaching import CASES_DIR, load_case_file

from . import ehr, heap, links, state

STEPS: tuple[tuple[str, str, str], ...] = (
    ("dating", "Dating", "views/1_gestational_age.py"),
    ("history", "History", "views/2_history.py"),
    ("cervix", "Cervix", "views/3_cervix.py"),
    ("membranes", "Membranes", "views/4_membranes.py"),
    ("options", "Options", "views/5_options.py"),
)
EXAMPLES: tuple[str, ...] = (
    "previable_pprom_19w",
    "emergency_cerclage_20w",
    "prolapsed_membranes_21w",
    "prior_sptb_short_cervix_20w",
    "one_loss_history_cerclage_13w",
    "routine_low_risk_anatomy_scan",
)
DISCLAIMER = (
    "Decision support for clinicians: it supports, and does not replace, clinical judgment. "
    "No patient identifier is collected — enter clinical values only (no names, record numbers or dates of birth)."
)
STATUS_LABEL = {
    "recommended": ("Recommended", ":material/check_circle:", "green"),
    "consider": ("Consider", ":material/help:", "blue"),
    "not_recommended": ("Not recommended", ":material/do_not_disturb_on:", "orange"),
    "contraindicated": ("Contraindicated", ":material/block:", "red"),
    "not_applicable": ("Not applicable", ":material/remove:", "gray"),
}


@st.cache_resource
def example_cases() -> dict[str, tuple[str, dict]]:
    """Example cases for demonstration (from the teaching library): id -> (title, case)."""
    out = {}
    for case_id in EXAMPLES:
        path = CASES_DIR / f"{case_id}.yaml"
        if path.exists():
            tc = load_case_file(path)
            out[case_id] = (tc.title, dict(tc.case))
    return out


# This run's container for the case summary: a script run stays on one thread, page_header and page_footer too.
_RUN = threading.local()
def page_header(title: str, step: str | None = None, *, summary: bool = True) -> None:
    """Title, the case so far (one line, with "New case") and, for consultation pages, the step indicator;
    opens a shared link's case. The disclaimer is in the footer, once per page."""
    heap.freeze_long_lived()
    heap.start_trimmer()
    state.init_state()
    links.apply_query_params()
    st.title(title)
    _RUN.new_case_shown = False  # set by the steps' row (thread-local state outlives a run)
    # Filled by page_footer, after the page's widgets have written the case back (so it is never one edit behind).
    _RUN.summary_slot = (st.container(horizontal=True, wrap=True, gap="small", vertical_alignment="center",
                                                    key="case_summary") if summary else None)
    ehr.dev_mode_banner()
    links.show_link_problems()
    if step is not None:
        _step_indicator(step)


def _step_indicator(current: str) -> None:
    """The five steps as one control: current (selected), has data (check), empty (dots). Any order."""
    pages = {step_id: page for step_id, _label, page in STEPS}
    labels = {
        step_id: f"{':material/check_circle:' if state.has_data(step_id) else ':material/pending:'} {number}. {text}"
        for number, (step_id, text, _page) in enumerate(STEPS, start=1)
    }

    # "New case" sits at the end of the steps' row on the consultation pages: beside the case summary it took a line
    # of its own on a portrait tablet, above the plan.
    with st.container(key="steps", horizontal=True, wrap=True, vertical_alignment="center", gap="small"):
        choice = st.segmented_control("Consultation steps", list(pages), format_func=labels.get, default=current,
                                      key=f"nav.steps.{current}", label_visibility="collapsed",
                                      help="A check mark means the step has data. Steps can be visited in any order.")
        _new_case()
    _RUN.new_case_shown = True
    if choice and choice != current:
        st.switch_page(pages[choice])


def page_footer(step: str | None = None) -> None:
    """Back / Next buttons (consultation pages), the disclaimer (once), and the address bar kept in step."""
    if step is not None:
        ids = [s[0] for s in STEPS]
        index = ids.index(step)
        with st.container(horizontal=True, horizontal_alignment="distribute", key="back_next"):
            if index > 0:
                st.page_link(STEPS[index - 1][2], label=f"Back: {STEPS[index - 1][1]}", icon=":material/arrow_back:")
            if index < len(STEPS) - 1:
                st.page_link(STEPS[index + 1][2], label=f"Next: {STEPS[index + 1][1]}", icon=":material/arrow_forward:")
    slot, _RUN.summary_slot = getattr(_RUN, "summary_slot", None), None
    if slot is not None:
        with slot:
            case_summary()
    kb = knowledge()
    st.caption(f"{DISCLAIMER} Knowledge base {kb.version}, reviewed {kb.last_reviewed}.")
    links.sync_query_params()


def _yes(flags: dict, names: dict[str, str]) -> list[str]:
    return [label for key, label in names.items() if flags.get(key)]


def summary_parts(c: dict[str, Any], dating: dict[str, Any] | None = None) -> list[str]:
    """The case so far in clinical words, one Markdown part per topic (pure: no Streamlit)."""
    ga = c.get("gestational_age")
    parts = [f"**GA** {ga.get('weeks')}+{ga.get('days', 0)}" if ga else "**GA** not entered"]
    if (dating or {}).get("edd") and ga:
        parts.append(f"**EDD** {date.fromisoformat(dating['edd']).strftime('%d %b %Y')}")  # type: ignore[index]
    if c.get("plurality", 1) > 1:
        parts.append(f"**Plurality** {c['plurality']}")
    h = c.get("history", {})
    hist = []
    if h.get("second_trimester_losses_painless_dilation"):
        hist.append(f"{h['second_trimester_losses_painless_dilation']} 2nd-trimester loss(es)")
    if h.get("spontaneous_preterm_births_before_34w"):
        hist.append(f"{h['spontaneous_preterm_births_before_34w']} sPTB <34w")
    hist += _yes(h, {"prior_cerclage_for_painless_dilation": "prior cerclage", "cervical_surgery": "cervical surgery",
                     "in_utero_des_exposure": "DES", "uterine_or_cervical_anomaly": "anomaly",
                     "cervical_trauma": "cervical trauma"})
    parts.append("**History** " + (", ".join(hist) if hist else "none entered"))
    cx = c.get("cervix", {})
    cerv = []
    if cx.get("length_mm") is not None:
        cerv.append(f"length {cx['length_mm']:g} mm")
    if cx.get("dilation_cm") is not None:
        cerv.append(f"dilation {cx['dilation_cm']:g} cm")
    cerv += _yes(cx, {"funneling": "funneling", "membranes_at_or_beyond_external_os": "membranes at os",
                      "membranes_prolapsed_into_vagina": "prolapsed"})
    if c.get("serial_cervical_lengths"):
        cerv.append(f"{len(c['serial_cervical_lengths'])} earlier TVCL")
    parts.append("**Cervix** " + (", ".join(cerv) if cerv else "not entered"))
    m = c.get("membranes", {})
    if m.get("status") == "ruptured":
        r = m.get("rupture_gestational_age")
        parts.append("**Membranes** ruptured" + (f" at {r['weeks']}+{r.get('days', 0)}" if r else ""))
    else:
        parts.append("**Membranes** intact")
    flags = _yes(c.get("red_flags", {}), {"regular_contractions_or_labor": "labor", "vaginal_bleeding": "bleeding",
                                          "signs_of_intraamniotic_infection": "infection", "fetal_demise": "demise",
                                          "lethal_fetal_anomaly": "lethal anomaly"})
    if c.get("cerclage_in_place"):
        kind = c.get("cerclage_type")
        flags.append("cerclage in place" + (f" ({'type unknown' if kind == 'unknown' else kind})" if kind else ""))
    if flags:
        parts.append("**Red flags** " + ", ".join(flags))
    steroids = (c.get("treatments") or {}).get("antenatal_corticosteroids_ga")
    if isinstance(steroids, dict) and steroids.get("weeks") is not None:
        courses = (c.get("treatments") or {}).get("antenatal_corticosteroid_courses") or 1
        parts.append(f"**Steroids** course from {steroids['weeks']}+{steroids.get('days', 0)}"
                     + (f" ({courses} courses)" if courses != 1 else ""))
    if c.get("rhd_negative") is not None:
        parts.append(f"**RhD** {'negative' if c['rhd_negative'] is True else 'positive'}")
    return parts


def case_summary() -> None:
    """The case so far on one wrapping line in the main area (no sidebar: on a portrait tablet a sidebar took
    300 px from the content), the engine's headline and "New case"."""
    c = state.case()
    kb = knowledge()
    parts = summary_parts(c, st.session_state.get(state.DATING, {}))
    ga = c.get("gestational_age")
    problems = state.errors() if ga else []
    if problems:
        parts.append(f":orange[:material/warning: {len(problems)} entry problem(s) to fix before the options can be "
                     "shown]")
    counts = state.option_counts() if ga and not problems else None
    if counts is not None:
        parts.append(f"**Options ({kb.profiles[state.profile()].label})** {counts[0]} recommended, "
                     f"{counts[1]} to consider")
    st.markdown(":material/assignment: " + " · ".join(parts), width="stretch")
    ehr.record_note()  # which values came from the record
    if not getattr(_RUN, "new_case_shown", False):  # pages without the steps' row
        _new_case()


def example_loader() -> None:
    """The clearly labelled "load example case" choice (on the first step)."""
    examples = example_cases()
    with st.expander("Load example case", icon=":material/library_books:"):
        st.caption("Invented cases for demonstration and teaching; loading one replaces the current case.")
        choice = st.selectbox("Example", list(examples), format_func=lambda k: examples[k][0], key="ci.example_choice")
        if st.button("Load this example", key="ci.load_example", icon=":material/upload:"):
            state.load(examples[choice][1])
            st.rerun()


NEW_CASE = "ci.new_case"  # the "New case" popover's open state


def _clear_case() -> None:
    state.clear()
    st.session_state[NEW_CASE] = False  # closed again once the case is cleared


def _new_case() -> None:
    """"New case" and its confirmation. The confirmation is built only while the popover is open (opening it
    reruns the page): closed, as it is on almost every rerun of every page, it costs one element, not three."""
    box = st.popover("New case", icon=":material/restart_alt:", width="content", key=NEW_CASE, on_change="rerun")
    if box.open:
        with box:
            st.write("Clear everything entered for this case?")
            st.button("Yes, clear the case", key="ci.confirm_clear", type="primary", on_click=_clear_case)


def status_badge(status: str) -> None:
    label, icon, colour = STATUS_LABEL[status]
    st.badge(label, icon=icon, color=colour)
