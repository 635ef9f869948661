"""The training's loss curve: a bounded record of (step, loss) points and its figure.

The record lives in the "loss" store and grows with every training frame; when full it keeps
every other point and records only every 2nd (4th, ...) step from then on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.i18n import t
from dashboard.views.builder.records import whole

LOSS_POINTS = 1000
"""The loss curve keeps at most this many points: when full, every other point is dropped and
only every 2nd (4th, ...) step is recorded from then on."""


def empty_loss() -> dict[str, Any]:
    return {"stride": 1, "step": [], "loss": []}


def extend_loss(record: Any, first_step: int, losses: Sequence[float]) -> dict[str, Any]:
    """The loss history with the losses of steps ``first_step``, ``first_step + 1``, ...
    appended, thinned to at most :data:`LOSS_POINTS` points (every ``stride``-th step).

    The curve always ends at the last step taken, so it agrees with the "Step N" line: that
    last point is kept even when it is off the stride, and dropped again when the next frame
    appends (it is then no longer the last)."""
    ok = (
        isinstance(record, Mapping)
        and whole(record.get("stride")) is not None
        and isinstance(record.get("step"), list)
        and isinstance(record.get("loss"), list)
        and len(record["step"]) == len(record["loss"])
    )
    rec = dict(record) if ok else empty_loss()  # type: ignore[arg-type]
    stride = max(1, whole(rec["stride"]) or 1)
    steps, values = list(rec["step"]), list(rec["loss"])
    if losses and steps and isinstance(steps[-1], int) and steps[-1] % stride:
        steps, values = steps[:-1], values[:-1]  # the previous frame's off-stride end
    last = first_step + len(losses) - 1
    for i, loss in enumerate(losses):
        step = first_step + i
        if (step % stride == 0 or step == last) and math.isfinite(loss):
            steps.append(step)
            values.append(float(f"{loss:.6g}"))
        if len(steps) > LOSS_POINTS:
            stride *= 2
            keep = [
                k
                for k, s in enumerate(steps)
                if isinstance(s, int) and (s % stride == 0 or s == last)
            ]
            steps, values = [steps[k] for k in keep], [values[k] for k in keep]
    return {"stride": stride, "step": steps, "loss": values}


def loss_figure(record: Any, lang: str) -> dict[str, Any]:
    rec = record if isinstance(record, Mapping) else empty_loss()
    axis = {"showgrid": True, "gridcolor": "#e5e8ee"}
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "uid": "loss",
                "x": list(rec.get("step", [])),
                "y": list(rec.get("loss", [])),
                "name": t(lang, "builder.loss.trace"),
                "line": {"color": "#d62728", "width": 2},
                "hovertemplate": "%{x}: %{y:.4g}<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": t(lang, "builder.loss.title"), "x": 0.5, "xanchor": "center"},
            "xaxis": {**axis, "title": {"text": t(lang, "builder.loss.x")}},
            "yaxis": {**axis, "type": "log", "title": {"text": t(lang, "builder.loss.y")}},
            "showlegend": False,
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "margin": {"l": 60, "r": 10, "t": 40, "b": 40},
            "height": 260,
            "uirevision": "keep",
        },
    }
