"""The builder tab's body: the controls, the sliders grouped per layer and unit, the plot,
the diagram and the loss curve, for a training state (the default network, or one kept).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboard import ids
from dashboard.exercises import Exercise
from dashboard.figures_diagram import diagram_figure
from dashboard.i18n import t
from dashboard.model.train import TrainError, TrainState, unit_parameter_names
from dashboard.netspec import TAB
from dashboard.sections import STEP
from dashboard.views import classroom, feedback, target
from dashboard.views.builder.controls import architecture, training
from dashboard.views.builder.loss import empty_loss, loss_figure
from dashboard.views.builder.records import arch_record, default_state, selected_unit, spec_of
from dashboard.views.coach import widened
from dashboard.views.common import (
    GRAPH_CONFIG,
    HINT_CLASS,
    control_row,
    section,
    status,
    text,
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
            text("exercises.hint", TAB, lang, html.P, className=HINT_CLASS),
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
        architecture(state, lang),
        target.target_controls(spec, lang),
        training(state, lang),
        html.Fieldset(
            [
                text("label.parameters", TAB, lang, html.Legend),
                text("builder.param_hint", TAB, lang, html.P, className=HINT_CLASS),
                html.Div(sliders(state, lang, selected), id=ids.part(TAB, "sliders")),
                text("label.gradient_hint", TAB, lang, html.P, className=HINT_CLASS),
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
        dcc.Store(id=ids.live(TAB, "ask"), data=None),
        dcc.Store(id=ids.live(TAB, "halted"), data=0),
    ]
    net = state.network()
    under_plot = [
        feedback.score_line(TAB),
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
                        text("builder.diagram_hint", TAB, lang, html.P, className=HINT_CLASS),
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
