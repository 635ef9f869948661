"""The builder's callbacks: registered once, for every architecture.

Each takes the architecture from the "arch" store and builds (or finds) its spec per request.
The figure and training callbacks answer frames (see ``frames``); playing is run in the
browser (``playback``): the "ask" store asks for a batch (or One step), "waiting" is set until
its answer is applied, so requests never overlap and each batch continues from the last.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import ALL, Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import normalise, t
from dashboard.model.train import TrainError
from dashboard.netspec import TAB
from dashboard.views import classroom, feedback, target
from dashboard.views.builder.batch import batch
from dashboard.views.builder.controls import LR_BOX
from dashboard.views.builder.figure import update
from dashboard.views.builder.frames import APPLY_JS, TRAIN_OUTPUTS
from dashboard.views.builder.playback import register_playing
from dashboard.views.builder.records import (
    arch_of,
    default_state,
    read_config,
    selected_unit,
    spec_of,
)
from dashboard.views.builder.training import fit, rebuild, reset, tick
from dashboard.views.common import (
    activation_keys,
    activation_options,
    check_values,
    names_of,
)

PARAM = ids.param(TAB, ALL)
RESET = ids.dom_id(ids.action(TAB, "reset")) + ".n_clicks"


def _targets(kind: type[Input] | type[State]) -> list[Any]:
    return [kind(ids.target(TAB, f), "value") for f in ids.TARGET_FIELDS]


def named(values: Mapping[str, Any]) -> dict[str, Any]:
    """A named (dict) callback's answer from the values given by name: a name not given is
    left as it is (one ``no_update`` per component where the output is a pattern)."""
    answer = {}
    for name, listed in ctx.outputs_grouping.items():
        value = values.get(name, no_update)
        if isinstance(listed, list) and value is no_update:
            value = [no_update] * len(listed)
        answer[name] = value
    return answer


def register(app: Dash) -> None:
    """Every callback of the tab, once for every architecture."""
    _register_figure(app)
    _register_training(app)
    _register_rebuild(app)
    register_playing(app)
    _register_select(app)
    _register_fit(app)
    _register_language(app)
    target.register_target(app, spec_of(default_state().arch))
    classroom.register_export(
        app,
        TAB,
        {"values": State(PARAM, "value"), "arch_data": State(ids.store(TAB, "arch"), "data")},
        export_source,
    )


def _register_figure(app: Dash) -> None:
    @app.callback(
        output=Output(ids.live(TAB, "figframe"), "data"),
        inputs={
            "values": Input(PARAM, "value"),
            "arch_data": Input(ids.store(TAB, "arch"), "data"),
            "lang": Input(ids.LANG, "value"),
            "controls": _targets(Input),
            "selected": Input(ids.store(TAB, "selected"), "data"),
            "_halted": Input(ids.live(TAB, "halted"), "data"),
        },
        state={
            "drawn": State(ids.drawn(TAB), "data"),
            "playing": State(ids.live(TAB, "playing"), "data"),
            "epoch": State(ids.live(TAB, "epoch"), "data"),
        },
    )
    def _figure(
        values: list, arch_data: Any, lang: Any, controls: list, selected: Any, _halted: Any,
        drawn: Any, playing: Any, epoch: Any,
    ) -> dict[str, Any]:  # fmt: skip
        """The plot for the sliders, as a frame (see ``APPLY_JS``). After One step, which
        drew the plot itself, it finds nothing to draw. While playing the frames draw the plot
        (the sliders only follow them); when playing halts ("halted") it draws the frame
        shown again, with its hints."""
        arch = arch_of(arch_data)
        if arch is None or playing is True:
            raise PreventUpdate
        out = update(
            arch, names_of(ctx.args_grouping["values"]), values, lang, controls, selected, drawn,
        )  # fmt: skip
        return {"kind": "figure", "base": values, "epoch": epoch, "out": out}


def _act(ask: Any, names: list[str], page: dict[str, Any]) -> tuple[str, dict, Any]:
    """The kind of a training request, its named outputs and its batch (see ``training``,
    ``batch``): Reset (``ask`` None), One step or a batch."""
    shown = (page["lang"], page["controls"])
    around = {"selected": page["selected"], "drawn": page["drawn"]}
    if ask is None:  # drawn whole: the plot may show a frame the drawn record never saw
        around["drawn"] = None
        out = reset(page["state_data"], names, page["lows"], page["highs"], *shown, **around)
        return "reset", out, None
    if ask.get("kind") == "step":
        out = tick(
            page["state_data"], names, page["values"], page["lows"], page["highs"], *shown,
            page["settings"], page["loss"], 1, **around,
        )  # fmt: skip
        return "step", out, None
    out, played = batch(ask, names, page)
    return "batch", out, played


def _register_training(app: Dash) -> None:
    @app.callback(
        output=Output(ids.live(TAB, "frame"), "data"),
        inputs={
            "ask": Input(ids.live(TAB, "ask"), "data"),
            "_reset": Input(ids.action(TAB, "reset"), "n_clicks"),
        },
        state={
            "state_data": State(ids.store(TAB, "train"), "data"),
            "values": State(PARAM, "value"),
            "lows": State(PARAM, "min"),
            "highs": State(PARAM, "max"),
            "lang": State(ids.LANG, "value"),
            "controls": _targets(State),
            "settings": [State(ids.control(TAB, k), "value") for k in ("lr", "optimizer", "batch")],
            "loss": State(ids.store(TAB, "loss"), "data"),
            "selected": State(ids.store(TAB, "selected"), "data"),
            "drawn": State(ids.drawn(TAB), "data"),
            "epoch": State(ids.live(TAB, "epoch"), "data"),
        },
        prevent_initial_call=True,
    )
    def _train(ask: Any, _reset: Any, epoch: Any, **page: Any) -> dict[str, Any]:
        """Every training request, answered as a frame: its kind, the sliders' values it
        started from ("base"), its playback ("gen"), its named outputs and a batch's frames,
        which ``APPLY_JS`` applies in the browser only if nothing has moved on since (see
        there). Reset pressed in the same moment as a request counts as Reset."""
        is_reset = RESET in ctx.triggered_prop_ids
        if is_reset and not _reset:
            raise PreventUpdate
        if not is_reset and not isinstance(ask, Mapping):
            raise PreventUpdate
        try:
            kind, out, played = _act(
                None if is_reset else ask, names_of(ctx.args_grouping["values"]), page
            )
        except (PreventUpdate, TrainError):  # another network's sliders, or a bad state
            kind, out, played = ("reset" if is_reset else str(ask.get("kind"))), {}, None
        if out or played:  # a figure answer asked for before this frame no longer fits the plot
            out["epoch"] = (epoch if isinstance(epoch, int) else 0) + 1
        gen = None if is_reset else ask.get("gen")
        return {"kind": kind, "base": page["values"], "gen": gen, "out": out, "batch": played}

    app.clientside_callback(
        APPLY_JS,
        *(Output(cid, prop, allow_duplicate=True) for cid, prop in TRAIN_OUTPUTS.values()),
        Input(ids.live(TAB, "frame"), "data"),
        Input(ids.live(TAB, "figframe"), "data"),
        State(PARAM, "value"),
        State(ids.live(TAB, "playing"), "data"),
        State(ids.live(TAB, "epoch"), "data"),
        prevent_initial_call=True,
    )


REBUILD_OUTPUTS = {
    "sliders": (ids.part(TAB, "sliders"), "children"),
    "arch": (ids.store(TAB, "arch"), "data"),
    "state": (ids.store(TAB, "train"), "data"),
    "loss": (ids.store(TAB, "loss"), "data"),
    "loss_figure": (ids.loss_graph(TAB), "figure"),
    "selected": (ids.store(TAB, "selected"), "data"),
    "arch_message": (ids.report(TAB, "arch"), "children"),
    "rows_hidden": (ids.layer_row(TAB, ALL), "hidden"),
    "playing": (ids.live(TAB, "playing"), "data"),
    "diagram": (ids.diagram(TAB), "figure"),
    "drawn": (ids.drawn(TAB), "data"),
    "report": (ids.report(TAB, "train"), "children"),
    "feedback": (ids.feedback(TAB), feedback.ATTRIBUTE),
}
"""What a new architecture (``training.rebuild``) writes, by name. It clears the feedback
attribute, so the next draw's texts are written out even where they equal the last ones (the
new sliders' hints start empty)."""


def _register_rebuild(app: Dash) -> None:
    @app.callback(
        output={
            name: Output(cid, prop, allow_duplicate=True)
            for name, (cid, prop) in REBUILD_OUTPUTS.items()
        },
        inputs={
            "layers": Input(ids.control(TAB, "layers"), "value"),
            "units": Input(ids.layer_control(TAB, "units", ALL), "value"),
            "activations": Input(ids.layer_control(TAB, "activation", ALL), "value"),
            "seed": Input(ids.control(TAB, "seed"), "value"),
        },
        state={
            "lang": State(ids.LANG, "value"),
            "controls": _targets(State),
            "state_data": State(ids.store(TAB, "train"), "data"),
        },
        prevent_initial_call=True,
    )
    def _rebuild(
        layers: Any, units: list, activations: list, seed: Any, lang: Any, controls: list,
        state_data: Any,
    ) -> dict[str, Any]:  # fmt: skip
        return named(rebuild(layers, units, activations, seed, lang, controls, state_data))

    @app.callback(
        Output(ids.report(TAB, "lr"), "children", allow_duplicate=True),
        Output(ids.control(TAB, "lr"), "className"),
        Input(ids.control(TAB, "lr"), "value"),
        State(ids.control(TAB, "optimizer"), "value"),
        State(ids.control(TAB, "batch"), "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def _check_lr(lr: Any, optimizer: Any, batch: Any, lang: Any) -> tuple[str, str]:
        """The learning rate is checked as it is typed: a message next to its box, and the
        box marked invalid (assets/links.js then leaves it out of the link)."""
        _config, message = read_config(lr, optimizer, batch, normalise(lang))
        return message, LR_BOX + (" invalid" if message else "")


def _clicked_unit(click: Any) -> list[Any]:
    """The [layer, unit] a click on the diagram names: a node holds [layer, unit], an edge
    [layer, from, to], and selects the unit it enters."""
    try:
        data = click["points"][0]["customdata"]
        return [data[0], data[2]] if len(data) == 3 else list(data[:2])
    except (TypeError, KeyError, IndexError, ValueError):
        raise PreventUpdate from None


def _register_select(app: Dash) -> None:
    @app.callback(
        Output(ids.store(TAB, "selected"), "data", allow_duplicate=True),
        Output(ids.unit_group(TAB, ALL, ALL), "open"),
        Input(ids.diagram(TAB), "clickData"),
        State(ids.store(TAB, "arch"), "data"),
        prevent_initial_call=True,
    )
    def _select(click: Any, arch_data: Any) -> tuple:
        arch = arch_of(arch_data)
        chosen = selected_unit(_clicked_unit(click), arch) if arch else None
        if chosen is None:  # the input x, or the point of an edge
            raise PreventUpdate
        opened = [
            True if (o["id"]["layer"], o["id"]["unit"]) == chosen else no_update
            for o in ctx.outputs_list[1]
        ]
        return list(chosen), opened


def _register_fit(app: Dash) -> None:
    @app.callback(
        output={
            "values": Output(PARAM, "value", allow_duplicate=True),
            "mins": Output(PARAM, "min", allow_duplicate=True),
            "maxes": Output(PARAM, "max", allow_duplicate=True),
            "marks": Output(PARAM, "marks", allow_duplicate=True),
            "report": Output(ids.report(TAB, "fit"), "children"),
        },
        inputs={"clicks": Input(ids.action(TAB, "fit"), "n_clicks")},
        state={
            "values": State(PARAM, "value"),
            "lows": State(PARAM, "min"),
            "highs": State(PARAM, "max"),
            "arch_data": State(ids.store(TAB, "arch"), "data"),
            "lang": State(ids.LANG, "value"),
            "controls": _targets(State),
        },
        prevent_initial_call=True,
    )
    def _fit(
        clicks: Any, values: list, lows: list, highs: list, arch_data: Any, lang: Any,
        controls: list,
    ) -> dict[str, Any]:  # fmt: skip
        arch = arch_of(arch_data)
        if not clicks or arch is None:
            raise PreventUpdate
        return named(
            fit(arch, names_of(ctx.args_grouping["values"]), values, lows, highs, lang, controls)
        )


def _register_language(app: Dash) -> None:
    @app.callback(
        Output(ids.layer_control(TAB, "activation", ALL), "options"),
        Output(ids.loss_graph(TAB), "figure", allow_duplicate=True),
        Input(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def _translate(lang: Any) -> tuple:
        lang = normalise(lang)
        patch = Patch()
        patch["layout"]["title"]["text"] = t(lang, "builder.loss.title")
        patch["layout"]["xaxis"]["title"]["text"] = t(lang, "builder.loss.x")
        patch["layout"]["yaxis"]["title"]["text"] = t(lang, "builder.loss.y")
        patch["data"][0]["name"] = t(lang, "builder.loss.trace")
        options = activation_options(lang, activation_keys(TAB))
        return [options for _ in ctx.outputs_list[0]], patch


def export_source(lang: str, values: Any, arch_data: Any) -> Any:
    """What the "Code" section exports: the architecture's spec with the sliders' values
    (each hidden layer's activation comes with the spec), or a message naming a bad value."""
    arch = arch_of(arch_data)
    if arch is None or not isinstance(values, list):
        raise PreventUpdate
    spec = spec_of(arch)
    checked, message = check_values(names_of(ctx.args_grouping["values"]), values, lang)
    if checked is None:
        return message
    if set(checked) != set(spec.names):  # the sliders of another architecture
        raise PreventUpdate
    return spec, checked, None, None
