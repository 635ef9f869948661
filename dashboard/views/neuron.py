"""Tab 2: a single neuron, A(x·w + b)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, html, no_update

from dashboard import ids
from dashboard.figures import neuron_figure
from dashboard.i18n import normalise, t
from dashboard.model import get_activation
from dashboard.sections import NEURON_PARAMS
from dashboard.views.common import (
    activation_dropdown,
    check_activation,
    check_values,
    input_names,
    section,
    slider,
    status,
    text,
)

TAB = "neuron"


def layout(lang: str) -> html.Div:
    controls = [
        activation_dropdown(TAB, lang),
        html.Fieldset(
            [
                text("label.parameters", TAB, lang, html.Legend),
                *[slider(TAB, p) for p in NEURON_PARAMS],
                text("label.param_hint", TAB, lang, html.P, className="hint"),
            ]
        ),
        status(TAB),
    ]
    return section(TAB, lang, controls)


def update(
    names: Sequence[str], values: Sequence[object], activation: object, lang: object
) -> tuple[go.Figure | object, str]:
    """The neuron's figure, or no change and a message if an input is unusable."""
    lang = normalise(lang)
    key = check_activation(activation)
    if key is None:
        return no_update, t(lang, "msg.unknown_activation")
    checked, message = check_values(names, values, lang)
    if checked is None:
        return no_update, message
    return neuron_figure(get_activation(key), checked["w"], checked["b"], lang), ""


def register(app: Dash) -> None:
    @app.callback(
        Output(ids.graph(TAB), "figure"),
        Output(ids.status(TAB), "children"),
        Input(ids.param(TAB, ALL), "value"),
        Input(ids.activation(TAB), "value"),
        Input(ids.LANG, "value"),
    )
    def _update(values: list, activation: str, lang: str) -> tuple:
        return update(input_names(0), values, activation, lang)
