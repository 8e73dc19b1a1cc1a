"""Survival by completed week at birth, per published cohort (outcomes.yaml)."""

from __future__ import annotations

from collections.abc import Mapping

from ._style import BLACK, BLUE, GREEN, ORANGE, Spec, bar_trace, builder, finish, fmt_num, fmt_pct

__all__ = ["outcomes_figure"]

_COHORT_STYLES = ((BLUE, ""), (ORANGE, "/"), (GREEN, "."), ("#CC79A7", "x"))
_VON_OFFSET = 0.43  # weeks to the right of the bar group


def _cohort_name(cohort: Mapping, patient: bool = False) -> str:
    if patient:
        return f"{cohort['patient_label']}: {cohort['patient_measure']}"
    return f"{cohort['label']} — {cohort['measure']}, {cohort['denominator']}"


NOT_ENTERED = "not entered here"


def _not_entered_reason(cohort: Mapping, week: int, patient: bool = False) -> str:
    reasons = cohort.get("patient_not_entered" if patient else "not_entered") or {}
    return str(reasons.get(week, reasons.get(str(week), "")) or "")


def _von_text(von: Mapping, rows: list) -> str:
    """The Vermont Oxford Network change in words (for a VON kept out of the chart)."""
    years = {(r["from_year"], r["to_year"]) for r in rows}
    if len(years) == 1:
        (first, last), = years
        changes = "; ".join(f"{r['week']} weeks {fmt_num(r['from_percent'])}% to {fmt_num(r['to_percent'])}%" for r in rows)
        changes = f"{first} to {last}: {changes}"
    else:
        changes = ": " + "; ".join(
            f"{r['week']} weeks {fmt_num(r['from_percent'])}% ({r['from_year']}) to "
            f"{fmt_num(r['to_percent'])}% ({r['to_year']})" for r in rows)
    return f"{von.get('label', 'Vermont Oxford Network')}, {von.get('measure', 'survival')} {changes}."


@builder
def outcomes_figure(survival: Mapping, highlight_week: int | None = None, not_applicable: str | None = None, *,
                    audience: str = "clinician") -> Spec:
    """Grouped bars of survival (%) by completed week at birth, one trace per cohort.

    ``survival`` is the ``survival_by_week`` mapping of outcomes.yaml. Each cohort is named with
    its source, measure and denominator. A missing value (null) is never drawn as 0: its slot
    says "not entered here" (the reason, from the cohort's ``not_entered``, is in the hover and
    the text alternative). ``denominator_note`` and ``caveat`` are written under the chart. The
    Vermont Oxford Network change is a pair of markers (open circle: earlier year, triangle:
    later year) beside each week it covers, unless its entry says ``chart: false``: then it is
    text about hospital variation under the chart. ``highlight_week`` is shaded and annotated
    "This pregnancy: N weeks". ``not_applicable`` (for example with a fetal demise or a lethal
    anomaly) is shown as "These figures do not apply to this pregnancy: <reason>".

    ``audience="patient"`` (patient mode) draws the same bars with the entry's plain texts: each cohort
    named by its ``patient_label`` and ``patient_measure``, the x axis titled ``patient_axis_title``, the
    notes ``patient_denominator_note`` and ``patient_caveat`` (the Vermont Oxford Network is left out), and
    hover and text alternative without study names or source ids. ``audience="clinician"`` is unchanged.
    """
    if audience not in ("clinician", "patient"):
        raise ValueError(f"audience must be 'clinician' or 'patient', got {audience!r}")
    patient = audience == "patient"
    weeks = [int(w) for w in survival["weeks"]]
    cohorts = list(survival.get("cohorts") or [])
    data: list[dict] = []
    shapes: list[dict] = []
    annotations: list[dict] = []
    legend_names: list[str] = []
    missing: list[str] = []
    n_cohorts = len(cohorts)
    slot = (1 - 0.3) / max(n_cohorts, 1)  # bar width in weeks (bargap 0.3)
    for i, cohort in enumerate(cohorts):
        values = [None if v is None else float(v) for v in cohort["percent"]]
        if len(values) != len(weeks):
            raise ValueError(f"cohort {cohort.get('id')!r} has {len(values)} values for {len(weeks)} weeks")
        colour, pattern = _COHORT_STYLES[i % len(_COHORT_STYLES)]
        name = _cohort_name(cohort, patient)
        who = cohort["patient_label"] if patient else cohort["label"]
        legend_names.append(name)
        for w, v in zip(weeks, values, strict=True):
            if v is None:
                reason = _not_entered_reason(cohort, w, patient)
                missing.append(f"{who} at {w} weeks" + (f" ({reason.rstrip('.')})" if reason else ""))
                # Said in the empty bar slot, written upwards so it fits the bar's width.
                annotations.append({
                    "x": w - 0.35 + (i + 0.5) * slot,
                    "xref": "x",
                    "y": 0,
                    "yref": "y",
                    "yanchor": "bottom",
                    "xanchor": "center",
                    "textangle": -90,
                    "text": NOT_ENTERED,
                    "showarrow": False,
                    "font": {"size": 13, "color": BLACK},
                    "hovertext": f"{who}, {w} weeks: {NOT_ENTERED}" + (f". {reason}" if reason else ""),
                    "name": "not entered",
                })
        if patient:  # no source id: the bar's name says who was counted and what
            data.append({
                **bar_trace(weeks, values, name, colour, pattern, font_size=13),
                "hovertemplate": f"{name}<br>%{{x}} weeks: %{{y}}%<extra></extra>",
            })
            continue
        data.append({
            **bar_trace(weeks, values, name, colour, pattern, font_size=13),
            "customdata": [cohort.get("source", cohort.get("id", ""))] * len(weeks),
            "hovertemplate": (f"{cohort['label']}<br>%{{x}} weeks: %{{y}}% of {cohort['denominator']}"
                              "<br>Source: %{customdata}<extra></extra>"),
        })

    von = survival.get("von")
    von_rows = list(von.get("by_week") or []) if von else []
    if patient:
        von_rows = []  # its denominator is not verified: not shown to patients
    von_charted = bool(von_rows) and bool(von.get("chart", True))
    if von_charted:
        xs: list[float | None] = []
        ys: list[float | None] = []
        symbols: list[str] = []
        hover: list[str] = []
        for row in von_rows:
            x = int(row["week"]) + _VON_OFFSET
            xs += [x, x, None]
            ys += [float(row["from_percent"]), float(row["to_percent"]), None]
            symbols += ["circle-open", "triangle-up", "circle"]
            hover += [
                f"{row['week']} weeks, {row['from_year']}: {fmt_pct(row['from_percent'])}",
                f"{row['week']} weeks, {row['to_year']}: {fmt_pct(row['to_percent'])}",
                "",
            ]
        from_years = {row["from_year"] for row in von_rows}
        to_years = {row["to_year"] for row in von_rows}
        years = (
            f"○ {from_years.pop()} → ▲ {to_years.pop()}" if len(from_years) == 1 and len(to_years) == 1 else "○ earlier → ▲ later"
        )
        von_name = f"{von.get('label', 'Vermont Oxford Network')}: {years}"
        von_detail = f"{von.get('measure', 'survival')}, {von.get('denominator', '')}".rstrip(", ")
        hover = [f"{h}<br>{von_detail}" if h else "" for h in hover]
        legend_names.append(von_name)
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines+markers",
                "name": von_name,
                "line": {"color": BLACK, "width": 1.5},
                "marker": {"symbol": symbols, "size": 11, "color": BLACK, "line": {"color": BLACK, "width": 2}},
                "hovertext": hover,
                "hoverinfo": "text",
                "connectgaps": False,
            }
        )

    lo, hi = min(weeks), max(weeks)
    top_annotation = False
    if highlight_week is not None:
        top_annotation = True
        in_range = lo <= highlight_week <= hi
        if in_range:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": highlight_week - 0.5,
                    "x1": highlight_week + 0.5,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": BLACK,
                    "opacity": 0.1,
                    "line": {"width": 0},
                    "layer": "below",
                    "name": "highlight",
                }
            )
        text = f"This pregnancy: {highlight_week} weeks"
        if not in_range:
            text += (f" (the studies counted babies born at {lo} to {hi} weeks)" if patient
                     else f" (outside the range of the cohorts, {lo}-{hi} weeks)")
        annotations.append(
            {
                "x": highlight_week if in_range else 0.5,
                "xref": "x" if in_range else "paper",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "xanchor": "center",
                "yshift": 6,
                "text": f"<b>{text}</b>",
                "showarrow": False,
                "name": "highlight",
            }
        )

    layout: dict = {
        "xaxis": {
            "title": {"text": survival["patient_axis_title"] if patient else "Gestational age at birth (completed weeks)"},
            "tickmode": "array",
            "tickvals": weeks,
            "range": [lo - 0.5, hi + 0.6],
        },
        "yaxis": {"title": {"text": "Survival (%)"}, "range": [0, 100], "dtick": 20},
        "barmode": "group",
        "bargap": 0.3,
    }
    if shapes:
        layout["shapes"] = shapes
    if annotations:
        layout["annotations"] = annotations

    notes = []
    if not_applicable:
        notes.append(f"These figures do not apply to this pregnancy: {not_applicable.rstrip('.')}.")
    denominator_note, caveat = ("patient_denominator_note", "patient_caveat") if patient else ("denominator_note", "caveat")
    if survival.get(denominator_note):
        notes.append(str(survival[denominator_note]))
    variation = [str(survival[caveat])] if survival.get(caveat) else []
    if von_rows and not von_charted:
        variation.append(_von_text(von, von_rows))
    if variation:
        notes.append(" ".join(variation))

    alt = (_patient_alt(cohorts, weeks, highlight_week, missing, notes) if patient
           else _clinician_alt(cohorts, weeks, highlight_week, missing, notes, von_rows if von_charted else []))
    return finish(
        data,
        layout,
        title=f"Survival of babies born alive at {lo}-{hi} weeks",
        alt=alt,
        height=420,
        legend_names=legend_names,
        notes=notes,
        top_annotations=top_annotation,
    )


def _patient_alt(cohorts: list, weeks: list[int], highlight_week: int | None, missing: list[str], notes: list[str]) -> str:
    """The patient chart's text alternative: the same figures, each study named in plain words."""
    lo, hi = min(weeks), max(weeks)
    alt = (
        f"Bar chart of how many babies survived, by the week of pregnancy when they were born, {lo} to {hi} weeks, "
        f"in {len(cohorts)} stud{'ies' if len(cohorts) != 1 else 'y'}: "
        + "; ".join(
            f"{c['patient_label']} ({c['patient_measure']}): {_weekly(c, weeks)}" for c in cohorts
        )
        + "."
    )
    if highlight_week is not None:
        if lo <= highlight_week <= hi:
            alt += f" This pregnancy is at {highlight_week} weeks (highlighted)"
            if highlight_week in weeks:
                idx = weeks.index(highlight_week)
                values = [f"{c['patient_label']}, {fmt_pct(c['percent'][idx])} {c['patient_measure']}"
                          for c in cohorts if c["percent"][idx] is not None]
                alt += ": " + "; ".join(values) if values else ""
            alt += "."
        else:
            alt += f" This pregnancy is at {highlight_week} weeks; the studies counted babies born at {lo} to {hi} weeks."
    if missing:
        alt += f" Not entered here: {'; '.join(missing)}."
    if notes:
        alt += " " + " ".join(notes)
    return alt


def _weekly(cohort: Mapping, weeks: list[int]) -> str:
    """One cohort's figures for a text alternative: "22 weeks 6%, 23 weeks 26%, ..."."""
    return ", ".join(f"{w} weeks {fmt_pct(v) if v is not None else NOT_ENTERED}"
                     for w, v in zip(weeks, cohort["percent"], strict=True))


def _clinician_alt(cohorts: list, weeks: list[int], highlight_week: int | None, missing: list[str], notes: list[str],
                   von_rows: list) -> str:
    """The clinician chart's text alternative (``von_rows``: the Vermont Oxford rows drawn on the chart)."""
    lo, hi = min(weeks), max(weeks)
    alt = (
        f"Bar chart of survival by completed week at birth, {lo} to {hi} weeks, from "
        f"{len(cohorts)} cohort{'s' if len(cohorts) != 1 else ''}: "
        + "; ".join(
            f"{_cohort_name(c)}: {_weekly(c, weeks)}" for c in cohorts
        )
        + "."
    )
    if von_rows:
        alt += (
            " Vermont Oxford Network survival: "
            + "; ".join(
                f"{r['week']} weeks {fmt_num(r['from_percent'])}% in {r['from_year']} to "
                f"{fmt_num(r['to_percent'])}% in {r['to_year']}"
                for r in von_rows
            )
            + "."
        )
    if highlight_week is not None:
        if lo <= highlight_week <= hi:
            idx = weeks.index(highlight_week) if highlight_week in weeks else None
            alt += f" This pregnancy is at {highlight_week} weeks (highlighted)"
            if idx is not None:
                values = [f"{c['label']} {fmt_pct(c['percent'][idx])}" for c in cohorts if c["percent"][idx] is not None]
                alt += ": " + ", ".join(values) if values else ""
            alt += "."
        else:
            alt += f" This pregnancy is at {highlight_week} weeks, outside the range of the cohorts ({lo}-{hi} weeks)."
    if missing:
        alt += f" Not entered here: {'; '.join(missing)}."
    if notes:
        alt += " " + " ".join(notes)
    return alt
