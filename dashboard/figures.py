"""Plotly figures from model output, as plain JSON-ready dicts, and Patch updates of them.

No callbacks here: views call these functions. Figures are dicts rather than ``go.Figure`` so a
slider move pays for no validation: the shapes below are fixed and tested against what the
browser draws.

Arrays travel as Plotly typed arrays (``{"dtype", "bdata"}``, base64): x once per trace in float64
in a full figure and never again; y in float32, which is far finer than a pixel and halves the
bytes of every update.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pybase64
from dash import Patch

from dashboard.i18n import activation_name, t
from dashboard.model import Activation, Forward
from dashboard.model.activations import Array
from dashboard.model.network import Dense, Network
from dashboard.problem import Problem
from dashboard.sections import GALLERY_GRID, NEURON_GRID, ApproxSpec

OUTPUT_UID = "output"
TARGET_UID = "target"
OUTPUT_COLOR = "#d62728"
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
Y_DTYPE = "f4"
Figure = dict[str, Any]


_DTYPES = {name: np.dtype(f"<{name}") for name in ("f4", "f8")}


def encode(values: Array, dtype: str = Y_DTYPE) -> dict[str, str]:
    """A Plotly typed array: little-endian ``dtype`` ('f4' or 'f8') values in base64.

    pybase64's SIMD encoder takes a tenth of the standard library's time for a trace's 4 KB;
    the tests decode with the standard library.
    """
    raw = np.asarray(values).astype(_DTYPES[dtype], copy=False).tobytes()
    return {"dtype": dtype, "bdata": pybase64.b64encode_as_string(raw)}


def decode(spec: Mapping[str, str] | Iterable[float]) -> Array:
    """The inverse of :func:`encode` (plain lists pass through), for tests and benchmarks."""
    if isinstance(spec, Mapping):
        raw = base64.b64decode(spec["bdata"])
        return np.frombuffer(raw, dtype=f"<{spec['dtype']}").astype(float)
    return np.asarray(list(spec), dtype=float)


def _layout(
    title: str, lang: str, y_range: tuple[float, float] | None, x_key: str = "axis.x"
) -> dict[str, Any]:
    # Both axes are numbers: saying so spares plotly.js guessing the type (it scans the data
    # for dates and categories) on every redraw. Tick labels may overflow ("allow"): the margins
    # hold them, and checking each label against the plot's box after every redraw took
    # plotly.js about 5 ms of a 40 ms redraw on the 2-core machine (in-page trials).
    axis = {
        "type": "linear",
        "ticklabeloverflow": "allow",
        "showgrid": True,
        "gridcolor": "#e5e8ee",
        "zeroline": True,
        "zerolinecolor": "#b8bfcc",
    }
    yaxis: dict[str, Any] = {**axis, "title": {"text": t(lang, "axis.y")}}
    if y_range is not None:
        yaxis.update(range=list(y_range), autorange=False)
    # A step's Patch moves y values only: with a transition (of no duration) Plotly.react
    # redraws the traces alone, not the legend and ticks, in about half the time, and emits
    # "plotly_transitioned", not "plotly_afterplot". Not with autorange: the transition fixes
    # the range it moves the axis to (plotly.js relayouts it), and the axis stops following.
    transition = {"transition": {"duration": 0}} if y_range is not None else {}
    return {
        "title": title_layout(title),
        # The x axis's tick labels and title push the bottom margin, the legend goes under them.
        "xaxis": {**axis, "automargin": True, "title": {"text": t(lang, x_key)}},
        "yaxis": yaxis,
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "margin": {"l": 50, "r": 10, "t": 10, "b": 10},
        "legend": dict(LEGEND),
        "showlegend": True,
        "uirevision": "keep",
        **transition,
    }


MODEBAR_HEIGHT = 32
"""Pixels at the top of a plot that plotly.js's mode bar (its toolbar) covers when shown."""
LEGEND = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "x": 0,
    "xanchor": "left",
    "font": {"size": 11},
}
"""The legend at the bottom of the figure, under the x-axis title (11 px: the longest entry,
the one-neuron tab's flat regions in Russian, fits a phone's width).

Placed against the figure's edge ("container"), plotly.js adds its height to the bottom margin
that the axes already take (``automargin``), so the axis title stays above it at any size. Placed
against the plot area (``y`` < 0 in "paper" units) the gap was a share of the plot's height,
and on a phone, where the legend's rows take most of that height, it lay over the title.
"""


TITLE_SIZE = 15
TITLE_CHARS = 44
"""The longest title drawn at TITLE_SIZE px: about 320 px wide, inside a phone's plot (372 px);
a longer one is drawn smaller, down to 10 px, as plotly.js does not wrap titles."""


def title_layout(text: str) -> dict[str, Any]:
    """A figure title under the mode bar, which appears over the figure's top right corner."""
    size = max(10, min(TITLE_SIZE, TITLE_SIZE * TITLE_CHARS // max(len(text), 1)))
    return {
        "text": text,
        "x": 0.5,
        "xanchor": "center",
        "yref": "container",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": MODEBAR_HEIGHT},
        "automargin": True,
        "font": {"size": size},
    }


def _line(x: Array, y: Array, name: str, uid: str, **line: Any) -> dict[str, Any]:
    trace = {"type": "scatter", "mode": "lines", "x": encode(x, "f8"), "y": encode(y)}
    trace.update(name=name, uid=uid)
    if line:
        trace["line"] = line
    return trace


def gallery_figure(activation: Activation, lang: str) -> Figure:
    """The activation A(z) on the gallery's grid: its argument is the neuron's sum z, not x."""
    x = GALLERY_GRID.points()
    name = activation_name(lang, activation.key)
    return {
        "data": [_line(x, activation(x), name, OUTPUT_UID, color=PALETTE[0], width=3)],
        "layout": _layout(t(lang, "title.gallery", name=name), lang, None, "axis.z"),
    }


def neuron_network(activation: Activation, w: float, b: float) -> Network:
    """The single-neuron tab's model: a network of one hidden unit, A(x·w + b), passed on to
    the output with weight 1 and bias 0."""
    return Network((Dense([[w]], [b]), Dense([[1.0]], [0.0])), activation)


def neuron_output(activation: Activation, w: float, b: float) -> tuple[Array, Array]:
    """x and A(x·w + b) on the single-neuron grid: the hidden unit of :func:`neuron_network`,
    by the forward pass every approximation tab draws with."""
    x = NEURON_GRID.points()
    return x, neuron_network(activation, w, b).forward(x).hidden[0][:, 0]


def neuron_figure(activation: Activation, w: float, b: float, lang: str) -> Figure:
    """One neuron, A(x·w + b)."""
    x, y = neuron_output(activation, w, b)
    name = activation_name(lang, activation.key)
    return {
        "data": [_line(x, y, name, OUTPUT_UID, color=PALETTE[0], width=3)],
        "layout": _layout(t(lang, "title.neuron", name=name), lang, None),
    }


def neuron_patch(activation: Activation, w: float, b: float) -> Patch:
    """Only the neuron's new y values."""
    patch = Patch()
    patch["data"][0]["y"] = encode(neuron_output(activation, w, b)[1])
    return patch


# --- approximation tabs -------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One trace of an approximation figure: what it draws and which parameters move it."""

    kind: str  # "hidden", "contribution", "output" or "target"
    layer: int  # hidden layer (0-based) for "hidden"; unused otherwise
    unit: int  # unit within the layer for "hidden" and "contribution"
    params: frozenset[str]  # the parameters whose change redraws this trace

    def values(self, fwd: Forward, target: Array, inside: Array | None = None) -> Array:
        """This trace's y values, given the forward pass and the target's values.

        ``inside`` marks the fitted interval on a plot that reaches beyond it: the output is
        drawn solid inside and, as the "beyond" trace, dotted outside (NaN leaves a gap).
        """
        if self.kind == "output" and inside is not None:
            return np.where(inside, fwd.output, np.nan)
        if self.kind == "beyond":
            return np.where(inside, np.nan, fwd.output)
        if self.kind == "bias":
            return np.full_like(fwd.output, fwd.output_bias)
        if self.kind == "part":
            return fwd.contributions[:, self.unit]
        if self.kind == "hidden":
            return fwd.hidden[self.layer][:, self.unit]
        if self.kind == "contribution":
            return fwd.contributions[:, self.unit] + fwd.output_bias
        if self.kind == "output":
            return fwd.output
        return target


@lru_cache(maxsize=256)  # bounded: the builder makes a spec for every architecture tried
def slots(spec: ApproxSpec, beyond: bool = False, stack: bool = False) -> tuple[Slot, ...]:
    """The traces of a tab in drawing order, each with the parameters it depends on.

    A hidden unit depends on its own weights and bias and on everything feeding its layer; a
    contribution on its unit, its output weight and the output bias; the output on everything.
    """
    feeds: set[str] = set()
    hidden_deps: list[list[frozenset[str]]] = []
    for weight_names, bias_names in spec.layers[:-1]:
        layer_deps = []
        for j, bias in enumerate(bias_names):
            own = {row[j] for row in weight_names} | {bias}
            layer_deps.append(frozenset(feeds | own))
        hidden_deps.append(layer_deps)
        feeds |= {n for row in weight_names for n in row} | set(bias_names)
    out_weights, (out_bias,) = spec.layers[-1]
    result = []
    if stack:  # drawn first, under everything: the bias, then each unit's share on top of it
        result.append(Slot("bias", 0, 0, frozenset({out_bias})))
        result += [
            Slot("part", 0, j, hidden_deps[-1][j] | {row[0]}) for j, row in enumerate(out_weights)
        ]
    result += [
        Slot("hidden", k, j, deps)
        for k, layer in enumerate(hidden_deps)
        for j, deps in enumerate(layer)
    ]
    if spec.show_contributions:
        result += [
            Slot("contribution", 0, j, hidden_deps[-1][j] | {row[0], out_bias})
            for j, row in enumerate(out_weights)
        ]
    if beyond:
        result.append(Slot("beyond", 0, 0, frozenset(spec.names)))
    result.append(Slot("output", 0, 0, frozenset(spec.names)))
    result.append(Slot("target", 0, 0, frozenset()))
    return tuple(result)


def _slot_trace(
    spec: ApproxSpec, slot: Slot, x: Array, y: Array, lang: str, target_key: str | None
) -> dict[str, Any]:
    if slot.kind == "hidden":
        deep = len(spec.layers) > 2
        key = "trace.layer_activation" if deep else "trace.activation"
        color = PALETTE[(slot.unit + 3 * slot.layer) % len(PALETTE)]
        name = t(lang, key, layer=slot.layer + 1, unit=slot.unit + 1)
        return _line(x, y, name, f"a{slot.layer + 1}{slot.unit + 1}", dash="dash", color=color)
    if slot.kind == "contribution":
        weight_rows, (bias,) = spec.layers[-1]
        name = t(
            lang,
            "trace.contribution",
            unit=slot.unit + 1,
            weight=weight_rows[slot.unit][0],
            bias=bias,
        )
        color = PALETTE[(slot.unit + 3) % len(PALETTE)]
        return _line(x, y, name, f"c{slot.unit + 1}", dash="longdash", color=color)
    if slot.kind == "output":
        return _line(x, y, t(lang, "trace.output"), OUTPUT_UID, color=OUTPUT_COLOR, width=4)
    if slot.kind == "bias":
        (_, (bias,)) = spec.layers[-1]
        trace = _line(x, y, t(lang, "trace.stack_bias", bias=bias), "bias", color="#888888")
        trace.update(stackgroup="parts", fill="tozeroy", fillcolor="rgba(136, 136, 136, 0.15)")
        return trace
    if slot.kind == "part":
        weight_rows, _ = spec.layers[-1]
        color = PALETTE[(slot.unit + 3 * (len(spec.layers) - 2)) % len(PALETTE)]
        name = t(lang, "trace.stack_part", unit=slot.unit + 1, weight=weight_rows[slot.unit][0])
        trace = _line(x, y, name, f"p{slot.unit + 1}", color=color, width=1)
        trace.update(stackgroup="parts", fill="tonexty", opacity=0.5)
        return trace
    if slot.kind == "beyond":
        name = t(lang, "trace.beyond")
        return _line(x, y, name, "beyond", color=OUTPUT_COLOR, width=3, dash="dot")
    name = t(lang, f"trace.target.{target_key}") if target_key else t(lang, "trace.target.formula")
    return _line(x, y, name, TARGET_UID, dash="dot", color="#222222", width=2)


INTERVAL_SHAPE = {"type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1, "layer": "below"}
INTERVAL_SHAPE |= {"fillcolor": "rgba(36, 87, 197, 0.06)", "line": {"width": 0}}
"""The shading of the fitted interval on a plot that reaches beyond it (x0, x1 added)."""


def _problem(spec: ApproxSpec, problem: Problem | None) -> Problem:
    return problem if problem is not None else Problem.default(spec)


def _activations_name(spec: ApproxSpec, activation: Activation, lang: str) -> str:
    """The activation's name for the title; for a spec whose layers differ, each layer's
    width and activation ("4 TanH → 3 ReLU")."""
    if not spec.layer_activations:
        return activation_name(lang, activation.key)
    widths = [len(biases) for _, biases in spec.layers[:-1]]
    return " → ".join(
        f"{w} {activation_name(lang, k)}"
        for w, k in zip(widths, spec.layer_activations, strict=True)
    )


def approx_figure(
    spec: ApproxSpec,
    values: Mapping[str, float],
    activation: Activation,
    lang: str,
    problem: Problem | None = None,
    params: Mapping[str, float] | None = None,
    forward: Forward | None = None,
) -> Figure:
    """The whole figure of an approximation tab, for its own problem unless told another.

    ``params`` are the activation's own parameters (ELU's α, ...), defaults where missing;
    ``forward`` is the network's pass on ``problem.x_plot()`` when the caller has it already.
    """
    problem = _problem(spec, problem)
    x = problem.x_plot()
    fwd = forward if forward is not None else spec.network(values, activation, params).forward(x)
    target = problem.y(x)
    inside = (x >= problem.lo) & (x <= problem.hi) if problem.beyond else None
    name = _activations_name(spec, activation, lang)
    key = None if problem.target == "formula" else problem.target
    layout = _layout(t(lang, spec.title_key, name=name), lang, problem.y_range(spec))
    if problem.beyond:
        layout["shapes"] = [{**INTERVAL_SHAPE, "x0": problem.lo, "x1": problem.hi}]
    return {
        "data": [
            _slot_trace(spec, s, x, s.values(fwd, target, inside), lang, key)
            for s in slots(spec, problem.beyond, problem.stack)
        ],
        "layout": layout,
    }


def approx_patch(
    spec: ApproxSpec,
    values: Mapping[str, float],
    activation: Activation,
    changed: Iterable[str],
    problem: Problem | None = None,
    params: Mapping[str, float] | None = None,
    forward: Forward | None = None,
) -> Patch:
    """New y values of just the traces that the ``changed`` parameters move.

    Every trace but the target depends on the activation's own ``params``: after a change of
    those, pass every parameter name as ``changed``. ``forward``: as for :func:`approx_figure`.
    """
    changed = set(changed)
    problem = _problem(spec, problem)
    x = problem.x_plot()
    fwd = forward if forward is not None else spec.network(values, activation, params).forward(x)
    inside = (x >= problem.lo) & (x <= problem.hi) if problem.beyond else None
    return assigned(
        (("data", i, "y"), encode(slot.values(fwd, fwd.output, inside)))
        for i, slot in enumerate(slots(spec, problem.beyond, problem.stack))
        if slot.kind != "target" and slot.params & changed
    )


def assigned(items: Iterable[tuple[tuple[str | int, ...], Any]]) -> Patch:
    """A Patch assigning each value at its location, as ``patch[a][b][c] = value`` would.

    Written as the Patch's own list of operations: indexing a Patch makes a new Patch object
    per key, which for a slider step's few traces cost more than encoding their values.
    """
    patch = Patch()
    patch._operations.extend(
        {"operation": "Assign", "location": list(where), "params": {"value": value}}
        for where, value in items
    )
    return patch
