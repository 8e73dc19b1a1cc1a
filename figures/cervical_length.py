"""Serial transvaginal cervical length against gestational age.

The reference lines are data: the caller passes them (``figures.inputs.length_thresholds`` reads them from the
profile's values in ``data/knowledge/profiles.yaml``), so this builder holds no threshold of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._style import BLACK, BLUE, GREEN, ORANGE, VERMILION, Spec, builder, finish, fmt_num
from .types import days_to_weeks, format_ga

__all__ = ["cervical_length_figure"]

_THRESHOLD_STYLES = ((GREEN, "dash"), (ORANGE, "dot"), (VERMILION, "dashdot"), (BLACK, "longdash"))
EMPTY_MESSAGE = "No cervical length measured yet"


def _merge(measurements: Sequence[tuple[int, float]], current: tuple[int, float] | None) -> list[tuple[int, float]]:
    points = [(int(ga), float(mm)) for ga, mm in measurements]
    if current is not None and int(current[0]) not in {ga for ga, _ in points}:
        points.append((int(current[0]), float(current[1])))
    for ga, mm in points:
        if ga < 0 or mm < 0:
            raise ValueError(f"invalid cervical length measurement: {mm} mm at {ga} days")
    return sorted(points, key=lambda p: p[0])


def _position(mm: float, thresholds: Sequence[tuple[float, str]]) -> str:
    above = [value for value, _ in thresholds if value > mm]
    if above:
        return f"below the {fmt_num(min(above))} mm line"
    return f"above the {fmt_num(max(v for v, _ in thresholds))} mm line" if thresholds else ""


def _annotation_dy(points: list[tuple[int, float]], y_max: float) -> int:
    """Pixel offset for the "Latest" label: away from the line that leads to the point."""
    latest = points[-1][1]
    rising = len(points) > 1 and points[-2][1] < latest
    if latest > 0.85 * y_max:
        return 40
    if rising or latest < 0.3 * y_max:
        return -40
    return 40


def _trend(points: list[tuple[int, float]]) -> str | None:
    if len(points) < 2:
        return None
    (ga0, mm0), (ga1, mm1) = points[0], points[-1]
    delta = mm1 - mm0
    if abs(delta) < 1e-9:
        return f"unchanged at {fmt_num(mm1)} mm since {format_ga(ga0)}"
    verb = "fell" if delta < 0 else "rose"
    change = f"{verb} by {fmt_num(abs(delta))} mm"
    return f"{change}, from {fmt_num(mm0)} mm at {format_ga(ga0)} to {fmt_num(mm1)} mm at {format_ga(ga1)}"


@builder
def cervical_length_figure(
    measurements: Sequence[tuple[int, float]],
    current: tuple[int, float] | None = None,
    *,
    thresholds: Sequence[tuple[float, str]],
) -> Spec:
    """Cervical length (mm) against GA (weeks), with threshold lines and the latest value.

    ``thresholds`` are ``(mm, label)`` reference lines, in their order (for the pages and the reports:
    :func:`figures.inputs.length_thresholds` of the case's profile).

    ``measurements`` and ``current`` are ``(ga_days, length_mm)``. ``current`` is added
    as a point unless a measurement already exists at that GA. Points are sorted by GA
    and joined by a line (the trend); the latest is a larger diamond with an annotation.
    """
    points = _merge(measurements, current)
    shapes: list[dict] = []
    annotations: list[dict] = []
    data: list[dict] = []
    for i, (value, label) in enumerate(thresholds):
        colour, dash = _THRESHOLD_STYLES[i % len(_THRESHOLD_STYLES)]
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": value,
                "y1": value,
                "line": {"color": colour, "width": 2, "dash": dash},
                "layer": "below",
                "name": label,
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "x": 0.995,
                "y": value,
                "yref": "y",
                "text": label,
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 13, "color": BLACK},
                "bgcolor": "rgba(255,255,255,0.7)",
                "name": "threshold",
            }
        )

    legend_names: list[str] = []
    if points:
        weeks = [days_to_weeks(ga) for ga, _ in points]
        data.append(
            {
                "type": "scatter",
                "x": weeks,
                "y": [mm for _, mm in points],
                "mode": "lines+markers",
                "name": "Cervical length",
                "line": {"color": BLUE, "width": 3},
                "marker": {"symbol": "circle", "size": 10, "color": BLUE},
                "customdata": [format_ga(ga) for ga, _ in points],
                "hovertemplate": "%{y} mm at %{customdata}<extra></extra>",
            }
        )
        latest_ga, latest_mm = points[-1]
        latest_text = f"Latest: {fmt_num(latest_mm)} mm at {format_ga(latest_ga)}"
        data.append(
            {
                "type": "scatter",
                "x": [days_to_weeks(latest_ga)],
                "y": [latest_mm],
                "mode": "markers",
                "name": latest_text,
                "marker": {"symbol": "diamond", "size": 18, "color": VERMILION, "line": {"color": BLACK, "width": 1.5}},
                "hovertemplate": f"{latest_text}<extra></extra>",
            }
        )
        y_max = max(50.0, max(mm for _, mm in points) + 5)
        annotations.append(
            {
                "x": days_to_weeks(latest_ga),
                "y": latest_mm,
                "text": f"<b>{latest_text}</b>",
                "showarrow": True,
                "arrowhead": 2,
                "ax": -60,
                "ay": _annotation_dy(points, y_max),
                "font": {"color": BLACK},
                "bgcolor": "rgba(255,255,255,0.85)",
                "name": "latest",
            }
        )
        x_lo = max(0.0, min(16.0, min(weeks)) - 1)
        x_hi = max(25.0, max(weeks) + 1)
        legend_names = ["Cervical length", latest_text]
    else:
        y_max = 50.0
        x_lo, x_hi = 15.0, 25.0
        annotations.append(
            {
                "text": EMPTY_MESSAGE,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 16},
                "name": "empty",
            }
        )

    layout: dict = {
        "xaxis": {"title": {"text": "Gestational age (weeks)"}, "range": [x_lo, x_hi], "dtick": 1, "zeroline": False},
        "yaxis": {"title": {"text": "Cervical length (mm)"}, "range": [0, y_max], "dtick": 10, "zeroline": False},
        "annotations": annotations,
    }
    if shapes:
        layout["shapes"] = shapes

    trend = _trend(points)
    lines = ", ".join(f"{fmt_num(mm)} mm at {format_ga(ga)}" for ga, mm in points)
    if points:
        latest_ga, latest_mm = points[-1]
        alt = (
            f"Cervical length chart with {len(points)} measurement{'s' if len(points) != 1 else ''}: {lines}. "
            f"The latest is {fmt_num(latest_mm)} mm at {format_ga(latest_ga)}"
        )
        position = _position(latest_mm, thresholds)
        alt += f", {position}." if position else "."
        if trend:
            alt += f" The length {trend}."
    else:
        alt = "Cervical length chart: no cervical length has been measured yet."
    if thresholds:
        alt += " Reference lines at " + ", ".join(f"{fmt_num(v)} mm" for v, _ in thresholds) + "."
    subtitle = f"Change: {trend}" if trend else None
    return finish(
        data,
        layout,
        title="Cervical length by gestational age",
        alt=alt,
        height=380,
        subtitle=subtitle,
        legend_names=legend_names,
    )
