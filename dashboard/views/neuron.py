"""Tab 2: a single neuron, A(x·w + b), with its derivative, step point and flat regions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from dash import ALL, Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.fastpath import FastCallbacks, check_shape, input_values, single_value
from dashboard.figures_single import (
    DERIVATIVE,
    MARKS,
    NEURON_OVERLAYS,
    chosen_overlays,
    neuron_figure,
    neuron_patch,
)
from dashboard.i18n import normalise, t
from dashboard.model import get_activation
from dashboard.presets import Preset, load
from dashboard.sections import NEURON_PARAMS
from dashboard.views import actparams, classroom
from dashboard.views.common import (
    activation_dropdown,
    activation_keys,
    check_activation,
    check_values,
    input_names,
    section,
    slider,
    status,
    text,
)
from dashboard.views.drawn import changed as drawn_changes

TAB = "neuron"
NAMES = tuple(p.name for p in NEURON_PARAMS)
OVERLAY_LABELS = (
    (DERIVATIVE, "single.overlay.neuron_derivative"),
    (MARKS, "single.overlay.marks"),
)
DEFAULT_OVERLAYS = [MARKS]
"""What the tab draws over the curve when it opens: the step point and the flat regions."""


@cache
def presets() -> tuple[Preset, ...]:
    """The tab's shipped presets (read once; a bad file raises PresetError at start-up)."""
    return tuple(load(TAB))


def layout(lang: str) -> html.Div:
    controls = [
        activation_dropdown(TAB, lang, keys=activation_keys(TAB)),
        *actparams.groups(TAB, lang),
        html.Fieldset(
            [
                text("label.parameters", TAB, lang, html.Legend),
                *[slider(TAB, p) for p in NEURON_PARAMS],
                text("label.param_hint", TAB, lang, html.P, className="hint"),
            ]
        ),
        actparams.overlay_checklist(TAB, lang, OVERLAY_LABELS, list(DEFAULT_OVERLAYS)),
        status(TAB),
        dcc.Store(id=ids.drawn(TAB), data=None),
        *classroom.controls(TAB, NAMES, presets(), lang),
    ]
    return section(TAB, lang, controls)


def update(
    names: Sequence[str],
    values: Sequence[object],
    activation: object,
    lang: object,
    drawn: object = None,
    *,
    params: Mapping[str, object] | None = None,
    overlays: object = (),
) -> tuple[Any, str, Any]:
    """The neuron's figure (whole, or a Patch) and message; see approx.update.

    ``params`` are the chosen activation's own parameters by name (defaults where missing);
    ``overlays`` is the checklist's value (see figures_single.NEURON_OVERLAYS). The whole
    figure is sent when the activation, the language or the overlays differ from ``drawn``;
    otherwise a Patch of what a move changes (y values and shapes), or nothing.
    """
    lang = normalise(lang)
    key = check_activation(activation)
    if key is None:
        return no_update, t(lang, "msg.unknown_activation"), no_update
    checked, message = check_values(names, values, lang)
    if checked is None:
        return no_update, message, no_update
    if set(checked) != set(NAMES):  # a body naming other parameters (as approx.update)
        raise PreventUpdate
    act_values, message = actparams.check(key, params or {}, lang)
    if act_values is None:
        return no_update, message, no_update
    shown = chosen_overlays(overlays, NEURON_OVERLAYS)
    record = {
        "activation": key,
        "lang": lang,
        "values": checked,
        "params": act_values,
        "overlays": list(shown),
    }
    act = get_activation(key)
    w, b = checked["w"], checked["b"]
    changed = drawn_changes(drawn, record)
    if changed is None:
        return neuron_figure(act, w, b, lang, act_values, shown), "", record
    if not changed:
        return no_update, "", no_update
    return neuron_patch(act, w, b, lang, act_values, shown), "", record


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
        Input(ids.act_param(TAB, ALL, ALL), "value"),
        Input(ids.overlays(TAB), "value"),
        State(ids.drawn(TAB), "data"),
    )
    def _update(
        values: list, activation: str, lang: str, act_values: list, overlays: list, drawn: Any
    ) -> tuple:
        raw = actparams.of_activation(activation, actparams.from_callback(3, act_values))
        return update(
            input_names(0), values, activation, lang, drawn, params=raw, overlays=overlays
        )

    def _fast(payload: dict[str, Any]) -> tuple:
        check_shape(payload, inputs=5, state=1)
        values = input_values(payload, 0, NAMES, TAB)
        activation = single_value(payload, "inputs", 1, ids.activation(TAB))
        lang = single_value(payload, "inputs", 2, ids.LANG)
        raw = actparams.of_activation(activation, actparams.from_payload(payload, 3, TAB))
        overlays = single_value(payload, "inputs", 4, ids.overlays(TAB))
        drawn = single_value(payload, "state", 0, ids.drawn(TAB))
        return update(NAMES, values, activation, lang, drawn, params=raw, overlays=overlays)

    fast.add(outputs, _fast)
    actparams.register(app, TAB)
    classroom.register(app, TAB, NAMES, presets(), NEURON_PARAMS)
