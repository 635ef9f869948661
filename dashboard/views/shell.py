"""The page around the tabs: only the open tab's components exist in the browser.

Every component on the page costs the Dash renderer time on every update (its selectors run
for each store change), so a page holding all five tabs made each slider step several times
slower than one holding a single tab. The tab bar therefore renders one tab at a time: a
switch asks the server for the new tab's body (``render``) and hands over a snapshot of the
controls of the tab being left, kept in a store in the browser. Coming back to a tab rebuilds
it from its snapshot, so slider positions, typed values, widened ranges, the chosen
activation, its parameters and the target controls survive switching, and the server still
keeps no state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import normalise, t
from dashboard.views.common import text

TabBuilder = Callable[[str], Component]
"""Builds a tab's body in a language, with every control at its default."""

KEPT: tuple[tuple[dict[str, Any], tuple[str, ...]], ...] = (
    (ids.param(ALL, ALL), ("value", "min", "max", "marks")),
    (ids.box(ALL, ALL), ("value",)),
    (ids.act_param(ALL, ALL, ALL), ("value",)),
    (ids.act_box(ALL, ALL, ALL), ("value",)),
    (ids.activation(ALL), ("value",)),
    (ids.target(ALL, ALL), ("value",)),
    (ids.overlays(ALL), ("value",)),
    (ids.tabbar(ALL), ("value",)),
    (ids.store(ALL, ALL), ("data",)),
    (ids.control(ALL, ALL), ("value",)),
    (ids.layer_control(ALL, ALL, ALL), ("value",)),
    (ids.unit_group(ALL, ALL, ALL), ("open",)),
)
"""The control properties a snapshot keeps: whatever a user or a callback may change."""

OPEN = "_open"
"""Key of the saved store naming the tab on the page."""


def tab_panel(tab: str, body: Component) -> html.Div:
    return html.Div(body, id=ids.panel(ids.MAIN, tab), className="panel")


def layout(tabs: Mapping[str, TabBuilder], first: str, lang: str) -> list[Component]:
    """The tab bar, the open tab's body, and the store of snapshots of the others."""
    return [
        html.Div(
            [
                dcc.RadioItems(
                    id=ids.tabbar(ids.MAIN),
                    options=[
                        {"label": text(f"tab.{key}", f"{ids.MAIN}-{key}", lang), "value": key}
                        for key in tabs
                    ],
                    value=first,
                    inline=True,
                    className="tabbar",
                    labelClassName="tabbar-tab",
                    inputClassName="tabbar-input",
                ),
                html.Div(tab_panel(first, tabs[first](lang)), id=ids.CONTENT),
            ],
            className=f"tabs tabs-{ids.MAIN}",
            role="group",
            **{"aria-label": t(lang, "app.title")},
        ),
        dcc.Store(id=ids.SAVED, data={OPEN: first}),
    ]


def snapshot(states_list: list[Any]) -> dict[str, dict[str, Any]]:
    """The kept properties of the controls on the page, by DOM id, from ``ctx.states_list``.

    ``states_list`` starts with one entry per property of :data:`KEPT`, in that order.
    """
    kept: dict[str, dict[str, Any]] = {}
    for group in states_list[: sum(len(props) for _, props in KEPT)]:
        for item in group:
            cid = item["id"]
            if cid == ids.tabbar(ids.MAIN) or "value" not in item:
                continue
            kept.setdefault(ids.dom_id(cid), {})[item["property"]] = item["value"]
    return kept


def restore(body: Component, kept: Any) -> Component:
    """``body`` with the properties of its controls set from a snapshot (unknown parts ignored).

    The values are not checked here: the tab's callbacks check every value they get, as they
    would a value typed by the user.
    """
    if not isinstance(kept, dict) or not kept:
        return body
    props_by_type = {pattern["type"]: props for pattern, props in KEPT}
    for component in body._traverse():
        cid = getattr(component, "id", None)
        if not isinstance(cid, dict):
            continue
        saved = kept.get(ids.dom_id(cid))
        if not isinstance(saved, dict):
            continue
        for prop in props_by_type.get(cid.get("type"), ()):
            if prop in saved:
                setattr(component, prop, saved[prop])
    return body


def build(builder: TabBuilder, lang: str, kept: Any) -> Component:
    """A tab's body before its snapshot is applied: at its defaults, or, for a tab whose shape
    comes from its snapshot (the builder's network: its sliders depend on it), built by the
    tab's ``from_snapshot(lang, kept)``."""
    shaped = getattr(builder, "from_snapshot", None)
    if callable(shaped) and isinstance(kept, dict) and kept:
        return shaped(lang, kept)
    return builder(lang)


def register(app: Dash, tabs: Mapping[str, TabBuilder]) -> None:
    """Render the chosen tab, rebuilt from its snapshot when it was open before."""

    @app.callback(
        Output(ids.CONTENT, "children"),
        Output(ids.SAVED, "data"),
        Input(ids.tabbar(ids.MAIN), "value"),
        *(State(pattern, prop) for pattern, props in KEPT for prop in props),
        State(ids.SAVED, "data"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def render(tab: Any, *rest: Any) -> tuple[Component, dict[str, Any]]:
        *_, saved, lang = rest
        if not isinstance(tab, str) or tab not in tabs:  # the value comes from a request
            raise PreventUpdate
        saved = dict(saved) if isinstance(saved, dict) else {}
        leaving = saved.get(OPEN)
        if leaving == tab:
            raise PreventUpdate
        if isinstance(leaving, str) and leaving in tabs:
            saved[leaving] = snapshot(ctx.states_list)
        saved[OPEN] = tab
        lang = normalise(lang)
        kept = saved.get(tab)
        return tab_panel(tab, restore(build(tabs[tab], lang, kept), kept)), saved
