"""Tab 2: a single neuron, A(x·w + b), with its derivative, step point and flat regions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
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
    HINT_CLASS,
    activation_dropdown,
    activation_keys,
    check_activation,
    check_values,
    names_of,
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
UNSET = {"overlays": [], "params": {}}
"""What a drawn record without overlays or activation parameters was drawn with."""
DEFAULT_OVERLAYS = [MARKS]
"""What the tab draws over the curve when it opens: the step point and the flat regions."""


def presets() -> tuple[Preset, ...]:
    """The tab's shipped presets, read from the file (a bad file raises PresetError)."""
    return tuple(load(TAB))


def layout(lang: str, shipped: Sequence[Preset]) -> html.Div:
    controls = [
        activation_dropdown(TAB, lang, keys=activation_keys(TAB)),
        *actparams.groups(TAB, lang),
        html.Fieldset(
            [
                text("label.parameters", TAB, lang, html.Legend),
                *[slider(TAB, p) for p in NEURON_PARAMS],
                text("label.param_hint", TAB, lang, html.P, className=HINT_CLASS),
            ]
        ),
        actparams.overlay_checklist(TAB, lang, OVERLAY_LABELS, list(DEFAULT_OVERLAYS)),
        status(TAB),
        dcc.Store(id=ids.drawn(TAB), data=None),
        *classroom.controls(TAB, NAMES, shipped, lang),
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
    changed = drawn_changes(drawn, record, defaults=UNSET)
    if changed is None:
        return neuron_figure(act, w, b, lang, act_values, shown), "", record
    if not changed:
        return no_update, "", no_update
    return neuron_patch(act, w, b, lang, act_values, shown), "", record


def register(app: Dash, shipped: Sequence[Preset]) -> None:
    @app.callback(
        Output(ids.graph(TAB), "figure"),
        Output(ids.status(TAB), "children"),
        Output(ids.drawn(TAB), "data"),
        inputs={
            "values": Input(ids.param(TAB, ALL), "value"),
            "activation": Input(ids.activation(TAB), "value"),
            "lang": Input(ids.LANG, "value"),
            "act_values": Input(ids.act_param(TAB, ALL, ALL), "value"),
            "overlays": Input(ids.overlays(TAB), "value"),
        },
        state={"drawn": State(ids.drawn(TAB), "data")},
    )
    def _update(
        values: list, activation: str, lang: str, act_values: list, overlays: list, drawn: Any
    ) -> tuple:
        args = ctx.args_grouping
        raw = actparams.of_activation(activation, actparams.from_grouping(args["act_values"]))
        names = names_of(args["values"])
        return update(names, values, activation, lang, drawn, params=raw, overlays=overlays)

    actparams.register(app, TAB)
    classroom.register(app, TAB, NAMES, shipped, NEURON_PARAMS)
