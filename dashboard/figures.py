"""Plotly figures from model output. No callbacks here: views call these functions.

Trace order is part of the contract with the views and tests: the output trace of every
approximation figure is named by :data:`OUTPUT_UID` in its ``uid``.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from dashboard.i18n import activation_name, t
from dashboard.model import Activation
from dashboard.model.activations import Array
from dashboard.sections import GALLERY_GRID, NEURON_GRID, ApproxSpec

OUTPUT_UID = "output"
TARGET_UID = "target"
OUTPUT_COLOR = "#d62728"
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def _layout(fig: go.Figure, title: str, lang: str, y_range: tuple[float, float] | None) -> None:
    fig.update_layout(
        title={"text": title, "x": 0.5, "xanchor": "center"},
        xaxis={"title": {"text": t(lang, "axis.x")}, "showgrid": True, "zeroline": True},
        yaxis={
            "title": {"text": t(lang, "axis.y")},
            "showgrid": True,
            "zeroline": True,
            **({"range": list(y_range), "autorange": False} if y_range else {}),
        },
        template="plotly_white",
        margin={"l": 50, "r": 10, "t": 50, "b": 20},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        uirevision="keep",
    )


def gallery_figure(activation: Activation, lang: str) -> go.Figure:
    """The activation on the gallery's grid."""
    x = GALLERY_GRID.points()
    name = activation_name(lang, activation.key)
    fig = go.Figure(go.Scatter(x=x, y=activation(x), name=name, uid=OUTPUT_UID, mode="lines"))
    fig.update_layout(showlegend=True)
    _layout(fig, t(lang, "title.gallery", name=name), lang, None)
    return fig


def neuron_output(activation: Activation, w: float, b: float) -> tuple[Array, Array]:
    """x and A(x·w + b) on the single-neuron grid."""
    x = NEURON_GRID.points()
    return x, activation(x * w + b)


def neuron_figure(activation: Activation, w: float, b: float, lang: str) -> go.Figure:
    """One neuron, A(x·w + b)."""
    x, y = neuron_output(activation, w, b)
    name = activation_name(lang, activation.key)
    fig = go.Figure(go.Scatter(x=x, y=y, name=name, uid=OUTPUT_UID, mode="lines"))
    fig.update_layout(showlegend=True)
    _layout(fig, t(lang, "title.neuron", name=name), lang, None)
    return fig


def approx_traces(
    spec: ApproxSpec, values: Mapping[str, float], activation: Activation, lang: str
) -> list[go.Scatter]:
    """The traces of an approximation tab: hidden units, contributions, output, target."""
    x = spec.grid.points()
    fwd = spec.network(values, activation).forward(x)
    traces: list[go.Scatter] = []
    deep = len(fwd.hidden) > 1
    for k, layer in enumerate(fwd.hidden, start=1):
        for j in range(layer.shape[1]):
            key = "trace.layer_activation" if deep else "trace.activation"
            traces.append(
                go.Scatter(
                    x=x,
                    y=layer[:, j],
                    name=t(lang, key, layer=k, unit=j + 1),
                    uid=f"a{k}{j + 1}",
                    line={"dash": "dash", "color": PALETTE[(j + 3 * (k - 1)) % len(PALETTE)]},
                )
            )
    if spec.show_contributions:
        (_, bias_names) = spec.layers[-1]
        weight_rows = spec.layers[-1][0]
        for j in range(fwd.contributions.shape[1]):
            traces.append(
                go.Scatter(
                    x=x,
                    y=fwd.contributions[:, j] + fwd.output_bias,
                    name=t(
                        lang, "trace.contribution", unit=j + 1, weight=weight_rows[j][0],
                        bias=bias_names[0],
                    ),
                    uid=f"c{j + 1}",
                    line={"dash": "longdash", "color": PALETTE[(j + 3) % len(PALETTE)]},
                )
            )
    traces.append(
        go.Scatter(
            x=x,
            y=fwd.output,
            name=t(lang, "trace.output"),
            uid=OUTPUT_UID,
            line={"color": OUTPUT_COLOR, "width": 4},
        )
    )
    traces.append(
        go.Scatter(
            x=x,
            y=spec.target_values(x),
            name=t(lang, f"trace.target.{spec.target}"),
            uid=TARGET_UID,
            line={"dash": "dot", "color": "#222222", "width": 2},
        )
    )
    return traces


def approx_figure(
    spec: ApproxSpec, values: Mapping[str, float], activation: Activation, lang: str
) -> go.Figure:
    """The whole figure of an approximation tab."""
    fig = go.Figure(approx_traces(spec, values, activation, lang))
    name = activation_name(lang, activation.key)
    _layout(fig, t(lang, spec.title_key, name=name), lang, spec.y_range)
    return fig

