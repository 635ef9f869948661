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

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids, urlstate
from dashboard.i18n import normalise, t
from dashboard.model.train import Architecture, TrainConfig, TrainState, parameter_names
from dashboard.problem import Problem

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
OPTIONS = "_options"
"""Key of the saved store holding each tab's instructor options from a link (hide, lock)."""
LINKED = "_linked"
"""Key of the saved store set once the page's link has been read."""
HIDDEN = {"display": "none"}


def tab_panel(tab: str, body: Component) -> html.Div:
    return html.Div(body, id=ids.panel(ids.MAIN, tab), className="panel")


def tab_options(tabs: Mapping[str, TabBuilder], lang: str) -> list[dict[str, str]]:
    """The tab bar's options, labelled as plain text (a component per label would cost the
    renderer time on every update); ``register`` translates them on a language change."""
    return [{"label": t(lang, f"tab.{key}"), "value": key} for key in tabs]


def layout(tabs: Mapping[str, TabBuilder], first: str, lang: str) -> list[Component]:
    """The tab bar, the open tab's body, and the store of snapshots of the others."""
    return [
        html.Div(
            [
                dcc.RadioItems(
                    id=ids.tabbar(ids.MAIN),
                    options=tab_options(tabs, lang),
                    value=first,
                    inline=True,
                    className="tabbar",
                    labelClassName="tabbar-tab",
                    inputClassName="tabbar-input",
                ),
                html.Div(id=ids.NOTICE, className="notice", role="status"),
                html.Div(tab_panel(first, tabs[first](lang)), id=ids.CONTENT),
            ],
            className=f"tabs tabs-{ids.MAIN}",
            role="group",
            **{"aria-label": t(lang, "app.title")},
        ),
        dcc.Store(id=ids.SAVED, data={OPEN: first}),
        # The address bar is written by assets/links.js, outside Dash's callbacks.
        dcc.Location(id=ids.URL, refresh=False),
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


def link_snapshot(tab: str, state: urlstate.ViewState) -> dict[str, dict[str, Any]]:
    """A link's state as a snapshot of the tab's controls (see :func:`restore`)."""
    kept: dict[str, dict[str, Any]] = {}

    def put(cid: dict[str, Any], **props: Any) -> None:
        kept[ids.dom_id(cid)] = props

    if tab == urlstate.BUILDER and state.net is not None:
        net = state.net
        arch = Architecture(net.widths, net.activations)
        config = TrainConfig(net.optimizer, net.lr, batch_size=net.batch)
        theta = [state.values[n] for n in parameter_names(net.widths)]
        train = TrainState(arch, theta, config, net.seed)
        # The builder's from_snapshot builds its network, sliders and settings from the store.
        put(ids.store(tab, "train"), data=train.to_dict())
        put(ids.store(tab, "arch"), data={"widths": list(arch.widths),
                                          "activations": list(arch.activations)})  # fmt: skip
    elif tab not in urlstate.STATE_TABS:
        return kept
    else:
        put(ids.activation(tab), value=state.activation)
    for name, value in state.values.items():
        put(ids.param(tab, name), value=value)
        put(ids.box(tab, name), value=value)
    for name, value in state.params.items():  # none on the builder
        put(ids.act_param(tab, state.activation, name), value=value)
        put(ids.act_box(tab, state.activation, name), value=value)
    if tab in urlstate.OVERLAYS:
        put(ids.overlays(tab), value=list(state.overlays))
    p: Problem | None = state.problem
    if p is not None:
        put(ids.target(tab, "target"), value=p.target)
        put(ids.target(tab, "formula"), value=p.formula)
        put(ids.target(tab, "a"), value=p.lo)
        put(ids.target(tab, "b"), value=p.hi)
        put(ids.target(tab, "beyond"), value=["on"] if p.beyond else [])
        put(ids.target(tab, "stack"), value=["on"] if p.stack else [])
        put(ids.target(tab, "goal"), value=state.goal)
    return kept


def _walk(node: Any, parent: Any = None) -> Any:
    """(component, parent) for every component below ``node``, ``node`` included."""
    if isinstance(node, Component):
        yield node, parent
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            yield from _walk(child, node)


def _hide(component: Any) -> None:
    component.style = {**(getattr(component, "style", None) or {}), **HIDDEN}


HINT_TEXTS = frozenset({"label.gradient_hint"})
"""Text keys that explain the hints: hidden with them."""


def _hint_text(cid: Any) -> bool:
    return isinstance(cid, dict) and cid.get("type") == ids.TEXT and cid.get("key") in HINT_TEXTS


def apply_options(body: Component, tab: str, options: Any, lang: str) -> Component:
    """``body`` with an instructor's options applied: the named controls hidden (the names
    of :func:`urlstate.controls`), and the target controls locked."""
    if not isinstance(options, dict):
        return body
    hide = options.get("hide")
    hide = {h for h in hide if isinstance(h, str)} if isinstance(hide, list) else set()
    lock = options.get("lock") is True
    # Controls found through their own id: hide the row or group holding them.
    by_parent = {ids.dom_id(ids.activation(tab)): "activation"}
    by_parent[ids.dom_id(ids.overlays(tab))] = "overlays"
    by_parent[ids.dom_id(ids.score(tab))] = "score"
    for name in urlstate.param_names(tab):
        by_parent[ids.dom_id(ids.param(tab, name))] = name
    by_self = {ids.dom_id(ids.action(tab, w)): w for w in ("fit", "best")}
    by_self |= {ids.dom_id(ids.report(tab, w)): w for w in ("fit", "best")}
    for component, parent in list(_walk(body)):
        cid = getattr(component, "id", None)
        key = ids.dom_id(cid) if isinstance(cid, dict) else None
        kind = cid.get("type") if isinstance(cid, dict) else None
        if key in by_parent and by_parent[key] in hide and parent is not None:
            _hide(parent)
        named = {
            by_self.get(key or ""),
            getattr(component, "data-control", None),
            "hints" if kind == ids.HINT or _hint_text(cid) else None,
            "act_params" if kind == ids.ACT_GROUP else None,
        }
        if named & hide:
            _hide(component)
        if lock and kind == ids.TARGET:
            if isinstance(component, dcc.Checklist):
                component.options = [{**o, "disabled": True} for o in component.options]
            else:
                component.disabled = True
        if lock and getattr(component, "data-control", None) == "target":
            component.children = [
                *component.children,
                html.P(t(lang, "share.locked"), className="hint locked"),
            ]
    return body


def register(app: Dash, tabs: Mapping[str, TabBuilder]) -> None:
    """Render the chosen tab, rebuilt from its snapshot when it was open before."""

    app.callback(
        Output(ids.tabbar(ids.MAIN), "options"),
        Input(ids.LANG, "value"),
        prevent_initial_call=True,
    )(lambda lang: tab_options(tabs, normalise(lang)))

    @app.callback(
        Output(ids.CONTENT, "children"),
        Output(ids.SAVED, "data"),
        Output(ids.tabbar(ids.MAIN), "value"),
        Output(ids.LANG, "value"),
        Output(ids.NOTICE, "children"),
        Input(ids.tabbar(ids.MAIN), "value"),
        Input(ids.URL, "search"),
        *(State(pattern, prop) for pattern, props in KEPT for prop in props),
        State(ids.SAVED, "data"),
        State(ids.LANG, "value"),
    )
    def render(tab: Any, search: Any, *rest: Any) -> tuple[Any, ...]:
        *_, saved, lang = rest
        saved = dict(saved) if isinstance(saved, dict) else {}
        lang = normalise(lang)
        if ctx.triggered_id == ids.tabbar(ids.MAIN):
            return (*switch(tab, saved, lang), no_update, no_update, "")
        # The page's link, read once: at the first call, or when the location first reports it.
        if saved.get(LINKED) or not isinstance(search, str) or not search.strip("?"):
            raise PreventUpdate
        return open_link(search, saved, lang)

    def switch(tab: Any, saved: dict[str, Any], lang: str) -> tuple[Component, dict[str, Any]]:
        if not isinstance(tab, str) or tab not in tabs:  # the value comes from a request
            raise PreventUpdate
        leaving = saved.get(OPEN)
        if leaving == tab:
            raise PreventUpdate
        if isinstance(leaving, str) and leaving in tabs:
            saved[leaving] = snapshot(ctx.states_list)
        saved[OPEN] = tab
        return body(tab, saved, lang), saved

    def body(tab: str, saved: dict[str, Any], lang: str) -> Component:
        kept = saved.get(tab)
        built = restore(build(tabs[tab], lang, kept), kept)
        options = saved.get(OPTIONS)
        if isinstance(options, dict):
            built = apply_options(built, tab, options.get(tab), lang)
        return tab_panel(tab, built)

    def open_link(search: str, saved: dict[str, Any], lang: str) -> tuple[Any, ...]:
        tab, state, notices = urlstate.decode(search)
        saved[LINKED] = True
        lang_out: Any = no_update
        if state.lang is not None and state.lang != lang:
            lang, lang_out = state.lang, state.lang
        if tab not in tabs:
            tab = next(iter(tabs))
        saved[OPEN] = tab
        saved[tab] = link_snapshot(tab, state)
        if state.hide or state.lock:
            saved[OPTIONS] = {tab: {"hide": list(state.hide), "lock": state.lock}}
        notice = [html.P(n.render(lang)) for n in notices]
        return body(tab, saved, lang), saved, tab, lang_out, notice
