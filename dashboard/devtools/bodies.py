"""Callback request bodies as the page posts them, for the app's own callbacks.

Two sources of values, both written through :func:`dashboard.wire.build_body`:

- :func:`build`: from ``/_dash-dependencies`` alone. A pattern-matched group is expanded from
  the model's own tables (each tab's parameter names, the activations' own parameters) and
  every value is what a freshly opened page holds, so a load or an abuse test can change one
  value at a time.
- :func:`request_body`: from a serialised layout (``full_layout``, ``tab_layout``): every
  value as rendered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from dashboard import ids
from dashboard.model import ACTIVATIONS
from dashboard.model.activations import CATALOGUE_ORDER
from dashboard.sections import NEURON_PARAMS, SPECS_BY_KEY, Param
from dashboard.wire import (
    ALL,
    UPDATE_PATH,
    build_body,
    dom_id,
    is_group,
    matches,
    name_changed,
    parse_id,
    split_outputs,
)

UPDATE = "/" + UPDATE_PATH
CONTENT = "content"


# --- which callback --------------------------------------------------------------------------


def server_dependencies(dependencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The callbacks answered by the server (clientside ones never reach it)."""
    return [d for d in dependencies if not d.get("clientside_function")]


def find_dependency(dependencies: list[dict[str, Any]], tab: str) -> dict[str, Any]:
    """The figure callback of a tab, as ``/_dash-dependencies`` lists it."""
    graph = dom_id(ids.graph(tab))
    (dep,) = [d for d in dependencies if d["output"].startswith(f"..{graph}.figure...")]
    return dep


# --- a freshly opened page, from the model's tables ---------------------------------------------


def tab_params(tab: str) -> tuple[Param, ...]:
    """A tab's network parameters in page order (slider by slider)."""
    if tab == "neuron":
        return NEURON_PARAMS
    spec = SPECS_BY_KEY.get(tab)
    if spec is None:
        return ()
    return tuple(spec.param(n) for _, names in spec.groups for n in names)


ACT_CONTROLS = [(key, r) for key in CATALOGUE_ORDER for r in ACTIVATIONS[key].param_ranges]
"""Every activation's own parameter (ELU's alpha, ...), in page order."""


def expand(pattern: dict[str, Any]) -> list[dict[str, Any]]:
    """The concrete ids a freshly opened tab has for an ALL pattern (``[]`` when unknown).

    A pattern with ``tab: ALL`` spans tabs, which are on the page one at a time: it is sent
    empty, as by a page that holds none of them.
    """
    kind, tab = pattern.get("type"), pattern.get("tab")
    if kind in (ids.MARKDOWN, ids.ACTIVATION) and tab == ALL:  # the first tab's, on the page
        return [{**pattern, "tab": "gallery"}]
    if tab == ALL:
        return []
    if kind in (ids.PARAM, ids.BOX, ids.HINT) and pattern.get("name") == ALL:
        return [{**pattern, "name": p.name} for p in tab_params(tab)]
    if kind in (ids.ACT_PARAM, ids.ACT_BOX):
        return [{**pattern, "act": key, "name": r.name} for key, r in ACT_CONTROLS]
    if kind == ids.TEXT:
        return [ids.text("app.title", "header"), ids.text("app.subtitle", "header")]
    return []


def _range_value(param: Any, prop: str) -> Any:
    if param is None:
        return None
    return {"value": param.default, "min": param.lo, "max": param.hi}.get(prop)


def _target_value(cid: dict[str, Any]) -> Any:
    spec = SPECS_BY_KEY[cid["tab"]]
    field = cid.get("field")
    defaults = {"target": spec.target, "formula": "", "a": spec.grid.lo, "b": spec.grid.hi}
    return defaults.get(field, [] if field in ("beyond", "stack") else None)


def normal_value(cid: Any, prop: str) -> Any:
    """What a freshly opened page holds in this property (``None``: nothing)."""
    if cid == ids.LANG:
        return "en"
    if not isinstance(cid, dict):
        return None
    kind, tab = cid.get("type"), cid.get("tab")
    if kind in (ids.PARAM, ids.BOX):
        params = {p.name: p for p in tab_params(tab)}
        return _range_value(params.get(cid.get("name")), prop)
    if kind in (ids.ACT_PARAM, ids.ACT_BOX):
        ranges = {r.name: r for r in ACTIVATIONS[cid["act"]].param_ranges}
        return _range_value(ranges[cid["name"]], prop)
    if kind == ids.TARGET and tab in SPECS_BY_KEY:
        return _target_value(cid)
    fixed = {
        ids.ACTIVATION: "sigmoid",
        ids.OVERLAYS: ["marks"] if tab == "neuron" else [],
        ids.PRESET: 0,
        ids.ACTION: 0,
        ids.TABBAR: "gallery",
    }
    return fixed.get(kind)


def build(dep: Mapping[str, Any], changed: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The body the page posts for ``dep``, every value as on a freshly opened page.

    ``changed`` maps DOM ids (``dom_id``) or ``"<dom id>.<property>"`` to new values; those
    inputs are named in ``changedPropIds``. With none, the first input is named, as on the
    page's first load.
    """
    body = build_body(dep, expand, normal_value, changed)
    first = body["inputs"][0] if body["inputs"] else None
    if isinstance(first, list):
        first = first[0] if first else None
    if not body["changedPropIds"] and first is not None:
        name_changed(body, first)
    return body


# --- a rendered page, from its serialised layout -----------------------------------------------


def components(node: Any) -> Iterator[dict[str, Any]]:
    """The props of every component with an id in a serialised layout, in document order."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "id" in props and "type" in node:
            yield props
        for value in node.values():
            yield from components(value)
    elif isinstance(node, list):
        for value in node:
            yield from components(value)


def request_outputs(dep: dict[str, Any], props: list[dict[str, Any]]) -> list[Any]:
    """The ``outputs`` of the body the page posts for callback ``dep``, one per declared
    output; a wildcard output lists every matching component of ``props``, in layout order."""
    outputs: list[Any] = []
    for pattern, prop in split_outputs(dep["output"]):
        if is_group(pattern):
            found = [p for p in props if matches(pattern, p["id"])]
            outputs.append([{"id": p["id"], "property": prop} for p in found])
        else:
            outputs.append({"id": pattern, "property": prop})
    return outputs


def request_body(
    dep: dict[str, Any],
    layout: Any,
    overrides: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    state: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body the page posts: every input and state with its value in ``layout``.

    ``overrides`` sets parameter boxes by name; ``extra`` sets other inputs by DOM id;
    ``state`` sets states by DOM id (a ``None`` state is sent without a value, as the page
    does for a store holding nothing).
    """
    props = list(components(layout))
    overrides, extra = overrides or {}, extra or {}
    changed: dict[str, Any] = dict(state or {})
    for spec in dep["inputs"]:
        for p in (p for p in props if matches(parse_id(spec["id"]), p["id"])):
            key, name = dom_id(p["id"]), p["id"].get("name") if isinstance(p["id"], dict) else None
            if name in overrides:
                changed[f"{key}.{spec['property']}"] = overrides[name]
            if key in extra:
                changed[f"{key}.{spec['property']}"] = extra[key]

    def held(cid: Any, prop: str) -> Any:
        found = [p for p in props if p["id"] == cid]
        assert len(found) == 1, f"{dom_id(cid)}: {len(found)} components in the layout"
        return found[0].get(prop)

    def group(pattern: dict[str, Any]) -> list[Any]:
        return [p["id"] for p in props if matches(pattern, p["id"])]

    return build_body(dep, group, held, changed)


def render_body(dependencies: list[dict[str, Any]], tab: str, lang: str = "en") -> dict[str, Any]:
    """The body the page posts when the tab bar switches to ``tab`` from a fresh page.

    The snapshot states of the tab being left are sent empty: a fresh page has nothing to keep.
    """
    (dep,) = [d for d in dependencies if d["output"].startswith(f"..{CONTENT}.children...")]
    tab_input = dep["inputs"][0]  # the tab bar, then the page's location

    def held(cid: Any, prop: str) -> Any:
        if not isinstance(cid, str):  # the tab bar, named as changed
            return None
        return {"url": "", "saved": {"_open": "gallery"}}.get(cid, lang)

    return build_body(dep, lambda _pattern: [], held, {f"{tab_input['id']}.value": tab})


def tab_layout(client: Any, tab: str, lang: str = "en") -> Any:
    """The serialised body of ``tab`` as the server renders it when the tab bar opens it."""
    dependencies = client.get("/_dash-dependencies").get_json()
    response = client.post(UPDATE, json=render_body(dependencies, tab, lang))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"][CONTENT]["children"]


def full_layout(client: Any, **kw: Any) -> list[Any]:
    """The page's layout followed by the body of every tab not open on a fresh page.

    Only the open tab is on the page at a time; tests that look at every tab's controls read
    them from here (``components`` walks the whole list).
    """
    from dashboard.tabs import TABS  # the registry imports every view: read it only when used

    page = client.get("/_dash-layout", **kw).get_json()
    lang = "ru" if '"lang": "ru"' in json.dumps(page) else "en"
    return [page, *(tab_layout(client, tab.key, lang) for tab in TABS[1:])]
