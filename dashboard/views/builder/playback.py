"""Playing, in the browser: Play, Pause and One step, the asking for batches, and the sliders
kept in step with the frames shown (assets/playback.js shows them).

Play sets the "playing" store, Pause and Reset clear it and halt the playback at once (as
does a refused setting, a bad state or divergence, through "playing"). While it is set the
ticker runs, and on each tick :data:`CONTROL_JS` asks for the next batch once fewer than
``LOW_FRAMES`` frames are left to show and none is on its way ("waiting"), and writes the
frame shown into the sliders and the training line at most every ``SYNC_MS``. When playing
stops, or One step is pressed, the playback halts on the frame shown and writes it whole: the
sliders, the state, the loss record and figure, the training line; the drawn record is
cleared and "halted" counted, so the figure callback draws that frame's plot with its hints.
One step then asks the server for one step from there. Reset drops the frame: the server's
answer brings the seed's start.
"""

from __future__ import annotations

import json
from typing import Any

from dash import ALL, Dash, Input, Output, State

from dashboard import ids
from dashboard.netspec import TAB
from dashboard.views import feedback
from dashboard.views.builder.batch import FRAME_RATE, LOW_FRAMES, SYNC_MS

PARAM = ids.param(TAB, ALL)

CONTROL_OUTPUTS: dict[str, tuple[Any, str]] = {
    "playing": (ids.live(TAB, "playing"), "data"),
    "values": (PARAM, "value"),
    "mins": (PARAM, "min"),
    "maxes": (PARAM, "max"),
    "marks": (PARAM, "marks"),
    "state": (ids.store(TAB, "train"), "data"),
    "loss": (ids.store(TAB, "loss"), "data"),
    "loss_figure": (ids.loss_graph(TAB), "figure"),
    "report": (ids.report(TAB, "train"), "children"),
    "report_class": (ids.report(TAB, "train"), "className"),
    "drawn": (ids.drawn(TAB), "data"),
    "halted": (ids.live(TAB, "halted"), "data"),
    "ask": (ids.live(TAB, "ask"), "data"),
    "waiting": (ids.live(TAB, "waiting"), "data"),
}
"""What :data:`CONTROL_JS` writes, by name (its outputs, in order)."""

TARGETS = {
    "plot": ids.dom_id(ids.graph(TAB)),
    "diagram": ids.dom_id(ids.diagram(TAB)),
    "loss": ids.dom_id(ids.loss_graph(TAB)),
    "feedback": ids.dom_id(ids.feedback(TAB)),
    "attribute": feedback.ATTRIBUTE,
    "frameMs": 1000 / FRAME_RATE,
}
"""Where the player draws a frame (the DOM ids of the graphs and of the feedback holder)."""

CONTROL_JS = (
    """function (_ticks, playing, _step, waiting, halted, ask, lossFigure) {
    // Playing: ask for the next batch when the queue runs low, and write the frame shown
    // into the sliders now and then. Not playing (or One step): halt on the frame shown and
    // write it whole; One step then asks for its step.
    const dc = window.dash_clientside, NU = dc.no_update, ctx = dc.callback_context;
    const player = window.activationPlayground.playback;
    const stepped = ctx.triggered.some((t) => t.prop_id === STEP);
    const started = ctx.triggered.some((t) => t.prop_id === PLAYING);
    const names = (ctx.outputs_list[1] || []).map((o) => o.id.name);
    const next = ((ask && ask.n) || 0) + 1;
    let out = {};
    if (playing === true && started && !stepped) {
        player.start(TARGETS);
    }
    if (playing === true && !stepped) {
        // (a playback halted by Pause or Reset in this moment: "playing" is being cleared)
        if (!player.playing()) {
            throw dc.PreventUpdate;
        }
        if (player.stopped()) {
            out.playing = false;
        } else if (waiting !== true && player.queued() < LOW) {
            out.ask = {kind: "batch", gen: player.gen(), n: next, chain: player.chain()};
            out.waiting = true;
        }
        const due = player.syncDue(SYNC);
        if (due) {
            out = Object.assign(player.written(due, names, null, false), out);
        }
    } else {
        player.halt();
        const shown = player.take();
        if (shown) {
            out = player.written(shown, names, lossFigure, true);
            out.drawn = null;
            out.halted = (typeof halted === "number" ? halted : 0) + 1;
        }
        if (stepped) {
            out.playing = false;
            out.ask = {kind: "step", gen: player.gen(), n: next};
        }
    }
    if (!Object.keys(out).length) {
        throw dc.PreventUpdate;  // most ticks: nothing to write, and no renderer work
    }
    return OUTPUTS.map((name, i) => {
        const spec = ctx.outputs_list[i];
        if (!Array.isArray(spec)) {
            return name in out ? out[name] : NU;
        }
        const v = out[name];
        return Array.isArray(v) && v.length === spec.length
            ? v.map((x) => (x === null ? NU : x)) : spec.map(() => NU);
    });
}""".replace("STEP", json.dumps(ids.dom_id(ids.action(TAB, "step")) + ".n_clicks"))
    .replace("PLAYING", json.dumps(ids.dom_id(ids.live(TAB, "playing")) + ".data"))
    .replace("TARGETS", json.dumps(TARGETS))
    .replace("LOW", str(LOW_FRAMES))
    .replace("SYNC", str(SYNC_MS))
    .replace("OUTPUTS", json.dumps(list(CONTROL_OUTPUTS)))
)
"""Runs the playback from the browser: its outputs are :data:`CONTROL_OUTPUTS`, in order."""


def register_playing(app: Dash) -> None:
    """Play, Pause and Reset set or clear "playing"; the ticker runs only while it is set;
    :data:`CONTROL_JS` on every tick, on a change of "playing" and on One step."""
    app.clientside_callback(
        """function () {
            // Pause and Reset halt the playback here, in the moment of the click; the frame
            // it stopped on is written by CONTROL_JS after Pause, and dropped on Reset (the
            // server answers Reset with the seed's start).
            const triggered = window.dash_clientside.callback_context.triggered;
            const on = triggered.some((t) => t.prop_id === PLAY);
            const player = window.activationPlayground.playback;
            if (!on) {
                player.halt();
            }
            if (triggered.some((t) => t.prop_id === RESET)) {
                player.take();
            }
            return [on, on ? window.dash_clientside.no_update : true];
        }""".replace("PLAY", json.dumps(ids.dom_id(ids.action(TAB, "play")) + ".n_clicks")).replace(
            "RESET", json.dumps(ids.dom_id(ids.action(TAB, "reset")) + ".n_clicks")
        ),
        Output(ids.live(TAB, "playing"), "data", allow_duplicate=True),
        # Pause and Reset stop the ticker themselves, in the same moment.
        Output(ids.ticker(TAB), "disabled", allow_duplicate=True),
        Input(ids.action(TAB, "play"), "n_clicks"),
        Input(ids.action(TAB, "pause"), "n_clicks"),
        Input(ids.action(TAB, "reset"), "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        """function (playing) {
            const on = playing === true;
            return [!on, on ? "true" : "false", on ? "action playing" : "action"];
        }""",
        Output(ids.ticker(TAB), "disabled"),
        Output(ids.action(TAB, "play"), "aria-pressed"),
        Output(ids.action(TAB, "play"), "className"),
        Input(ids.live(TAB, "playing"), "data"),
    )
    app.clientside_callback(
        CONTROL_JS,
        *(Output(cid, prop, allow_duplicate=True) for cid, prop in CONTROL_OUTPUTS.values()),
        Input(ids.ticker(TAB), "n_intervals"),
        Input(ids.live(TAB, "playing"), "data"),
        Input(ids.action(TAB, "step"), "n_clicks"),
        State(ids.live(TAB, "waiting"), "data"),
        State(ids.live(TAB, "halted"), "data"),
        State(ids.live(TAB, "ask"), "data"),
        State(ids.loss_graph(TAB), "figure"),
        prevent_initial_call=True,
    )
