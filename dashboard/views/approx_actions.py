"""An approximation tab's Fit and best-fit buttons: their layout and their callbacks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import normalise, t
from dashboard.model import GALLERY_ORDER
from dashboard.presets import Preset
from dashboard.problem import ProblemError, build
from dashboard.sections import ApproxSpec
from dashboard.views import actparams
from dashboard.views.coach import best_table, fit_outputs, run_fit
from dashboard.views.common import check_activation, check_values, names_of, text

SLIDER_OUTPUTS = ("values", "mins", "maxes", "marks")
"""What Fit writes to every slider, by name of the callback's outputs (then the report)."""


def layout(spec: ApproxSpec, lang: str) -> list[Any]:
    """The two buttons and the reports under them."""

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


def _unchanged(report: str) -> dict[str, Any]:
    """Fit's answer that moves no slider: Dash wants one no_update per component of a group."""
    out = ctx.outputs_grouping
    return {**{k: [no_update] * len(out[k]) for k in SLIDER_OUTPUTS}, "report": report}


def fit(
    spec: ApproxSpec,
    state: Mapping[str, Any],
    names: Sequence[str],
    act_items: actparams.RawItems,
) -> dict[str, Any]:
    """Fit's answer for its named states (values, lows, highs, activation, lang, controls);
    ``names`` are the sliders' names in page order, ``act_items`` the activation's parameters."""
    lang = normalise(state["lang"])
    controls = state["controls"]
    try:
        problem = build(spec, *(controls[f] for f in ids.TARGET_FIELDS))
    except ProblemError as e:
        return _unchanged(t(lang, e.key, **e.fields))
    checked, message = check_values(names, state["values"], lang)
    key = check_activation(state["activation"])
    if checked is None or key is None:
        return _unchanged(message or t(lang, "msg.unknown_activation"))
    if len(names) != len(spec.names) or set(checked) != set(spec.names):
        # Not the tab's sliders (a page of another version, or a forged request): the
        # fit reads and writes each of them by name.
        return _unchanged(t(lang, "http.bad_callback"))
    params, message = actparams.check(key, actparams.of_activation(key, act_items), lang)
    if params is None:
        return _unchanged(message)
    ranges = dict(zip(names, zip(state["lows"], state["highs"], strict=True), strict=True))
    fitted, new_ranges, report = run_fit(spec, checked, key, ranges, lang, problem, params)
    answer = fit_outputs(names, fitted, new_ranges, report)
    return dict(zip((*SLIDER_OUTPUTS, "report"), answer, strict=True))


def best(
    spec: ApproxSpec,
    presets: Sequence[Preset],
    activation: Any,
    lang: Any,
    controls: Mapping[str, Any],
    act_items: actparams.RawItems,
) -> Any:
    """The best-fit report: a table of every activation's RMSE, or a message."""
    lang = normalise(lang)
    try:
        problem = build(spec, *(controls[f] for f in ids.TARGET_FIELDS))
    except ProblemError as e:
        return t(lang, e.key, **e.fields)
    params, message = best_params(act_items, lang)
    if params is None:
        return message
    rows = best_table(spec, presets, check_activation(activation) or "", lang, problem, params)
    head = html.Tr([html.Th(t(lang, "label.preset_activation")), html.Th(t(lang, "best.rmse"))])
    body = [
        html.Tr([html.Td(name), html.Td(rmse)], className="current" if current else "")
        for name, rmse, current in rows
    ]
    return [
        html.P(t(lang, "best.caption")),
        html.Table([html.Thead(head), html.Tbody(body)]),
    ]


def register(app: Dash, spec: ApproxSpec, presets: Sequence[Preset]) -> None:
    """The Fit and best-fit buttons' callbacks of a tab."""
    at = spec.key
    controls = {f: State(ids.target(at, f), "value") for f in ids.TARGET_FIELDS}
    act_values = State(ids.act_param(at, ALL, ALL), "value")

    @app.callback(
        output={
            "values": Output(ids.param(at, ALL), "value", allow_duplicate=True),
            "mins": Output(ids.param(at, ALL), "min"),
            "maxes": Output(ids.param(at, ALL), "max"),
            "marks": Output(ids.param(at, ALL), "marks"),
            "report": Output(ids.report(at, "fit"), "children"),
        },
        inputs={"clicks": Input(ids.action(at, "fit"), "n_clicks")},
        state={
            "values": State(ids.param(at, ALL), "value"),
            "lows": State(ids.param(at, ALL), "min"),
            "highs": State(ids.param(at, ALL), "max"),
            "activation": State(ids.activation(at), "value"),
            "lang": State(ids.LANG, "value"),
            "controls": controls,
            "act_values": act_values,
        },
        prevent_initial_call=True,
    )
    def _fit(clicks: int, **state: Any) -> dict[str, Any]:
        if not clicks:
            raise PreventUpdate
        names = names_of(ctx.outputs_grouping["values"])
        act_items = actparams.from_grouping(ctx.args_grouping["act_values"])
        return fit(spec, state, names, act_items)

    @app.callback(
        Output(ids.report(at, "best"), "children"),
        inputs={"clicks": Input(ids.action(at, "best"), "n_clicks")},
        state={
            "activation": State(ids.activation(at), "value"),
            "lang": State(ids.LANG, "value"),
            "controls": controls,
            "act_values": act_values,
        },
        prevent_initial_call=True,
    )
    def _best(clicks: int, activation: Any, lang: Any, controls: dict, act_values: list) -> Any:
        if not clicks:
            raise PreventUpdate
        act_items = actparams.from_grouping(ctx.args_grouping["act_values"])
        return best(spec, presets, activation, lang, controls, act_items)
