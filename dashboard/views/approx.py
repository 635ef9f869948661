"""Tabs 3-5: a network approximating a target. One view, parametrised by an ApproxSpec."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.fastpath import FastCallbacks, check_shape, input_values, single_value
from dashboard.figures import approx_figure, approx_patch
from dashboard.i18n import normalise, t
from dashboard.model import GALLERY_ORDER, get_activation
from dashboard.presets import Preset, shipped
from dashboard.problem import BOXES, TARGET_KEYS, Problem, ProblemError, build, faults
from dashboard.sections import ApproxSpec
from dashboard.views import actparams, classroom, feedback
from dashboard.views.coach import LivePass, best_table, fit_outputs, live_pass, run_fit
from dashboard.views.coach import feedback as live_feedback
from dashboard.views.common import (
    activation_dropdown,
    activation_keys,
    check_activation,
    check_values,
    input_names,
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


def _actions(spec: ApproxSpec, lang: str) -> list[Any]:
    def button(what: str, key: str, extra: str = "") -> html.Button:
        return html.Button(
            text(key, f"{spec.key}-{what}", lang),
            id=ids.action(spec.key, what),
            n_clicks=0,
            className=f"action {extra}".strip(),
        )

    return [
        html.Div(
            [button("fit", "fit.button"), button("best", "best.button", "secondary")],
            className="actions",
        ),
        dcc.Loading(
            [
                html.Div(id=ids.report(spec.key, "fit"), className="report", role="status"),
                html.Div(id=ids.report(spec.key, "best"), className="report best"),
            ],
            type="dot",
        ),
    ]


def target_options(lang: str) -> list[dict[str, str]]:
    return [{"label": t(lang, f"target.name.{k}"), "value": k} for k in TARGET_KEYS]


CHECKS: tuple[tuple[str, str], ...] = (("beyond", "target.beyond"), ("stack", "target.stack"))
"""The target controls' check boxes and their labels' text keys."""


def check_options(key: str, lang: str, disabled: bool = False) -> list[dict[str, Any]]:
    """A one-box checklist's options: its label as plain text (translated by
    ``register_translations``), not a component of its own."""
    option: dict[str, Any] = {"label": t(lang, key), "value": "on"}
    return [{**option, "disabled": True} if disabled else option]


NOTES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("formula", ("formula",)),
    ("interval", ("a", "b")),
    ("goal", ("goal",)),
)
"""Each message under the target controls and the boxes (problem.BOXES) whose faults it says."""
BOX_CLASS: dict[str, str] = {
    "formula": "formula-box",
    "a": "interval-box",
    "b": "interval-box",
    "goal": "interval-box",
}
"""Each target box's class; " invalid" is added while it holds a fault (assets/links.js then
leaves it out of the link)."""
CHECKED = "data-checked"
"""The attribute of ``ids.target_check`` holding the controls' values the check last judged."""


def _note(at: str, note: str) -> html.Div:
    return html.Div(id=ids.target_note(at, note), className="status target-note", role="status")


def target_controls(spec: ApproxSpec, lang: str) -> html.Details:
    """Target function, typed formula, fitted interval [a, b], and the view beyond it, for
    any spec's tab (the approximation tabs and the builder). A fault of a box is said right
    under it (see ``register_target``)."""
    at = spec.key
    start: dict[str, Any] = {
        "target": spec.target,
        "formula": "",
        "a": spec.grid.lo,
        "b": spec.grid.hi,
        "beyond": [],
        "stack": [],
        "goal": None,
    }

    def labelled(key: str, field: str, control: Any, *after: Any) -> html.Div:
        return html.Div(
            [
                html.Label(
                    t(lang, key),
                    id=ids.text(key, f"{at}-{field}"),
                    htmlFor=ids.dom_id(ids.target(at, field)),
                ),
                control,
                *after,
            ],
            className=f"target-field target-{field}",
        )

    return html.Details(
        [
            text("target.legend", at, lang, html.Summary),
            labelled(
                "target.function",
                "target",
                dcc.Dropdown(
                    id=ids.target(at, "target"),
                    options=target_options(lang),
                    value=start["target"],
                    clearable=False,
                    searchable=False,
                ),
            ),
            labelled(
                "target.formula",
                "formula",
                dcc.Input(
                    id=ids.target(at, "formula"),
                    type="text",
                    value=start["formula"],
                    debounce=True,
                    placeholder="2sin(x) + x^2/10",
                    maxLength=200,
                    className=BOX_CLASS["formula"],
                ),
                _note(at, "formula"),
            ),
            html.Div(
                [
                    labelled(
                        f"target.{end}",
                        end,
                        dcc.Input(
                            id=ids.target(at, end),
                            type="number",
                            value=start[end],
                            debounce=True,
                            className=BOX_CLASS[end],
                        ),
                    )
                    for end in ("a", "b")
                ],
                className="interval",
            ),
            _note(at, "interval"),
            *(
                dcc.Checklist(
                    id=ids.target(at, field),
                    options=check_options(key, lang),
                    value=start[field],
                    className="beyond",
                )
                for field, key in CHECKS
            ),
            labelled(
                "target.goal",
                "goal",
                dcc.Input(
                    id=ids.target(at, "goal"),
                    type="number",
                    value=start["goal"],
                    min=0,
                    debounce=True,
                    placeholder=t(lang, "target.goal_usual"),
                    className=BOX_CLASS["goal"],
                ),
                _note(at, "goal"),
            ),
        ],
        id=ids.target_check(at),
        className="target-controls",
        **{"data-control": "target", CHECKED: start},
    )


def check_target(
    spec: ApproxSpec, lang: object, controls: Sequence[object]
) -> tuple[list[str], list[str]]:
    """The message under each target box (``NOTES``) and each box's class (``BOX_CLASS``) for
    the target controls' values (ids.TARGET_FIELDS): "" and the plain class where all is well."""
    lang = normalise(lang)
    found = faults(spec, *controls)
    notes = []
    for _, boxes in NOTES:
        said = dict.fromkeys(t(lang, e.key, **e.fields) for b in boxes if (e := found.get(b)))
        notes.append(" ".join(said))
    classes = [BOX_CLASS[b] + (" invalid" if b in found else "") for b in BOXES]
    return notes, classes


def layout(spec: ApproxSpec, presets: Sequence[Preset], lang: str) -> html.Div:
    controls = [
        activation_dropdown(spec.key, lang, keys=activation_keys(spec.key)),
        *actparams.groups(spec.key, lang),
        target_controls(spec, lang),
        html.Fieldset(
            [
                text("label.parameters", spec.key, lang, html.Legend),
                _sliders(spec, lang),
                text("label.param_hint", spec.key, lang, html.P, className="hint"),
                text("label.gradient_hint", spec.key, lang, html.P, className="hint"),
            ]
        ),
        status(spec.key),
        *_actions(spec, lang),
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


ACT_INPUT = 3 + len(ids.TARGET_FIELDS)
"""Position of the activation-parameter group among the figure callback's inputs."""
FIT_ACT_STATE = 5 + len(ids.TARGET_FIELDS)
"""Its position among the Fit callback's states (values, mins, maxes, activation, language,
the target controls, then it)."""
BEST_ACT_STATE = 2 + len(ids.TARGET_FIELDS)
"""Its position among the best-fit callback's states (activation, language, the target
controls, then it)."""


def best_params(
    items: actparams.RawItems, lang: str
) -> tuple[dict[str, dict[str, float]] | None, str]:
    """The parameters each of the best-fit table's activations is fitted with, as the tab's
    controls set them, or None and a message naming the first bad one."""
    out: dict[str, dict[str, float]] = {}
    for key in GALLERY_ORDER:
        checked, message = actparams.check(key, actparams.of_activation(key, items), lang)
        if checked is None:
            return None, message
        out[key] = checked
    return out, ""


def pack_feedback(
    spec: ApproxSpec, message: str, score: Any, goal: Any, goal_class: Any, hints: Any
) -> str:
    """``update_all``'s texts packed for the score line (``feedback.packed``), the hints by
    slider name."""
    if hints is not no_update:
        hints = dict(zip(spec.slider_order, hints, strict=True))
    return feedback.packed(message, score, goal, goal_class, hints)


def register(app: Dash, spec: ApproxSpec, presets: Sequence[Preset], fast: FastCallbacks) -> None:
    outputs = (
        (ids.graph(spec.key), "figure"),
        (ids.drawn(spec.key), "data"),
        (ids.feedback(spec.key), feedback.ATTRIBUTE),
    )

    @app.callback(
        *(Output(cid, prop) for cid, prop in outputs),
        Input(ids.param(spec.key, ALL), "value"),
        Input(ids.activation(spec.key), "value"),
        Input(ids.LANG, "value"),
        *(Input(ids.target(spec.key, f), "value") for f in ids.TARGET_FIELDS),
        Input(ids.act_param(spec.key, ALL, ALL), "value"),
        State(ids.drawn(spec.key), "data"),
    )
    def _update(values: list, activation: str, lang: str, *rest: Any) -> tuple:
        *controls, act_values, drawn = rest
        raw = actparams.of_activation(activation, actparams.from_callback(ACT_INPUT, act_values))
        result = update_all(
            spec, input_names(0), values, activation, lang, drawn, controls, params=raw
        )
        return packed(result)

    def packed(result: tuple[Any, ...]) -> tuple[Any, Any, str]:
        figure, message, record, *texts = result
        return figure, record, pack_feedback(spec, message, *texts)

    order = spec.slider_order
    activation_id, drawn_id = ids.activation(spec.key), ids.drawn(spec.key)
    target_ids = [ids.target(spec.key, f) for f in ids.TARGET_FIELDS]

    def _fast(payload: dict[str, Any]) -> tuple | None:
        check_shape(payload, inputs=ACT_INPUT + 1, state=1)
        values = input_values(payload, 0, order, spec.key)
        activation = single_value(payload, "inputs", 1, activation_id)
        lang = single_value(payload, "inputs", 2, ids.LANG)
        controls = [single_value(payload, "inputs", 3 + i, c) for i, c in enumerate(target_ids)]
        group = actparams.from_payload(payload, ACT_INPUT, spec.key)
        raw = actparams.of_activation(activation, group)
        drawn = single_value(payload, "state", 0, drawn_id)
        try:
            result = update_all(spec, order, values, activation, lang, drawn, controls, params=raw)
        except PreventUpdate:
            return None
        return packed(result)

    fast.add(outputs, _fast)
    _register_coach(app, spec, presets)
    register_target(app, spec)
    actparams.register(app, spec.key)
    if len(spec.groups) > 1:
        register_tabbar(app, spec.key)
    classroom.register(app, spec.key, spec.names, presets, spec.params)


def _register_coach(app: Dash, spec: ApproxSpec, presets: Sequence[Preset]) -> None:
    """The Fit and best-fit buttons of a tab."""

    def _unchanged() -> list[list[Any]]:
        """No update for each pattern output of Fit: Dash wants one no_update per component."""
        return [[no_update] * len(group) for group in ctx.outputs_list[:4]]

    @app.callback(
        Output(ids.param(spec.key, ALL), "value", allow_duplicate=True),
        Output(ids.param(spec.key, ALL), "min"),
        Output(ids.param(spec.key, ALL), "max"),
        Output(ids.param(spec.key, ALL), "marks"),
        Output(ids.report(spec.key, "fit"), "children"),
        Input(ids.action(spec.key, "fit"), "n_clicks"),
        State(ids.param(spec.key, ALL), "value"),
        State(ids.param(spec.key, ALL), "min"),
        State(ids.param(spec.key, ALL), "max"),
        State(ids.activation(spec.key), "value"),
        State(ids.LANG, "value"),
        *(State(ids.target(spec.key, f), "value") for f in ids.TARGET_FIELDS),
        State(ids.act_param(spec.key, ALL, ALL), "value"),
        prevent_initial_call=True,
    )
    def _fit(
        clicks: int,
        values: list,
        lows: list,
        highs: list,
        activation: str,
        lang: str,
        *rest: Any,
    ):
        if not clicks:
            raise PreventUpdate
        *controls, act_values = rest
        lang = normalise(lang)
        try:
            problem = build(spec, *controls)
        except ProblemError as e:
            return (*_unchanged(), t(lang, e.key, **e.fields))
        names = [o["id"]["name"] for o in ctx.outputs_list[0]]
        checked, message = check_values(names, values, lang)
        key = check_activation(activation)
        if checked is None or key is None:
            error = message or t(lang, "msg.unknown_activation")
            return (*_unchanged(), error)
        if len(names) != len(spec.names) or set(checked) != set(spec.names):
            # Not the tab's sliders (a page of another version, or a forged request): the
            # fit reads and writes each of them by name.
            return (*_unchanged(), t(lang, "http.bad_callback"))
        group = actparams.from_callback(FIT_ACT_STATE, act_values, "states")
        params, message = actparams.check(key, actparams.of_activation(key, group), lang)
        if params is None:
            return (*_unchanged(), message)
        ranges = dict(zip(names, zip(lows, highs, strict=True), strict=True))
        fitted, new_ranges, report = run_fit(spec, checked, key, ranges, lang, problem, params)
        return fit_outputs(names, fitted, new_ranges, report)

    @app.callback(
        Output(ids.report(spec.key, "best"), "children"),
        Input(ids.action(spec.key, "best"), "n_clicks"),
        State(ids.activation(spec.key), "value"),
        State(ids.LANG, "value"),
        *(State(ids.target(spec.key, f), "value") for f in ids.TARGET_FIELDS),
        State(ids.act_param(spec.key, ALL, ALL), "value"),
        prevent_initial_call=True,
    )
    def _best(clicks: int, activation: str, lang: str, *rest: Any):
        if not clicks:
            raise PreventUpdate
        *controls, act_values = rest
        lang = normalise(lang)
        try:
            problem = build(spec, *controls)
        except ProblemError as e:
            return t(lang, e.key, **e.fields)
        group = actparams.from_callback(BEST_ACT_STATE, act_values, "states")
        params, message = best_params(group, lang)
        if params is None:
            return message
        rows = best_table(spec, presets, check_activation(activation) or "", lang, problem, params)
        return [
            html.P(t(lang, "best.caption")),
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t(lang, "label.preset_activation")),
                                html.Th(t(lang, "best.rmse")),
                            ]
                        )
                    ),
                    html.Tbody(
                        [
                            html.Tr(
                                [html.Td(name), html.Td(rmse)],
                                className="current" if current else "",
                            )
                            for name, rmse, current in rows
                        ]
                    ),
                ]
            ),
        ]


def register_target(app: Dash, spec: ApproxSpec) -> None:
    """The target controls' own callbacks (any tab that shows them): each box checked as it is
    typed, its fault said right under it, and the texts following the language."""
    at = spec.key

    @app.callback(
        *(Output(ids.target_note(at, note), "children") for note, _ in NOTES),
        *(Output(ids.target(at, box), "className") for box in BOXES),
        Output(ids.target_check(at), CHECKED),
        Input(ids.LANG, "value"),
        *(Input(ids.target(at, f), "value") for f in ids.TARGET_FIELDS),
    )
    def _check(lang: Any, *controls: Any) -> tuple[Any, ...]:
        """The figure callback leaves the plot as it is on a fault (and says it in the status
        line); here it is said at its box. The values judged go back with the verdict, so that
        assets/links.js writes the link only from values whose boxes' classes are up to date."""
        notes, classes = check_target(spec, lang, controls)
        return (*notes, *classes, dict(zip(ids.TARGET_FIELDS, controls, strict=True)))

    register_translations(app, spec)


def register_translations(app: Dash, spec: ApproxSpec) -> None:
    """Target names and the check boxes' labels follow the language switch (a box locked by a
    link stays locked)."""
    app.callback(
        Output(ids.target(spec.key, "target"), "options"),
        Input(ids.LANG, "value"),
        prevent_initial_call=True,
    )(lambda lang: target_options(normalise(lang)))

    @app.callback(
        *(Output(ids.target(spec.key, field), "options") for field, _ in CHECKS),
        Input(ids.LANG, "value"),
        *(State(ids.target(spec.key, field), "options") for field, _ in CHECKS),
        prevent_initial_call=True,
    )
    def _checks(lang: Any, *shown: Any) -> tuple[list[dict[str, Any]], ...]:
        lang = normalise(lang)
        return tuple(
            check_options(key, lang, disabled=_locked(options))
            for (_, key), options in zip(CHECKS, shown, strict=True)
        )


def _locked(options: Any) -> bool:
    """Whether a checklist's options (as the browser sends them) are disabled."""
    return (
        isinstance(options, list)
        and bool(options)
        and all(isinstance(o, dict) and o.get("disabled") is True for o in options)
    )
