"""The preset table of a tab: the records its store holds, the table drawn from them, Apply.

The store (``ids.store(tab, "presets")``) holds the current table as a list of preset records;
it starts as the shipped table (an upload replaces it, "restore" puts the shipped one back, see
``classroom.upload``). The table itself is plain HTML drawn by assets/presets.js from its
holder's ``data-table`` attribute (no Dash component per cell); one click on a row's Apply sets
the tab's ``pick`` store, and the sliders, the activation and the activation's own parameters
take the row's values. The shell keeps the store across tab switches (its ``store`` pattern is
in ``shell.KEPT``).

The store comes from the browser, so each record is checked again before it is used: a forged
or stale one is skipped, never trusted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import activation_name, normalise, t
from dashboard.model import ACTIVATIONS
from dashboard.numbers import fmt
from dashboard.presets import MAX_NAME, MAX_ROWS, Preset
from dashboard.sections import HARD_LIMIT, Param
from dashboard.views import actparams
from dashboard.views.classroom.parts import group
from dashboard.views.coach import slider_range, widened
from dashboard.views.common import HINT_CLASS, check_activation, marks, names_of, text

TABLE = "data-table"
"""The attribute of the preset table's holder (``ids.part(tab, "presets")``) that carries the
table as JSON; assets/presets.js draws it."""


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


def _values(values: Any, names: Sequence[str]) -> dict[str, float] | None:
    """The tab's parameters of a record, each a finite number within HARD_LIMIT."""
    if not isinstance(values, Mapping) or set(values) != set(names):
        return None
    checked: dict[str, float] = {}
    for n in names:
        v = _number(values[n])
        if v is None or abs(v) > HARD_LIMIT:
            return None
        checked[n] = v
    return checked


def _own(key: str, params: Any) -> dict[str, float] | None:
    """The activation's own parameters of a record, each within its range."""
    if not isinstance(params, Mapping):
        return None
    ranges = {r.name: r for r in ACTIVATIONS[key].param_ranges}
    own: dict[str, float] = {}
    for n, raw in params.items():
        v = _number(raw)
        if n not in ranges or v is None or not ranges[n].lo <= v <= ranges[n].hi:
            return None
        own[n] = v
    return own


def preset_of(record: Any, names: Sequence[str]) -> Preset | None:
    """The preset a store record describes, or None unless it is one a table could hold: a
    known activation, every parameter of the tab a finite number within HARD_LIMIT, the
    activation's own parameters within their ranges, a short name."""
    if not isinstance(record, Mapping):
        return None
    key, name = check_activation(record.get("activation")), record.get("name", "")
    if key is None or not isinstance(name, str) or len(name) > MAX_NAME:
        return None
    checked = _values(record.get("values"), names)
    own = _own(key, record.get("params", {})) if checked is not None else None
    if checked is None or own is None:
        return None
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


# --- the table as drawn ----------------------------------------------------------------------


def _activation_text(preset: Preset, lang: str) -> str:
    """The activation's name, with its own parameters where the row sets any."""
    name = activation_name(lang, preset.activation)
    params = preset.activation_params()
    if params and not actparams.is_default(preset.activation, params):
        return t(lang, "catalogue.best_row", name=name, params=actparams.describe(params, lang))
    return name


def _cell(value: float, lang: str) -> str:
    return fmt(value, lang, 6)


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


def presets_group(tab: str, names: Sequence[str], shipped: Sequence[Preset], lang: str) -> html.Div:
    """The preset table of a tab, its store (the shipped table at first) and "restore"."""
    data = records(shipped)
    return group(
        "presets",
        [
            html.Details(
                [
                    text("label.presets", tab, lang, html.Summary),
                    text("classroom.presets_hint", tab, lang, html.P, className=HINT_CLASS),
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


# --- Apply -----------------------------------------------------------------------------------


def picked_preset(picked: Any, data: Any, names: Sequence[str]) -> Preset | None:
    """The preset of the row a ``pick`` store names (``{"row": <row>, "n": <click count>}``,
    set by assets/presets.js's Apply buttons), or None unless it is a valid row of ``data``."""
    if not isinstance(picked, Mapping) or not isinstance(data, list):
        return None
    row = picked.get("row")
    if not isinstance(row, int) or isinstance(row, bool):
        return None
    if not 0 <= row < min(len(data), MAX_ROWS):
        return None
    return preset_of(data[row], names)


def apply_outputs(
    preset: Preset,
    slider_names: Sequence[str],
    ranges: Mapping[str, tuple[float, float]],
    act_controls: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """Slider values, mins, maxes, marks (ranges widened to hold the values), the activation
    and the activation-parameter controls' values (the preset's activation's: its own values,
    defaults for the rest; every other control is left as it is), by the Apply callback's
    output names."""
    spans = [widened(Param(n, 0.0, *ranges[n]), preset.values[n]) for n in slider_names]
    own = preset.activation_params()
    return {
        "values": [preset.values[n] for n in slider_names],
        "lows": [lo for lo, _ in spans],
        "highs": [hi for _, hi in spans],
        "marks": [marks(lo, hi) for lo, hi in spans],
        "activation": preset.activation,
        "act_values": [
            own[name] if key == preset.activation and name in own else no_update
            for key, name in act_controls
        ],
    }


# --- callbacks ---------------------------------------------------------------------------------


def register(app: Dash, tab: str, names: Sequence[str], params: Sequence[Param]) -> None:
    """The table's drawing and its Apply, for a tab with parameters ``names`` (the table's
    column order) and its sliders' ``params`` (their default ranges)."""
    by_name = {p.name: p for p in params}
    store = ids.store(tab, "presets")
    slider = ids.param(tab, ALL)

    @app.callback(
        Output(ids.part(tab, "presets"), TABLE),
        Input(store, "data"),
        Input(ids.LANG, "value"),
    )
    def _table(data: Any, lang: Any) -> str:
        # Also runs when the tab opens: the store may come back from the shell's snapshot.
        return table_json(tab, names, data, normalise(lang))

    @app.callback(
        output={
            "values": Output(slider, "value"),
            "lows": Output(slider, "min", allow_duplicate=True),
            "highs": Output(slider, "max", allow_duplicate=True),
            "marks": Output(slider, "marks", allow_duplicate=True),
            "activation": Output(ids.activation(tab), "value"),
            "act_values": Output(ids.act_param(tab, ALL, ALL), "value"),
        },
        inputs={"picked": Input(ids.pick(tab), "data")},
        state={
            "data": State(store, "data"),
            "lows": State(slider, "min"),
            "highs": State(slider, "max"),
        },
        prevent_initial_call=True,
    )
    def _apply(picked: Any, data: Any, lows: list, highs: list) -> dict[str, Any]:
        preset = picked_preset(picked, data, names)
        if preset is None:
            raise PreventUpdate
        outputs = ctx.outputs_grouping
        slider_names = names_of(outputs["values"])
        if set(slider_names) != set(names):
            raise PreventUpdate
        ranges = {
            n: slider_range(by_name[n], lo, hi)
            for n, lo, hi in zip(slider_names, lows, highs, strict=True)
        }
        act_controls = [(o["id"]["act"], o["id"]["name"]) for o in outputs["act_values"]]
        return apply_outputs(preset, slider_names, ranges, act_controls)
