"""Pregnancy timeline: guideline windows as bands, today's GA and the rupture GA."""

from __future__ import annotations

from collections.abc import Sequence

from ._style import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY_BLUE, TABLET_WIDTH_PX, VERMILION, YELLOW, Spec, builder, finish
from .types import Band, days_to_weeks, format_ga

__all__ = ["timeline_figure"]

# Black marks "today" and vermilion the rupture, so the bands use the other colours.
_BAND_COLOURS = (SKY_BLUE, ORANGE, GREEN, YELLOW, BLUE, PURPLE)
# The span that matters for cervical insufficiency: 10-40 weeks, widened when a GA or a window lies outside.
X_MIN_WEEKS = 10
X_MAX_WEEKS = 40
_STATUS_COLOURS = {"recommended": GREEN, "consider": SKY_BLUE}


def _span(band: Band, start: int, end: int) -> str:
    start_text = format_ga(start) if band.start_days is not None else "start of pregnancy"
    return f"{start_text} – {format_ga(end)}"


def _hover(band: Band, start: int, end: int) -> str:
    text = f"{band.label}: {_span(band, start, end)}"
    return f"{text} ({band.source})" if band.source else text


def _drawable(bands: Sequence[Band]) -> list[tuple[Band, int, int]]:
    rows = []
    for band in bands:
        if band.end_days is None:
            continue
        start = 0 if band.start_days is None else int(band.start_days)
        end = int(band.end_days)
        if start < 0 or end < start:
            raise ValueError(f"band {band.label!r} has an invalid span: {start}..{end} days")
        rows.append((band, start, end))
    return rows


def _marker_line(x: float, n_rows: int, name: str, colour: str, dash: str) -> dict:
    return {
        "type": "scatter",
        "x": [x, x],
        "y": [-0.5, n_rows - 0.5],
        "mode": "lines+markers",
        "name": name,
        "line": {"color": colour, "width": 3, "dash": dash},
        "marker": {"symbol": "triangle-down", "size": [14, 0], "color": colour},
        "cliponaxis": False,
        "hoverinfo": "name",
        "showlegend": False,
    }


def span(ga_days: int | None, rows: Sequence[tuple[Band, int, int]], rupture_ga_days: int | None = None
         ) -> tuple[float, float]:
    """The x range in weeks: 10-40, widened to a whole week around a GA (today, rupture) or a window end
    outside it. Windows that start before 10 weeks (or at conception) are drawn from the left edge."""
    marks = [days_to_weeks(d) for d in (ga_days, rupture_ga_days) if d is not None]
    ends = [days_to_weeks(end + 1) for _band, _start, end in rows]
    lo = min([X_MIN_WEEKS] + [int(m) - 1 for m in marks])
    hi = max([X_MAX_WEEKS] + [int(m) + 2 for m in marks] + [int(e + 0.999) for e in ends])
    return max(lo, 0), hi


@builder
def timeline_figure(ga_days: int | None, bands: Sequence[Band], rupture_ga_days: int | None = None,
                    title: str = "Pregnancy timeline") -> Spec:
    """Pregnancy timeline over the span that matters (10-40 weeks, widened when the GA or a window lies
    outside) with one horizontal bar per window.

    Bands span ``start_days`` to ``end_days + 1`` (inclusive ends) in weeks; a band
    without an end is skipped and one without a start begins at the left edge. A band with
    a ``status`` is coloured by it (recommended green, consider sky blue; its label says it
    in words). Today's GA is a solid black line annotated "Today W+D"; the rupture GA, if
    given, a dashed vermilion line annotated "Rupture W+D". Labels sit above their bars on an
    opaque background, so no line strikes through them.
    """
    rows = _drawable(bands)
    n = len(rows)
    marks: list[tuple[float, str, str, str]] = []  # x in weeks, text, colour, dash
    if ga_days is not None:
        marks.append((days_to_weeks(ga_days), f"Today {format_ga(ga_days)}", BLACK, "solid"))
    if rupture_ga_days is not None:
        marks.append((days_to_weeks(rupture_ga_days), f"Rupture {format_ga(rupture_ga_days)}", VERMILION, "dash"))
    x_min, x_max = span(ga_days, rows, rupture_ga_days)
    px_per_week = (TABLET_WIDTH_PX - 20) / (x_max - x_min)

    data: list[dict] = []
    annotations: list[dict] = []
    for i, (band, start, end) in enumerate(rows):
        x0, x1 = max(days_to_weeks(start), x_min), days_to_weeks(end + 1)
        # Each row: the label in its upper half, the bar in its lower half.
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": [i],
                "base": [x0],
                "x": [x1 - x0],
                "width": 0.36,
                "offset": 0.04,
                "name": band.label,
                "marker": {"color": _STATUS_COLOURS.get(band.status or "", _BAND_COLOURS[i % len(_BAND_COLOURS)]),
                           "line": {"color": BLACK, "width": 1}},
                "hovertext": [_hover(band, start, end)],
                "hoverinfo": "text",
                "showlegend": False,
            }
        )
        text_weeks = 7.0 * len(band.label) / px_per_week
        if x0 + text_weeks <= x_max:
            label_x, anchor = x0, "left"
        elif x1 - text_weeks >= x_min:
            label_x, anchor = x1, "right"
        else:
            label_x, anchor = x_min, "left"
        annotations.append(
            {
                "x": label_x,
                "y": i,
                "text": band.label,
                "showarrow": False,
                "xanchor": anchor,
                "yanchor": "bottom",
                "font": {"size": 13, "color": BLACK},
                "bgcolor": "#FFFFFF",  # opaque: the Today and Rupture lines never strike through a label
                "borderpad": 1,
                "name": "band",
            }
        )
    # When both are drawn, the earlier label extends left and the later one right.
    ordered = sorted(marks, key=lambda m: m[0])
    for k, (x, text, colour, dash) in enumerate(ordered):
        data.append(_marker_line(x, max(n, 1), text, colour, dash))
        if len(ordered) == 2:
            anchor = "right" if k == 0 else "left"
        else:
            anchor = "left" if x < x_min + 4 else "right" if x > x_max - 4 else "center"
        annotations.append(
            {
                "x": x,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "xanchor": anchor,
                "yshift": 8,
                "text": f"<b>{text}</b>",
                "showarrow": False,
                "font": {"color": colour},
                "name": text.split()[0].lower(),
            }
        )
    if n == 0:
        annotations.append(
            {
                "text": "No windows to show",
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "name": "empty",
            }
        )

    layout = {
        "xaxis": {
            "title": {"text": "Gestational age (weeks)"},
            "range": [x_min, x_max],
            "tickmode": "linear",
            "tick0": 0,
            "dtick": 4,
            "minor": {"dtick": 1, "showgrid": True},
            "showgrid": True,
            "zeroline": False,
        },
        "yaxis": {"range": [max(n, 1) - 0.5, -0.5], "showticklabels": False, "showgrid": False, "zeroline": False},
        "barmode": "overlay",
        "bargap": 0.3,
        "annotations": annotations,
    }

    descriptions = [f"{band.label} {_span(band, s, e)}" for band, s, e in rows]
    alt = f"{title} from {x_min:g} to {x_max:g} weeks showing {n} window{'s' if n != 1 else ''}"
    alt += ": " + "; ".join(descriptions) + "." if descriptions else "."
    if ga_days is not None:
        inside = [band.label for band, s, e in rows if s <= ga_days <= e]
        alt += f" Today the pregnancy is at {format_ga(ga_days)} ({days_to_weeks(ga_days):.1f} weeks)"
        alt += f", inside: {'; '.join(inside)}." if inside else ", outside every window shown."
    else:
        alt += " The gestational age is not known, so no marker for today is shown."
    if rupture_ga_days is not None:
        alt += f" The membranes ruptured at {format_ga(rupture_ga_days)}."
    height = 150 + 26 * n
    return finish(data, layout, title=title, alt=alt, height=height, top_annotations=True)
