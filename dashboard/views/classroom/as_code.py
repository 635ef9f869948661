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
)
from dashboard.views.common import HINT_CLASS, names_of, text

Reader = Callable[..., "tuple[Source, Mapping[str, float], str | None, Mapping[str, float]] | str"]
"""Reads the export callback's states: called with ``lang`` and each of the states given to
:func:`register_export` by its name (the ids of a pattern-matched group are in
``ctx.args_grouping`` under the same name); returns the source, values, activation and its
parameters for ``dashboard.export``, or a message saying what is wrong."""

BUTTONS = ("code", "torch", "keras")
"""The export group's buttons: show both snippets, or download one."""

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
        text("classroom.code_hint", tab, lang, html.P, className=HINT_CLASS),
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


def register_export(app: Dash, tab: str, states: Mapping[str, Any], read: Reader) -> None:
    """The "Code" section's callback: show both snippets, or download one as a ``.py`` file.

    ``states`` are the tab's states by name (a ``State`` or a pattern-matched one); ``read``
    is called with the language and each of them by that name (see :data:`Reader`).
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
        output={
            "code": Output(ids.part(tab, "code"), "children"),
            "download": Output(ids.download(tab, "code"), "data"),
            "report": Output(ids.report(tab, "export"), "children"),
        },
        inputs={"clicks": {what: Input(ids.action(tab, what), "n_clicks") for what in BUTTONS}},
        state={"lang": State(ids.LANG, "value"), **states},
        prevent_initial_call=True,
    )
    def _export(clicks: dict[str, Any], lang: Any, **given: Any) -> dict[str, Any]:
        what = ctx.triggered_id.get("what") if isinstance(ctx.triggered_id, Mapping) else None
        if what not in clicks or not clicks[what]:
            raise PreventUpdate
        lang = normalise(lang)
        got = read(lang=lang, **given)
        if isinstance(got, str):
            return {"code": no_update, "download": no_update, "report": got}
        source, values, activation, params = got
        wanted = MAKERS if what == "code" else {what: MAKERS[what]}
        snippets = {
            name: make(source, values, activation, params, lang=lang)
            for name, make in wanted.items()
        }
        if what == "code":
            return {"code": code_blocks(tab, snippets, lang), "download": no_update, "report": ""}
        filename = f"{file_stem(tab)}-{what}.py"
        sent = dcc.send_string(snippets[what], filename, "text/x-python")
        return {"code": no_update, "download": sent, "report": ""}


def register(app: Dash, tab: str, names: Sequence[str]) -> None:
    """The "Code" section of a tab with parameters ``names``: its sliders, activation and the
    activation's own parameters, read and checked."""
    states = {
        "values": State(ids.param(tab, ALL), "value"),
        "activation": State(ids.activation(tab), "value"),
        "act_values": State(ids.act_param(tab, ALL, ALL), "value"),
    }

    def read(lang: str, values: list, activation: Any, act_values: list) -> Any:
        slider_names = names_of(ctx.args_grouping["values"])
        items = act_items(ctx.args_grouping["act_values"], act_values)
        setting, message = current_setting(slider_names, values, activation, items, lang)
        if setting is None:
            return message
        checked, key, own = setting
        if set(checked) != set(names):
            raise PreventUpdate
        return tab, checked, key, own

    register_export(app, tab, states, read)
