"""Evidence behind an option: arms or measures as bars (one entry of outcomes.yaml ``evidence:``)."""

from __future__ import annotations

from collections.abc import Mapping

from ._style import BLUE, GREEN, ORANGE, PURPLE, SKY_BLUE, TABLET_WIDTH_PX, Spec, bar_trace, builder, finish, fmt_pct, wrap

__all__ = ["evidence_figure"]

_PAIR = ((BLUE, ""), (ORANGE, "/"))
_SERIES = (GREEN, SKY_BLUE, BLUE, PURPLE, ORANGE)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@builder
def evidence_figure(evidence: Mapping) -> Spec:
    """Bars for one evidence entry: ``arms`` (one bar per arm), ``measures`` with
    ``cerclage``/``no_cerclage`` (grouped bars per measure) or ``measures`` with
    ``percent`` (one bar per measure). Raises ``ValueError`` for any other shape.
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
        summary = f"{measure or 'result'}: " + ", ".join(f"{a} {fmt_pct(v)}" for a, v in zip(x, y, strict=True))
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
            f"{m}: {fmt_pct(a)} with cerclage vs {fmt_pct(b)} without" for m, a, b in zip(x, with_c, without, strict=True)
        )
    elif evidence.get("measures") and all("percent" in m for m in evidence["measures"]):
        measures = list(evidence["measures"])
        x = [str(m["measure"]) for m in measures]
        y = [float(m["percent"]) for m in measures]
        data.append(bar_trace(x, y, "Percent", _SERIES[0], ""))
        x_title = "Outcome"
        y_title = "With the outcome (%)"
        summary = ", ".join(f"{m} {fmt_pct(v)}" for m, v in zip(x, y, strict=True))
    else:
        raise ValueError(f"evidence {label!r} has neither arms nor measures in a known shape")

    tick_width = max(12, int(TABLET_WIDTH_PX / max(len(x), 1) / 8))
    tick_text = [wrap(v, tick_width) for v in x]
    layout["xaxis"] = {"title": {"text": x_title}, "tickmode": "array", "tickvals": x, "ticktext": tick_text, "automargin": True}
    layout["yaxis"] = {"title": {"text": wrap(y_title, 26)}, "range": [0, 100], "dtick": 20}
    subtitle = f"{denominator} · Source: {source}" if denominator else f"Source: {source}"
    notes = [str(evidence["extra"])] if evidence.get("extra") else []
    alt = f"Bar chart: {label}. {_capital(summary)}. Denominator: {denominator or 'not stated'}. Source: {source}."
    if notes:
        alt += " " + notes[0]
    return finish(
        data,
        layout,
        title=label,
        alt=alt,
        height=400,
        subtitle=wrap(subtitle, 90),
        legend_names=legend_names,
        notes=notes,
        x_tick_lines=max(t.count("<br>") + 1 for t in tick_text),
    )
