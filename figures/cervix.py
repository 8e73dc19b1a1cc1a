"""Schematic cervix for counselling, drawn from the case (units: millimetres, os at y = 0)."""

from __future__ import annotations

import math

from ._style import BLACK, BLUE, TABLET_WIDTH_PX, Spec, builder, finish, fmt_num

__all__ = ["cervix_diagram", "cervix_known", "normal_length_mm"]

_FUNNEL_DEPTH = 12.0
_WALL = 5.0
_TISSUE_LINE = "#8E4B73"  # darker shade of Okabe-Ito reddish purple (#CC79A7)
_TISSUE_FILL = "rgba(204,121,167,0.55)"
_SAC_FILL = "rgba(86,180,233,0.6)"  # Okabe-Ito sky blue
_VAGINA_LINE = "#555555"
_UNKNOWN_LINE = "#555555"
_HATCH = {"shape": "/", "fgcolor": "#555555", "bgcolor": "rgba(255,255,255,0.9)", "size": 8, "solidity": 0.25}
_DRAWING_WIDTH_PX = TABLET_WIDTH_PX - 20


def _ease(x: float) -> float:
    return math.sin(math.pi / 2 * min(max(x, 0.0), 1.0))


def _mirror(left: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Close a symmetric outline given its left half from top to bottom."""
    right = [(-x, y) for x, y in reversed(left)]
    pts = left + right
    return [p[0] for p in pts], [p[1] for p in pts]


def _polygon(
    xs: list[float],
    ys: list[float],
    name: str,
    fill: str,
    line: str,
    width: float = 2,
    dash: str = "solid",
    shape: str = "linear",
) -> dict:
    trace = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "fill": "toself" if fill else "none",
        "line": {"color": line, "width": width, "dash": dash, "shape": shape},
        "name": name,
        "hoverinfo": "name",
        "showlegend": False,
    }
    if fill:
        trace["fillcolor"] = fill
    return trace


def cervix_known(length_mm: float | None, dilation_cm: float | None, funneling: bool = False,
                 membranes_at_or_beyond_os: bool = False, membranes_prolapsed: bool = False) -> bool:
    """Whether anything about the cervix is known (a length, an examination or a membrane finding at the os).
    When nothing is, no drawing is shown: a drawn cervix would claim findings nobody made."""
    return (length_mm is not None or dilation_cm is not None or funneling or membranes_at_or_beyond_os
            or membranes_prolapsed)


def normal_length_mm(profile: str = "acog") -> float:
    """The normal cervical length the drawing marks: the knowledge base's ``normal_cervix_length_mm``
    (clinical-spec.md section 2: "more than 30 mm", SEED), the value the plain findings speak of."""
    from decision.kb import knowledge  # the figures take clinical values from data, never a literal

    return knowledge().profiles[profile].value("normal_cervix_length_mm").number


@builder
def cervix_diagram(
    length_mm: float | None,
    dilation_cm: float | None,
    funneling: bool,
    membranes_at_or_beyond_os: bool,
    membranes_prolapsed: bool,
    ruptured: bool = False,
    normal_mm: float | None = None,
) -> Spec:
    """A labelled drawing of the lower uterus, cervix and vagina for showing to the patient: what was found.

    The closed cervical canal is drawn ``length_mm`` long (external os at y = 0, internal
    os at y = length), next to a dashed outline at the normal length (``normal_mm``; None: the knowledge
    base's, :func:`normal_length_mm`), labelled "over" it, as the findings say "more than". Funneling opens
    the internal os into a V; the external os opens in proportion to ``dilation_cm``;
    the amniotic sac reaches the os or bulges into the vagina when those flags are set.
    What is not known is drawn as unknown (hatched): a length not measured hatches the cervix
    (drawn at the normal length), a dilation not examined (``None``) hatches the opening.
    ``ruptured``: the membranes are drawn broken (a dashed outline with a gap, no fluid).
    """
    if length_mm is not None and (not math.isfinite(length_mm) or length_mm < 0):
        raise ValueError(f"cervical length must be 0 mm or more, got {length_mm}")
    examined = dilation_cm is not None
    if examined and (not math.isfinite(dilation_cm) or dilation_cm < 0):  # type: ignore[arg-type]
        raise ValueError(f"dilation must be 0 cm or more, got {dilation_cm}")
    dilation_cm = float(dilation_cm) if examined else 0.0  # type: ignore[arg-type]
    normal = float(normal_mm) if normal_mm is not None else normal_length_mm()
    measured = length_mm is not None
    length = float(length_mm) if measured else normal
    canal_len = max(length, 1.0)
    reaches_os = membranes_at_or_beyond_os or membranes_prolapsed

    # Half-widths (mm): external os (hb), internal os (ht), cervix (w0), funnel top (wf).
    hb = max(dilation_cm * 10 / 2, 0.8)
    if reaches_os:
        hb = max(hb, 3.0)
    w0 = max(15.0, hb + 8)
    if reaches_os:
        ht = max(hb, 3.0)
    elif funneling:
        ht = 1.0
    else:
        ht = 0.8
    wf = w0 - _WALL
    top_cervix = canal_len + (_FUNNEL_DEPTH if funneling else 0.0)
    y_top = max(top_cervix, normal + _FUNNEL_DEPTH) + 55
    y_bottom = -42.0
    u = max(55.0, w0 + 28)  # uterus half-width
    c0 = wf if funneling else ht  # cavity half-width at the internal os
    h_max = y_top + 5 - top_cervix
    hs = [h_max * i / 40 for i in range(41)]

    def outer(h: float) -> float:
        return w0 + (u - w0) * _ease(h / 38)

    def cavity(h: float) -> float:
        return c0 + (u - 9 - c0) * _ease(h / 30)

    data: list[dict] = []

    # Cervix: a rounded block from the external os up to the top of the funnel.
    r = 4.0
    corner = [(-w0 + r - r * math.cos(a), r - r * math.sin(a)) for a in (0, math.pi / 6, math.pi / 3, math.pi / 2)]
    left = [(-w0, top_cervix), *corner]
    xs, ys = _mirror(left)
    cervix = _polygon(xs, ys, "Cervix" if measured else "Cervix (length not measured: hatched)", _TISSUE_FILL,
                      _TISSUE_LINE)
    if not measured:
        cervix["fillpattern"] = dict(_HATCH)
    data.append(cervix)

    # Lower uterus: two walls flaring from the cervix, cut off at the top of the frame.
    for side in (-1, 1):
        wall = [(side * outer(h), top_cervix + h) for h in hs] + [(side * cavity(h), top_cervix + h) for h in reversed(hs)]
        data.append(_polygon([p[0] for p in wall], [p[1] for p in wall], "Uterus", _TISSUE_FILL, _TISSUE_LINE))

    # Cervical canal (closed part) and, with funneling, the V-shaped open upper part.
    data.append(
        _polygon([-hb, -ht, ht, hb, -hb], [0, canal_len, canal_len, 0, 0], "Cervical canal", "#FFFFFF", _TISSUE_LINE, 1.5)
    )
    if funneling:
        data.append(
            _polygon(
                [-ht, -wf, wf, ht, -ht],
                [canal_len, top_cervix, top_cervix, canal_len, canal_len],
                "Funnel",
                "#FFFFFF",
                _TISSUE_LINE,
                1.5,
            )
        )

    # Amniotic sac: fills the cavity, then the funnel, canal and vagina as the flags say.
    def inset(w: float) -> float:
        return w - min(2.0, 0.25 * w)

    # Left half, top to bottom, ending on the centre line at the lowest point.
    sac = [(-inset(cavity(h)), top_cervix + h) for h in reversed(hs) if h >= 6]
    if not funneling and not reaches_os:
        a = inset(cavity(6))
        sac += [(-a * (1 - t / 6), top_cervix + 2 + 4 * (1 - t / 6) ** 2) for t in range(1, 6)]
        sac_bottom = top_cervix + 2
    else:
        sac += [(-inset(cavity(h)), top_cervix + h) for h in reversed(hs) if h < 6]
        if funneling:
            sac.append((-inset(wf), top_cervix))
        if reaches_os:
            sac += [(-inset(ht), canal_len), (-inset(hb), 0.0)]
            sac_bottom = 0.0
        else:
            sac.append((-(ht + 1.5), canal_len + 2))
            sac_bottom = canal_len + 1
        if membranes_prolapsed:
            bulb, depth = max(hb + 5, 9.0), 14 + min(dilation_cm * 10, 40) * 0.3
            sac += [(-bulb * 0.85, -depth * 0.25), (-bulb, -depth * 0.55), (-bulb * 0.7, -depth * 0.88)]
            sac_bottom = -depth
    sac.append((0.0, sac_bottom))
    sac_pts = sac + [(-x, y) for x, y in reversed(sac[:-1])]
    if ruptured:
        # Broken membranes: a dashed outline open at the bottom (a gap where they tore) and no fluid.
        left_half = sac[:-1]
        right_half = [(-x, y) for x, y in reversed(left_half)]
        trace = _polygon([p[0] for p in left_half] + [None] + [p[0] for p in right_half],
                         [p[1] for p in left_half] + [None] + [p[1] for p in right_half],
                         "Membranes ruptured (waters broken)", "", BLUE, 2, "dash", shape="spline")
        data.append(trace)
    else:
        data.append(
            _polygon([p[0] for p in sac_pts], [p[1] for p in sac_pts], "Amniotic sac (membranes)", _SAC_FILL, BLUE, 2,
                     shape="spline")
        )
    if not examined:
        # The opening was not examined: the lower part of the cervix, around the external os, hatched.
        box_top = min(10.0, canal_len * 0.4)
        data.append({
            "type": "scatter", "x": [-w0, w0, w0, -w0, -w0], "y": [0, 0, box_top, box_top, 0], "mode": "lines",
            "fill": "toself", "fillcolor": "rgba(255,255,255,0.9)", "fillpattern": dict(_HATCH),
            "line": {"color": _UNKNOWN_LINE, "width": 1.5, "dash": "dot"}, "name": "Opening not examined (hatched)",
            "hoverinfo": "name", "showlegend": False,
        })

    # Vagina: two walls attached to the sides of the cervix.
    attach = min(10.0, canal_len * 0.4)
    vag_left = [(-w0, attach), (-(w0 + 7), attach - 3), (-(w0 + 10), -6), (-(w0 + 9), y_bottom - 5)]
    data.append(
        {
            "type": "scatter",
            "x": [p[0] for p in vag_left] + [None] + [-p[0] for p in vag_left],
            "y": [p[1] for p in vag_left] + [None] + [p[1] for p in vag_left],
            "mode": "lines",
            "line": {"color": _VAGINA_LINE, "width": 3, "shape": "spline"},
            "name": "Vagina",
            "hoverinfo": "name",
            "showlegend": False,
        }
    )

    # Reference: dashed outline of a cervix at the normal length (a normal cervix is longer than this).
    ref_left = [(-w0, normal), *corner]
    xs, ys = _mirror(ref_left)
    data.append(_polygon([*xs, xs[0]], [*ys, ys[0]], f"Normal cervix: over {fmt_num(normal)} mm (reference)", "",
                         BLACK, 1.5, "dash"))

    # Labels: text in two columns outside the drawing, arrows to the parts.
    length_text = f"Cervix {fmt_num(length)} mm" if measured else "Length not measured"
    if not examined:
        opening_text = "Opening not examined"
    else:
        opening_text = f"Opening {fmt_num(dilation_cm)} cm" if dilation_cm > 0 else "Opening closed"
    if ruptured:
        sac_text = "Waters broken"
    elif membranes_prolapsed:
        sac_text = "Membranes in the vagina"
    elif membranes_at_or_beyond_os:
        sac_text = "Membranes at the os"
    elif funneling:
        sac_text = "Membranes in the funnel"
    else:
        sac_text = "Amniotic sac (membranes)"
    sac_target_y = sac_bottom + 3 if sac_bottom < top_cervix else top_cervix + 30
    right_labels = [(length_text, (w0, canal_len / 2)), (opening_text, (hb, 0.0))]
    if funneling:
        right_labels.append(("Funnel: inner opening open", ((wf + ht) / 2, canal_len + _FUNNEL_DEPTH / 2)))
    left_labels = [
        ("Uterus", (-outer(45), top_cervix + 45)),
        (f"Normal: over {fmt_num(normal)} mm (dashed)", (-w0, normal)),
        (sac_text, (0.0, sac_target_y)),
        ("Vagina", (-(w0 + 10), -22.0)),
    ]
    # Wide enough for the label columns on a tablet: the drawing shrinks rather than the text.
    label_px = 7.2 * max(len(text) for text, _ in right_labels + left_labels) + 16
    x_half = max(u + 70, (u + 6) / (1 - 2 * label_px / _DRAWING_WIDTH_PX))
    # Pixels per mm on a tablet (the tighter of width and height), to keep labels ~22 px apart.
    px_per_mm = min(_DRAWING_WIDTH_PX / (2 * x_half), (420 - 60) / (y_top - y_bottom))
    gap = max(11.0, 22 / px_per_mm)
    annotations: list[dict] = []
    for labels, column, anchor in ((right_labels, u + 6, "left"), (left_labels, -(u + 6), "right")):
        placed: list[float] = []
        for text, (tx, ty) in sorted(labels, key=lambda item: item[1][1]):
            label_y = ty if not placed else max(ty, placed[-1] + gap)
            placed.append(label_y)
            annotations.append(
                {
                    "x": tx,
                    "y": ty,
                    "ax": column,
                    "ay": label_y,
                    "axref": "x",
                    "ayref": "y",
                    "text": text,
                    "showarrow": True,
                    "arrowhead": 0,
                    "arrowwidth": 1.2,
                    "xanchor": anchor,
                    "font": {"size": 14, "color": BLACK},
                    "bgcolor": "rgba(255,255,255,0.85)",
                    "name": "label",
                }
            )
    layout = {
        "xaxis": {"visible": False, "range": [-x_half, x_half], "fixedrange": True, "constrain": "domain"},
        "yaxis": {
            "visible": False,
            "range": [y_bottom, y_top],
            "scaleanchor": "x",
            "scaleratio": 1,
            "fixedrange": True,
            "constrain": "domain",
        },
        "annotations": annotations,
    }

    parts = [
        f"the closed part of the cervix is {fmt_num(length)} mm long"
        if measured
        else "the cervical length was not measured, so the cervix is drawn hatched at a normal length",
        "a normal cervix is about 35 mm long (shown dashed)",
    ]
    parts.append("the inner opening (internal os) is open in a V-shaped funnel" if funneling else "there is no funnel")
    if not examined:
        parts.append("the outer opening was not examined (drawn hatched)")
    else:
        parts.append(f"the outer opening is {fmt_num(dilation_cm)} cm open" if dilation_cm > 0
                     else "the outer opening is closed")
    if ruptured:
        parts.append("the membranes have ruptured (the waters have broken; drawn as a broken dashed outline)")
    elif membranes_prolapsed:
        parts.append("the membranes bulge through the opening into the vagina")
    elif membranes_at_or_beyond_os:
        parts.append("the membranes reach the opening (os)")
    else:
        parts.append("the membranes are inside the uterus")
    alt = "Schematic drawing of the lower uterus, cervix and vagina: " + "; ".join(parts) + "."
    return finish(data, layout, title="The cervix today (schematic drawing)", alt=alt, height=420, x_axis=False)
