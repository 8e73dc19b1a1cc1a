"""The batch audit page's logic (views/9_batch_audit.py): read and evaluate an uploaded CSV, show the summary.

The file format is the ``batch`` command's (contract.md; flat columns of :mod:`decision.flat`).
Rows hold clinical values only; the evaluation is kept in the session only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from decision import OPTION_IDS, PROFILES, knowledge
from decision.batch import BatchFileError, BatchResult, evaluate_rows, read_batch
from decision.batchfile import MAX_CELL
from decision.flat import CHOICES, COLUMNS, TRUE
from figures import OKABE_ITO
from progress.charts import integer_dtick

from . import state
from .plain import plain

MAX_MIB = 25  # Streamlit counts upload sizes in MiB (2**20 bytes); 100,000 fully filled rows are about 10 MiB
MAX_BYTES = MAX_MIB * 2**20
MAX_ROWS = 200_000
MAX_ERROR_ROWS_SHOWN = 5_000
CACHE = "batch.cache"

# Okabe-Ito colour-blind-safe palette (the same as figures._style; kept here so this page stands alone).
BLACK, ORANGE, _SKY, GREEN, _YELLOW, BLUE, VERMILION, _PURPLE = OKABE_ITO

# Alerts (clinical-spec.md 3.2) and the input facts that raise them, in the engine's order.
ALERTS: dict[str, str] = {
    "intraamniotic_infection": "Intra-amniotic infection",
    "fetal_demise": "Fetal demise",
    "labor": "Labor / regular contractions",
    "vaginal_bleeding": "Vaginal bleeding",
    "ruptured_membranes": "Ruptured membranes",
    "lethal_fetal_anomaly": "Lethal fetal anomaly",
    "prolapsed_membranes": "Prolapsed membranes (intact)",
}
ALERT_COLUMNS = {
    "intraamniotic_infection": "signs_of_intraamniotic_infection",
    "fetal_demise": "fetal_demise",
    "labor": "regular_contractions_or_labor",
    "vaginal_bleeding": "vaginal_bleeding",
    "lethal_fetal_anomaly": "lethal_fetal_anomaly",
}
KIND_TEXT = {
    "int": "whole number", "float": "number", "bool": "true / false (or 1 / 0, yes / no)",
    "tribool": "true / false (or 1 / 0, yes / no); empty = unknown",
    "serial": "GA:mm items joined by ';', e.g. 16+0:31;18+0:24",
}


# --- template -------------------------------------------------------------------------------

TEMPLATE_ROWS: tuple[dict[str, str], ...] = (
    {"ga_weeks": "20", "ga_days": "1", "spontaneous_preterm_births_before_34w": "1", "length_mm": "18",
     "serial_cervical_lengths": "16+0:31;18+0:24"},
    {"ga_weeks": "21", "ga_days": "2", "dilation_cm": "2", "funneling": "true",
     "membranes_at_or_beyond_external_os": "true"},
    {"ga_weeks": "43", "ga_days": "0", "length_mm": "30"},  # a bad row: GA beyond 42 weeks
)


@functools.cache
def template_csv() -> str:
    """Header with every flat column, then three example rows (the third is invalid on purpose)."""
    frame = pd.DataFrame([{column: row.get(column, "") for column in COLUMNS} for row in TEMPLATE_ROWS])
    return frame.to_csv(index=False)


@functools.cache
def column_reference() -> pd.DataFrame:
    """The flat columns, the case field each fills and its values (built once; read-only)."""
    return pd.DataFrame([{"Column": column, "Case field": ".".join(path),
                          "Value": " or ".join(CHOICES[column]) if kind == "text" else KIND_TEXT[kind]}
                         for column, (path, kind) in COLUMNS.items()])


#: Yes/no columns echoed (when yes) in the results CSV's ``flags`` column.
ECHO_FLAGS: tuple[str, ...] = (
    "funneling", "membranes_at_or_beyond_external_os", "membranes_prolapsed_into_vagina", "cerclage_in_place",
    "regular_contractions_or_labor", "vaginal_bleeding", "signs_of_intraamniotic_infection", "fetal_demise",
    "lethal_fetal_anomaly",
)
#: The input columns the results CSV echoes before the statuses (then ``alerts`` and ``errors`` after them).
ECHO_COLUMNS: tuple[str, ...] = ("ga", "length_mm", "dilation_cm", "membranes_status", "flags")


def _cells(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    cells = frame[column]
    if pd.api.types.is_numeric_dtype(cells) and not pd.api.types.is_bool_dtype(cells):
        return cells.map(lambda v: "" if pd.isna(v) else f"{v:g}").astype(object)  # 18, not 18.0
    return cells.where(cells.notna(), "").astype(str).str.strip()


def echo_source(frame: pd.DataFrame) -> pd.DataFrame:
    """What the results CSV echoes, kept cheaply at upload (the cells as read, the yes-flags as booleans);
    :func:`echo_inputs` formats it only when the results are downloaded."""
    source = pd.DataFrame({column: frame[column] if column in frame.columns else pd.Series([None] * len(frame))
                           for column in ("ga_weeks", "ga_days", "length_mm", "dilation_cm", "membranes_status")})
    for column in ECHO_FLAGS:
        source[column] = _truth(frame, column)
    return source.reset_index(drop=True)


def echo_inputs(source: pd.DataFrame) -> pd.DataFrame:
    """The key inputs of each row as written (GA as W+D, length, dilation, membranes, the yes flags)."""
    weeks, days = _cells(source, "ga_weeks"), _cells(source, "ga_days")
    ga = weeks.where(weeks == "", weeks + "+" + days.where(days != "", "0"))
    flags = pd.Series([""] * len(source), index=source.index, dtype=object)
    for column in ECHO_FLAGS:
        on = source[column].to_numpy(dtype=bool)
        flags = flags.where(~on, flags.where(flags == "", flags + "; ") + column)
    return pd.DataFrame({"ga": ga, "length_mm": _cells(source, "length_mm"), "dilation_cm": _cells(source, "dilation_cm"),
                         "membranes_status": _cells(source, "membranes_status"), "flags": flags}).reset_index(drop=True)


def results_frame(outcome: Outcome) -> pd.DataFrame:
    """The results CSV: ``row``, the key inputs echoed, one status column per option and assessment, ``alerts``
    (the engine's alert ids) and ``errors``."""
    table = outcome.result.frame()  # type: ignore[union-attr]
    statuses = table.drop(columns=["row", "errors"])
    out = pd.concat([table[["row"]], echo_inputs(outcome.inputs), statuses], axis=1)
    out["alerts"] = outcome.result.alerts()  # type: ignore[union-attr]
    out["errors"] = table["errors"]
    return out


def results_csv(outcome: Outcome) -> str:
    return results_frame(outcome).to_csv(index=False)


# --- evaluation -----------------------------------------------------------------------------

@dataclass
class Outcome:
    """What an upload gave: a problem with the whole file, or the evaluated batch and its summaries."""

    problem: str | None = None
    result: BatchResult | None = None
    rows: int = 0
    option_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    alert_counts: dict[str, int] = field(default_factory=dict)
    error_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    inputs: pd.DataFrame = field(default_factory=pd.DataFrame)  # echo_source: the key inputs, echoed in the CSV

    @property
    def error_count(self) -> int:
        return len(self.error_rows)

    @property
    def evaluated(self) -> int:
        return self.rows - self.error_count


def _truth(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A yes/no column as booleans (missing = no), read like the batch reader reads it."""
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    cells = frame[column]
    if pd.api.types.is_bool_dtype(cells):
        return cells.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(cells):
        return (cells == 1).to_numpy()
    return cells.where(cells.notna(), "").astype(str).str.strip().str.lower().isin(TRUE).to_numpy()


def alert_counts(frame: pd.DataFrame, valid: np.ndarray) -> dict[str, int]:
    """Cases per alert among the evaluated rows, from the input facts that raise each alert."""
    if "membranes_status" in frame.columns:
        status = frame["membranes_status"].where(frame["membranes_status"].notna(), "")
        ruptured = status.astype(str).str.strip().str.lower().eq("ruptured").to_numpy()
    else:
        ruptured = np.zeros(len(frame), dtype=bool)
    facts = {alert: _truth(frame, column) for alert, column in ALERT_COLUMNS.items()}
    facts["ruptured_membranes"] = ruptured
    facts["prolapsed_membranes"] = _truth(frame, "membranes_prolapsed_into_vagina") & ~ruptured
    return {alert: int(np.count_nonzero(facts[alert] & valid)) for alert in ALERTS}


def option_counts(result: BatchResult) -> pd.DataFrame:
    """Per option: how many evaluated cases have it recommended, and to consider."""
    table = result.frame()
    valid = table[table["errors"] == ""]
    kb = knowledge()
    return pd.DataFrame({
        "Option": [kb.options[o].title for o in OPTION_IDS],
        "Recommended": [int((valid[o] == "recommended").sum()) for o in OPTION_IDS],
        "Consider": [int((valid[o] == "consider").sum()) for o in OPTION_IDS],
    }, index=list(OPTION_IDS))


def evaluate_upload(data: bytes, name: str, profile: str, progress: Any = None) -> Outcome:
    """Read and evaluate an uploaded file; every problem with the file as a whole becomes ``problem``."""
    if PurePath(name).suffix.lower() != ".csv":
        return Outcome(problem=f"“{name}” is not a CSV file: only .csv files are accepted (limit {MAX_MIB} MiB, "
                               f"{MAX_ROWS:,} rows).")
    if len(data) > MAX_BYTES:
        return Outcome(problem=f"“{name}” is {len(data) / 2**20:.1f} MiB: the limit is {MAX_MIB} MiB per file. "
                               "Split it into smaller files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Outcome(problem=f"“{name}” is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
    if not text.strip():
        return Outcome(problem=f"“{name}” is empty. Start from the template: a header row, then one case per row.")
    del text
    try:
        batch = read_batch(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    except BatchFileError as exc:
        return Outcome(problem=f"“{name}” cannot be read: {exc}")
    result = evaluate_rows(batch, profile, progress)
    errors = np.asarray(result.errors, dtype=object)
    bad = np.flatnonzero(errors != "")
    error_rows = pd.DataFrame({"Row": bad + 1, "CSV line": batch.lines[bad], "Reason": errors[bad].astype(str)})
    return Outcome(result=result, rows=len(batch), option_counts=option_counts(result),
                   alert_counts=alert_counts(batch.frame, errors == ""), error_rows=error_rows,
                   inputs=echo_source(batch.frame))


def cached_outcome(uploaded: Any, profile: str) -> Outcome:
    """The outcome for this upload and profile, evaluated once per session (reruns reuse it)."""
    key = (getattr(uploaded, "file_id", None) or f"{uploaded.name}:{uploaded.size}", profile)
    cached = st.session_state.get(CACHE)
    if cached is not None and cached[0] == key:
        return cached[1]
    bar = st.progress(0.0, text="Evaluating the cases…")

    def progress(group: int, groups: int) -> None:
        done = min(1.0, group / max(groups, 1))
        bar.progress(done, text=f"Evaluating the cases… {done:.0%}")

    try:
        outcome = evaluate_upload(uploaded.getvalue(), uploaded.name, profile, progress)
    except Exception as exc:  # no traceback for any upload
        outcome = Outcome(problem=f"“{uploaded.name}” could not be evaluated ({type(exc).__name__}: {exc}).")
    bar.empty()
    st.session_state[CACHE] = (key, outcome)
    return outcome


# --- figures --------------------------------------------------------------------------------

def _layout(fig: go.Figure, title: str, alt: str, bars: int, largest: float = 0) -> go.Figure:
    fig.update_layout(
        template="plotly_white", title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 17}},
        font={"size": 14, "color": BLACK}, height=max(260, 110 + 30 * bars), margin={"l": 10, "r": 30, "t": 60, "b": 50},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}, barmode="group", meta={"alt": alt},
    )
    # Whole-number ticks: a count of 3 never shows as 0, 0.5, 1, 1.5 (or 0, 1, 1, 2 once rounded).
    fig.update_xaxes(title_text="Cases (count)", rangemode="tozero", tickformat=",d", tickmode="linear", tick0=0,
                     dtick=integer_dtick(max(largest, 1), 8))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def options_figure(counts: pd.DataFrame, evaluated: int, profile_label: str) -> go.Figure:
    """Grouped horizontal bars: cases per option recommended (green) and to consider (blue)."""
    fig = go.Figure()
    for column, colour in (("Recommended", GREEN), ("Consider", BLUE)):
        fig.add_trace(go.Bar(y=counts["Option"], x=counts[column], name=column, orientation="h", marker_color=colour,
                             text=counts[column], textposition="outside", cliponaxis=False,
                             hovertemplate="%{y}: %{x:,} cases " + column.lower() + "<extra></extra>"))
    top = counts.sort_values("Recommended", ascending=False).iloc[0] if len(counts) else None
    alt = (f"Bar chart of the {evaluated:,} evaluated cases ({profile_label}): for each of the {len(counts)} options, "
           "the number of cases where it is recommended and where it is to be considered. "
           + "; ".join(f"{r.Option}: {r.Recommended:,} recommended, {r.Consider:,} consider" for r in counts.itertuples())
           + "." + (f" Most often recommended: {top['Option']} ({top['Recommended']:,})."
                    if top is not None and top["Recommended"] else ""))
    largest = float(counts[["Recommended", "Consider"]].to_numpy().max()) if len(counts) else 0.0
    return _layout(fig, f"Cases per option — {profile_label} ({evaluated:,} evaluated)", alt, 2 * len(counts), largest)


def alerts_figure(counts: dict[str, int], evaluated: int) -> go.Figure:
    """Horizontal bars: cases per alert (critical vermilion, warning orange)."""
    severity = {alert_id: alert.severity for alert_id, alert in knowledge().alerts.items()}
    labels = [ALERTS[a] for a in counts]
    colours = [VERMILION if severity.get(a, "critical") == "critical" else ORANGE for a in counts]
    fig = go.Figure(go.Bar(y=labels, x=list(counts.values()), orientation="h", marker_color=colours,
                           text=list(counts.values()), textposition="outside", cliponaxis=False, name="Cases",
                           hovertemplate="%{y}: %{x:,} cases<extra></extra>"))
    alt = (f"Bar chart of the {evaluated:,} evaluated cases: the number of cases that raise each alert "
           "(critical in vermilion, warning in orange). "
           + "; ".join(f"{ALERTS[a]}: {n:,}" for a, n in counts.items()) + ". A case can raise several alerts.")
    fig = _layout(fig, f"Cases per alert ({evaluated:,} evaluated)", alt, len(counts), max(counts.values(), default=0))
    fig.update_layout(showlegend=False)
    return fig


# --- page -----------------------------------------------------------------------------------

def _error_rows(outcome: Outcome) -> None:
    with st.container(key="batch.error_rows"):
        st.subheader("Rows with errors")
        st.caption("These rows were not evaluated; the others were. Row 1 is the first row under the header.")
        shown = outcome.error_rows.head(MAX_ERROR_ROWS_SHOWN)
        st.dataframe(shown, hide_index=True, width="stretch", key="batch.errors",
                     column_config={"Reason": st.column_config.TextColumn(width="large")})
        if len(outcome.error_rows) > len(shown):
            st.caption(f"First {len(shown):,} of {outcome.error_count:,} shown; all are in the results CSV.")


def show_outcome(outcome: Outcome, name: str, profile: str) -> None:
    if outcome.problem is not None:
        st.error(plain(outcome.problem), icon=":material/error:")  # holds the file name and cells: not Markdown
        return
    if outcome.rows == 0:
        st.info(f"“{plain(name)}” has a header but no rows: nothing to evaluate.", icon=":material/info:")
        return
    kb = knowledge()
    profile_label = kb.profiles[profile].label
    rows, ok, bad = st.columns(3)
    rows.metric("Rows", f"{outcome.rows:,}", border=True)
    ok.metric("Evaluated", f"{outcome.evaluated:,}", border=True)
    bad.metric("With errors", f"{outcome.error_count:,}", border=True)
    st.download_button("Download the results (CSV)", data=lambda: results_csv(outcome), key="batch.results",
                       file_name=f"{PurePath(name).stem}_results_{profile}.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore",
                       help="One row per input row: the key inputs (GA, length, dilation, membranes, flags), a status "
                            "column per option and assessment id, the alerts and the errors.")
    if outcome.error_count:
        _error_rows(outcome)
    if outcome.evaluated == 0:
        st.warning("No row could be evaluated: fix the errors above and upload the file again.", icon=":material/warning:")
        return
    st.subheader("Recommendations")
    fig = options_figure(outcome.option_counts, outcome.evaluated, profile_label)
    alt = fig.layout.meta["alt"]
    st.plotly_chart(fig, key="batch.chart_options", alt=alt, config={"displaylogo": False})
    st.caption(alt)
    st.subheader("Alerts")
    st.caption("Derived from the input facts that raise each alert (labor, bleeding, infection, demise, lethal anomaly, "
               "ruptured or prolapsed membranes), counted over the evaluated rows.")
    fig = alerts_figure(outcome.alert_counts, outcome.evaluated)
    alt = fig.layout.meta["alt"]
    st.plotly_chart(fig, key="batch.chart_alerts", alt=alt, config={"displaylogo": False})
    st.caption(alt)
    with st.expander("Chart data as tables", icon=":material/table:"):
        st.dataframe(outcome.option_counts, hide_index=True, width="stretch", key="batch.option_table")
        st.dataframe(pd.DataFrame({"Alert": [ALERTS[a] for a in outcome.alert_counts],
                                   "Cases": list(outcome.alert_counts.values())}),
                     hide_index=True, width="stretch", key="batch.alert_table")


def render() -> None:
    """The page body between ``page_header`` and ``page_footer``."""
    st.markdown("Evaluate many cases at once — an audit of a clinic list, or a check of the engine against local "
                "practice. Each row of the CSV is one case in the flat format of the `batch` command; a bad row is "
                "reported with its reason and does not stop the others.")
    st.info(f"**Limits:** CSV files only (.csv, UTF-8), up to **{MAX_MIB} MiB** and **{MAX_ROWS:,} rows** per file, "
            f"**{MAX_CELL:,} characters** per cell. Clinical values only: the file must hold no name, record number or "
            "date of birth.",
            icon=":material/policy:")
    with st.expander("File format and template", icon=":material/description:"):
        st.markdown("A header row with any of these columns (only `ga_weeks` is required), then one case per row. "
                    "An empty cell means absent / not measured.")
        st.dataframe(column_reference(), hide_index=True, width="stretch", key="batch.columns")
        st.download_button("Download the template (CSV)", data=template_csv(), file_name="batch_template.csv",
                           mime="text/csv", key="batch.template", icon=":material/download:", on_click="ignore",
                           help="Every column, with three example rows; the third is invalid on purpose (GA 43+0).")
    labels = {pid: knowledge().profiles[pid].label for pid in PROFILES}
    current = state.profile()
    profile = st.radio("Guideline profile", list(PROFILES), format_func=labels.get, horizontal=True,
                       index=list(PROFILES).index(current) if current in PROFILES else 0, key="batch.profile")
    uploaded = st.file_uploader(f"Batch file (CSV, up to {MAX_MIB} MiB and {MAX_ROWS:,} rows)", type=["csv"],
                                key="batch.upload", max_upload_size=MAX_MIB)
    if uploaded is None:
        st.session_state.pop(CACHE, None)  # nothing from a removed file is kept
        st.caption("Upload a file to see the counts, the charts and the results to download.")
        return
    show_outcome(cached_outcome(uploaded, profile), uploaded.name, profile)
