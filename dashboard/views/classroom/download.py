"""A tab's setting and its preset table out, as CSV files.

The ``download`` group offers the current values as a one-row CSV (``presets.to_csv``), which
uploads back to exactly these values, and the current table (``presets.table_csv``). Both are
read from the browser and checked first; a bad value is answered with a message instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import normalise, t
from dashboard.presets import table_csv, to_csv
from dashboard.views.classroom.parts import (
    act_items,
    current_setting,
    file_stem,
    group,
)
from dashboard.views.classroom.table import table_of
from dashboard.views.common import names_of, text

WHAT = ("download_params", "download_table")
"""The download buttons' ``what`` (``ids.action(tab, what)``)."""


def download_group(tab: str, lang: str) -> html.Div:
    def button(what: str, key: str) -> html.Button:
        return html.Button(
            text(key, f"{tab}-{what}", lang),
            id=ids.action(tab, what),
            n_clicks=0,
            className="action secondary",
        )

    return group(
        "download",
        [
            html.Div(
                [
                    button("download_params", "classroom.download_params"),
                    button("download_table", "classroom.download_table"),
                ],
                className="actions",
            ),
            html.Div(id=ids.report(tab, "download"), className="report", role="status"),
            dcc.Download(id=ids.download(tab, "csv")),
        ],
    )


def table_file(tab: str, names: Sequence[str], data: Any, lang: str) -> dict[str, Any]:
    """The download of the store's table, or its message when no row of it is valid."""
    table = [p for _, p in table_of(data, names)]
    if not table:
        return {"file": no_update, "report": t(lang, "classroom.table_empty")}
    content = table_csv(table, names)
    sent = dcc.send_string(content, f"{file_stem(tab)}-presets.csv", "text/csv")
    return {"file": sent, "report": ""}


def params_file(
    tab: str,
    names: Sequence[str],
    slider_names: Sequence[str],
    values: Sequence[Any],
    activation: Any,
    items: Any,
    lang: str,
) -> dict[str, Any]:
    """The download of the current setting (the sliders' names and values, the activation and
    its parameters' items as the callback read them), or the message naming a bad value."""
    setting, message = current_setting(slider_names, values, activation, items, lang)
    if setting is None:
        return {"file": no_update, "report": message}
    checked, key, own = setting
    if set(checked) != set(names):
        raise PreventUpdate
    content = to_csv(names, key, checked, own)
    sent = dcc.send_string(content, f"{file_stem(tab)}-parameters.csv", "text/csv")
    return {"file": sent, "report": ""}


def register(app: Dash, tab: str, names: Sequence[str]) -> None:
    """The CSV downloads of a tab with parameters ``names`` (the files' column order)."""

    @app.callback(
        output={
            "file": Output(ids.download(tab, "csv"), "data"),
            "report": Output(ids.report(tab, "download"), "children"),
        },
        inputs={
            "params_clicks": Input(ids.action(tab, "download_params"), "n_clicks"),
            "table_clicks": Input(ids.action(tab, "download_table"), "n_clicks"),
        },
        state={
            "values": State(ids.param(tab, ALL), "value"),
            "activation": State(ids.activation(tab), "value"),
            "act_values": State(ids.act_param(tab, ALL, ALL), "value"),
            "data": State(ids.store(tab, "presets"), "data"),
            "lang": State(ids.LANG, "value"),
        },
        prevent_initial_call=True,
    )
    def _download(
        params_clicks: Any,
        table_clicks: Any,
        values: list,
        activation: Any,
        act_values: list,
        data: Any,
        lang: Any,
    ) -> dict[str, Any]:
        what = ctx.triggered_id.get("what") if isinstance(ctx.triggered_id, Mapping) else None
        if what not in WHAT or not (params_clicks or table_clicks):
            raise PreventUpdate
        lang = normalise(lang)
        if what == "download_table":
            return table_file(tab, names, data, lang)
        args = ctx.args_grouping
        slider_names = names_of(args["values"])
        items = act_items(args["act_values"], act_values)
        return params_file(tab, names, slider_names, values, activation, items, lang)
