"""The frame protocol: how a training or figure answer reaches the page only while current.

The training callback answers every action (a tick, Step, Pause, Reset) as a *frame* in the
"frame" store, and the figure callback answers the same way into "figframe": the frame's kind,
the sliders' values it started from ("base"), a figure answer's "epoch", and its named outputs
(:data:`TRAIN_OUTPUTS`). One clientside callback (:data:`APPLY_JS`) applies a frame to the page
only if nothing has moved on since it was asked for. Dash applies answers in arrival order, so
without this an answer asked for before Reset, landing after it, left the plot trained.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dash import ALL, ctx, no_update

from dashboard import ids
from dashboard.netspec import TAB

TRAIN_OUTPUTS: dict[str, tuple[Any, str]] = {
    "state": (ids.store(TAB, "train"), "data"),
    "values": (ids.param(TAB, ALL), "value"),
    "mins": (ids.param(TAB, ALL), "min"),
    "maxes": (ids.param(TAB, ALL), "max"),
    "marks": (ids.param(TAB, ALL), "marks"),
    "loss": (ids.store(TAB, "loss"), "data"),
    "loss_figure": (ids.loss_graph(TAB), "figure"),
    "report": (ids.report(TAB, "train"), "children"),
    "report_class": (ids.report(TAB, "train"), "className"),
    "lr_message": (ids.report(TAB, "lr"), "children"),
    "playing": (ids.live(TAB, "playing"), "data"),
    "waiting": (ids.live(TAB, "waiting"), "data"),
    "epoch": (ids.live(TAB, "epoch"), "data"),
    "figure": (ids.graph(TAB), "figure"),
    "message": (ids.status(TAB), "children"),
    "drawn": (ids.drawn(TAB), "data"),
    "score": (ids.score(TAB), "children"),
    "goal": (ids.goal(TAB), "children"),
    "goal_class": (ids.goal(TAB), "className"),
    "hints": (ids.hint(TAB, ALL), "children"),
    "diagram": (ids.diagram(TAB), "figure"),
}
"""What a frame (of training, or of the figure callback) may write, by name: the outputs of
the clientside callback that applies frames (``APPLY_JS``). A pattern's value is a list in the
sliders' order, or (the hints) a mapping by slider name."""

APPLY_JS = """function (frame, figframe, sliders, playing, epoch) {
    // Apply the frame that just arrived, unless the page has moved on since it was asked for:
    // a frame counts only if the sliders still hold the values it started from ("base"), and
    // a training tick only while playing. Reset and Pause always count. A figure answer also
    // counts while no training frame came in since it was asked for (same "epoch"): during a
    // drag it is a step behind the thumb, and its Patch still fits the plot. Every training
    // answer clears "waiting", so the ticker can ask for the next frame.
    const dc = window.dash_clientside, NU = dc.no_update;
    const names = NAMES;
    const ctx = dc.callback_context;
    const fromFigure = ctx.triggered.some((t) => t.prop_id.startsWith(FIGFRAME));
    const f = fromFigure ? figframe : frame;
    const same = (a, b) => Array.isArray(a) && Array.isArray(b) && a.length === b.length
        && a.every((v, i) => v === b[i]);
    const kind = f && f.kind;
    const fresh = !!f && (kind === "reset" || kind === "pause"
        || (kind === "figure" && f.epoch === epoch)
        || (same(f.base, sliders) && (kind !== "tick" || playing === true)));
    const val = (v) => (v && typeof v === "object" && v._dash_no_update) ? NU : v;
    return names.map((name, i) => {
        const spec = ctx.outputs_list[i];
        const none = Array.isArray(spec) ? spec.map(() => NU) : NU;
        if (name === "waiting") return fromFigure ? NU : false;
        if (!fresh || !f.out || !(name in f.out)) return none;
        const v = f.out[name];
        if (!Array.isArray(spec)) return val(v);
        if (Array.isArray(v)) return v.map(val);
        return spec.map((o) => (v && typeof v === "object" && o.id.name in v)
            ? val(v[o.id.name]) : NU);
    });
}""".replace("FIGFRAME", json.dumps(ids.dom_id(ids.live(TAB, "figframe")))).replace(
    "NAMES", json.dumps(list(TRAIN_OUTPUTS))
)
"""Applies frames in the browser: its outputs are :data:`TRAIN_OUTPUTS`, in order."""


def named(values: Mapping[str, Any]) -> dict[str, Any]:
    """A named (dict) callback's answer from the values given by name: a name not given is
    left as it is (one ``no_update`` per component where the output is a pattern); a pattern's
    value given as a mapping is read by each component's ``name`` (the hints by slider)."""
    answer = {}
    for name, listed in ctx.outputs_grouping.items():
        value = values.get(name, no_update)
        if isinstance(listed, list) and not isinstance(value, list):
            by_name = value if isinstance(value, Mapping) else {}
            value = [by_name.get(o["id"].get("name"), no_update) for o in listed]
        answer[name] = value
    return answer
