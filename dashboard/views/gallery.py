"""Tab 1: the activation gallery."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html, no_update

from dashboard import ids
from dashboard.figures import gallery_figure
from dashboard.i18n import normalise
from dashboard.model import get_activation
from dashboard.views.common import activation_dropdown, check_activation, section

TAB = "gallery"


def layout(lang: str) -> html.Div:
    controls = [
        activation_dropdown(TAB, lang),
        dcc.Markdown(id=ids.formula(TAB), mathjax=True, className="formula"),
    ]
    return section(TAB, lang, controls)


def update(activation: object, lang: object) -> tuple[go.Figure | object, str | object]:
    """Figure and formula for the chosen activation; nothing changes for an unknown one."""
    key = check_activation(activation)
    if key is None:
        return no_update, no_update
    act = get_activation(key)
    return gallery_figure(act, normalise(lang)), f"$$\n{act.latex}\n$$"


def register(app: Dash) -> None:
    app.callback(
        Output(ids.graph(TAB), "figure"),
        Output(ids.formula(TAB), "children"),
        Input(ids.activation(TAB), "value"),
        Input(ids.LANG, "value"),
    )(update)
