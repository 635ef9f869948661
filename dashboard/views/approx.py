"""Tabs 3-5: a network approximating a target. One view, parametrised by an ApproxSpec."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.figures import approx_figure, approx_patch
from dashboard.i18n import normalise, t
from dashboard.model import get_activation
from dashboard.presets import Preset, shipped
from dashboard.problem import Problem, ProblemError, build
from dashboard.sections import ApproxSpec
from dashboard.views import actparams, classroom, feedback, target
from dashboard.views import approx_actions as actions
from dashboard.views.coach import LivePass, live_pass
from dashboard.views.coach import feedback as live_feedback
from dashboard.views.common import (
    HINT_CLASS,
    activation_dropdown,
    activation_keys,
    check_activation,
    check_values,
    names_of,
    register_tabbar,
    section,
    slider,
    status,
    tabbar,
    text,
)
from dashboard.views.drawn import changed as drawn_changes


def load_presets(spec: ApproxSpec) -> list[Preset]:
    """The presets shipped for a tab (none if it has no file); a bad file raises PresetError."""
    return shipped(spec.preset_file, spec.names) if spec.preset_file else []


def _sliders(spec: ApproxSpec, lang: str) -> html.Div:
    if len(spec.groups) == 1:
        _, names = spec.groups[0]
        return html.Div(
            [slider(spec.key, spec.param(n), hint=True) for n in names], className="sliders"
        )
    return tabbar(
        spec.key,
        [
            (
                group.removeprefix("group."),
                group,
                html.Div(
                    [slider(spec.key, spec.param(n), hint=True) for n in names],
                    className="sliders",
                ),
            )
            for group, names in spec.groups
        ],
        lang,
        "label.parameters",
    )


def layout(spec: ApproxSpec, presets: Sequence[Preset], lang: str) -> html.Div:
    controls = [
        activation_dropdown(spec.key, lang, keys=activation_keys(spec.key)),
        *actparams.groups(spec.key, lang),
        target.target_controls(spec, lang),
        html.Fieldset(
            [
                text("label.parameters", spec.key, lang, html.Legend),
                _sliders(spec, lang),
                text("label.param_hint", spec.key, lang, html.P, className=HINT_CLASS),
                text("label.gradient_hint", spec.key, lang, html.P, className=HINT_CLASS),
            ]
        ),
        status(spec.key),
        *actions.layout(spec, lang),
        dcc.Store(id=ids.drawn(spec.key), data=None),
    ]
    controls += classroom.controls(spec.key, spec.names, presets, lang)
    return section(spec.key, lang, controls, under_plot=[feedback.score_line(spec.key)])


def update_all(
    spec: ApproxSpec,
    names: Sequence[str],
    values: Sequence[object],
    activation: object,
    lang: object,
    drawn: object = None,
    controls: Sequence[object] | None = None,
    *,
    params: Mapping[str, object] | None = None,
    hints: bool = True,
) -> tuple[Any, ...]:
    """``update`` plus the live score, the goal mark and the step hints (each "" when
    ``hints`` is false).

    ``controls`` are the target controls (ids.TARGET_FIELDS), None for the tab's
    own problem; ``params`` the chosen activation's own parameters (see ``update``).
    """
    nothing = (no_update, no_update, no_update, no_update)
    lang = normalise(lang)
    try:
        problem = build(spec, *controls) if controls is not None else Problem.default(spec)
    except ProblemError as e:
        return no_update, t(lang, e.key, **e.fields), no_update, *nothing
    figure, message, record, live = _update(
        spec, names, values, activation, lang, drawn, problem, params=params, live=True,
        hints=hints,
    )  # fmt: skip
    if live is None:  # a bad input, or nothing changed since the last draw
        return figure, message, record, *nothing
    # The figure was drawn from the same pass that scores it: reuse what ``_update`` checked.
    score_text, goal_text, goal_class, hint_texts = live_feedback(
        spec, record["values"], record["activation"], lang, problem, live=live
    )
    return figure, message, record, score_text, goal_text, goal_class, hint_texts


def update(
    spec: ApproxSpec,
    names: Sequence[str],
    values: Sequence[object],
    activation: object,
    lang: object,
    drawn: object = None,
    problem: Problem | None = None,
    *,
    params: Mapping[str, object] | None = None,
) -> tuple[Any, str, Any]:
    """Figure (whole, or a Patch), message and the new ``drawn`` record for the tab's inputs.

    ``params`` are the chosen activation's own parameters by name (ELU's α, ...; defaults
    where missing, checked against their ranges like the neuron tab's).

    ``drawn`` records what the figure in the browser was drawn from. When only parameters
    changed since then, a Patch redraws just the traces those parameters move; when the
    activation or the language changed, or nothing was drawn yet, the whole figure is sent.
    The record holds the activation's parameters under "params" when they differ from its
    defaults; a change of them moves every trace but the target, so the Patch then redraws
    all of those. Because the record travels with each response, a response the browser drops
    (Dash drops an older one when a newer request for the same callback is on its way) leaves
    the record unchanged too, and the next patch covers its changes as well.
    """
    figure, message, record, _ = _update(
        spec, names, values, activation, lang, drawn, problem, params=params, live=False
    )
    return figure, message, record


def _update(
    spec: ApproxSpec,
    names: Sequence[str],
    values: Sequence[object],
    activation: object,
    lang: object,
    drawn: object,
    problem: Problem | None,
    *,
    params: Mapping[str, object] | None,
    live: bool,
    hints: bool = True,
) -> tuple[Any, str, Any, LivePass | None]:
    """:func:`update`, and with ``live`` the :class:`LivePass` the figure was drawn from (None
    when nothing was drawn), which the score and hints reuse instead of a second pass."""
    lang = normalise(lang)
    key = check_activation(activation)
    if key is None:
        return no_update, t(lang, "msg.unknown_activation"), no_update, None
    checked, message = check_values(names, values, lang)
    if checked is None:
        return no_update, message, no_update, None
    if set(checked) != set(spec.names):
        raise PreventUpdate
    act_values, message = actparams.check(key, params or {}, lang)
    if act_values is None:
        return no_update, message, no_update, None
    record: dict[str, Any] = {"activation": key, "lang": lang, "values": checked}
    if not actparams.is_default(key, act_values):
        record["params"] = act_values
    if problem is not None and problem != Problem.default(spec):
        record["problem"] = problem.record()
    act = get_activation(key)
    changed = drawn_changes(drawn, record)
    if changed is not None and not changed:
        return no_update, "", no_update, None
    passed = (
        live_pass(spec, checked, act, problem or Problem.default(spec), act_values, hints)
        if live
        else None
    )
    forward = passed.plot if passed is not None else None
    if changed is None:
        figure = approx_figure(spec, checked, act, lang, problem, act_values, forward)
    else:
        figure = approx_patch(spec, checked, act, changed, problem, act_values, forward)
    return figure, "", record, passed


def pack_feedback(
    spec: ApproxSpec, message: str, score: Any, goal: Any, goal_class: Any, hints: Any
) -> str:
    """``update_all``'s texts packed for the score line (``feedback.packed``), the hints by
    slider name."""
    if hints is not no_update:
        hints = dict(zip(spec.slider_order, hints, strict=True))
    return feedback.packed(message, score, goal, goal_class, hints)


def register(app: Dash, spec: ApproxSpec, presets: Sequence[Preset]) -> None:
    """A tab's callbacks: the figure with its feedback, the buttons, the target controls, the
    activation's parameters, the slider groups and the classroom."""
    at = spec.key

    @app.callback(
        Output(ids.graph(at), "figure"),
        Output(ids.drawn(at), "data"),
        feedback.output(at),
        inputs={
            "values": Input(ids.param(at, ALL), "value"),
            "activation": Input(ids.activation(at), "value"),
            "lang": Input(ids.LANG, "value"),
            "controls": {f: Input(ids.target(at, f), "value") for f in ids.TARGET_FIELDS},
            "act_values": Input(ids.act_param(at, ALL, ALL), "value"),
        },
        state={"drawn": State(ids.drawn(at), "data")},
    )
    def _figure(
        values: list, activation: str, lang: str, controls: dict, act_values: list, drawn: Any
    ) -> tuple[Any, Any, str]:
        args = ctx.args_grouping
        raw = actparams.of_activation(activation, actparams.from_grouping(args["act_values"]))
        targets = [controls[f] for f in ids.TARGET_FIELDS]
        names = names_of(args["values"])
        figure, message, record, *texts = update_all(
            spec, names, values, activation, lang, drawn, targets, params=raw
        )
        return figure, record, pack_feedback(spec, message, *texts)

    actions.register(app, spec, presets)
    target.register_target(app, spec)
    actparams.register(app, at)
    if len(spec.groups) > 1:
        register_tabbar(app, at)
    classroom.register(app, at, spec.names, presets, spec.params)
