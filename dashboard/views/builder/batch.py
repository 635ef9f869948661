"""Training while Play is on: a batch of frames per request, played back in the browser.

One request (:func:`batch`) takes up to ``TICK_BUDGET`` of optimiser steps, in
:data:`FRAMES` equal slices, and answers a frame after each slice: only what the frame changes
on the page, compactly. The browser (assets/playback.js) shows the frames one per
``1000 / FRAME_RATE`` ms while it asks for the next batch, which continues from the last
frame's state: the chain (state, loss record, drawn record) travels in the request, so the
server keeps nothing. A frame holds:

- ``step``, ``values`` (every slider's value, in the sliders' order), ``state`` (the whole
  training state after it, so Pause stops exactly there) and ``ranges`` (the sliders' min, max
  and marks where a value left its range, else None);
- ``plot`` and ``diagram``: the assignments the plot's and the diagram's Patches make for the
  new values (``[location, value]``; curves as typed arrays), hover texts left out;
- ``end`` ([step, loss]): the loss curve's last point; the batch's loss record holds the rest;
- ``report``, ``report_class`` (the training line), ``feedback`` (the score and goal, packed);
- ``stop``: true on the frame where training diverged (the last of its batch).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from dash import Patch, no_update

from dashboard.i18n import normalise
from dashboard.model.train import run
from dashboard.views.builder.figure import update
from dashboard.views.builder.loss import extend_loss
from dashboard.views.builder.training import (
    TICK_BUDGET,
    TICK_STEPS,
    prepare,
    progress,
    slider_outputs,
)

FRAMES = 12
"""Frames per batch: the steps a request takes are shown in this many frames."""
FRAME_RATE = 30
"""Frames shown per second while playing (the browser's playback rate)."""
SYNC_MS = 1000
"""While playing, the sliders and the training line are written at most this often."""
LOW_FRAMES = 2 * FRAMES
"""The next batch is asked for once fewer frames than this are left to show (the page looks
every ``controls.TICK_MS``, and the answer takes a round trip and ``TICK_BUDGET``)."""


def _ops(change: Any) -> list[list[Any]] | None:
    """The assignments of a Patch as ``[location, value]`` (hover texts left out: they are
    written when playing stops); None for a whole figure or nothing to change."""
    if not isinstance(change, Patch):
        return None
    ops = []
    for op in change.to_plotly_json()["operations"]:
        location = op["location"]
        if op["operation"] == "Assign" and location[-1] != "hovertext":
            ops.append([location, op["params"]["value"]])
    return ops


def _ranges(sliders: Mapping[str, list[Any]]) -> dict[str, list[Any]] | None:
    """The sliders' new ranges (None where a slider keeps its own), or None if none grew."""
    keys = ("mins", "maxes", "marks")
    if all(v is no_update for k in keys for v in sliders[k]):
        return None
    return {k: [None if v is no_update else v for v in sliders[k]] for k in keys}


def _chain(ask: Any, page: Mapping[str, Any]) -> tuple[Any, Any, Any, Any]:
    """Where a batch starts: the state, loss record and drawn record its request carries
    (the last batch's end), with no slider values to take; else the page's."""
    chain = ask.get("chain") if isinstance(ask, Mapping) else None
    if isinstance(chain, Mapping):
        return chain.get("state"), None, chain.get("loss"), chain.get("drawn")
    return page["state_data"], page["values"], page["loss"], page["drawn"]


def batch(
    ask: Any,
    names: Sequence[str],
    page: Mapping[str, Any],
    budget: float = TICK_BUDGET,
    frames: int = FRAMES,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The named outputs to apply at once (a refusal, or a whole figure where the drawn
    record does not fit) and the batch to play: its slider names, its loss record at its end,
    the drawn record of its last frame and the frames (see the module's docstring)."""
    lang = normalise(page["lang"])
    state_data, values, loss, drawn = _chain(ask, page)
    controls = page["controls"]
    prepared = prepare(state_data, names, values, lang, controls, page["settings"])
    if isinstance(prepared, dict):
        return prepared, None
    state, spec, problem = prepared
    x = problem.x()
    target = problem.y(x)
    shown: list[dict[str, Any]] = []
    now: dict[str, Any] = {}
    for _ in range(frames):
        first = state.step + 1
        state, losses = run(state, x, target, max(1, TICK_STEPS // frames), budget / frames)
        loss = extend_loss(loss, first, losses.tolist())
        report, report_class = progress(state, losses, lang)
        sliders = slider_outputs(spec, names, state.theta, page["lows"], page["highs"])
        drawn_out = update(
            state.arch, names, sliders["values"], lang, controls, page["selected"], drawn,
            hints=False,
        )  # fmt: skip
        if not shown:  # a whole figure is applied at once, before the frames
            now = {k: drawn_out[k] for k in ("figure", "diagram") if isinstance(drawn_out[k], dict)}
        if drawn_out["drawn"] is not no_update:
            drawn = drawn_out["drawn"]
        end = float(losses[-1]) if losses.size else math.nan
        frame = {
            "step": state.step,
            "values": sliders["values"],
            "state": state.to_dict(),
            "ranges": _ranges(sliders),
            "plot": _ops(drawn_out["figure"]),
            "diagram": _ops(drawn_out["diagram"]),
            "end": [state.step, float(f"{end:.6g}")] if math.isfinite(end) else None,
            "report": report,
            "report_class": report_class,
            "feedback": drawn_out["feedback"],
        }
        shown.append(frame)
        if state.stop in ("nonfinite", "exploded"):
            frame["stop"] = True
            break
    return now, {"names": list(names), "loss": loss, "drawn": drawn, "frames": shown}
