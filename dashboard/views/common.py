"""Widgets and checks shared by every tab, and the callback that translates static text."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, MATCH, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import ids
from dashboard.i18n import LANGUAGES, activation_name, explanation, t
from dashboard.model import ACTIVATIONS, GALLERY_ORDER
from dashboard.model.activations import CATALOGUE_ORDER
from dashboard.sections import HARD_LIMIT, STEP, Param

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    # plotly.js offers by default to upload the plot to Plotly's cloud ("Share chart..."):
    # a student's work leaves the classroom, and without internet the button cannot work.
    "showSendToCloud": False,
    "showEditInChartStudio": False,
}
"""Every plot's plotly.js config; assets/plotconfig.js adds the SVG download button."""
SVG_TITLE = "plot.download_svg"
"""Locale key of the SVG button's tooltip; assets/plotconfig.js looks it up by this key."""
PARAM_CLASS = "param"
"""The class of a parameter's row (:func:`control_row`); assets/params.js finds rows by it."""
PARAM_BOX_CLASS = "param-box"
"""The class of a parameter's number box; assets/params.js finds boxes by it."""
HINT_CLASS = "hint"
"""The class of an explaining text; assets/presets.js gives it to its own message."""


def locale_config(lang: str) -> dict[str, Any]:
    """The plot's language: plotly.js translates its own toolbar and number format (the
    Russian locale is assets/vendor/plotly-locale-ru.js) and takes our button's tooltip."""
    return {"locale": lang, "locales": {lang: {"dictionary": {SVG_TITLE: t(lang, SVG_TITLE)}}}}


def graph_config(tab: str, lang: str) -> dict[str, Any]:
    """A tab's plot config in ``lang``; downloaded pictures are named after the tab."""
    return {
        **GRAPH_CONFIG,
        "toImageButtonOptions": {"filename": f"activation-playground-{tab}"},
        **locale_config(lang),
    }


def text(key: str, at: str, lang: str, tag: type = html.Span, **kw: Any) -> html.Div:
    """A plain text the language switch keeps translated."""
    return tag(t(lang, key), id=ids.text(key, at), **kw)


EXPLANATION = "explanation"
"""The name (``ids.part``) of the summary of a tab's explanation, the line that opens it."""


def explanation_block(tab: str, lang: str) -> html.Details:
    """The tab's explanation, closed at first: its formulas need MathJax (0.65 MB), which dcc
    loads only once a Markdown asks for it, and the Markdown asks only when the student opens
    the explanation (:func:`register_explanations`)."""
    return html.Details(
        [
            html.Summary(text("explanation.open", tab, lang), id=ids.part(tab, EXPLANATION)),
            dcc.Markdown(explanation(lang, tab), id=ids.markdown(tab), mathjax=False),
        ],
        className="explanation",
    )


CATALOGUE_TABS: frozenset[str] = frozenset(
    {"gallery", "neuron", "square2", "sin3", "deep", "builder"}
)
"""Tabs whose dropdown lists every activation (all of them); any other lists the notebook's five."""


def activation_keys(tab: str) -> tuple[str, ...]:
    """The activations a tab's dropdown offers, in display order (the notebook's five first)."""
    return CATALOGUE_ORDER if tab in CATALOGUE_TABS else GALLERY_ORDER


def activation_options(lang: str, keys: Sequence[str] = GALLERY_ORDER) -> list[dict[str, str]]:
    return [{"label": activation_name(lang, k), "value": k} for k in keys]


def activation_dropdown(
    tab: str, lang: str, value: str = "sigmoid", keys: Sequence[str] = GALLERY_ORDER
) -> html.Div:
    label = ids.text("label.activation", tab)
    return html.Div(
        [
            html.Label(t(lang, "label.activation"), id=label),
            dcc.Dropdown(
                id=ids.activation(tab),
                options=activation_options(lang, keys),
                value=value,
                clearable=False,
                searchable=False,
                className="activation-dropdown",
            ),
        ],
        className="control",
        role="group",
        **{"aria-labelledby": ids.dom_id(label)},
    )


def marks(lo: float, hi: float) -> dict[float, str]:
    """Labels at both ends of a slider, and at 0 when it lies inside."""
    inside = lo + 0.1 * (hi - lo) < 0 < hi - 0.1 * (hi - lo)  # 0, unless it crowds an end
    points = [lo, hi] + ([0.0] if inside else [])
    return {v: f"{v:g}" for v in sorted(points)}


def control_row(
    label: Any,
    slider_id: dict[str, Any],
    box_id: dict[str, Any],
    lo: float,
    hi: float,
    step: float,
    value: float,
    hint_id: dict[str, Any] | None = None,
) -> html.Div:
    """A labelled slider with a number box beside it (and, optionally, a gradient hint).

    The slider holds the value the model uses, so a drag or a key press goes to the server in
    the same renderer cycle. Dash's own box inside the slider only passes on values inside the
    range and on the step grid (a student could not type 3 into a slider ranging from -8.65),
    so ours sits beside it and takes any number; the slider then holds that number, even
    beyond its range (its thumb waits at the end). assets/params.js joins the two in the
    browser, without a Dash callback in between.
    """
    hint = [html.Span("", id=hint_id, className="param-hint")] if hint_id is not None else []
    return html.Div(
        [
            html.Label(label, htmlFor=ids.dom_id(box_id), className="param-name"),
            dcc.Slider(
                id=slider_id,
                min=lo,
                max=hi,
                step=step,
                value=value,
                marks=marks(lo, hi),
                updatemode="drag",
                allow_direct_input=False,
                className="param-slider",
            ),
            dcc.Input(
                id=box_id,
                type="number",
                value=value,
                step="any",
                debounce=True,
                inputMode="decimal",
                className=PARAM_BOX_CLASS,
            ),
            *hint,
        ],
        className=f"{PARAM_CLASS} with-hint" if hint else PARAM_CLASS,
    )


def slider(tab: str, p: Param, hint: bool = False) -> html.Div:
    """A network parameter's row: its name, slider, number box and, on request, its hint."""
    return control_row(
        p.name,
        ids.param(tab, p.name),
        ids.box(tab, p.name),
        p.lo,
        p.hi,
        STEP,
        p.default,
        ids.hint(tab, p.name) if hint else None,
    )


def graph(tab: str, lang: str) -> dcc.Graph:
    return dcc.Graph(id=ids.graph(tab), config=graph_config(tab, lang), className="plot")


def status(tab: str) -> html.Div:
    return html.Div(
        id=ids.status(tab), className="status", role="status", **{"aria-live": "polite"}
    )


def section(
    tab: str, lang: str, controls: Sequence[Any], under_plot: Sequence[Any] = ()
) -> html.Div:
    """A tab's body: the plot with its controls beside it (below it on a phone), then the text.

    The plot comes first so that a student sees it as soon as the tab opens, on any screen.
    """
    return html.Div(
        [
            html.Div(
                [
                    html.Div([graph(tab, lang), *under_plot], className="plot-pane"),
                    html.Div(controls, className="controls"),
                ],
                className="workbench",
            ),
            explanation_block(tab, lang),
        ],
        className="section",
    )


def check_values(
    names: Sequence[str], values: Sequence[Any], lang: str
) -> tuple[dict[str, float] | None, str]:
    """Parameter values as floats, or ``None`` and a message naming the first bad one."""
    out: dict[str, float] = {}
    for name, value in zip(names, values, strict=True):
        if isinstance(value, bool):  # float(True) == 1.0: a checkbox value is not a number
            return None, t(lang, "msg.not_number", name=name)
        if not isinstance(value, (int, float)):
            try:
                value = float(value)  # a numeric string from an old client is fine
            except (TypeError, ValueError):
                return None, t(lang, "msg.not_number", name=name)
        try:
            value = float(value)
        except OverflowError:  # an integer too large for a float
            return None, t(lang, "msg.too_large", name=name, value="…", limit=HARD_LIMIT)
        if not math.isfinite(value):
            return None, t(lang, "msg.not_number", name=name)
        if abs(value) > HARD_LIMIT:
            return None, t(lang, "msg.too_large", name=name, value=value, limit=HARD_LIMIT)
        out[name] = float(value)
    return out, ""


def check_activation(key: Any) -> str | None:
    return key if isinstance(key, str) and key in ACTIVATIONS else None


def names_of(group: Sequence[Mapping[str, Any]]) -> list[str]:
    """The ``name`` of each component of a pattern-matched group as a named callback's
    ``ctx.args_grouping`` (or ``ctx.outputs_grouping``) gives it, in page order."""
    return [item["id"]["name"] for item in group]


def tabbar(bar: str, items: Sequence[tuple[str, str, Any]], lang: str, label_key: str) -> html.Div:
    """Tabs as a radio group: keyboard users move between them with the arrow keys.

    ``items`` are (value, text key, body). Every body is rendered once and only hidden, so
    slider positions survive switching tabs.
    """
    first = items[0][0]
    return html.Div(
        [
            dcc.RadioItems(
                id=ids.tabbar(bar),
                options=[
                    {"label": text(key, f"{bar}-{value}", lang), "value": value}
                    for value, key, _ in items
                ],
                value=first,
                inline=True,
                className="tabbar",
                labelClassName="tabbar-tab",
                inputClassName="tabbar-input",
            ),
            *[
                html.Div(body, id=ids.panel(bar, value), hidden=value != first, className="panel")
                for value, _, body in items
            ],
        ],
        className=f"tabs tabs-{bar}",
        role="group",
        **{"aria-label": t(lang, label_key)},
    )


def register_tabbar(app: Dash, bar: str) -> None:
    """Show the panel of the chosen tab; runs in the browser, no server round trip."""
    app.clientside_callback(
        """function (value) {
            return dash_clientside.callback_context.outputs_list.map(o => o.id.key !== value);
        }""",
        Output(ids.panel(bar, ALL), "hidden"),
        Input(ids.tabbar(bar), "value"),
    )


def _known(lookup: Any, lang: str, key: Any) -> Any:
    """A translated text, or no update for a key that names none (ids come from requests)."""
    try:
        return lookup(lang, key)
    except (KeyError, TypeError):
        return no_update


def register(app: Dash) -> None:
    """Translate every static text, tab label, explanation and dropdown on a language change."""
    register_language_in_browser(app)
    register_explanations(app)

    @app.callback(
        output={
            "texts": Output(ids.text(ALL, ALL), "children"),
            "mds": Output(ids.markdown(ALL), "children"),
            "dropdowns": Output(ids.activation(ALL), "options"),
        },
        inputs={"lang": Input(ids.LANG, "value")},
        prevent_initial_call=True,
    )
    def translate(lang: str) -> dict[str, list]:
        out = ctx.outputs_grouping
        return {
            "texts": [_known(t, lang, o["id"]["key"]) for o in out["texts"]],
            "mds": [_known(explanation, lang, o["id"]["tab"]) for o in out["mds"]],
            "dropdowns": [
                activation_options(lang, activation_keys(o["id"]["tab"])) for o in out["dropdowns"]
            ],
        }


def register_language_in_browser(app: Dash) -> None:
    """Follow the language switch in the browser: the page's title and every plot's toolbar.

    Runs when the page opens too, for a link's language. A plot redraws with a new config only
    with its next figure, which every tab's figure callback sends on a language change; this
    callback runs in the browser, so the config is in place before that figure comes back.
    """
    by_lang = {lang: {"title": t(lang, "app.title"), **locale_config(lang)} for lang in LANGUAGES}
    app.clientside_callback(
        """function (lang, configs) {
            const byLang = BY_LANG;
            const chosen = byLang[lang] || byLang.en;
            document.title = chosen.title;
            return configs.map(c => (c && c.locale === chosen.locale)
                ? window.dash_clientside.no_update
                : Object.assign({}, c, {locale: chosen.locale, locales: chosen.locales}));
        }""".replace("BY_LANG", json.dumps(by_lang, ensure_ascii=False)),
        Output(ids.graph(ALL), "config"),
        Input(ids.LANG, "value"),
        State(ids.graph(ALL), "config"),
    )


def register_explanations(app: Dash) -> None:
    """Typeset an explanation's formulas once it is opened (in the browser: dcc then loads
    MathJax); it stays typeset when closed. Dash does not report a ``<details>``'s ``open``,
    so the click (or Enter) on its summary is the signal."""
    app.clientside_callback(
        "function (clicks) { return clicks ? true : window.dash_clientside.no_update; }",
        Output(ids.markdown(MATCH), "mathjax"),
        Input(ids.part(MATCH, EXPLANATION), "n_clicks"),
        prevent_initial_call=True,
    )
