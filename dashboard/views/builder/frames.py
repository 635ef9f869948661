"""The frame protocol: how a training or figure answer reaches the page only while current.

The training callback answers every request (a batch while playing, One step, Reset) as a
*frame* in the "frame" store, and the figure callback answers the same way into "figframe": the
frame's kind, the sliders' values it started from ("base"), a batch's playback ("gen") and its
frames ("batch", see ``batch``), a figure answer's "epoch", and its named outputs
(:data:`TRAIN_OUTPUTS`). One clientside callback (:data:`APPLY_JS`) applies a frame to the page
only if nothing has moved on since it was asked for. Dash applies answers in arrival order, so
without this an answer asked for before Reset, landing after it, left the plot trained.
"""

from __future__ import annotations

import json
from typing import Any

from dash import ALL

from dashboard import ids
from dashboard.netspec import TAB
from dashboard.views import feedback

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
    "drawn": (ids.drawn(TAB), "data"),
    "feedback": (ids.feedback(TAB), feedback.ATTRIBUTE),
    "diagram": (ids.diagram(TAB), "figure"),
}
"""What a frame (of training, or of the figure callback) may write, by name: the outputs of
the clientside callback that applies frames (``APPLY_JS``). A pattern's value is a list in the
sliders' order. The status, score, goal and hints travel packed in "feedback", as on every
plot tab (``views/feedback.py``, written out by assets/feedback.js)."""

APPLY_JS = """function (frame, figframe, sliders, playing, epoch) {
    // Apply the frame that just arrived, unless the page has moved on since it was asked for:
    // One step counts only if the sliders still hold the values it started from ("base"), a
    // batch only while playing the playback it was asked for ("gen"; its frames go to the
    // player, the rest of it is applied now). Reset always counts. A figure answer counts
    // while no training frame came in since it was asked for (same "epoch"): during a drag it
    // is a step behind the thumb, and its Patch still fits the plot. Every training answer
    // clears "waiting", so the next batch can be asked for.
    const dc = window.dash_clientside, NU = dc.no_update;
    const names = NAMES;
    const ctx = dc.callback_context;
    const fromFigure = ctx.triggered.some((t) => t.prop_id.startsWith(FIGFRAME));
    const f = fromFigure ? figframe : frame;
    const same = (a, b) => Array.isArray(a) && Array.isArray(b) && a.length === b.length
        && a.every((v, i) => v === b[i]);
    const kind = f && f.kind;
    const player = window.activationPlayground.playback;
    const fresh = !!f && (kind === "reset"
        || (kind === "figure" && f.epoch === epoch)
        || (kind === "batch" && playing === true && f.gen === player.gen())
        || (kind === "step" && same(f.base, sliders)));
    if (fresh && kind === "batch" && f.batch) {
        player.enqueue(f.batch, f.gen);  // its frames are shown by assets/playback.js
    }
    const val = (v) => (v && typeof v === "object" && v._dash_no_update) ? NU : v;
    return names.map((name, i) => {
        const spec = ctx.outputs_list[i];
        const none = Array.isArray(spec) ? spec.map(() => NU) : NU;
        if (name === "waiting") return fromFigure ? NU : false;
        if (!fresh || !f.out || !(name in f.out)) return none;
        const v = f.out[name];
        if (!Array.isArray(spec)) return val(v);
        return Array.isArray(v) ? v.map(val) : none;
    });
}""".replace("FIGFRAME", json.dumps(ids.dom_id(ids.live(TAB, "figframe")))).replace(
    "NAMES", json.dumps(list(TRAIN_OUTPUTS))
)
"""Applies frames in the browser: its outputs are :data:`TRAIN_OUTPUTS`, in order."""
