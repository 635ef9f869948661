"""Controls for the activations' own parameters (ELU's α, Leaky ReLU's slope, ...).

Each parametrised activation gets a group of sliders (with number boxes, joined in the browser
by assets/params.js like the network parameters' ones), shown only while it is chosen. The
callbacks receive every group's values and use those of the chosen activation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, dcc, html

from dashboard import ids
from dashboard.i18n import normalise, t
from dashboard.model import ACTIVATIONS
from dashboard.model.activations import CATALOGUE_ORDER, ParamRange
from dashboard.numbers import MINUS, fmt
from dashboard.views.common import HINT_CLASS, check_values, control_row, text

SYMBOLS: Mapping[str, str] = {
    "alpha": "α",
    "slope": "a",
    "beta": "β",
    "min_val": "z_min",
    "max_val": "z_max",
}
"""Each parameter's symbol, as the activation's formula writes it (plain text, for messages)."""

LATEX: Mapping[str, str] = {
    "alpha": r"\alpha",
    "slope": "a",
    "beta": r"\beta",
    "min_val": r"z_{\min}",
    "max_val": r"z_{\max}",
}

RawItems = Sequence[tuple[tuple[str, str], Any]]
"""((activation key, parameter name), value) of every activation-parameter control of a tab."""


def _label(name: str) -> Any:
    symbol = SYMBOLS[name]
    if "_" in symbol:
        base, sub = symbol.split("_", 1)
        return [base, html.Sub(sub)]
    return symbol


def control(tab: str, key: str, r: ParamRange) -> html.Div:
    """One parameter: its symbol, a slider on its documented range and a box for typing."""
    return control_row(
        _label(r.name),
        ids.act_param(tab, key, r.name),
        ids.act_box(tab, key, r.name),
        r.lo,
        r.hi,
        r.step,
        r.default,
    )


def groups(tab: str, lang: str, chosen: str = "sigmoid") -> list[html.Fieldset]:
    """One fieldset per parametrised activation; only the chosen one's is shown."""
    out = []
    for key in CATALOGUE_ORDER:
        ranges = ACTIVATIONS[key].param_ranges
        if not ranges:
            continue
        out.append(
            html.Fieldset(
                [
                    text("single.act_params", f"{tab}-{key}", lang, html.Legend),
                    *[control(tab, key, r) for r in ranges],
                    text(f"single.hint.{key}", f"{tab}-{key}", lang, html.P, className=HINT_CLASS),
                ],
                id=ids.act_group(tab, key),
                hidden=key != chosen,
                className="act-params",
            )
        )
    return out


def overlay_checklist(tab: str, lang: str, options: Sequence[tuple[str, str]], value: list) -> Any:
    """Keyboard-usable check boxes (Tab, then Space) of what to draw over the curve."""
    return html.Div(
        dcc.Checklist(
            id=ids.overlays(tab),
            options=[
                {"label": text(key, f"{tab}-{name}", lang), "value": name} for name, key in options
            ],
            value=value,
            className="overlays",
            labelClassName="overlay",
        ),
        className="control",
    )


def register(app: Dash, tab: str) -> None:
    """Show the parameter group of the chosen activation only; runs in the browser."""
    app.clientside_callback(
        """function (value) {
            return dash_clientside.callback_context.outputs_list.map(o => o.id.act !== value);
        }""",
        Output(ids.act_group(tab, ALL), "hidden"),
        Input(ids.activation(tab), "value"),
    )


def from_grouping(group: Sequence[Mapping[str, Any]]) -> RawItems:
    """An activation-parameter group as a named callback's ``ctx.args_grouping`` gives it (each
    control's id and value), as ((activation, parameter), value) items."""
    return [((item["id"]["act"], item["id"]["name"]), item.get("value")) for item in group]


def of_activation(activation: object, items: RawItems) -> dict[str, Any]:
    """The raw values of the chosen activation's parameters, by name."""
    return {name: value for (key, name), value in items if key == activation}


def check(key: str, raw: Mapping[str, Any], lang: str) -> tuple[dict[str, float] | None, str]:
    """The chosen activation's parameters as floats (defaults where none is given), or
    ``None`` and a message naming the first one that is not a number in its range."""
    out: dict[str, float] = {}
    for r in ACTIVATIONS[key].param_ranges:
        symbol = SYMBOLS[r.name]
        checked, message = check_values([symbol], [raw.get(r.name, r.default)], lang)
        if checked is None:
            return None, message
        value = checked[symbol]
        if not r.lo <= value <= r.hi:
            return None, t(lang, "single.msg.range", name=symbol, lo=r.lo, hi=r.hi)
        out[r.name] = value
    return out, ""


PARAM_DIGITS = 6
"""Significant digits of an activation's parameter in text and formulas."""


def describe(params: Mapping[str, float], lang: str) -> str:
    """The parameters in plain text, as the formulas write them: "α = 2", "z_min = −1, ..."
    (numbers as ``lang`` writes them, so Russian separates them with "; ")."""
    return t(lang, "catalogue.params_joiner").join(
        f"{SYMBOLS[name]} = {fmt(value, lang, PARAM_DIGITS)}" for name, value in params.items()
    )


def is_default(key: str, params: Mapping[str, float]) -> bool:
    """Whether ``params`` are exactly the activation's defaults."""
    return dict(params) == dict(ACTIVATIONS[key].params)


def _tex(number: str) -> str:
    """A shown number inside TeX maths: ``{,}`` keeps a comma from spacing like a list, and
    TeX draws its own minus from ``-``."""
    return number.replace(",", "{,}").replace(MINUS, "-")


def formula(key: str, params: Mapping[str, float], lang: str = "en") -> str:
    """The activation's LaTeX formula as display maths, with its parameters' current values
    written as ``lang`` writes numbers (a decimal comma in braces, ``0{,}5``, so TeX does not
    space it as a list)."""
    latex = ACTIVATIONS[key].latex
    if params:
        joiner = r",\ " if normalise(lang) == "en" else r";\ "
        values = joiner.join(
            f"{LATEX[name]} = {_tex(fmt(value, lang, PARAM_DIGITS))}"
            for name, value in params.items()
        )
        latex = rf"{latex}, \qquad {values}"
    return f"$$\n{latex}\n$$"
