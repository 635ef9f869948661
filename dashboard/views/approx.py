"""Tabs 3-5: a network approximating a target. One view, parametrised by an ApproxSpec."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.figures import approx_figure
from dashboard.i18n import normalise, t
from dashboard.model import get_activation
from dashboard.presets import Preset, shipped
from dashboard.sections import ApproxSpec
from dashboard.views.common import (
    activation_dropdown,
    check_activation,
    check_values,
    register_tabbar,
    input_names,
    section,
    slider,
    status,
    tabbar,
    text,
)


def load_presets(spec: ApproxSpec) -> list[Preset]:
    """The presets shipped for a tab (none if it has no file); a bad file raises PresetError."""
    return shipped(spec.preset_file, spec.names) if spec.preset_file else []


def _sliders(spec: ApproxSpec, lang: str) -> html.Div:
    if len(spec.groups) == 1:
        _, names = spec.groups[0]
        return html.Div([slider(spec.key, spec.param(n)) for n in names], className="sliders")
    return tabbar(
        spec.key,
        [
            (
                group.removeprefix("group."),
                group,
                html.Div([slider(spec.key, spec.param(n)) for n in names], className="sliders"),
            )
            for group, names in spec.groups
        ],
        lang,
        "label.parameters",
    )


def _preset_table(spec: ApproxSpec, presets: Sequence[Preset], lang: str) -> html.Div:
    header = html.Tr(
        [html.Th(text("label.activation", f"{spec.key}-presets", lang))]
        + [html.Th(n) for n in spec.names]
        + [html.Th("")]
    )
    rows = [
        html.Tr(
            [html.Td(text(f"act.{p.activation}", f"{spec.key}-preset-{i}", lang))]
            + [html.Td(f"{p.values[n]:g}") for n in spec.names]
            + [
                html.Td(
                    html.Button(
                        text("label.apply", f"{spec.key}-apply-{i}", lang),
                        id=ids.preset(spec.key, i),
                        className="apply",
                        n_clicks=0,
                    )
                )
            ]
        )
        for i, p in enumerate(presets)
    ]
    return html.Details(
        [
            html.Summary(text("label.presets", spec.key, lang)),
            text("label.preset_hint", f"{spec.key}-presets", lang, html.P, className="hint"),
            html.Div(html.Table([html.Thead(header), html.Tbody(rows)]), className="table-wrap"),
        ],
        open=True,
        className="presets",
    )


def layout(spec: ApproxSpec, presets: Sequence[Preset], lang: str) -> html.Div:
    controls = [
        activation_dropdown(spec.key, lang),
        html.Fieldset(
            [
                text("label.parameters", spec.key, lang, html.Legend),
                _sliders(spec, lang),
                text("label.param_hint", spec.key, lang, html.P, className="hint"),
            ]
        ),
        status(spec.key),
    ]
    if presets:
        controls.append(_preset_table(spec, presets, lang))
    return section(spec.key, lang, controls)


def update(
    spec: ApproxSpec,
    names: Sequence[str],
    values: Sequence[object],
    activation: object,
    lang: object,
) -> tuple[go.Figure | object, str]:
    """The tab's figure, or no change and a message if an input is unusable."""
    lang = normalise(lang)
    key = check_activation(activation)
    if key is None:
        return no_update, t(lang, "msg.unknown_activation")
    checked, message = check_values(names, values, lang)
    if checked is None:
        return no_update, message
    if set(checked) != set(spec.names):
        raise PreventUpdate
    return approx_figure(spec, checked, get_activation(key), lang), ""


def apply_preset(
    spec: ApproxSpec, presets: Sequence[Preset], row: object, slider_names: Sequence[str]
) -> tuple[list[float], str]:
    """Slider values (in the order of ``slider_names``) and activation of preset ``row``."""
    if not isinstance(row, int) or not 0 <= row < len(presets):
        raise PreventUpdate
    preset = presets[row]
    return [preset.values[n] for n in slider_names], preset.activation


def register(app: Dash, spec: ApproxSpec, presets: Sequence[Preset]) -> None:
    @app.callback(
        Output(ids.graph(spec.key), "figure"),
        Output(ids.status(spec.key), "children"),
        Input(ids.param(spec.key, ALL), "value"),
        Input(ids.activation(spec.key), "value"),
        Input(ids.LANG, "value"),
    )
    def _update(values: list, activation: str, lang: str) -> tuple:
        return update(spec, input_names(0), values, activation, lang)

    if len(spec.groups) > 1:
        register_tabbar(app, spec.key)
    if not presets:
        return

    @app.callback(
        Output(ids.param(spec.key, ALL), "value"),
        Output(ids.activation(spec.key), "value"),
        Input(ids.preset(spec.key, ALL), "n_clicks"),
        prevent_initial_call=True,
    )
    def _apply(clicks: list) -> tuple:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            raise PreventUpdate
        names = [o["id"]["name"] for o in ctx.outputs_list[0]]
        return apply_preset(spec, presets, trigger.get("row"), names)
