"""The builder tab: a network of the student's shape, its sliders, its diagram, and training.

The student chooses 1 to 4 hidden layers of 1 to 8 units, an activation per layer, a seed and
a problem (the approximation tabs' target controls). Each architecture becomes an
:class:`~dashboard.sections.ApproxSpec` (:func:`spec_for`, cached), so the one approximation
view draws it: ``approx.update_all`` gives the figure (or a Patch), the score, the goal and
the gradient hints, ``coach.run_fit`` the least-squares Fit.

Training runs on the server a bounded call at a time (``model.train.run``), with the whole
:class:`~dashboard.model.train.TrainState` kept in a ``dcc.Store`` in the browser: while it
plays, a ``dcc.Interval`` tick sends the state, the tick callback takes as many optimiser
steps as fit in :data:`TICK_BUDGET` and sends back the state, every slider's new value and
the loss curve. The sliders then drive the plot, the score and the diagram through the
figure callback, as a hand move would. A slider moved by hand while paused is taken into
the state (``TrainState.with_theta``) before the next step.

Callbacks are registered once, for every architecture: each takes the architecture from the
"arch" store and builds (or finds) its spec per request.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from dash import ALL, Dash, Input, Output, Patch, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.exercises import Exercise
from dashboard.figures import slots
from dashboard.figures_diagram import diagram_figure, diagram_patch
from dashboard.i18n import normalise, t
from dashboard.model import get_activation
from dashboard.model.train import (
    MAX_LAYERS,
    MAX_SEED,
    MAX_UNITS,
    Architecture,
    TrainConfig,
    TrainError,
    TrainState,
    init_state,
    run,
    unit_parameter_names,
)
from dashboard.netspec import (
    BATCH_CHOICES,
    DEFAULT_ACTIVATION,
    DEFAULT_CONFIG,
    DEFAULT_SEED,
    DEFAULT_UNITS,
    DEFAULT_WIDTHS,
    GRID,
    TAB,
    spec_for,
)
from dashboard.numbers import fmt
from dashboard.problem import Problem, ProblemError, build
from dashboard.sections import STEP, ApproxSpec, Param
from dashboard.train_text import error_text, stop_text
from dashboard.views import approx, classroom
from dashboard.views.coach import fit_outputs, run_fit, widened
from dashboard.views.common import (
    GRAPH_CONFIG,
    activation_keys,
    activation_options,
    check_values,
    control_row,
    input_names,
    marks,
    section,
    status,
    text,
)

TICK_MS = 100
"""Pause between a training frame's answer and the next frame's request while playing."""
TICK_BUDGET = 0.06
"""Seconds of optimiser steps per frame (``run``'s time budget); a frame also needs the
(de)serialising of the state and the response, a few milliseconds."""
TICK_STEPS = 500
"""At most this many steps per frame (the time budget usually stops it first)."""
LOSS_POINTS = 1000
"""The loss curve keeps at most this many points: when full, every other point is dropped and
only every 2nd (4th, ...) step is recorded from then on."""
HIGHLIGHT_WIDTH = 5
"""Line width of the selected unit's curve (others: Plotly's default, 2)."""
NORMAL_WIDTH = 2
PROGRESS = "status progress"
"""The training line's class while it reports progress (errors keep the plain "status")."""
LR_BOX = "lr-box"
"""The learning-rate box's class; " invalid" is added while it holds a value not allowed."""


# --- architecture and spec ---------------------------------------------------------------------


def arch_record(arch: Architecture) -> dict[str, list[Any]]:
    """What the "arch" store holds: the widths and the activations."""
    return {"widths": list(arch.widths), "activations": list(arch.activations)}


def arch_of(record: Any) -> Architecture | None:
    """The architecture an "arch" store holds, or None if it holds nothing valid."""
    if not isinstance(record, Mapping):
        return None
    widths, acts = record.get("widths"), record.get("activations")
    if not isinstance(widths, list) or not isinstance(acts, list):
        return None
    try:
        return Architecture(tuple(widths), tuple(acts))
    except TrainError:
        return None


def spec_of(arch: Architecture) -> ApproxSpec:
    return spec_for(arch.widths, arch.activations)


def default_state() -> TrainState:
    arch = Architecture(DEFAULT_WIDTHS, (DEFAULT_ACTIVATION,) * len(DEFAULT_WIDTHS))
    return init_state(arch, DEFAULT_CONFIG, DEFAULT_SEED, (GRID.lo, GRID.hi))


def _whole(value: Any) -> int | None:
    """A typed whole number (an integral float counts), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    return int(value)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def read_architecture(
    layers: Any, units: Sequence[Any], activations: Sequence[Any], lang: str
) -> tuple[Architecture | None, str]:
    """The architecture the controls describe, or None and a message naming the limit."""
    n = _whole(layers)
    if n is None or not 1 <= n <= MAX_LAYERS or len(units) < n or len(activations) < n:
        if layers is None:  # the box holds no number (empty, or text the browser refused)
            return None, t(lang, "builder.error.layers_blank", max=MAX_LAYERS)
        return None, t(lang, "builder.error.layers", value=_shown(layers), max=MAX_LAYERS)
    widths = []
    for k in range(n):
        w = _whole(units[k])
        if w is None or not 1 <= w <= MAX_UNITS:
            key = "builder.error.units_blank" if units[k] is None else "builder.error.units"
            return None, t(lang, key, layer=k + 1, value=_shown(units[k]), max=MAX_UNITS)
        widths.append(w)
    try:
        return Architecture(tuple(widths), tuple(activations[:n])), ""
    except TrainError as e:
        return None, error_text(lang, e)


def read_seed(seed: Any, lang: str) -> tuple[int | None, str]:
    s = _whole(seed)
    if s is None or not 0 <= s <= MAX_SEED:
        return None, t(lang, "train.error.seed", max=MAX_SEED)
    return s, ""


def read_config(lr: Any, optimizer: Any, batch: Any, lang: str) -> tuple[TrainConfig | None, str]:
    """Training settings from the controls, or None and a message."""
    if isinstance(lr, bool) or not isinstance(lr, int | float) or not math.isfinite(lr):
        return None, t(lang, "builder.error.lr", value=_shown(lr))
    try:
        return TrainConfig(str(optimizer), float(lr), batch_size=batch), ""
    except TrainError as e:
        return None, error_text(lang, e)


def theta_of(spec: ApproxSpec, values: Mapping[str, float]) -> np.ndarray:
    """The flat parameter vector of named values (``parameter_vector`` order)."""
    return np.array([values[n] for n in spec.theta_names], dtype=float)


def selected_unit(record: Any, arch: Architecture) -> tuple[int, int] | None:
    """The (layer, unit) a "selected" store names, if it is a unit of ``arch`` (not x)."""
    if not isinstance(record, list) or len(record) != 2:
        return None
    layer, unit = (_whole(v) for v in record)
    sizes = (1, *arch.widths, 1)
    if layer is None or unit is None or not 1 <= layer < len(sizes):
        return None
    return (layer, unit) if 1 <= unit <= sizes[layer] else None


# --- loss curve ----------------------------------------------------------------------------------


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
        and _whole(record.get("stride")) is not None
        and isinstance(record.get("step"), list)
        and isinstance(record.get("loss"), list)
        and len(record["step"]) == len(record["loss"])
    )
    rec = dict(record) if ok else empty_loss()  # type: ignore[arg-type]
    stride = max(1, _whole(rec["stride"]) or 1)
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


# --- layout ------------------------------------------------------------------------------------


def _number_box(cid: dict[str, Any], value: Any, **kw: Any) -> dcc.Input:
    return dcc.Input(id=cid, type="number", value=value, debounce=True, **kw)


def _labelled(
    key: str, at: str, cid: dict[str, Any], control: Any, lang: str, **kw: Any
) -> html.Div:
    return html.Div(
        [html.Label(t(lang, key), id=ids.text(key, at), htmlFor=ids.dom_id(cid)), control],
        className="builder-field",
        **kw,
    )


def _layer_rows(arch: Architecture, lang: str) -> list[html.Div]:
    rows = []
    for k in range(1, MAX_LAYERS + 1):
        units = arch.widths[k - 1] if k <= len(arch.widths) else DEFAULT_UNITS
        act = arch.activations[k - 1] if k <= len(arch.activations) else DEFAULT_ACTIVATION
        units_id = ids.layer_control(TAB, "units", k)
        act_id = ids.layer_control(TAB, "activation", k)
        rows.append(
            html.Div(
                [
                    html.Span(
                        [text("builder.layer", f"{TAB}-row{k}", lang), f" {k}"],
                        className="builder-layer-name",
                    ),
                    html.Label(
                        t(lang, "builder.units"),
                        id=ids.text("builder.units", f"{TAB}-row{k}"),
                        htmlFor=ids.dom_id(units_id),
                    ),
                    _number_box(units_id, units, className="units-box", step="any"),
                    html.Label(
                        t(lang, "label.activation"),
                        id=ids.text("label.activation", f"{TAB}-row{k}"),
                        className="visually-hidden",
                    ),
                    dcc.Dropdown(
                        id=act_id,
                        options=activation_options(lang, activation_keys(TAB)),
                        value=act,
                        clearable=False,
                        searchable=False,
                        className="layer-activation",
                    ),
                ],
                id=ids.layer_row(TAB, k),
                hidden=k > len(arch.widths),
                className="builder-layer",
            )
        )
    return rows


def _architecture(state: TrainState, lang: str) -> html.Fieldset:
    layers_id = ids.control(TAB, "layers")
    seed_id = ids.control(TAB, "seed")
    return html.Fieldset(
        [
            text("builder.network", TAB, lang, html.Legend),
            _labelled(
                "builder.layers",
                TAB,
                layers_id,
                _number_box(layers_id, len(state.arch.widths), step="any", className="units-box"),
                lang,
            ),
            *_layer_rows(state.arch, lang),
            _labelled(
                "builder.seed",
                TAB,
                seed_id,
                _number_box(seed_id, state.seed, step="any", className="seed-box"),
                lang,
                **{"data-control": "seed"},
            ),
            text("builder.limits", TAB, lang, html.P, className="hint"),
            html.Div(id=ids.report(TAB, "arch"), className="status", role="status"),
        ],
        className="builder-network",
        **{"data-control": "network"},
    )


def _training(state: TrainState, lang: str) -> html.Fieldset:
    def button(what: str, extra: str = "", **kw: Any) -> html.Button:
        return html.Button(
            text(f"builder.{what}", f"{TAB}-{what}", lang),
            id=ids.action(TAB, what),
            n_clicks=0,
            className=f"action {extra}".strip(),
            **kw,
        )

    lr_id = ids.control(TAB, "lr")
    cfg = state.config
    return html.Fieldset(
        [
            text("builder.training", TAB, lang, html.Legend),
            html.Div(
                [
                    button("play", **{"aria-pressed": "false"}),
                    button("pause", "secondary"),
                    button("step", "secondary"),
                    button("reset", "secondary"),
                ],
                className="actions",
            ),
            _labelled(
                "builder.lr",
                TAB,
                lr_id,
                _number_box(lr_id, cfg.learning_rate, step="any", className=LR_BOX),
                lang,
            ),
            html.Div(id=ids.report(TAB, "lr"), className="status", role="status"),
            html.Div(
                [
                    text("builder.optimizer", TAB, lang, html.Span, className="field-name"),
                    dcc.RadioItems(
                        id=ids.control(TAB, "optimizer"),
                        options=[
                            {"label": text(f"builder.opt.{k}", TAB, lang), "value": k}
                            for k in ("adam", "sgd")
                        ],
                        value=cfg.optimizer,
                        inline=True,
                    ),
                ],
                className="builder-field",
            ),
            html.Div(
                [
                    text("builder.batch", TAB, lang, html.Span, className="field-name"),
                    dcc.RadioItems(
                        id=ids.control(TAB, "batch"),
                        options=[
                            {
                                "label": text("builder.batch.full", TAB, lang)
                                if b == 0
                                else str(b),
                                "value": b,
                            }
                            for b in BATCH_CHOICES
                        ],
                        value=cfg.batch_size,
                        inline=True,
                    ),
                ],
                className="builder-field",
            ),
            html.Div(
                stop_text(lang, state) if state.stop in ("nonfinite", "exploded") else "",
                id=ids.report(TAB, "train"),
                className="status" if state.stop in ("nonfinite", "exploded") else PROGRESS,
                role="status",
                **{"aria-live": "polite"},
            ),
            dcc.Interval(id=ids.ticker(TAB), interval=TICK_MS, disabled=True, n_intervals=0),
        ],
        className="builder-training",
        **{"data-control": "training"},
    )


def sliders(
    state: TrainState, lang: str, selected: tuple[int, int] | None = None
) -> list[Component]:
    """Every parameter's slider, grouped per layer and, inside it, per unit (foldable)."""
    arch = state.arch
    spec = spec_of(arch)
    values = dict(zip(spec.theta_names, state.theta.tolist(), strict=True))
    sizes = (1, *arch.widths, 1)
    out: list[Component] = []
    for layer in range(1, len(sizes)):
        last = layer == len(sizes) - 1
        at = f"{TAB}-l{layer}"
        if last:
            heading: list[Any] = [text("group.output", at, lang)]
        else:
            heading = [
                text("builder.layer", at, lang),
                f" {layer} · ",
                text(f"act.{arch.activations[layer - 1]}", at, lang),
            ]
        groups = []
        for unit in range(1, sizes[layer] + 1):
            rows = []
            for name in unit_parameter_names(arch.widths, layer, unit):
                v = values[name]
                lo, hi = widened(spec.param(name), v)
                rows.append(
                    control_row(
                        name,
                        ids.param(TAB, name),
                        ids.box(TAB, name),
                        lo,
                        hi,
                        STEP,
                        v,
                        ids.hint(TAB, name),
                    )
                )
            summary = (
                [text("trace.output", f"{at}-u{unit}", lang)]
                if last
                else [text("builder.unit", f"{at}-u{unit}", lang), f" {layer}.{unit}"]
            )
            groups.append(
                html.Details(
                    [html.Summary(summary), html.Div(rows, className="sliders")],
                    id=ids.unit_group(TAB, layer, unit),
                    open=selected == (layer, unit) or (selected is None and last),
                    className="unit-group",
                )
            )
        out.append(html.Div([html.H4(heading), *groups], className="layer-group"))
    return out


def exercise_table(exercises: Sequence[Exercise], lang: str) -> html.Details:
    """The shipped exercises, each with an Apply link: the builder's link of the exercise, so
    it opens as a shared link does (the page reloads; the address can be passed on)."""
    rows = [
        html.Tr(
            [
                html.Td(e.label(lang)),
                html.Td(
                    html.A(
                        t(lang, "exercises.open"),
                        href=f"?{e.query}&lang={lang}",
                        id={"type": "exercise", "tab": TAB, "row": k},
                        className="action apply",
                        title=t(lang, "exercises.open_title", name=e.label(lang)),
                    )
                ),
            ]
        )
        for k, e in enumerate(exercises)
    ]
    head = html.Thead(html.Tr([html.Th(t(lang, "exercises.name")), html.Th("")]))
    return html.Details(
        [
            html.Summary(text("exercises.title", TAB, lang)),
            text("exercises.hint", TAB, lang, html.P, className="hint"),
            html.Div(html.Table([head, html.Tbody(rows)]), className="table-wrap"),
        ],
        className="classroom classroom-presets",
        **{"data-control": "presets"},
    )


def layout(
    lang: str,
    state: TrainState | None = None,
    loss: Any = None,
    selected: tuple[int, int] | None = None,
    exercises: Sequence[Exercise] = (),
) -> html.Div:
    """The tab's body for ``state`` (the default network when None)."""
    state = state or default_state()
    spec = spec_of(state.arch)
    controls = [
        *([exercise_table(exercises, lang)] if exercises else []),
        _architecture(state, lang),
        approx.target_controls(spec, lang),
        _training(state, lang),
        html.Fieldset(
            [
                text("label.parameters", TAB, lang, html.Legend),
                text("builder.param_hint", TAB, lang, html.P, className="hint"),
                html.Div(sliders(state, lang, selected), id=ids.part(TAB, "sliders")),
                text("label.gradient_hint", TAB, lang, html.P, className="hint"),
            ],
            **{"data-control": "parameters"},
        ),
        status(TAB),
        html.Div(
            [
                html.Button(
                    text("fit.button", f"{TAB}-fit", lang),
                    id=ids.action(TAB, "fit"),
                    n_clicks=0,
                    className="action",
                ),
            ],
            className="actions",
        ),
        dcc.Loading(
            html.Div(id=ids.report(TAB, "fit"), className="report", role="status"), type="dot"
        ),
        classroom.export_group(TAB, lang),
        dcc.Store(id=ids.drawn(TAB), data=None),
        dcc.Store(id=ids.store(TAB, "arch"), data=arch_record(state.arch)),
        dcc.Store(id=ids.store(TAB, "train"), data=state.to_dict()),
        dcc.Store(id=ids.store(TAB, "loss"), data=loss if loss is not None else empty_loss()),
        dcc.Store(id=ids.store(TAB, "selected"), data=list(selected) if selected else None),
        dcc.Store(id=ids.live(TAB, "playing"), data=False),
        dcc.Store(id=ids.live(TAB, "frame"), data=None),
        dcc.Store(id=ids.live(TAB, "epoch"), data=0),
        dcc.Store(id=ids.live(TAB, "figframe"), data=None),
        dcc.Store(id=ids.live(TAB, "waiting"), data=False),
    ]
    net = state.network()
    score_line = html.Div(
        [html.Span(id=ids.score(TAB)), html.Span(id=ids.goal(TAB), className="goal-open")],
        className="score",
        role="status",
        **{"aria-live": "polite"},
    )
    under_plot = [
        score_line,
        html.Div(
            [
                html.Div(
                    [
                        text("diagram.title", TAB, lang, html.P, className="diagram-caption"),
                        dcc.Graph(
                            id=ids.diagram(TAB),
                            figure=diagram_figure(net, lang, selected),
                            config={**GRAPH_CONFIG, "displayModeBar": False},
                            className="diagram",
                        ),
                        text("builder.diagram_hint", TAB, lang, html.P, className="hint"),
                    ],
                    **{"data-control": "diagram"},
                ),
                html.Div(
                    dcc.Graph(
                        id=ids.loss_graph(TAB),
                        figure=loss_figure(loss, lang),
                        config={**GRAPH_CONFIG, "displayModeBar": False},
                        className="loss",
                    ),
                    **{"data-control": "loss"},
                ),
            ],
            className="builder-pane",
        ),
    ]
    return section(TAB, lang, controls, under_plot=under_plot)


class BuilderTab:
    """The tab builder the shell calls: ``tab(lang)`` gives the default body, and
    :meth:`from_snapshot` rebuilds the body of a kept network (its shape is not a default, so
    setting the default body's properties would not bring back its sliders)."""

    def __init__(self, exercises: Sequence[Exercise] = ()) -> None:
        self.exercises = tuple(exercises)

    def __call__(self, lang: str) -> html.Div:
        return layout(lang, exercises=self.exercises)

    def from_snapshot(self, lang: str, kept: Mapping[str, Any]) -> html.Div:
        def data(name: str) -> Any:
            entry = kept.get(ids.dom_id(ids.store(TAB, name)))
            return entry.get("data") if isinstance(entry, Mapping) else None

        try:
            state = TrainState.from_dict(data("train"))
        except TrainError:
            return layout(lang, exercises=self.exercises)
        return layout(
            lang,
            state,
            data("loss"),
            selected_unit(data("selected"), state.arch),
            self.exercises,
        )


TAB_BUILDER = BuilderTab()


# --- callbacks -----------------------------------------------------------------------------------


def hidden_trace(spec: ApproxSpec, problem: Problem, unit: tuple[int, int] | None) -> int | None:
    """Index in the figure's data of a hidden unit's curve (None for the output or none)."""
    if unit is None:
        return None
    for i, s in enumerate(slots(spec, problem.beyond, problem.stack)):
        if s.kind == "hidden" and (s.layer + 1, s.unit + 1) == unit:
            return i
    return None


def update(
    arch: Architecture,
    names: Sequence[str],
    values: Sequence[Any],
    lang: Any,
    controls: Sequence[Any],
    selected: Any,
    drawn: Any,
    hints: bool = True,
) -> tuple[Any, ...]:
    """The builder's figure, message, drawn record, score, goal, goal class, hints (by slider
    name; each "" without ``hints``) and diagram, through ``approx.update_all`` with the
    architecture's spec."""
    lang = normalise(lang)
    spec = spec_of(arch)
    if set(names) != set(spec.names):  # the sliders of another architecture: wait for ours
        raise PreventUpdate
    key = arch_record(arch)
    unit = selected_unit(selected, arch)
    prior = drawn if isinstance(drawn, dict) and drawn.get("arch") == key else None
    with_hints = hints
    if with_hints and prior is not None and prior.get("hints") is False:
        prior = None  # drawn by training frames, without hints: draw afresh, hints and all
    figure, message, record, score, goal, goal_class, texts = approx.update_all(
        spec, names, values, arch.activations[0], lang, prior, controls, hints=with_hints
    )
    by_name = dict(zip(spec.slider_order, texts, strict=True)) if isinstance(texts, list) else {}
    if message or (record is no_update and prior is None):
        return figure, message, record, score, goal, goal_class, by_name, no_update
    problem = build(spec, *controls)  # update_all checked it
    record = dict(prior if record is no_update else record)  # type: ignore[arg-type]
    was = selected_unit(prior.get("selected"), arch) if prior else None
    record.update(arch=key, selected=list(unit) if unit else None, hints=with_hints)
    net = spec.network(record["values"], get_activation(arch.activations[0]))
    if isinstance(figure, dict):
        index = hidden_trace(spec, problem, unit)
        if index is not None:
            figure["data"][index].setdefault("line", {})["width"] = HIGHLIGHT_WIDTH
        return figure, "", record, score, goal, goal_class, by_name, diagram_figure(net, lang, unit)
    if was != unit:
        if figure is no_update:
            figure = Patch()
        for who, width in ((was, NORMAL_WIDTH), (unit, HIGHLIGHT_WIDTH)):
            index = hidden_trace(spec, problem, who)
            if index is not None:
                figure["data"][index]["line"]["width"] = width
    elif figure is no_update:
        return figure, "", no_update, score, goal, goal_class, by_name, no_update
    return figure, "", record, score, goal, goal_class, by_name, diagram_patch(net, lang, unit)


FIGURE_OUTPUTS = ("figure", "message", "drawn", "score", "goal", "goal_class", "hints", "diagram")
"""What :func:`update` gives, in its order: the figure callback's outputs, which a training
frame also writes."""


def _drawn_by(update_out: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(FIGURE_OUTPUTS, update_out, strict=True))


def _slider_outputs(
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
    """One training frame, as named outputs (see :data:`TRAIN_OUTPUTS`): the new state, every
    slider's value (and range where it grew), the loss record and figure, the training line,
    whether playing stops, and what :func:`update` gives for the new values.

    The frame draws the plot itself, so the figure callback that the new slider values
    trigger finds nothing left to draw.

    The sliders' values win over the state's weights when they differ (a hand move while
    paused, or Fit): the state takes them with ``with_theta`` before stepping. A learning rate
    that is not allowed stops playing and is answered next to its box (``lr_message``).
    """
    lang = normalise(lang)
    try:
        state = TrainState.from_dict(state_data)
    except TrainError as e:
        return {"report": error_text(lang, e), "report_class": "status", "playing": False}
    spec = spec_of(state.arch)
    if set(names) != set(spec.names):
        raise PreventUpdate
    checked, message = check_values(names, values, lang)
    if checked is None:
        return {"report": message, "report_class": "status", "playing": False}
    config, message = read_config(*settings, lang)
    if config is None:
        return {"lr_message": message, "playing": False}
    try:
        problem = build(spec, *controls)
    except ProblemError as e:
        return {"report": t(lang, e.key, **e.fields), "report_class": "status", "playing": False}
    theta = theta_of(spec, checked)
    if not np.array_equal(theta, state.theta):
        state = state.with_theta(theta)
    state = state.with_config(config)
    x = problem.x()
    first = state.step + 1
    state, losses = run(state, x, problem.y(x), steps, budget)
    record = extend_loss(loss, first, losses.tolist())
    diverged = state.stop in ("nonfinite", "exploded")
    if diverged:
        message, style = stop_text(lang, state), "status"
    else:
        last = fmt(float(losses[-1]), lang, 4) if losses.size else "–"
        message = t(lang, "builder.progress", step=state.step, loss=last)
        style = PROGRESS
    sliders_out = _slider_outputs(spec, names, state.theta, lows, highs)
    return {
        "state": state.to_dict(),
        **sliders_out,
        "loss": record,
        "loss_figure": loss_figure(record, lang),
        "report": message,
        "report_class": style,
        "lr_message": "",
        "playing": False if diverged else no_update,
        **_drawn_by(
            update(
                state.arch,
                names,
                sliders_out["values"],
                lang,
                controls,
                selected,
                drawn,
                hints=steps == 1,
            )
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
    sliders_out = _slider_outputs(spec, names, state.theta, lows, highs, reset_ranges=True)
    loss = empty_loss()
    return {
        "state": state.to_dict(),
        **sliders_out,
        "loss": loss,
        "loss_figure": loss_figure(loss, lang),
        "report": t(lang, "builder.reset_done", seed=str(state.seed)),
        "report_class": PROGRESS,
        "playing": False,
        **_drawn_by(
            update(state.arch, names, sliders_out["values"], lang, controls, selected, drawn)
        ),
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
    :data:`REBUILD_OUTPUTS`). A choice beyond the limits changes nothing but the message."""
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
    }


def fit(
    arch: Architecture,
    names: Sequence[str],
    values: Sequence[Any],
    lows: Sequence[Any],
    highs: Sequence[Any],
    lang: Any,
    controls: Sequence[Any],
) -> tuple[Any, ...]:
    """Least squares from the sliders' values (coach.run_fit): values, mins, maxes, marks
    (in the order of ``names``) and the report."""
    lang = normalise(lang)
    spec = spec_of(arch)
    unchanged = [no_update] * len(names)
    if set(names) != set(spec.names):
        raise PreventUpdate
    try:
        problem = build(spec, *controls)
    except ProblemError as e:
        return unchanged, unchanged, unchanged, unchanged, t(lang, e.key, **e.fields)
    checked, message = check_values(names, values, lang)
    if checked is None:
        return unchanged, unchanged, unchanged, unchanged, message
    ranges = dict(zip(names, zip(lows, highs, strict=True), strict=True))
    fitted, new_ranges, report = run_fit(
        spec, checked, arch.activations[0], ranges, lang, problem, {}
    )
    return fit_outputs(names, fitted, new_ranges, report)


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
}""".replace("FIGFRAME", json.dumps(ids.dom_id(ids.live(TAB, "figframe"))))
"""Applies frames in the browser (see ``TRAIN_OUTPUTS``)."""


def _named(outputs: Mapping[str, tuple[Any, str]], values: Mapping[str, Any]) -> list[Any]:
    """A callback's answer in the order of ``outputs`` from named values: a name not given is
    left as it is (one ``no_update`` per component where the output is a pattern); a pattern's
    value given as a mapping is read by each component's ``name`` (the hints by slider)."""
    answer = []
    for name, listed in zip(outputs, ctx.outputs_list, strict=True):
        value = values.get(name, no_update)
        if isinstance(listed, list) and not isinstance(value, list):
            by_name = value if isinstance(value, Mapping) else {}
            value = [by_name.get(o["id"].get("name"), no_update) for o in listed]
        answer.append(value)
    return answer


def register(app: Dash) -> None:
    spec = spec_of(default_state().arch)
    target_inputs = [ids.target(TAB, f) for f in ids.TARGET_FIELDS]
    param = ids.param(TAB, ALL)

    @app.callback(
        Output(ids.live(TAB, "figframe"), "data"),
        Input(param, "value"),
        Input(ids.store(TAB, "arch"), "data"),
        Input(ids.LANG, "value"),
        *(Input(cid, "value") for cid in target_inputs),
        Input(ids.store(TAB, "selected"), "data"),
        State(ids.drawn(TAB), "data"),
        State(ids.live(TAB, "playing"), "data"),
        State(ids.live(TAB, "epoch"), "data"),
    )
    def _figure(values: list, arch_data: Any, lang: Any, *rest: Any) -> dict[str, Any]:
        """The plot for the sliders, as a frame (see ``APPLY_JS``). After a training frame,
        which drew the plot itself, it finds nothing to draw; while playing it leaves the hints
        out, as the frames do."""
        *controls, selected, drawn, playing, epoch = rest
        arch = arch_of(arch_data)
        if arch is None:
            raise PreventUpdate
        out = update(
            arch, input_names(0), values, lang, controls, selected, drawn,
            hints=playing is not True,
        )  # fmt: skip
        return {"kind": "figure", "base": values, "epoch": epoch, "out": _drawn_by(out)}

    actions = ("pause", "step", "reset")

    @app.callback(
        Output(ids.live(TAB, "frame"), "data"),
        Input(ids.ticker(TAB), "n_intervals"),
        *(Input(ids.action(TAB, what), "n_clicks") for what in actions),
        State(ids.store(TAB, "train"), "data"),
        State(param, "value"),
        State(param, "min"),
        State(param, "max"),
        State(ids.LANG, "value"),
        *(State(cid, "value") for cid in target_inputs),
        State(ids.control(TAB, "lr"), "value"),
        State(ids.control(TAB, "optimizer"), "value"),
        State(ids.control(TAB, "batch"), "value"),
        State(ids.store(TAB, "loss"), "data"),
        State(ids.store(TAB, "selected"), "data"),
        State(ids.drawn(TAB), "data"),
        State(ids.live(TAB, "epoch"), "data"),
        prevent_initial_call=True,
    )
    def _train(_n: Any, *rest: Any) -> dict[str, Any]:
        """Every training action, answered as a frame: its kind, the sliders' values it
        started from ("base") and its named outputs, which ``APPLY_JS`` applies in the browser
        only if nothing has moved on since (see there). A button pressed in the same moment
        as a tick counts as the button."""
        clicks = dict(zip(actions, rest[: len(actions)], strict=True))
        state_data, values, lows, highs, lang, *more = rest[len(actions) :]
        *controls, lr, optimizer, batch, loss, selected, drawn, epoch = more
        pressed = {ids.dom_id(ids.action(TAB, k)) + ".n_clicks": k for k in actions}
        button = next((pressed[p] for p in ctx.triggered_prop_ids if p in pressed), None)
        if button is not None and not clicks[button]:
            raise PreventUpdate
        names = [item["id"]["name"] for item in ctx.states_list[1]]
        out: dict[str, Any] = {}
        try:
            if button == "pause":  # the plot as it stands, with the hints frames leave out
                state = TrainState.from_dict(state_data)
                figure = update(state.arch, names, values, lang, controls, selected, drawn)
                out = {"playing": False, **_drawn_by(figure)}
            elif button == "reset":
                out = reset(state_data, names, lows, highs, lang, controls, selected, drawn)
            else:
                out = tick(
                    state_data, names, values, lows, highs, lang, controls,
                    (lr, optimizer, batch), loss, 1 if button == "step" else TICK_STEPS,
                    selected=selected, drawn=drawn,
                )  # fmt: skip
        except (PreventUpdate, TrainError):  # another network's sliders, or a bad state
            out = {"playing": False} if button == "pause" else {}
        if out:  # a figure answer asked for before this frame no longer fits the plot
            out["epoch"] = (epoch if isinstance(epoch, int) else 0) + 1
        return {"kind": button or "tick", "base": values, "out": out}

    app.clientside_callback(
        APPLY_JS.replace("NAMES", json.dumps(list(TRAIN_OUTPUTS))),
        *(Output(cid, prop, allow_duplicate=True) for cid, prop in TRAIN_OUTPUTS.values()),
        Input(ids.live(TAB, "frame"), "data"),
        Input(ids.live(TAB, "figframe"), "data"),
        State(param, "value"),
        State(ids.live(TAB, "playing"), "data"),
        State(ids.live(TAB, "epoch"), "data"),
        prevent_initial_call=True,
    )

    rebuild_outputs = {
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
    }

    @app.callback(
        *(Output(cid, prop, allow_duplicate=True) for cid, prop in rebuild_outputs.values()),
        Input(ids.control(TAB, "layers"), "value"),
        Input(ids.layer_control(TAB, "units", ALL), "value"),
        Input(ids.layer_control(TAB, "activation", ALL), "value"),
        Input(ids.control(TAB, "seed"), "value"),
        State(ids.LANG, "value"),
        *(State(cid, "value") for cid in target_inputs),
        State(ids.store(TAB, "train"), "data"),
        prevent_initial_call=True,
    )
    def _rebuild(
        layers: Any, units: list, activations: list, seed: Any, lang: Any, *rest: Any
    ) -> list:
        *controls, state_data = rest
        out = rebuild(layers, units, activations, seed, lang, controls, state_data)
        return _named(rebuild_outputs, out)

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

    # Playing, in the browser: Play sets the "playing" store, Pause and Reset clear it (the
    # server's answer to them clears it too, as does divergence or a refused setting). A tick
    # sets "waiting" until its frame is answered; the ticker runs only while playing and not
    # waiting, so frames never overlap and none is computed from a state older than the last.
    app.clientside_callback(
        """function () {
            const play = PLAY;
            const on = window.dash_clientside.callback_context.triggered.some(
                (t) => t.prop_id === play);
            return [on, on ? window.dash_clientside.no_update : true];
        }""".replace("PLAY", json.dumps(ids.dom_id(ids.action(TAB, "play")) + ".n_clicks")),
        Output(ids.live(TAB, "playing"), "data", allow_duplicate=True),
        # Pause and Reset stop the ticker themselves: the callback below waits for "playing"
        # while the training callback (which also writes it) is on its way, and a tick in
        # that moment would replace their request.
        Output(ids.ticker(TAB), "disabled", allow_duplicate=True),
        Input(ids.action(TAB, "play"), "n_clicks"),
        Input(ids.action(TAB, "pause"), "n_clicks"),
        Input(ids.action(TAB, "reset"), "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        "function () { return true; }",
        Output(ids.live(TAB, "waiting"), "data", allow_duplicate=True),
        Input(ids.ticker(TAB), "n_intervals"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        """function (playing, waiting) {
            const on = playing === true;
            return [!on || waiting === true, on ? "true" : "false",
                    on ? "action playing" : "action"];
        }""",
        Output(ids.ticker(TAB), "disabled"),
        Output(ids.action(TAB, "play"), "aria-pressed"),
        Output(ids.action(TAB, "play"), "className"),
        Input(ids.live(TAB, "playing"), "data"),
        Input(ids.live(TAB, "waiting"), "data"),
    )

    @app.callback(
        Output(ids.store(TAB, "selected"), "data", allow_duplicate=True),
        Output(ids.unit_group(TAB, ALL, ALL), "open"),
        Input(ids.diagram(TAB), "clickData"),
        State(ids.store(TAB, "arch"), "data"),
        prevent_initial_call=True,
    )
    def _select(click: Any, arch_data: Any) -> tuple:
        arch = arch_of(arch_data)
        try:
            data = click["points"][0]["customdata"]
            # A node holds [layer, unit]; an edge [layer, from, to]: it selects the unit it enters.
            layer, unit = (data[0], data[2]) if len(data) == 3 else data[:2]
        except (TypeError, KeyError, IndexError, ValueError):
            raise PreventUpdate from None
        chosen = selected_unit([layer, unit], arch) if arch else None
        if chosen is None:  # the input x, or the point of an edge
            raise PreventUpdate
        opened = [
            True if (o["id"]["layer"], o["id"]["unit"]) == chosen else no_update
            for o in ctx.outputs_list[1]
        ]
        return list(chosen), opened

    @app.callback(
        Output(param, "value", allow_duplicate=True),
        Output(param, "min", allow_duplicate=True),
        Output(param, "max", allow_duplicate=True),
        Output(param, "marks", allow_duplicate=True),
        Output(ids.report(TAB, "fit"), "children"),
        Input(ids.action(TAB, "fit"), "n_clicks"),
        State(param, "value"),
        State(param, "min"),
        State(param, "max"),
        State(ids.store(TAB, "arch"), "data"),
        State(ids.LANG, "value"),
        *(State(cid, "value") for cid in target_inputs),
        prevent_initial_call=True,
    )
    def _fit(clicks: Any, values: list, lows: list, highs: list, arch_data: Any, lang: Any,
             *controls: Any) -> tuple:  # fmt: skip
        arch = arch_of(arch_data)
        if not clicks or arch is None:
            raise PreventUpdate
        names = [item["id"]["name"] for item in ctx.states_list[0]]
        return fit(arch, names, values, lows, highs, lang, controls)

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

    approx.register_target(app, spec)
    classroom.register_export(
        app, TAB, [State(param, "value"), State(ids.store(TAB, "arch"), "data")], export_source
    )


def export_source(values: Any, arch_data: Any, lang: str) -> Any:
    """What the "Code" section exports: the architecture's spec with the sliders' values
    (each hidden layer's activation comes with the spec), or a message naming a bad value."""
    arch = arch_of(arch_data)
    if arch is None or not isinstance(values, list):
        raise PreventUpdate
    spec = spec_of(arch)
    names = [item["id"]["name"] for item in ctx.states_list[1]]
    checked, message = check_values(names, values, lang)
    if checked is None:
        return message
    if set(checked) != set(spec.names):  # the sliders of another architecture
        raise PreventUpdate
    return spec, checked, None, None
