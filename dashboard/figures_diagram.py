"""The network as a diagram: a node per unit, an edge per weight, as a plain Plotly figure dict.

Columns from left to right: the input x (layer 0), each hidden layer (1 … L), the output
(L + 1); units top to bottom. Every weight is a line shape in ``layout.shapes``, in the flat
parameter order of ``model.gradients.parameter_vector`` (biases skipped), coloured by its sign
(blue positive, orange negative, grey zero, as TensorFlow Playground draws them) and as wide as
:func:`edge_width` of its size. Nodes are one marker trace coloured by the sign of their bias,
with ``customdata`` = [layer, unit] (both as in :func:`dashboard.model.train.parameter_names`:
units from 1, the input is unit 1 of layer 0), so a click names a unit. A second, invisible
marker trace sits at the middle of every edge so hovering an edge names the weight and its
value. No title: what the colours and widths mean is a caption over the graph in the page
(views/builder.py), which wraps at any width, where a plotly.js title does not. No callbacks here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from dash import Patch

from dashboard import i18n
from dashboard.i18n import activation_name, normalise, t
from dashboard.model import Network
from dashboard.model.train import MAX_UNITS, parameter_names
from dashboard.numbers import fmt

POSITIVE = "#0877bd"
NEGATIVE = "#f59322"
ZERO = "#b8bcc4"
INPUT_NODE = "#e8eaed"
NODE_LINE = "#40454f"
SELECTED_LINE = "#111111"

EDGE_MIN_WIDTH = 0.5
"""Width in pixels of an edge whose weight is 0."""
EDGE_MAX_WIDTH = 6.0
"""Width in pixels of an edge whose |weight| is :data:`EDGE_FULL` or more."""
EDGE_FULL = 10.0
"""|weight| at and above which an edge is drawn at full width (log scale below it)."""

NODE_SIZE = 22
EDGE_TRACE = 0
"""Index in ``data`` of the invisible edge-midpoint trace (hover on edges)."""
NODE_TRACE = 1
"""Index in ``data`` of the node trace (click on a node)."""

Figure = dict[str, Any]
Selected = tuple[int, int] | Sequence[int] | None


def sign_color(value: float) -> str:
    """Blue for a positive value, orange for a negative one, grey for zero."""
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else ZERO


def edge_width(weight: float) -> float:
    """Line width for a weight: grows with log(1 + |w|), clipped at :data:`EDGE_FULL`."""
    share = min(math.log1p(abs(weight)) / math.log1p(EDGE_FULL), 1.0)
    return EDGE_MIN_WIDTH + (EDGE_MAX_WIDTH - EDGE_MIN_WIDTH) * share


def node_y(units: int, unit: int) -> float:
    """Height of unit ``unit`` (from 1) of a column of ``units``: centred, top to bottom."""
    return (units - 1) / 2.0 - (unit - 1)


def _sizes(net: Network) -> tuple[int, ...]:
    return (1, *net.widths, 1)


def _unit_label(lang: str, layer: int, unit: int, n_layers: int) -> str:
    if layer == 0:
        return t(lang, "diagram.node.input")
    if layer == n_layers:
        return t(lang, "diagram.node.output")
    return t(lang, "diagram.node.unit", layer=layer, unit=unit)


def _labels(lang: str, sizes: Sequence[int]) -> list[list[str]]:
    """Each unit's short label, by layer and unit (from 0 here)."""
    last = len(sizes) - 1
    return [
        [_unit_label(lang, layer, unit, last) for unit in range(1, units + 1)]
        for layer, units in enumerate(sizes)
    ]


def _edges(net: Network, lang: str) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """The edge shapes and the midpoint trace's x, y, hovertext and customdata."""
    sizes = _sizes(net)
    labels = _labels(lang, sizes)
    hover = i18n.strings(normalise(lang))["diagram.hover.edge"]
    names = iter(parameter_names(net.widths))
    ys = [[node_y(units, unit) for unit in range(1, units + 1)] for units in sizes]
    shapes: list[dict[str, Any]] = []
    mid: dict[str, list[Any]] = {"x": [], "y": [], "hovertext": [], "customdata": []}
    for layer in range(1, len(sizes)):
        weights = net.layers[layer - 1].weights
        n_out = weights.shape[1]
        for i, row in enumerate(weights.tolist()):
            y0 = ys[layer - 1][i]
            for j, w in enumerate(row):
                name = next(names)
                y1 = ys[layer][j]
                shapes.append(
                    {
                        "type": "line",
                        "xref": "x",
                        "yref": "y",
                        "x0": layer - 1,
                        "y0": y0,
                        "x1": layer,
                        "y1": y1,
                        "line": {"color": sign_color(w), "width": edge_width(w)},
                        "layer": "below",
                    }
                )
                mid["x"].append(layer - 0.5)
                mid["y"].append((y0 + y1) / 2.0)
                mid["hovertext"].append(
                    hover.format(
                        name=name,
                        value=fmt(w, lang, 4),
                        source=labels[layer - 1][i],
                        target=labels[layer][j],
                    )
                )
                mid["customdata"].append([layer, i + 1, j + 1])
        for _ in range(n_out):
            next(names)  # the layer's biases
    return shapes, mid


def _nodes(net: Network, lang: str, selected: Selected) -> dict[str, list[Any]]:
    """The node trace's x, y, colours, outline, hovertext and customdata."""
    sizes = _sizes(net)
    last = len(sizes) - 1
    chosen = tuple(selected) if selected is not None else None
    nodes: dict[str, list[Any]] = {
        k: [] for k in ("x", "y", "color", "line_color", "line_width", "hovertext", "customdata")
    }
    for layer, units in enumerate(sizes):
        for unit in range(1, units + 1):
            nodes["x"].append(layer)
            nodes["y"].append(node_y(units, unit))
            nodes["customdata"].append([layer, unit])
            is_chosen = chosen == (layer, unit)
            nodes["line_color"].append(SELECTED_LINE if is_chosen else NODE_LINE)
            nodes["line_width"].append(3.5 if is_chosen else 1.0)
            if layer == 0:
                nodes["color"].append(INPUT_NODE)
                nodes["hovertext"].append(t(lang, "diagram.hover.input"))
                continue
            b = float(net.layers[layer - 1].bias[unit - 1])
            nodes["color"].append(sign_color(b))
            fields = {"name": f"b{layer}_{unit}", "value": fmt(b, lang, 4)}
            if layer == last:
                nodes["hovertext"].append(t(lang, "diagram.hover.output", **fields))
            else:
                act = activation_name(lang, net.hidden_activations[layer - 1][0].key)
                nodes["hovertext"].append(
                    t(lang, "diagram.hover.unit", layer=layer, unit=unit, activation=act, **fields)
                )
    return nodes


def diagram_figure(net: Network, lang: str, selected: Selected = None) -> Figure:
    """The diagram of ``net``; ``selected`` = (layer, unit) draws that node with a dark outline."""
    sizes = _sizes(net)
    last = len(sizes) - 1
    shapes, mid = _edges(net, lang)
    nodes = _nodes(net, lang, selected)
    edge_trace = {
        "type": "scatter",
        "mode": "markers",
        "uid": "edges",
        "x": mid["x"],
        "y": mid["y"],
        "marker": {"size": 10, "color": "rgba(0, 0, 0, 0)"},
        "hovertext": mid["hovertext"],
        "hoverinfo": "text",
        "customdata": mid["customdata"],
        "showlegend": False,
    }
    node_trace = {
        "type": "scatter",
        "mode": "markers",
        "uid": "nodes",
        "x": nodes["x"],
        "y": nodes["y"],
        "marker": {
            "size": NODE_SIZE,
            "color": nodes["color"],
            "line": {"color": nodes["line_color"], "width": nodes["line_width"]},
        },
        "hovertext": nodes["hovertext"],
        "hoverinfo": "text",
        "customdata": nodes["customdata"],
        "showlegend": False,
    }
    column_labels = [
        t(lang, "diagram.input"),
        *(
            f"{t(lang, 'diagram.layer', layer=k)}<br>{activation_name(lang, act.key)}"
            for k, (act, _) in enumerate(net.hidden_activations, start=1)
        ),
        t(lang, "diagram.output"),
    ]
    top = MAX_UNITS / 2.0
    annotations = [
        {
            "x": layer,
            "y": top,
            "xref": "x",
            "yref": "y",
            "text": label,
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 12, "color": "#40454f"},
        }
        for layer, label in enumerate(column_labels)
    ]
    hidden_axis = {"visible": False, "fixedrange": True, "zeroline": False, "showgrid": False}
    return {
        "data": [edge_trace, node_trace],
        "layout": {
            "xaxis": {**hidden_axis, "range": [-0.5, last + 0.5]},
            "yaxis": {**hidden_axis, "range": [-top, top + 1.2]},
            "shapes": shapes,
            "annotations": annotations,
            "showlegend": False,
            "hovermode": "closest",
            "clickmode": "event",
            "dragmode": False,
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "uirevision": "keep",
        },
    }


def diagram_patch(net: Network, lang: str, selected: Selected = None) -> Patch:
    """Only what the weights and biases move in a figure of the same architecture: the edge
    shapes, the edge and node hover texts and the node colours (and the selected outline).

    For a training frame or a slider move; a new architecture or activation, or a new
    language for the labels, needs :func:`diagram_figure`.
    """
    shapes, mid = _edges(net, lang)
    nodes = _nodes(net, lang, selected)
    patch = Patch()
    patch["layout"]["shapes"] = shapes
    patch["data"][EDGE_TRACE]["hovertext"] = mid["hovertext"]
    patch["data"][NODE_TRACE]["hovertext"] = nodes["hovertext"]
    patch["data"][NODE_TRACE]["marker"]["color"] = nodes["color"]
    patch["data"][NODE_TRACE]["marker"]["line"] = {
        "color": nodes["line_color"],
        "width": nodes["line_width"],
    }
    return patch
