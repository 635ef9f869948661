"""The builder's actions as pure functions of the page's values: a training frame
(:func:`tick`), Reset, a new architecture (:func:`rebuild`) and Fit, each answering named
outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from dash import no_update
from dash.exceptions import PreventUpdate

from dashboard.figures_diagram import diagram_figure
from dashboard.i18n import normalise, t
from dashboard.model.train import MAX_LAYERS, Architecture, TrainError, TrainState, init_state, run
from dashboard.netspec import DEFAULT_CONFIG
from dashboard.numbers import fmt
from dashboard.problem import Problem, ProblemError, build
from dashboard.sections import ApproxSpec, Param
from dashboard.train_text import error_text, stop_text
from dashboard.views.builder.controls import PROGRESS
from dashboard.views.builder.figure import update
from dashboard.views.builder.layout import sliders
from dashboard.views.builder.loss import empty_loss, extend_loss, loss_figure
from dashboard.views.builder.records import (
    arch_record,
    default_state,
    read_architecture,
    read_config,
    read_seed,
    spec_of,
    theta_of,
)
from dashboard.views.coach import fit_outputs, run_fit, widened
from dashboard.views.common import check_values, marks

TICK_BUDGET = 0.06
"""Seconds of optimiser steps per frame (``run``'s time budget); a frame also needs the
(de)serialising of the state and the response, a few milliseconds."""
TICK_STEPS = 500
"""At most this many steps per frame (the time budget usually stops it first)."""


def slider_outputs(
    spec: ApproxSpec,
    names: Sequence[str],
    theta: np.ndarray,
    lows: Sequence[Any],
    highs: Sequence[Any],
    reset_ranges: bool = False,
) -> dict[str, list[Any]]:
    """Every slider's new value, and its range and marks where the value left the range
    (``reset_ranges``: every range back to the parameter's own, widened to hold the value)."""
    new = dict(zip(spec.theta_names, theta.tolist(), strict=True))
    out: dict[str, list[Any]] = {"values": [], "mins": [], "maxes": [], "marks": []}
    for name, lo, hi in zip(names, lows, highs, strict=True):
        v = new[name]
        p = spec.param(name)
        if reset_ranges:
            lo_f, hi_f = p.lo, p.hi
        else:
            lo_f = lo if isinstance(lo, int | float) and not isinstance(lo, bool) else p.lo
            hi_f = hi if isinstance(hi, int | float) and not isinstance(hi, bool) else p.hi
        w_lo, w_hi = widened(Param(name, 0.0, lo_f, hi_f), v)
        grown = reset_ranges or (w_lo, w_hi) != (lo_f, hi_f)
        out["values"].append(v)
        out["mins"].append(w_lo if grown else no_update)
        out["maxes"].append(w_hi if grown else no_update)
        out["marks"].append(marks(w_lo, w_hi) if grown else no_update)
    return out


def prepare(
    state_data: Any,
    names: Sequence[str],
    values: Sequence[Any] | None,
    lang: str,
    controls: Sequence[Any],
    settings: tuple[Any, Any, Any],
) -> tuple[TrainState, ApproxSpec, Problem] | dict[str, Any]:
    """The state to train from (with the sliders' values and the settings), its spec and its
    problem; or the named outputs that refuse the request (a bad state, value, setting or
    problem stops playing).

    The sliders' values win over the state's weights when they differ (a hand move while
    paused, or Fit): the state takes them with ``with_theta``; ``values`` None keeps the
    state's weights (a batch continuing the last). A learning rate that is not
    allowed is answered next to its box (``lr_message``)."""
    try:
        state = TrainState.from_dict(state_data)
    except TrainError as e:
        return {"report": error_text(lang, e), "report_class": "status", "playing": False}
    spec = spec_of(state.arch)
    if set(names) != set(spec.names):
        raise PreventUpdate
    checked, message = check_values(names, values, lang) if values is not None else ({}, "")
    if checked is None:
        return {"report": message, "report_class": "status", "playing": False}
    config, message = read_config(*settings, lang)
    if config is None:
        return {"lr_message": message, "playing": False}
    try:
        problem = build(spec, *controls)
    except ProblemError as e:
        return {"report": t(lang, e.key, **e.fields), "report_class": "status", "playing": False}
    theta = theta_of(spec, checked) if checked else state.theta
    if not np.array_equal(theta, state.theta):
        state = state.with_theta(theta)
    return state.with_config(config), spec, problem


def progress(state: TrainState, losses: np.ndarray, lang: str) -> tuple[str, str]:
    """The training line after a run and its class: the step and the last loss, or why the
    run stopped when it diverged."""
    if state.stop in ("nonfinite", "exploded"):
        return stop_text(lang, state), "status"
    last = fmt(float(losses[-1]), lang, 4) if losses.size else "–"
    return t(lang, "builder.progress", step=state.step, loss=last), PROGRESS


def tick(
    state_data: Any,
    names: Sequence[str],
    values: Sequence[Any],
    lows: Sequence[Any],
    highs: Sequence[Any],
    lang: Any,
    controls: Sequence[Any],
    settings: tuple[Any, Any, Any],
    loss: Any,
    steps: int,
    budget: float = TICK_BUDGET,
    selected: Any = None,
    drawn: Any = None,
) -> dict[str, Any]:
    """One training frame (One step), as named outputs (see :data:`TRAIN_OUTPUTS`): the new
    state, every slider's value (and range where it grew), the loss record and figure, the
    training line, whether playing stops, and what :func:`update` gives for the new values
    (see :func:`prepare` for what is refused).

    The frame draws the plot itself, so the figure callback that the new slider values
    trigger finds nothing left to draw.
    """
    lang = normalise(lang)
    prepared = prepare(state_data, names, values, lang, controls, settings)
    if isinstance(prepared, dict):
        return prepared
    state, spec, problem = prepared
    x = problem.x()
    first = state.step + 1
    state, losses = run(state, x, problem.y(x), steps, budget)
    record = extend_loss(loss, first, losses.tolist())
    message, style = progress(state, losses, lang)
    sliders_out = slider_outputs(spec, names, state.theta, lows, highs)
    return {
        "state": state.to_dict(),
        **sliders_out,
        "loss": record,
        "loss_figure": loss_figure(record, lang),
        "report": message,
        "report_class": style,
        "lr_message": "",
        "playing": False if style != PROGRESS else no_update,
        **update(
            state.arch,
            names,
            sliders_out["values"],
            lang,
            controls,
            selected,
            drawn,
            hints=steps == 1,
        ),
    }


def reset(
    state_data: Any,
    names: Sequence[str],
    lows: Sequence[Any],
    highs: Sequence[Any],
    lang: Any,
    controls: Sequence[Any],
    selected: Any = None,
    drawn: Any = None,
) -> dict[str, Any]:
    """Back to the seed's starting weights, for the network and seed the state holds: a fresh
    state, every slider at its starting value and range, an empty loss curve, playing stopped."""
    lang = normalise(lang)
    try:
        old = TrainState.from_dict(state_data)
    except TrainError:
        old = default_state()
    spec = spec_of(old.arch)
    if set(names) != set(spec.names):
        raise PreventUpdate
    try:
        problem = build(spec, *controls)
    except ProblemError:
        problem = Problem.default(spec)
    state = init_state(old.arch, old.config, old.seed, (problem.lo, problem.hi))
    sliders_out = slider_outputs(spec, names, state.theta, lows, highs, reset_ranges=True)
    loss = empty_loss()
    return {
        "state": state.to_dict(),
        **sliders_out,
        "loss": loss,
        "loss_figure": loss_figure(loss, lang),
        "report": t(lang, "builder.reset_done", seed=str(state.seed)),
        "report_class": PROGRESS,
        "playing": False,
        **update(state.arch, names, sliders_out["values"], lang, controls, selected, drawn),
    }


def rebuild(
    layers: Any,
    units: Sequence[Any],
    activations: Sequence[Any],
    seed: Any,
    lang: Any,
    controls: Sequence[Any],
    state_data: Any,
) -> dict[str, Any]:
    """A fresh network of the chosen shape and seed, as named outputs (see
    ``callbacks.REBUILD_OUTPUTS``). A choice beyond the limits changes nothing but the message."""
    lang = normalise(lang)
    arch, message = read_architecture(layers, units, activations, lang)
    s, seed_message = read_seed(seed, lang)
    if arch is None or s is None:
        return {"arch_message": message or seed_message}
    spec = spec_of(arch)
    try:
        problem = build(spec, *controls)
    except ProblemError:
        problem = Problem.default(spec)
    try:
        config = TrainState.from_dict(state_data).config
    except TrainError:
        config = DEFAULT_CONFIG
    state = init_state(arch, config, s, (problem.lo, problem.hi))
    loss = empty_loss()
    return {
        "sliders": sliders(state, lang),
        "arch": arch_record(arch),
        "state": state.to_dict(),
        "loss": loss,
        "loss_figure": loss_figure(loss, lang),
        "selected": None,
        "arch_message": "",
        "rows_hidden": [k > len(arch.widths) for k in range(1, MAX_LAYERS + 1)],
        "playing": False,
        "diagram": diagram_figure(state.network(), lang),
        "drawn": None,
        "report": "",
        "feedback": None,
    }


def fit(
    arch: Architecture,
    names: Sequence[str],
    values: Sequence[Any],
    lows: Sequence[Any],
    highs: Sequence[Any],
    lang: Any,
    controls: Sequence[Any],
) -> dict[str, Any]:
    """Least squares from the sliders' values (coach.run_fit), as named outputs: "values",
    "mins", "maxes", "marks" (in the order of ``names``) and the "report"; only the report
    when the problem or a value is refused."""
    lang = normalise(lang)
    spec = spec_of(arch)
    if set(names) != set(spec.names):
        raise PreventUpdate
    try:
        problem = build(spec, *controls)
    except ProblemError as e:
        return {"report": t(lang, e.key, **e.fields)}
    checked, message = check_values(names, values, lang)
    if checked is None:
        return {"report": message}
    ranges = dict(zip(names, zip(lows, highs, strict=True), strict=True))
    fitted, new_ranges, report = run_fit(
        spec, checked, arch.activations[0], ranges, lang, problem, {}
    )
    outputs = fit_outputs(names, fitted, new_ranges, report)
    return dict(zip(("values", "mins", "maxes", "marks", "report"), outputs, strict=True))
