"""The target controls of an approximation tab or the builder: the target function, a typed
formula, the fitted interval [a, b], the view beyond it, the goal; each box checked as it is
typed, its fault said right under it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Dash, Input, Output, State, dcc, html

from dashboard import ids
from dashboard.i18n import normalise, t
from dashboard.problem import BOXES, TARGET_KEYS, faults
from dashboard.sections import ApproxSpec
from dashboard.views.common import text


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
