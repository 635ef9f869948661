"""Figures of the gallery and the single-neuron tab with their teaching overlays.

The gallery can overlay the activation's derivative A'(x). The neuron tab can overlay the
derivative of its output, d/dx A(x·w + b) = w·A'(x·w + b), mark the step point x = -b/w where the
sum x·w + b crosses zero, and shade the flat regions, where the activation's own slope
|A'(z)| at z = x·w + b is below 1 % of its largest value on the plotted range (a saturated
sigmoid or tanh, the dead side of a ReLU).

The base figures come from :mod:`dashboard.figures` (same look, same wire format); this module
adds traces and ``layout.shapes`` to them. Everything that moves with a slider is a trace's y or
a shape, so a Patch of exactly those reproduces the whole figure.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from dash import Patch

from dashboard import figures
from dashboard.figures import PALETTE, Figure, encode
from dashboard.i18n import t
from dashboard.model import Activation
from dashboard.model.activations import Array
from dashboard.numbers import fmt
from dashboard.sections import GALLERY_GRID, NEURON_GRID

DERIVATIVE = "derivative"
"""Overlay of the derivative (gallery: A'(x); neuron: dA/dx)."""
MARKS = "marks"
"""Overlay of the step point and the flat regions (neuron only)."""
GALLERY_OVERLAYS: tuple[str, ...] = (DERIVATIVE,)
NEURON_OVERLAYS: tuple[str, ...] = (DERIVATIVE, MARKS)

DERIVATIVE_UID = "derivative"
DERIVATIVE_COLOR = PALETTE[3]
FLAT_SHARE = 0.01
"""A region is flat where |A'(z)| < FLAT_SHARE times its maximum over the plotted range."""
FLAT_FILL = "rgba(91, 100, 117, 0.14)"
FLAT_GROUP = "flat"
LABEL_MIN_SHARE = 0.15
"""A flat region wider than this share of the x range carries its own slope label."""
STEP_COLOR = "#1d2330"


def round_up(value: float, digits: int = 2) -> float:
    """``value`` >= 0 rounded up to ``digits`` significant digits, so "≤" stays true."""
    if value <= 0:
        return 0.0
    unit = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return math.ceil(value / unit - 1e-9) * unit


def with_params(activation: Activation, params: Mapping[str, float] | None) -> Activation:
    """The activation with ``params`` as its parameters (the rest keep their defaults)."""
    if not params:
        return activation
    merged = MappingProxyType({**activation.params, **params})
    return dataclasses.replace(activation, params=merged, param_ranges=())


def chosen_overlays(value: object, allowed: Iterable[str]) -> tuple[str, ...]:
    """The overlays a checklist value asks for, in a fixed order; anything else is ignored."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(o for o in allowed if o in value)


def _derivative_trace(x: Array, y: Array, name: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": encode(x, "f8"),
        "y": encode(y),
        "name": name,
        "uid": DERIVATIVE_UID,
        "line": {"color": DERIVATIVE_COLOR, "width": 2, "dash": "dash"},
    }


# --- gallery --------------------------------------------------------------------------------


def gallery_figure(
    activation: Activation,
    lang: str,
    params: Mapping[str, float] | None = None,
    derivative: bool = False,
) -> Figure:
    """The activation on the gallery's grid, and its derivative A'(x) (dashed) if asked."""
    act = with_params(activation, params)
    fig = figures.gallery_figure(act, lang)
    if derivative:
        x = GALLERY_GRID.points()
        fig["data"].append(_derivative_trace(x, act.grad(x), t(lang, "single.trace.derivative")))
    return fig


# --- single neuron --------------------------------------------------------------------------


def step_point(w: float, b: float) -> float | None:
    """Where x·w + b = 0, i.e. x = -b/w, when w is not 0 and the point lies on the plotted range."""
    if w == 0:
        return None
    x = -b / w
    return x if NEURON_GRID.lo <= x <= NEURON_GRID.hi else None


@dataclass(frozen=True)
class FlatRegion:
    """An interval of x where the activation is flat, and its largest slope |A'(z)| there."""

    x0: float
    x1: float
    slope: float


def _regions(x: Array, slope: Array) -> list[FlatRegion]:
    peak = float(slope.max())
    flat = slope < FLAT_SHARE * peak if peak > 0 else np.ones(x.shape, dtype=bool)
    if not flat.any():
        return []
    n = x.size
    starts = np.concatenate(([0], np.flatnonzero(flat[1:] != flat[:-1]) + 1))  # of every run
    ends = np.concatenate((starts[1:] - 1, [n - 1]))
    steepest = np.maximum.reduceat(slope, starts)
    keep = flat[starts]
    starts, ends, steepest = starts[keep], ends[keep], steepest[keep]
    x0 = np.where(starts == 0, x[0], 0.5 * (x[np.maximum(starts - 1, 0)] + x[starts]))
    x1 = np.where(ends == n - 1, x[-1], 0.5 * (x[ends] + x[np.minimum(ends + 1, n - 1)]))
    return [
        FlatRegion(a, b, s)
        for a, b, s in zip(x0.tolist(), x1.tolist(), steepest.tolist(), strict=True)
    ]


def _slope_text(slope: float, lang: str) -> str:
    if slope == 0:
        return t(lang, "single.flat.zero")
    return t(lang, "single.flat.at_most", slope=fmt(round_up(slope), lang, 2))


def _shapes(regions: list[FlatRegion], w: float, b: float, lang: str) -> list[dict[str, Any]]:
    """The flat regions (shaded, one legend entry) and the step point (a dotted line)."""
    shapes: list[dict[str, Any]] = []
    if regions:
        steepest = max(r.slope for r in regions)
        legend = t(lang, "single.flat.legend", slope=_slope_text(steepest, lang))
        span = NEURON_GRID.hi - NEURON_GRID.lo
        for k, region in enumerate(regions):
            shape: dict[str, Any] = {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": region.x0,
                "x1": region.x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": FLAT_FILL,
                "line": {"width": 0},
                "layer": "below",
                "name": legend,
                "legendgroup": FLAT_GROUP,
                "showlegend": k == 0,
            }
            if region.x1 - region.x0 >= LABEL_MIN_SHARE * span:
                shape["label"] = {
                    "text": _slope_text(region.slope, lang),
                    "textposition": "top center",
                    "font": {"size": 11, "color": "#5b6475"},
                }
            shapes.append(shape)
    x_step = step_point(w, b)
    if x_step is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x_step,
                "x1": x_step,
                "y0": 0,
                "y1": 1,
                "line": {"color": STEP_COLOR, "width": 2, "dash": "dot"},
                "layer": "above",
                "name": t(lang, "single.step.legend"),
                "showlegend": True,
                "label": {
                    "text": t(lang, "single.step.label", x=fmt(x_step, lang, 3)),
                    "textposition": "end",
                    "textangle": 0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "padding": 6,
                    "font": {"size": 12, "color": STEP_COLOR},
                },
            }
        )
    return shapes


def _overlay_arrays(
    act: Activation, w: float, b: float, overlays: set[str]
) -> tuple[Array | None, list[FlatRegion] | None]:
    """dA/dx and the flat regions, from one evaluation of A' (only what the overlays need)."""
    if not overlays & {DERIVATIVE, MARKS}:
        return None, None
    x = NEURON_GRID.points()
    slope = act.grad(x * w + b)
    derivative = w * slope if DERIVATIVE in overlays else None
    regions = _regions(x, np.abs(slope)) if MARKS in overlays else None
    return derivative, regions


def neuron_figure(
    activation: Activation,
    w: float,
    b: float,
    lang: str,
    params: Mapping[str, float] | None = None,
    overlays: Iterable[str] = (),
) -> Figure:
    """One neuron, A(x·w + b), with the chosen overlays."""
    act = with_params(activation, params)
    fig = figures.neuron_figure(act, w, b, lang)
    derivative, regions = _overlay_arrays(act, w, b, set(overlays))
    if derivative is not None:
        name = t(lang, "single.trace.neuron_derivative")
        fig["data"].append(_derivative_trace(NEURON_GRID.points(), derivative, name))
    if regions is not None:
        fig["layout"]["shapes"] = _shapes(regions, w, b, lang)
    return fig


def neuron_patch(
    activation: Activation,
    w: float,
    b: float,
    lang: str,
    params: Mapping[str, float] | None = None,
    overlays: Iterable[str] = (),
) -> Patch:
    """What a move of w, b or an activation parameter changes: the y values and the shapes."""
    act = with_params(activation, params)
    patch = figures.neuron_patch(act, w, b)
    derivative, regions = _overlay_arrays(act, w, b, set(overlays))
    if derivative is not None:
        patch["data"][1]["y"] = encode(derivative)
    if regions is not None:
        patch["layout"]["shapes"] = _shapes(regions, w, b, lang)
    return patch
