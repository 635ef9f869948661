"""Tab 1: the activation gallery, every activation of the catalogue and its derivative."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import ALL, Dash, Input, Output, ctx, dcc, html, no_update

from dashboard import ids, mathml
from dashboard.figures_single import DERIVATIVE, GALLERY_OVERLAYS, chosen_overlays, gallery_figure
from dashboard.i18n import normalise, t
from dashboard.model import get_activation
from dashboard.views import actparams
from dashboard.views.common import (
    activation_dropdown,
    activation_keys,
    check_activation,
    section,
    status,
)

TAB = "gallery"
OVERLAY_LABELS = ((DERIVATIVE, "single.overlay.derivative"),)


def layout(lang: str) -> html.Div:
    controls = [
        activation_dropdown(TAB, lang, keys=activation_keys(TAB)),
        *actparams.groups(TAB, lang),
        actparams.overlay_checklist(TAB, lang, OVERLAY_LABELS, []),
        # MathML the browser draws itself (dashboard/mathml.py): no MathJax on the first tab.
        dcc.Markdown(id=ids.formula(TAB), dangerously_allow_html=True, className="formula"),
        status(TAB),
    ]
    return section(TAB, lang, controls)


def update(
    activation: object,
    lang: object,
    params: Mapping[str, object] | None = None,
    overlays: object = (),
) -> tuple[Any, Any, str]:
    """Figure, formula and message for the chosen activation, its parameters and overlays.

    ``params`` are the chosen activation's parameter values by name (defaults where missing).
    An unknown activation or a bad parameter changes nothing but the message.
    """
    lang = normalise(lang)
    key = check_activation(activation)
    if key is None:
        return no_update, no_update, t(lang, "msg.unknown_activation")
    values, message = actparams.check(key, params or {}, lang)
    if values is None:
        return no_update, no_update, message
    derivative = DERIVATIVE in chosen_overlays(overlays, GALLERY_OVERLAYS)
    figure = gallery_figure(get_activation(key), lang, values, derivative)
    return figure, actparams.formula(key, values, lang), ""


def formula_mathml(formula: Any) -> Any:
    """The formula :func:`update` gives (TeX display maths, ``$$ ... $$``) as MathML."""
    if not isinstance(formula, str):
        return formula  # no_update
    return mathml.display(formula.strip().removeprefix("$$").removesuffix("$$").strip())


def register(app: Dash) -> None:
    @app.callback(
        Output(ids.graph(TAB), "figure"),
        Output(ids.formula(TAB), "children"),
        Output(ids.status(TAB), "children"),
        inputs={
            "activation": Input(ids.activation(TAB), "value"),
            "lang": Input(ids.LANG, "value"),
            "act_values": Input(ids.act_param(TAB, ALL, ALL), "value"),
            "overlays": Input(ids.overlays(TAB), "value"),
        },
    )
    def _update(activation: str, lang: str, act_values: list, overlays: list) -> tuple:
        group = actparams.from_grouping(ctx.args_grouping["act_values"])
        figure, formula, message = update(
            activation, lang, actparams.of_activation(activation, group), overlays
        )
        return figure, formula_mathml(formula), message

    actparams.register(app, TAB)
