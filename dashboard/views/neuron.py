"""Tab 2: a single neuron, A(x·w + b)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.fastpath import FastCallbacks, check_shape, input_values, single_value
from dashboard.figures import neuron_figure, neuron_patch
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
NAMES = tuple(p.name for p in NEURON_PARAMS)


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
        dcc.Store(id=ids.drawn(TAB), data=None),
    ]
    return section(TAB, lang, controls)


def update(
    names: Sequence[str],
    values: Sequence[object],
    activation: object,
    lang: object,
    drawn: object = None,
) -> tuple[Any, str, Any]:
    """The neuron's figure (whole, or a Patch of its y values) and message; see approx.update."""
    lang = normalise(lang)
    key = check_activation(activation)
    if key is None:
        return no_update, t(lang, "msg.unknown_activation"), no_update
    checked, message = check_values(names, values, lang)
    if checked is None:
        return no_update, message, no_update
    if set(checked) != set(NAMES):  # a body naming other parameters (as approx.update)
        raise PreventUpdate
    record = {"activation": key, "lang": lang, "values": checked}
    act = get_activation(key)
    if not isinstance(drawn, dict) or drawn.get("activation") != key or drawn.get("lang") != lang:
        return neuron_figure(act, checked["w"], checked["b"], lang), "", record
    if drawn.get("values") == checked:
        return no_update, "", no_update
    return neuron_patch(act, checked["w"], checked["b"]), "", record


def register(app: Dash, fast: FastCallbacks) -> None:
    outputs = (
        (ids.graph(TAB), "figure"),
        (ids.status(TAB), "children"),
        (ids.drawn(TAB), "data"),
    )

    @app.callback(
        *(Output(cid, prop) for cid, prop in outputs),
        Input(ids.param(TAB, ALL), "value"),
        Input(ids.activation(TAB), "value"),
        Input(ids.LANG, "value"),
        State(ids.drawn(TAB), "data"),
    )
    def _update(values: list, activation: str, lang: str, drawn: dict | None) -> tuple:
        return update(input_names(0), values, activation, lang, drawn)

    def _fast(payload: dict[str, Any]) -> tuple:
        check_shape(payload, inputs=3, state=1)
        values = input_values(payload, 0, NAMES, TAB)
        activation = single_value(payload, "inputs", 1, ids.activation(TAB))
        lang = single_value(payload, "inputs", 2, ids.LANG)
        drawn = single_value(payload, "state", 0, ids.drawn(TAB))
        return update(NAMES, values, activation, lang, drawn)

    fast.add(outputs, _fast)
