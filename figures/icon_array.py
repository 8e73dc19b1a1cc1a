"""Icon array ("about N in 100") for counselling."""

from __future__ import annotations

import math

from ._style import BLUE, LIGHT_GREY, Spec, builder, finish, fmt_num

__all__ = ["icon_array", "icon_count", "icon_headline"]

_COLUMNS = 10


def icon_count(percent: float, n: int = 100) -> int:
    """How many of ``n`` icons are filled for ``percent``: ``round(percent * n / 100)``."""
    return round(float(percent) if n == 100 else float(percent) * n / 100)


def icon_headline(percent: float, label: str, n: int = 100) -> str:
    """"About 71 in 100 babies survived …" (or "Fewer than 1 in 100 …"): the sentence an icon array shows."""
    filled = icon_count(percent, n)
    return f"Fewer than 1 in {n} {label}" if filled == 0 and percent > 0 else f"About {filled} in {n} {label}"


@builder
def icon_array(percent: float, label: str, n: int = 100, compact: bool = False) -> Spec:
    """A grid of ``n`` round figures (10 per row), ``round(percent)`` of 100 filled.

    Filled figures are solid blue circles; the others are open light-grey circles, so
    the difference is visible without colour. The title reads "About N in 100 <label>"
    and the legend says in words what a filled figure means. ``compact`` (patient mode, where
    the full sentence is page text above the chart, which wraps): the title is "About N in 100"
    and the legend "Filled: N of 100", so nothing is cut off in a narrow column.
    """
    percent = float(percent)
    if not math.isfinite(percent) or not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, got {percent}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    filled = icon_count(percent, n)
    rows = math.ceil(n / _COLUMNS)
    cells = [(k % _COLUMNS, rows - 1 - k // _COLUMNS) for k in range(n)]
    on, off = cells[:filled], cells[filled:]

    headline = icon_headline(percent, label, n)
    filled_name = f"Filled: {filled} of {n}" if compact else f"Filled: {label} ({filled} of {n})"
    other_name = f"Open grey: the other {n - filled}"

    if filled:
        subtitle = f"Each circle is one in {n}; the {filled} filled ones {label}."
    else:
        subtitle = f"Each circle is one in {n}; {fmt_num(percent)}% is less than half a circle, so none is filled."
    # Two traces (filled, open) of many markers each: one trace per icon would be 50x slower to build and send.
    data = [
        {
            "type": "scatter",
            "x": [c[0] for c in cells_],
            "y": [c[1] for c in cells_],
            "mode": "markers",
            "name": name,
            "marker": {"symbol": symbol, "size": 20, "color": colour, "line": {"width": 3, "color": colour}},
            "hoverinfo": "name",
        }
        for cells_, name, symbol, colour in (
            (on, filled_name, "circle", BLUE),
            (off, other_name, "circle-open", LIGHT_GREY),
        )
    ]
    layout = {
        "xaxis": {"visible": False, "range": [-0.6, _COLUMNS - 0.4], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-0.6, rows - 0.4], "scaleanchor": "x", "scaleratio": 1, "fixedrange": True},
    }
    alt = (
        f"Icon array of {n} figures: {filled} are filled and {n - filled} are open grey circles, "
        f"meaning {headline[0].lower() + headline[1:]} ({fmt_num(percent)}%)."
    )
    title = headline[: -len(label) - 1] if compact and headline.endswith(f" {label}") else headline
    if compact:
        subtitle = f"Each circle is one in {n}; {filled} are filled." if filled else f"Each circle is one in {n}."
    return finish(
        data,
        layout,
        title=title,
        alt=alt,
        height=340 if compact else 400,
        subtitle=subtitle,
        legend_names=[filled_name, other_name],
        x_axis=False,
    )
