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

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import Message, normalise, t
from dashboard.links import Links, TabLinks, ViewState
from dashboard.links.schema import NETWORK, TRAINING
from dashboard.model.train import Architecture, TrainConfig, TrainState, parameter_names


class ShellTab(Protocol):
    """What the shell reads of a tab of one app (dashboard/tabs.py ``AppTab``)."""

    key: str
    title: str
    layout: Callable[[str], Component]
    rebuild: Callable[[str, Mapping[str, Any]], Component] | None
    links: TabLinks


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


def tab_options(tabs: Sequence[ShellTab], lang: str) -> list[dict[str, str]]:
    """The tab bar's options, labelled as plain text (a component per label would cost the
    renderer time on every update); ``register`` translates them on a language change."""
    return [{"label": t(lang, tab.title), "value": tab.key} for tab in tabs]


def layout(tabs: Sequence[ShellTab], lang: str) -> list[Component]:
    """The tab bar, the first tab's body, and the store of snapshots of the others."""
    first = tabs[0]
    return [
        html.Div(
            [
                dcc.RadioItems(
                    id=ids.tabbar(ids.MAIN),
                    options=tab_options(tabs, lang),
                    value=first.key,
                    inline=True,
                    className="tabbar",
                    labelClassName="tabbar-tab",
                    inputClassName="tabbar-input",
                ),
                html.Div(id=ids.NOTICE, className="notice", role="status"),
                html.Div(tab_panel(first.key, first.layout(lang)), id=ids.CONTENT),
            ],
            className=f"tabs tabs-{ids.MAIN}",
            role="group",
            **{"aria-label": t(lang, "app.title")},
        ),
        dcc.Store(id=ids.SAVED, data={OPEN: first.key}),
        # The address bar is written by assets/links.js, outside Dash's callbacks.
        dcc.Location(id=ids.URL, refresh=False),
    ]


def snapshot(groups: Sequence[Sequence[Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The kept properties of the controls on the page, by DOM id, from
    ``ctx.args_grouping["kept"]``: one group per property of :data:`KEPT`, each item the
    request's id, property and value.

    Dash gives a property the browser left out (one the component never had) as None, so
    restoring it sets what the component had: nothing.
    """
    kept: dict[str, dict[str, Any]] = {}
    for group in groups:
        for item in group:
            cid = item["id"]
            if cid == ids.tabbar(ids.MAIN):
                continue
            kept.setdefault(ids.dom_id(cid), {})[item["property"]] = item.get("value")
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


def build(tab: ShellTab, lang: str, kept: Any) -> Component:
    """A tab's body before its snapshot is applied: at its defaults, or, for a tab whose shape
    comes from its snapshot (the builder's network: its sliders depend on it), built by the
    tab's ``rebuild(lang, kept)``."""
    if tab.rebuild is not None and isinstance(kept, dict) and kept:
        return tab.rebuild(lang, kept)
    return tab.layout(lang)


def link_snapshot(codec: Links, tab: str, state: ViewState) -> dict[str, dict[str, Any]]:
    """A link's state as a snapshot of the tab's controls (see :func:`restore`): the controls
    of the link schema; a network's shape and settings go in its stores, which the tab's
    ``rebuild`` builds its body from."""
    kept: dict[str, dict[str, Any]] = {}
    for cid, prop, value in codec.values_of_controls(tab, state, frozenset({NETWORK, TRAINING})):
        kept.setdefault(ids.dom_id(cid), {})[prop] = value
    net = state.net
    if net is not None:
        arch = Architecture(net.widths, net.activations)
        config = TrainConfig(net.optimizer, net.lr, batch_size=net.batch)
        theta = [state.values[n] for n in parameter_names(net.widths)]
        train = TrainState(arch, theta, config, net.seed)
        kept[ids.dom_id(ids.store(tab, "train"))] = {"data": train.to_dict()}
        arch_data = {"widths": list(arch.widths), "activations": list(arch.activations)}
        kept[ids.dom_id(ids.store(tab, "arch"))] = {"data": arch_data}
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


def _named_by_parent(tab: ShellTab) -> dict[str, str]:
    """DOM ids of controls whose row or group is hidden with them, to their names."""
    key = tab.key
    by_parent = {ids.dom_id(ids.activation(key)): "activation"}
    by_parent[ids.dom_id(ids.overlays(key))] = "overlays"
    by_parent[ids.dom_id(ids.score(key))] = "score"
    for name in tab.links.param_names:
        by_parent[ids.dom_id(ids.param(key, name))] = name
    return by_parent


def _names_of(component: Any, by_self: Mapping[str, str]) -> set[Any]:
    """The control names ``component`` itself goes by."""
    cid = getattr(component, "id", None)
    kind = cid.get("type") if isinstance(cid, dict) else None
    return {
        by_self.get(ids.dom_id(cid)) if isinstance(cid, dict) else None,
        getattr(component, "data-control", None),
        "hints" if kind == ids.HINT or _hint_text(cid) else None,
        "act_params" if kind == ids.ACT_GROUP else None,
    }


def _lock(component: Any, lang: str) -> None:
    """Lock a target control (and say so under the target group)."""
    cid = getattr(component, "id", None)
    if isinstance(cid, dict) and cid.get("type") == ids.TARGET:
        if isinstance(component, dcc.Checklist):
            component.options = [{**o, "disabled": True} for o in component.options]
        else:
            component.disabled = True
    if getattr(component, "data-control", None) == "target":
        component.children = [
            *component.children,
            html.P(t(lang, "share.locked"), className="hint locked"),
        ]


def apply_options(body: Component, tab: ShellTab, options: Any, lang: str) -> Component:
    """``body`` with an instructor's options applied: the named controls hidden (the names
    of ``TabLinks.controls``), and the target controls locked."""
    if not isinstance(options, dict):
        return body
    hide = options.get("hide")
    hide = {h for h in hide if isinstance(h, str)} if isinstance(hide, list) else set()
    by_parent = _named_by_parent(tab)
    by_self = {ids.dom_id(ids.action(tab.key, w)): w for w in ("fit", "best")}
    by_self |= {ids.dom_id(ids.report(tab.key, w)): w for w in ("fit", "best")}
    for component, parent in list(_walk(body)):
        cid = getattr(component, "id", None)
        key = ids.dom_id(cid) if isinstance(cid, dict) else None
        if key in by_parent and by_parent[key] in hide and parent is not None:
            _hide(parent)
        if _names_of(component, by_self) & hide:
            _hide(component)
        if options.get("lock") is True:
            _lock(component, lang)
    return body


class Shell:
    """The tab switch and the page's link, over the tabs of the registry."""

    def __init__(self, tabs: Sequence[ShellTab]) -> None:
        self.tabs = {tab.key: tab for tab in tabs}
        self.links = Links([tab.links for tab in tabs])

    def switch(self, key: Any, saved: dict[str, Any], lang: str, kept: Sequence[Any]) -> Any:
        """The body of tab ``key`` and the saved store, the tab being left snapshotted from
        ``kept`` (see :func:`snapshot`)."""
        if not isinstance(key, str) or key not in self.tabs:  # the value comes from a request
            raise PreventUpdate
        leaving = saved.get(OPEN)
        if leaving == key:
            raise PreventUpdate
        if isinstance(leaving, str) and leaving in self.tabs:
            saved[leaving] = snapshot(kept)
        saved[OPEN] = key
        return self.body(key, saved, lang), saved

    def body(self, key: str, saved: dict[str, Any], lang: str) -> Component:
        tab = self.tabs[key]
        kept = saved.get(key)
        built = restore(build(tab, lang, kept), kept)
        options = saved.get(OPTIONS)
        if isinstance(options, dict):
            built = apply_options(built, tab, options.get(key), lang)
        return tab_panel(key, built)

    def open_link(self, search: str, saved: dict[str, Any], lang: str) -> dict[str, Any]:
        """The outputs of ``render`` for the page's link."""
        key, state, notices = self.links.decode(search)
        saved[LINKED] = True
        lang_out: Any = no_update
        if state.lang is not None and state.lang != lang:
            lang, lang_out = state.lang, state.lang
        saved[OPEN] = key
        saved[key] = link_snapshot(self.links, key, state)
        if state.hide or state.lock:
            saved[OPTIONS] = {key: {"hide": list(state.hide), "lock": state.lock}}
        return {
            "content": self.body(key, saved, lang),
            "saved": saved,
            "tab": key,
            "lang": lang_out,
            "notice": _notices(notices, lang),
        }


def _notices(notices: Sequence[Message], lang: str) -> list[html.P]:
    return [html.P(n.render(lang)) for n in notices]


def register(app: Dash, tabs: Sequence[ShellTab]) -> None:
    """Render the chosen tab, rebuilt from its snapshot when it was open before."""
    shell = Shell(tabs)

    app.callback(
        Output(ids.tabbar(ids.MAIN), "options"),
        Input(ids.LANG, "value"),
        prevent_initial_call=True,
    )(lambda lang: tab_options(tabs, normalise(lang)))

    @app.callback(
        output={
            "content": Output(ids.CONTENT, "children"),
            "saved": Output(ids.SAVED, "data"),
            "tab": Output(ids.tabbar(ids.MAIN), "value"),
            "lang": Output(ids.LANG, "value"),
            "notice": Output(ids.NOTICE, "children"),
        },
        inputs={"tab": Input(ids.tabbar(ids.MAIN), "value"), "search": Input(ids.URL, "search")},
        state={
            "kept": [State(pattern, prop) for pattern, props in KEPT for prop in props],
            "saved": State(ids.SAVED, "data"),
            "lang": State(ids.LANG, "value"),
        },
    )
    def render(tab: Any, search: Any, kept: Any, saved: Any, lang: Any) -> dict[str, Any]:
        saved = dict(saved) if isinstance(saved, dict) else {}
        lang = normalise(lang)
        if ctx.triggered_id == ids.tabbar(ids.MAIN):
            content, saved = shell.switch(tab, saved, lang, ctx.args_grouping["kept"])
            return {"content": content, "saved": saved, "tab": no_update,
                    "lang": no_update, "notice": ""}  # fmt: skip
        # The page's link, read once: at the first call, or when the location first reports it.
        if saved.get(LINKED) or not isinstance(search, str) or not search.strip("?"):
            raise PreventUpdate
        return shell.open_link(search, saved, lang)
