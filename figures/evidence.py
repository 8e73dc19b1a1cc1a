"""Evidence behind an option: arms or measures as bars (one entry of outcomes.yaml ``evidence:``)."""

from __future__ import annotations

from collections.abc import Mapping

from ._style import BLUE, GREEN, ORANGE, PURPLE, SKY_BLUE, TABLET_WIDTH_PX, Spec, bar_trace, builder, finish, fmt_pct, wrap

__all__ = ["evidence_figure", "evidence_notes"]

_PAIR = ((BLUE, ""), (ORANGE, "/"))
_SERIES = (GREEN, SKY_BLUE, BLUE, PURPLE, ORANGE)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def evidence_notes(evidence: Mapping) -> list[str]:
    """What is written under an evidence chart, in this order: how the evidence was gathered (in
    plain words), who is not counted, the mother's risks, then any further note (``extra``)."""
    notes = [str(evidence[k]) for k in ("design", "termination_note", "maternal_risks") if evidence.get(k)]
    extra = evidence.get("extra")
    notes += [str(e) for e in ([extra] if isinstance(extra, str) else list(extra or []))]
    return notes


def _with_count(text: str, item: Mapping, key: str = "n") -> str:
    """``text`` with the published counts (``"18% (6/34)"``) when the entry gives them."""
    return f"{text} ({item[key]})" if item.get(key) else text


@builder
def evidence_figure(evidence: Mapping) -> Spec:
    """Bars for one evidence entry: ``arms`` (one bar per arm), ``measures`` with
    ``cerclage``/``no_cerclage`` (grouped bars per measure) or ``measures`` with
    ``percent`` (one bar per measure; measures marked ``who: mother`` are a second series,
    "The mother", beside "The baby"). Raises ``ValueError`` for any other shape.

    The subtitle gives the denominator and the source; the notes under the chart say how the
    evidence was gathered (``design``: observational evidence says so in plain words), who is
    not counted (``termination_note``), the mother's risks (``maternal_risks``) and ``extra``.
    """
    label = str(evidence.get("label", "Evidence"))
    source = str(evidence.get("source", ""))
    denominator = str(evidence.get("denominator", ""))
    measure = str(evidence.get("measure", ""))
    data: list[dict] = []
    layout: dict = {}
    legend_names: list[str] = []
    if evidence.get("arms"):
        arms = list(evidence["arms"])
        x = [str(a["label"]) for a in arms]
        y = [float(a["percent"]) for a in arms]
        colours = [_PAIR[i % 2][0] for i in range(len(arms))]
        patterns = [_PAIR[i % 2][1] for i in range(len(arms))]
        data.append(bar_trace(x, y, _capital(measure) or "Percent", colours, patterns))
        x_title = "Group"
        y_title = f"{_capital(measure)} (%)" if measure else "Percent (%)"
        summary = f"{measure or 'result'}: " + ", ".join(
            _with_count(f"{a} {fmt_pct(v)}", arm) for a, v, arm in zip(x, y, arms, strict=True))
    elif evidence.get("measures") and all("cerclage" in m and "no_cerclage" in m for m in evidence["measures"]):
        measures = list(evidence["measures"])
        x = [str(m["measure"]) for m in measures]
        with_c = [float(m["cerclage"]) for m in measures]
        without = [float(m["no_cerclage"]) for m in measures]
        data.append(bar_trace(x, with_c, "Cerclage", _PAIR[0][0], _PAIR[0][1]))
        data.append(bar_trace(x, without, "No cerclage", _PAIR[1][0], _PAIR[1][1]))
        layout.update(barmode="group", bargap=0.3)
        legend_names = ["Cerclage", "No cerclage"]
        x_title = "Outcome"
        y_title = "With the outcome (%)"
        summary = "; ".join(
            f"{m['measure']}: {_with_count(f'{fmt_pct(a)} with cerclage', m, 'n_cerclage')} vs "
            f"{_with_count(f'{fmt_pct(b)} without', m, 'n_no_cerclage')}"
            for m, a, b in zip(measures, with_c, without, strict=True)
        )
    elif evidence.get("measures") and all("percent" in m for m in evidence["measures"]):
        measures = list(evidence["measures"])
        x = [str(m["measure"]) for m in measures]
        y = [float(m["percent"]) for m in measures]
        mother = [m.get("who") == "mother" for m in measures]
        if any(mother):
            # The mother's risks beside the baby's: two series on their own categories (overlay: full-width bars).
            for name, colour, pattern, mine in (("The baby", _SERIES[0], "", False), ("The mother", ORANGE, "/", True)):
                xs = [m for m, is_mother in zip(x, mother, strict=True) if is_mother == mine]
                ys = [v for v, is_mother in zip(y, mother, strict=True) if is_mother == mine]
                data.append(bar_trace(xs, ys, name, colour, pattern))
                legend_names.append(name)
            layout.update(barmode="overlay")
        else:
            data.append(bar_trace(x, y, "Percent", _SERIES[0], ""))
        x_title = "Outcome"
        y_title = "With the outcome (%)"
        summary = ", ".join(
            _with_count(f"{'the mother: ' if is_mother else ''}{m['measure']} {fmt_pct(v)}", m)
            for m, v, is_mother in zip(measures, y, mother, strict=True))
    else:
        raise ValueError(f"evidence {label!r} has neither arms nor measures in a known shape")

    tick_width = max(12, int(TABLET_WIDTH_PX / max(len(x), 1) / 8))
    tick_text = [wrap(v, tick_width) for v in x]
    layout["xaxis"] = {"title": {"text": x_title}, "tickmode": "array", "tickvals": x, "ticktext": tick_text, "automargin": True}
    layout["yaxis"] = {"title": {"text": wrap(y_title, 26)}, "range": [0, 100], "dtick": 20}
    subtitle = f"{_capital(denominator)} · Source: {source}" if denominator else f"Source: {source}"
    notes = evidence_notes(evidence)
    alt = f"Bar chart: {label}. {_capital(summary)}. Denominator: {denominator or 'not stated'}. Source: {source}."
    if notes:
        alt += " " + " ".join(notes)
    return finish(
        data,
        layout,
        title=label,
        alt=alt,
        height=420,
        subtitle=wrap(subtitle, 90),
        legend_names=legend_names,
        notes=notes,
        x_tick_lines=max(t.count("<br>") + 1 for t in tick_text),
    )
