"""Progress figures (Plotly graph_objects, Okabe-Ito colours, titles, axis units and a text alternative).

Pure: plain attempts in, ``go.Figure`` out; the text alternative is in ``fig.layout.meta["alt"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

import plotly.graph_objects as go

from figures import OKABE_ITO

from .scoring import MAX_SCORE
from .store import Attempt

__all__ = ["OKABE_ITO", "TopicAccuracy", "integer_dtick", "scores_by_attempt_figure", "scores_over_time_figure",
           "topic_accuracy", "topic_accuracy_figure"]

BLACK, BLUE, VERMILION = OKABE_ITO[0], OKABE_ITO[5], OKABE_ITO[6]


@dataclass(frozen=True, slots=True)
class TopicAccuracy:
    """Accuracy in one topic: options judged correctly over options judged, across the attempts."""

    topic: str
    attempts: int
    correct: int
    judged: int
    unsafe: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.judged if self.judged else 0.0


def topic_accuracy(attempts: Sequence[Attempt]) -> list[TopicAccuracy]:
    """Per topic (in order of first appearance sorted by name): attempts, correct and judged options, unsafe choices."""
    out: dict[str, list[int]] = {}
    for a in attempts:
        row = out.setdefault(a.topic, [0, 0, 0, 0])
        row[0] += 1
        row[1] += a.correct
        row[2] += a.options_judged
        row[3] += a.unsafe
    return [TopicAccuracy(topic, *values) for topic, values in sorted(out.items())]


def _layout(fig: go.Figure, title: str, alt: str, height: int) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 17, "color": BLACK}},
        font={"size": 14, "color": BLACK},
        height=height,
        margin={"l": 10, "r": 20, "t": 60, "b": 10},
        legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"},
        meta={"alt": alt},
    )
    return fig


#: Whole-number tick steps: 1, 2, 5, 10, 20, 50, ...
_NICE_STEPS = tuple(base * 10 ** power for power in range(0, 9) for base in (1, 2, 5))


def integer_dtick(largest: float, most_ticks: int = 10) -> int:
    """A whole-number tick step (1, 2, 5, 10, 20, 50, ...) giving at most ``most_ticks`` ticks up to ``largest``."""
    return next((step for step in _NICE_STEPS if largest / step <= most_ticks), _NICE_STEPS[-1])


def scores_by_attempt_figure(attempts: Sequence[Attempt]) -> go.Figure:
    """Score of each attempt (points out of 100) against the attempt number (1 = the first, by time);
    attempts with an unsafe choice marked with a cross. Whole-number ticks, no date axis."""
    ordered = sorted(attempts, key=lambda a: (a.created_at is None, a.created_at or 0))  # type: ignore[arg-type, return-value]
    x = list(range(1, len(ordered) + 1))
    y = [a.score for a in ordered]
    hover = [f"Attempt {n}: {a.case_id} ({a.topic}, {a.difficulty})<br>Score {a.score}/{MAX_SCORE}<br>"
             f"{a.missed} missed, {a.unsafe} unsafe, {a.unnecessary} unnecessary"
             + (f"<br>{a.created_at.astimezone(UTC):%d %b %Y %H:%M} UTC" if a.created_at else "")
             for n, a in zip(x, ordered, strict=True)]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name="Score",
                             line={"color": BLUE, "width": 2}, marker={"color": BLUE, "size": 9, "symbol": "circle"},
                             hovertext=hover, hoverinfo="text"))
    risky = [i for i, a in enumerate(ordered) if a.unsafe]
    fig.add_trace(go.Scatter(x=[x[i] for i in risky], y=[y[i] for i in risky], mode="markers",
                             name="Attempt with an unsafe choice",
                             marker={"color": VERMILION, "size": 14, "symbol": "x-thin-open", "line": {"width": 3,
                                                                                                      "color": VERMILION}},
                             hovertext=[hover[i] for i in risky], hoverinfo="text", visible=True if risky else "legendonly"))
    fig.update_xaxes(title_text="Attempt (1 = first)", tickmode="linear", tick0=1, dtick=integer_dtick(len(x)),
                     tickformat="d", range=[0.5, max(len(x), 1) + 0.5])
    fig.update_yaxes(title_text=f"Score (points out of {MAX_SCORE})", range=[0, MAX_SCORE + 5], dtick=20)
    if ordered:
        mean = sum(y) / len(y)
        alt = (f"Line chart of {len(ordered)} quiz score(s) by attempt number, on a scale of 0 to {MAX_SCORE} points: "
               f"first {y[0]}, latest {y[-1]}, mean {mean:.0f}, highest {max(y)}, lowest {min(y)}; "
               f"{len(risky)} attempt(s) included an unsafe choice (marked with a cross"
               + (f": attempt{'s' if len(risky) > 1 else ''} {', '.join(str(x[i]) for i in risky)}" if risky else "")
               + ").")
    else:
        alt = "Line chart of quiz scores by attempt: no attempts yet."
    return _layout(fig, f"Quiz scores by attempt ({len(ordered)} attempt{'s' if len(ordered) != 1 else ''})", alt, 380)


#: The former name (the chart is now by attempt number, not by date).
scores_over_time_figure = scores_by_attempt_figure


def topic_accuracy_figure(attempts: Sequence[Attempt]) -> go.Figure:
    """Horizontal bars: percentage of options judged correctly per topic, with the number of attempts."""
    rows = topic_accuracy(attempts)
    labels = [f"{r.topic} ({r.attempts} attempt{'s' if r.attempts != 1 else ''})" for r in rows]
    values = [round(r.percent, 1) for r in rows]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", name="Options judged correctly",
        marker={"color": BLUE, "line": {"color": BLACK, "width": 1}}, width=0.6,
        text=[f"{v:.0f}%" for v in values], textposition="outside", cliponaxis=False,
        customdata=[[r.correct, r.judged, r.unsafe] for r in rows],
        hovertemplate="%{y}<br>%{customdata[0]} of %{customdata[1]} options correct (%{x}%)<br>"
                      "%{customdata[2]} unsafe choice(s)<extra></extra>",
    ))
    fig.update_xaxes(title_text="Options judged correctly (%)", range=[0, 110], dtick=20)
    fig.update_yaxes(title_text="Topic", autorange="reversed")
    if rows:
        parts = "; ".join(f"{r.topic}: {r.percent:.0f}% of {r.judged} options over {r.attempts} attempt(s)" for r in rows)
        alt = f"Bar chart of accuracy per topic (percentage of options judged correctly): {parts}."
    else:
        alt = "Bar chart of accuracy per topic: no attempts yet."
    return _layout(fig, "Accuracy per topic", alt, max(260, 90 + 45 * len(rows)))
