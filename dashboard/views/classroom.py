"""Preset tables in and out of a tab, and its network as code: the classroom controls.

Every tab with parameters (the neuron and the approximation tabs) gets four groups of controls,
each marked with ``data-control`` so an instructor's link can hide it (``urlstate.controls``):

- ``presets``: the preset table, drawn from a ``dcc.Store`` (``ids.store(tab, "presets")``)
  holding the current table as a list of preset records; it starts as the shipped table, an
  upload replaces it, "restore" puts the shipped one back. The table itself is plain HTML drawn
  by assets/presets.js from its holder's ``data-table`` attribute (no Dash component per cell);
  one click on a row's Apply sets the tab's ``pick`` store, and the sliders, the activation and
  the activation's own parameters take the row's values. The shell keeps the store across tab
  switches (its ``store`` pattern is in ``shell.KEPT``).
- ``upload``: a ``dcc.Upload`` drop zone. The file goes through ``presets.parse_upload`` for
  the tab's parameter names; a good table replaces the store's (its notes, the ignored
  columns, are shown), a bad one changes nothing and is answered with the message naming
  file, row and column. Messages are kept in both languages and shown in the page's.
- ``download``: the current values as a one-row CSV (``presets.to_csv``), which uploads back
  to exactly these values, and the current table (``presets.table_csv``).
- ``export``: PyTorch and Keras snippets of the current network (``dashboard.export``), shown
  on request and downloadable as ``.py`` files. The builder has this group only.

Everything the callbacks read comes from the browser (the store included), so each record is
checked again before it is used: a forged or stale one is skipped, never trusted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.export import Source, keras_code, pytorch_code
from dashboard.i18n import LANGUAGES, Message, activation_name, normalise, t
from dashboard.model import ACTIVATIONS
from dashboard.numbers import fmt
from dashboard.presets import (
    MAX_NAME,
    MAX_ROWS,
    Preset,
    PresetError,
    parse_upload,
    table_csv,
    to_csv,
)
from dashboard.sections import HARD_LIMIT, Param
from dashboard.views import actparams
from dashboard.views.coach import slider_range, widened
from dashboard.views.common import check_activation, check_values, marks, text

UPLOAD_MAX_SIZE = 1_400_000
"""Largest file the browser sends at all (``dcc.Upload.max_size``). A little above the reader's
1 MB cap, so a file just over it still reaches the server and gets a message naming its size;
base64-encoded in its request (about 1.87 MB) it stays under ``MAX_REQUEST_BYTES`` (2 MiB)."""

GROUPS: tuple[str, ...] = ("presets", "upload", "download", "export")
"""The ``data-control`` names of the groups this module adds (see ``urlstate.controls``)."""


# --- preset records: what the store holds ----------------------------------------------------


def record_of(preset: Preset) -> dict[str, Any]:
    """A preset as the store holds it (plain JSON)."""
    return {
        "name": preset.name,
        "activation": preset.activation,
        "values": dict(preset.values),
        "params": dict(preset.params),
    }


def records(presets: Sequence[Preset]) -> list[dict[str, Any]]:
    return [record_of(p) for p in presets]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def preset_of(record: Any, names: Sequence[str]) -> Preset | None:
    """The preset a store record describes, or None unless it is one a table could hold: a
    known activation, every parameter of the tab a finite number within HARD_LIMIT, the
    activation's own parameters within their ranges, a short name."""
    if not isinstance(record, Mapping):
        return None
    key, values, params = record.get("activation"), record.get("values"), record.get("params", {})
    name = record.get("name", "")
    if check_activation(key) is None or not isinstance(name, str) or len(name) > MAX_NAME:
        return None
    if not isinstance(values, Mapping) or set(values) != set(names):
        return None
    if not isinstance(params, Mapping):
        return None
    checked: dict[str, float] = {}
    for n in names:
        v = _number(values[n])
        if v is None or abs(v) > HARD_LIMIT:
            return None
        checked[n] = v
    ranges = {r.name: r for r in ACTIVATIONS[key].param_ranges}
    own: dict[str, float] = {}
    for n, raw in params.items():
        v = _number(raw)
        if n not in ranges or v is None or not ranges[n].lo <= v <= ranges[n].hi:
            return None
        own[n] = v
    return Preset(key, checked, name, own)


def table_of(data: Any, names: Sequence[str]) -> list[tuple[int, Preset]]:
    """The valid presets of a store's data, each with its row (its index in the store)."""
    if not isinstance(data, list):
        return []
    out = []
    for i, record in enumerate(data[:MAX_ROWS]):
        preset = preset_of(record, names)
        if preset is not None:
            out.append((i, preset))
    return out


# --- layout ----------------------------------------------------------------------------------


def _activation_text(preset: Preset, lang: str) -> str:
    """The activation's name, with its own parameters where the row sets any."""
    name = activation_name(lang, preset.activation)
    params = preset.activation_params()
    if params and not actparams.is_default(preset.activation, params):
        return t(lang, "catalogue.best_row", name=name, params=actparams.describe(params, lang))
    return name


def _cell(value: float, lang: str) -> str:
    return fmt(value, lang, 6)


TABLE = "data-table"
"""The attribute of the preset table's holder (``ids.part(tab, "presets")``) that carries the
table as JSON; assets/presets.js draws it."""


def preset_table(tab: str, names: Sequence[str], data: Any, lang: str) -> dict[str, Any]:
    """The table of the presets a store holds, as the texts assets/presets.js draws: the
    header, and per row its label, activation and values, its Apply button's text, tooltip and
    DOM id. ``{"empty": <text>}`` when no row is valid.

    The table is drawn outside Dash's components: every Dash component on the page costs the
    renderer time on each store update of a slider step, and the cells alone were about 70 of
    the square2 tab's 235 (150 of the 2-layer tab's).
    """
    table = table_of(data, names)
    if not table:
        return {"empty": t(lang, "classroom.table_empty")}
    named = any(p.name for _, p in table)
    head = [t(lang, "classroom.preset")] if named else []
    head += [t(lang, "label.preset_activation"), *names, ""]
    rows = []
    for i, p in table:
        cells = [p.label(lang)] if named else []
        cells += [_activation_text(p, lang), *(_cell(p.values[n], lang) for n in names)]
        rows.append(
            {
                "row": i,
                "id": ids.dom_id(ids.preset(tab, i)),
                "cells": cells,
                "apply": t(lang, "label.apply"),
                "title": t(lang, "classroom.apply_title", preset=p.label(lang)),
            }
        )
    return {"head": head, "rows": rows}


def table_json(tab: str, names: Sequence[str], data: Any, lang: str) -> str:
    """:func:`preset_table` as the text of the holder's ``data-table`` attribute."""
    return orjson.dumps(preset_table(tab, names, data, lang)).decode()


def _group(name: str, children: list[Any], **kw: Any) -> html.Div:
    return html.Div(
        children, className=f"classroom classroom-{name}", **{"data-control": name}, **kw
    )


def presets_group(tab: str, names: Sequence[str], shipped: Sequence[Preset], lang: str) -> html.Div:
    """The preset table of a tab, its store (the shipped table at first) and "restore"."""
    data = records(shipped)
    return _group(
        "presets",
        [
            html.Details(
                [
                    text("label.presets", tab, lang, html.Summary),
                    text("classroom.presets_hint", tab, lang, html.P, className="hint"),
                    # Drawn by assets/presets.js from the attribute (see preset_table).
                    html.Div(
                        id=ids.part(tab, "presets"),
                        className="table-wrap",
                        **{TABLE: table_json(tab, names, data, lang)},
                    ),
                    html.Button(
                        text("classroom.restore", tab, lang),
                        id=ids.action(tab, "restore"),
                        n_clicks=0,
                        className="action secondary",
                    ),
                    dcc.Store(id=ids.store(tab, "presets"), data=data),
                    dcc.Store(id=ids.pick(tab), data=None),
                ],
                open=True,
                className="presets",
            )
        ],
    )


def upload_group(tab: str, lang: str) -> html.Div:
    """The drop zone for a preset table, and where its result is shown."""
    return _group(
        "upload",
        [
            dcc.Upload(
                [
                    text("classroom.drop", tab, lang, html.Strong),
                    text("classroom.drop_hint", tab, lang, html.Span, className="hint"),
                ],
                id=ids.upload(tab),
                accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values",
                max_size=UPLOAD_MAX_SIZE,
                multiple=False,
                className="dropzone",
                className_active="dropzone active",
                className_reject="dropzone reject",
            ),
            # Shown by assets/upload.js: the browser sends no file over UPLOAD_MAX_SIZE at all,
            # so no callback could say so.
            text(
                "classroom.drop_too_large",
                tab,
                lang,
                html.P,
                hidden=True,
                className="report upload-refused",
                role="alert",
                **{"data-max-bytes": str(UPLOAD_MAX_SIZE)},
            ),
            html.Div(id=ids.report(tab, "upload"), className="report", role="status"),
            dcc.Store(id=ids.result(tab, "upload"), data=None),
        ],
    )


def download_group(tab: str, lang: str) -> html.Div:
    def button(what: str, key: str) -> html.Button:
        return html.Button(
            text(key, f"{tab}-{what}", lang),
            id=ids.action(tab, what),
            n_clicks=0,
            className="action secondary",
        )

    return _group(
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


def export_group(tab: str, lang: str) -> html.Div:
    """The "Code" section: closed at first, its contents put on the page when it is first
    opened (:func:`export_contents`, by ``register_export``'s callbacks), since every Dash
    component on the page costs renderer time on each slider step."""
    return _group(
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


def controls(tab: str, names: Sequence[str], shipped: Sequence[Preset], lang: str) -> list[Any]:
    """Every classroom group of a tab with parameters, in page order."""
    return [
        presets_group(tab, names, shipped, lang),
        upload_group(tab, lang),
        download_group(tab, lang),
        export_group(tab, lang),
    ]


# --- reading the current setting -------------------------------------------------------------


Setting = tuple[dict[str, float], str, dict[str, float]]
"""A tab's current values by name, activation key and the activation's own parameters."""


def current_setting(
    names: Sequence[str], values: Sequence[Any], activation: Any, act_items: Any, lang: str
) -> tuple[Setting | None, str]:
    """The setting the tab's controls hold, or None and a message naming what is wrong."""
    key = check_activation(activation)
    if key is None:
        return None, t(lang, "msg.unknown_activation")
    checked, message = check_values(names, values, lang)
    if checked is None:
        return None, message
    params, message = actparams.check(key, actparams.of_activation(key, act_items), lang)
    if params is None:
        return None, message
    return (checked, key, params), ""


def both(render: Callable[[str], str]) -> dict[str, str]:
    """A message in every language, for a store the page shows in its current one."""
    return {lang: render(lang) for lang in LANGUAGES}


def upload_result(
    contents: Any, filename: Any, names: Sequence[str]
) -> tuple[list[dict[str, Any]] | None, dict[str, Any]]:
    """The new store data (None: nothing changes) and the notice of an upload."""
    try:
        presets, notes = parse_upload(contents, filename, names)
    except PresetError as e:
        return None, {"kind": "error", "lines": [both(e.render)]}
    file = filename if isinstance(filename, str) else ""
    done = Message("classroom.loaded", {"n": len(presets), "file": _file_label(file)})
    lines = [both(done.render), *(both(n.render) for n in notes)]
    return records(presets), {"kind": "ok", "lines": lines}


def _file_label(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return (name[:60] + "…") if len(name) > 61 else (name or "upload.csv")


def show_notice(notice: Any, lang: str) -> Any:
    """The lines of a notice store in ``lang`` (anything malformed shows nothing)."""
    if not isinstance(notice, Mapping) or not isinstance(notice.get("lines"), list):
        return None
    kind = "error" if notice.get("kind") == "error" else "ok"
    out = []
    for line in notice["lines"][:20]:
        if isinstance(line, Mapping) and isinstance(line.get(lang), str):
            out.append(html.P(line[lang], className=f"notice {kind}"))
    return out or None


def apply_outputs(
    preset: Preset,
    slider_names: Sequence[str],
    ranges: Mapping[str, tuple[float, float]],
    act_controls: Sequence[tuple[str, str]],
) -> tuple[list[float], list[float], list[float], list[Any], str, list[Any]]:
    """Slider values, mins, maxes, marks (ranges widened to hold the values), the activation
    and the activation-parameter controls' values (the preset's activation's: its own values,
    defaults for the rest; every other control is left as it is)."""
    values = [preset.values[n] for n in slider_names]
    spans = [widened(Param(n, 0.0, *ranges[n]), preset.values[n]) for n in slider_names]
    own = preset.activation_params()
    act_values = [
        own[name] if key == preset.activation and name in own else no_update
        for key, name in act_controls
    ]
    return (
        values,
        [lo for lo, _ in spans],
        [hi for _, hi in spans],
        [marks(lo, hi) for lo, hi in spans],
        preset.activation,
        act_values,
    )


def _file_stem(tab: str) -> str:
    return f"activation-playground-{tab}"


# --- callbacks ---------------------------------------------------------------------------------


def register(
    app: Dash, tab: str, names: Sequence[str], shipped: Sequence[Preset], params: Sequence[Param]
) -> None:
    """The classroom callbacks of a tab with parameters ``names`` (the table's column order),
    its ``shipped`` table and its sliders' ``params`` (their default ranges)."""
    shipped_data = records(shipped)
    by_name = {p.name: p for p in params}
    store = ids.store(tab, "presets")

    @app.callback(
        Output(ids.part(tab, "presets"), TABLE),
        Input(store, "data"),
        Input(ids.LANG, "value"),
    )
    def _table(data: Any, lang: Any) -> str:
        # Also runs when the tab opens: the store may come back from the shell's snapshot.
        return table_json(tab, names, data, normalise(lang))

    @app.callback(
        Output(ids.param(tab, ALL), "value"),
        Output(ids.param(tab, ALL), "min", allow_duplicate=True),
        Output(ids.param(tab, ALL), "max", allow_duplicate=True),
        Output(ids.param(tab, ALL), "marks", allow_duplicate=True),
        Output(ids.activation(tab), "value"),
        Output(ids.act_param(tab, ALL, ALL), "value"),
        Input(ids.pick(tab), "data"),
        State(store, "data"),
        State(ids.param(tab, ALL), "min"),
        State(ids.param(tab, ALL), "max"),
        prevent_initial_call=True,
    )
    def _apply(picked: Any, data: Any, lows: list, highs: list) -> tuple:
        # {"row": <row>, "n": <click count>}, set by assets/presets.js's Apply buttons.
        if not isinstance(picked, Mapping):
            raise PreventUpdate
        row = picked.get("row")
        if not isinstance(row, int) or isinstance(row, bool) or not isinstance(data, list):
            raise PreventUpdate
        if not 0 <= row < min(len(data), MAX_ROWS):
            raise PreventUpdate
        preset = preset_of(data[row], names)
        if preset is None:
            raise PreventUpdate
        slider_names = [o["id"]["name"] for o in ctx.outputs_list[0]]
        if set(slider_names) != set(names):
            raise PreventUpdate
        ranges = {
            n: slider_range(by_name[n], lo, hi)
            for n, lo, hi in zip(slider_names, lows, highs, strict=True)
        }
        act_controls = [(o["id"]["act"], o["id"]["name"]) for o in ctx.outputs_list[5]]
        return apply_outputs(preset, slider_names, ranges, act_controls)

    @app.callback(
        Output(store, "data", allow_duplicate=True),
        Output(ids.result(tab, "upload"), "data"),
        Output(ids.upload(tab), "contents"),
        Input(ids.upload(tab), "contents"),
        State(ids.upload(tab), "filename"),
        prevent_initial_call=True,
    )
    def _upload(contents: Any, filename: Any) -> tuple:
        if contents is None:  # the reset below, or nothing chosen
            raise PreventUpdate
        data, notice = upload_result(contents, filename, names)
        # Clearing the contents lets the same file be chosen again (after an edit, say).
        return (no_update if data is None else data), notice, None

    @app.callback(
        Output(store, "data", allow_duplicate=True),
        Output(ids.result(tab, "upload"), "data", allow_duplicate=True),
        Input(ids.action(tab, "restore"), "n_clicks"),
        prevent_initial_call=True,
    )
    def _restore(clicks: Any) -> tuple:
        if not clicks:
            raise PreventUpdate
        done = Message("classroom.restored", {"n": len(shipped_data)})
        return shipped_data, {"kind": "ok", "lines": [both(done.render)]}

    @app.callback(
        Output(ids.report(tab, "upload"), "children"),
        Input(ids.result(tab, "upload"), "data"),
        Input(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def _notice(notice: Any, lang: Any) -> Any:
        return show_notice(notice, normalise(lang))

    @app.callback(
        Output(ids.download(tab, "csv"), "data"),
        Output(ids.report(tab, "download"), "children"),
        Input(ids.action(tab, "download_params"), "n_clicks"),
        Input(ids.action(tab, "download_table"), "n_clicks"),
        State(ids.param(tab, ALL), "value"),
        State(ids.activation(tab), "value"),
        State(ids.act_param(tab, ALL, ALL), "value"),
        State(store, "data"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def _download(
        _p: Any, _t: Any, values: list, activation: Any, act_values: list, data: Any, lang: Any
    ) -> tuple:
        what = ctx.triggered_id.get("what") if isinstance(ctx.triggered_id, Mapping) else None
        if what not in ("download_params", "download_table") or not (_p or _t):
            raise PreventUpdate
        lang = normalise(lang)
        if what == "download_table":
            table = [p for _, p in table_of(data, names)]
            if not table:
                return no_update, t(lang, "classroom.table_empty")
            content = table_csv(table, names)
            return dcc.send_string(content, f"{_file_stem(tab)}-presets.csv", "text/csv"), ""
        slider_names = [item["id"]["name"] for item in ctx.states_list[0]]
        act_items = actparams.from_callback(2, act_values, "states")
        setting, message = current_setting(slider_names, values, activation, act_items, lang)
        if setting is None:
            return no_update, message
        checked, key, own = setting
        if set(checked) != set(names):
            raise PreventUpdate
        content = to_csv(names, key, checked, own)
        return dcc.send_string(content, f"{_file_stem(tab)}-parameters.csv", "text/csv"), ""

    def read(values: list, activation: Any, act_values: list, lang: str) -> Any:
        slider_names = [item["id"]["name"] for item in ctx.states_list[1]]
        act_items = actparams.from_callback(3, act_values, "states")
        setting, message = current_setting(slider_names, values, activation, act_items, lang)
        if setting is None:
            return message
        checked, key, own = setting
        if set(checked) != set(names):
            raise PreventUpdate
        return tab, checked, key, own

    register_export(
        app,
        tab,
        [
            State(ids.param(tab, ALL), "value"),
            State(ids.activation(tab), "value"),
            State(ids.act_param(tab, ALL, ALL), "value"),
        ],
        read,
    )


Reader = Callable[..., "tuple[Source, Mapping[str, float], str | None, Mapping[str, float]] | str"]
"""Reads the export callback's states (after the language): the source, values, activation and
its parameters for ``dashboard.export``, or a message saying what is wrong."""


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


MAKERS: Mapping[str, Callable[..., str]] = {"torch": pytorch_code, "keras": keras_code}


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
        filename = f"{_file_stem(tab)}-{what}.py"
        return no_update, dcc.send_string(snippets[what], filename, "text/x-python"), ""
