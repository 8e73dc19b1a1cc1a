"""Shared look (Okabe-Ito palette, fonts, margins, legend) and the text alternative."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito colour-blind-safe palette.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILION, PURPLE)
LIGHT_GREY = "#C8C8C8"

FONT_SIZE = 14
SMALL_FONT_SIZE = 13
TITLE_FONT_SIZE = 17
# Pixels: the x axis (tick labels + title), one line of note text, one legend row.
X_AXIS_PX = 50
NOTE_LINE_PX = 19
LEGEND_ROW_PX = 21
# Assumed drawing width on a tablet in portrait, used to wrap text and count legend rows.
TABLET_WIDTH_PX = 680


def alt_text(fig: go.Figure) -> str:
    """Return the text alternative stored in ``fig.layout.meta["alt"]`` ("" if none)."""
    if isinstance(fig, SpecFigure):
        return fig.alt
    meta = fig.layout.meta
    if isinstance(meta, dict):
        return str(meta.get("alt", ""))
    return ""


def wrap(text: str, width: int) -> str:
    """Wrap ``text`` at ``width`` characters using ``<br>`` (Plotly's line break)."""
    return "<br>".join(textwrap.wrap(str(text), width=width)) or str(text)


def fmt_num(value: float) -> str:
    """Format a number compactly: 18.0 -> "18", 9.8 -> "9.8", 18.25 -> "18.25"."""
    value = float(value)
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{round(value, 2):g}"


def fmt_pct(value: float | None) -> str:
    """Format a percentage for a bar label: 26 -> "26%", None -> ""."""
    return "" if value is None else f"{fmt_num(value)}%"


def legend_rows(names: Sequence[str], width: int = TABLET_WIDTH_PX) -> int:
    """Estimate how many rows a horizontal legend with these entries takes on a tablet."""
    rows, used = 0, width
    for name in names:
        lines = str(name).split("<br>")
        item = 45 + 7 * max(len(line) for line in lines)
        if used + item > width:
            rows += 1
            used = 0
        used += item
        rows += len(lines) - 1
    return rows


# plotly_white, as registered (and validated) by Plotly; copied into each figure as a plain dict.
_TEMPLATE = pio.templates["plotly_white"]
TEMPLATE_JSON = _TEMPLATE.to_plotly_json()


def bar_trace(x: list, y: list, name: str, colour: str | list[str], pattern: str | list[str], *,
              font_size: int = 14) -> dict:
    """A bar trace dict: outlined bars with a fill pattern (not colour alone) and percentage labels outside."""
    return {
        "type": "bar",
        "x": x,
        "y": y,
        "name": name,
        "text": [fmt_pct(v) for v in y],
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": font_size, "color": BLACK},
        "marker": {"color": colour, "line": {"color": BLACK, "width": 1}, "pattern": {"shape": pattern}},
        "hovertemplate": "%{x}: %{y}%<extra>" + name + "</extra>",
    }


def make_figure(data: Sequence[dict], layout: dict) -> go.Figure:
    """Build a figure in one step from plain trace dicts (with ``"type"``) and a layout dict.

    Plotly's per-property validation (and its copy of the template) costs far more than
    drawing: each ``add_annotation``/``add_shape`` re-validates every earlier one and
    ``template="plotly_white"`` re-validates the whole template. The builders therefore
    collect everything first and construct the figure once, unvalidated (``_validate=False``,
    as Plotly itself loads its templates); the tests check that validating the result changes
    nothing (``go.Figure(fig.to_dict())`` is equal). Later edits to the returned figure are not
    validated either: callers treat the figures as read-only.
    """
    return go.Figure(data=list(data), layout={**layout, "template": _TEMPLATE}, _validate=False)


class Spec(dict):
    """A figure as plain Plotly JSON (``data`` and ``layout``), before any ``go.Figure`` is built."""

    def __init__(self, data: Sequence[dict], layout: dict):
        super().__init__(data=list(data), layout=layout)


class SpecFigure(go.Figure):
    """A ``go.Figure`` stand-in for display only: ``to_dict()`` hands back the ready spec.

    ``st.plotly_chart`` accepts any Plotly figure and only calls ``to_dict()`` on it; building and
    then serialising a real ``go.Figure`` costs several milliseconds per chart on every rerun. Use
    the real figure (``*_figure``) for anything else.
    """

    def __init__(self, spec: Spec):  # deliberately not calling go.Figure.__init__
        self._spec = {"data": spec["data"], "layout": {**spec["layout"], "template": TEMPLATE_JSON}}

    def to_dict(self) -> dict:
        return self._spec

    @property
    def alt(self) -> str:
        return str(self._spec["layout"].get("meta", {}).get("alt", ""))


def builder(spec_function: Callable[..., Spec]) -> Callable[..., go.Figure]:
    """Turn a spec function into the public figure builder; ``builder_fn.spec`` keeps the spec path."""

    @functools.wraps(spec_function)
    def build(*args: Any, **kwargs: Any) -> go.Figure:
        spec = spec_function(*args, **kwargs)
        return make_figure(spec["data"], spec["layout"])

    build.__annotations__ = {**spec_function.__annotations__, "return": go.Figure}
    build.spec = spec_function  # type: ignore[attr-defined]
    return build


def finish(
    data: Sequence[dict],
    layout: dict,
    *,
    title: str,
    alt: str,
    height: int,
    subtitle: str | None = None,
    legend_names: Sequence[str] = (),
    notes: Sequence[str] = (),
    x_axis: bool = True,
    x_tick_lines: int = 1,
    top_annotations: bool = False,
) -> Spec:
    """Add the common tablet-friendly layout, notes below the plot and the alt text (the figure's spec).

    ``layout`` holds the builder's own layout (axes, shapes, annotations...). The legend
    sits horizontally at the bottom of the figure; ``notes`` are written between the x axis
    and the legend. The bottom margin is sized in pixels for both.
    """
    note_lines = [line for note in notes for line in wrap(note, 95).split("<br>")]
    rows = legend_rows(legend_names)
    axis_px = X_AXIS_PX + 17 * (max(x_tick_lines, 1) - 1) if x_axis else 8
    bottom = axis_px + NOTE_LINE_PX * len(note_lines) + LEGEND_ROW_PX * rows + (8 if rows else 0)
    title_text = wrap(title, 70)
    title_lines = title_text.count("<br>") + 1
    subtitle_lines = subtitle.count("<br>") + 1 if subtitle else 0
    # Plotly lifts a title of several lines (anchored at its top) by a few pixels per extra line: pad it back down,
    # so the first line is never clipped at the top of the chart.
    pad_top = 12 + 5 * (title_lines + subtitle_lines - 1)
    top = pad_top + 22 * title_lines + 19 * subtitle_lines + (26 if top_annotations else 0)
    annotations = list(layout.get("annotations", ())) + [
        {
            "text": line,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "top",
            "yshift": -(axis_px + NOTE_LINE_PX * i),
            "showarrow": False,
            "align": "left",
            "font": {"size": SMALL_FONT_SIZE, "color": BLACK},
            "name": "note",
        }
        for i, line in enumerate(note_lines)
    ]
    title_spec: dict = {
        "text": title_text,
        "x": 0.01,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": pad_top},
        "font": {"size": TITLE_FONT_SIZE, "color": BLACK},
    }
    if subtitle:
        # Plotly's own subtitle overlaps the plot when the title wraps: use a smaller second line.
        title_spec["text"] += f"<br><span style='font-size:{SMALL_FONT_SIZE}px'>{subtitle}</span>"
    layout = {
        **layout,
        "title": title_spec,
        "font": {"size": FONT_SIZE, "color": BLACK},
        "height": int(min(420, max(300, height))),
        "margin": {"l": 10, "r": 10, "t": top, "b": bottom, "pad": 2},
        "showlegend": bool(rows),
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
            "font": {"size": SMALL_FONT_SIZE},
        },
        "hoverlabel": {"font": {"size": FONT_SIZE}},
        "meta": {"alt": alt},
    }
    if annotations:
        layout["annotations"] = annotations
    return Spec(data, layout)
