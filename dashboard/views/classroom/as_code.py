"""A tab's network as code: the "Code" section with PyTorch and Keras snippets.

The ``export`` group shows snippets of the current network (``dashboard.export``) on request
and downloads either as a ``.py`` file. The section is closed at first and its contents are put
on the page when it is first opened, since every Dash component on the page costs renderer time
on each slider step. The builder has this group only (through :func:`register_export`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.export import Source, keras_code, pytorch_code
from dashboard.i18n import normalise, t
from dashboard.views.classroom.parts import (
    act_items,
    current_setting,
    file_stem,
    group,
    names_of,
)
from dashboard.views.common import text

Reader = Callable[..., "tuple[Source, Mapping[str, float], str | None, Mapping[str, float]] | str"]
"""Reads the export callback's states (after the language): the source, values, activation and
its parameters for ``dashboard.export``, or a message saying what is wrong."""

MAKERS: Mapping[str, Callable[..., str]] = {"torch": pytorch_code, "keras": keras_code}


def export_group(tab: str, lang: str) -> html.Div:
    """The "Code" section: closed at first, its contents put on the page when it is first
    opened (:func:`export_contents`, by ``register_export``'s callbacks), since every Dash
    component on the page costs renderer time on each slider step."""
    return group(
        "export",
        [
            html.Details(
                [
                    html.Summary(
                        t(lang, "classroom.code"), id=ids.text("classroom.code", tab), n_clicks=0
                    ),
                    html.Div(id=ids.part(tab, "export")),
                ],
                className="export",
            )
        ],
    )


def export_contents(tab: str, lang: str) -> list[Any]:
    """What the "Code" section shows once opened: a hint, the buttons, the report, the code."""

    def button(what: str, key: str, extra: str = "secondary") -> html.Button:
        return html.Button(
            text(key, f"{tab}-{what}", lang),
            id=ids.action(tab, what),
            n_clicks=0,
            className=f"action {extra}",
        )

    return [
        text("classroom.code_hint", tab, lang, html.P, className="hint"),
        html.Div(
            [
                button("code", "classroom.show_code", ""),
                button("torch", "classroom.download_torch"),
                button("keras", "classroom.download_keras"),
            ],
            className="actions",
        ),
        html.Div(id=ids.report(tab, "export"), className="report", role="status"),
        html.Div(id=ids.part(tab, "code"), className="code"),
        dcc.Download(id=ids.download(tab, "code")),
    ]


def code_blocks(tab: str, snippets: Mapping[str, str], lang: str) -> list[Any]:
    return [
        html.Div(
            [
                html.H4(t(lang, f"classroom.code_{framework}")),
                html.Pre(html.Code(code, className=f"language-python code-{framework}")),
            ],
            className=f"snippet snippet-{framework}",
        )
        for framework, code in snippets.items()
    ]


def register_export(app: Dash, tab: str, states: Sequence[State], read: Reader) -> None:
    """The "Code" section's callback: show both snippets, or download one as a ``.py`` file.

    ``states`` are read by ``read(*values, lang)``; the language comes first among the states.
    """

    @app.callback(
        Output(ids.part(tab, "export"), "children"),
        Input(ids.text("classroom.code", tab), "n_clicks"),
        State(ids.part(tab, "export"), "children"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def _open(clicks: Any, shown: Any, lang: Any) -> list[Any]:
        # A click on the summary opens (or closes) the section: its contents come once.
        if not clicks or shown:
            raise PreventUpdate
        return export_contents(tab, normalise(lang))

    @app.callback(
        Output(ids.part(tab, "code"), "children"),
        Output(ids.download(tab, "code"), "data"),
        Output(ids.report(tab, "export"), "children"),
        Input(ids.action(tab, "code"), "n_clicks"),
        Input(ids.action(tab, "torch"), "n_clicks"),
        Input(ids.action(tab, "keras"), "n_clicks"),
        State(ids.LANG, "value"),
        *states,
        prevent_initial_call=True,
    )
    def _export(show: Any, torch: Any, keras: Any, lang: Any, *rest: Any) -> tuple:
        what = ctx.triggered_id.get("what") if isinstance(ctx.triggered_id, Mapping) else None
        clicks = {"code": show, "torch": torch, "keras": keras}
        if what not in clicks or not clicks[what]:
            raise PreventUpdate
        lang = normalise(lang)
        got = read(*rest, lang)
        if isinstance(got, str):
            return no_update, no_update, got
        source, values, activation, params = got
        wanted = MAKERS if what == "code" else {what: MAKERS[what]}
        snippets = {
            name: make(source, values, activation, params, lang=lang)
            for name, make in wanted.items()
        }
        if what == "code":
            return code_blocks(tab, snippets, lang), no_update, ""
        filename = f"{file_stem(tab)}-{what}.py"
        return no_update, dcc.send_string(snippets[what], filename, "text/x-python"), ""


def register(app: Dash, tab: str, names: Sequence[str]) -> None:
    """The "Code" section of a tab with parameters ``names``: its sliders, activation and the
    activation's own parameters, read and checked."""
    states = [
        State(ids.param(tab, ALL), "value"),
        State(ids.activation(tab), "value"),
        State(ids.act_param(tab, ALL, ALL), "value"),
    ]

    def read(values: list, activation: Any, act_values: list, lang: str) -> Any:
        # The export callback's states: the language, then ``states`` (sliders at 1, the
        # activation's parameters at 3).
        listed = ctx.states_list
        slider_names = names_of(listed[1])
        items = act_items(listed[3], act_values)
        setting, message = current_setting(slider_names, values, activation, items, lang)
        if setting is None:
            return message
        checked, key, own = setting
        if set(checked) != set(names):
            raise PreventUpdate
        return tab, checked, key, own

    register_export(app, tab, states, read)
