"""Helpers shared by the endpoint tests: request bodies as dash-renderer sends them, and decoding.

Bodies are built from the app's own ``/_dash-dependencies`` and ``/_dash-layout``, in the shape
the browser posts (checked once against a real Chromium): every input with its value, states
with a ``value`` key only when the value is not null, and ``changedPropIds`` naming what moved.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np


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


def parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def dom_id(component_id: Any) -> str:
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def matches(pattern: Any, component_id: Any) -> bool:
    if isinstance(pattern, str) or isinstance(component_id, str):
        return pattern == component_id
    if set(pattern) != set(component_id):
        return False
    return all(v == ["ALL"] or component_id[k] == v for k, v in pattern.items())


def split_outputs(output: str) -> list[tuple[Any, str]]:
    """'..{id}.figure...{id}.children..' -> [(id, 'figure'), (id, 'children')]."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [(parse_id(p.rsplit(".", 1)[0]), p.rsplit(".", 1)[1]) for p in parts]


def request_outputs(dep: dict[str, Any], props: list[dict[str, Any]]) -> list[Any]:
    """The ``outputs`` of the body the browser posts for callback ``dep``, one per declared
    output; a wildcard output lists every matching component of ``props``, in layout order."""
    outputs: list[Any] = []
    for pattern, prop in split_outputs(dep["output"]):
        if isinstance(pattern, dict) and ["ALL"] in pattern.values():
            found = [p for p in props if matches(pattern, p["id"])]
            outputs.append([{"id": p["id"], "property": prop} for p in found])
        else:
            outputs.append({"id": pattern, "property": prop})
    return outputs


def find_dependency(dependencies: list[dict[str, Any]], tab: str) -> dict[str, Any]:
    """The figure callback of a tab, as /_dash-dependencies lists it."""
    graph = dom_id({"tab": tab, "type": "graph"})
    (dep,) = [d for d in dependencies if d["output"].startswith(f"..{graph}.figure...")]
    return dep


def request_body(
    dep: dict[str, Any],
    layout: Any,
    overrides: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    state: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body dash-renderer posts: every input with its current value, as in the layout.

    ``overrides`` sets parameter boxes by name; ``extra`` sets other inputs by DOM id;
    ``state`` sets states by DOM id (a ``None`` state is sent without a value, as the browser
    does for a store holding nothing).
    """
    overrides, extra, state = overrides or {}, extra or {}, state or {}
    props = list(components(layout))
    inputs: list[Any] = []
    changed: list[str] = []
    for spec in dep["inputs"]:
        pattern, prop = parse_id(spec["id"]), spec["property"]
        found = [p for p in props if matches(pattern, p["id"])]
        items = []
        for p in found:
            value = p.get(prop)
            if isinstance(p["id"], dict) and p["id"].get("name") in overrides:
                value = overrides[p["id"]["name"]]
                changed.append(f"{dom_id(p['id'])}.{prop}")
            if dom_id(p["id"]) in extra:
                value = extra[dom_id(p["id"])]
                changed.append(f"{dom_id(p['id'])}.{prop}")
            items.append({"id": p["id"], "property": prop, "value": value})
        is_wildcard = isinstance(pattern, dict) and ["ALL"] in pattern.values()
        if is_wildcard:
            inputs.append(items)
        else:
            assert len(items) == 1, spec["id"]
            inputs.append(items[0])
    states: list[Any] = []
    for spec in dep["state"]:
        cid, prop = parse_id(spec["id"]), spec["property"]
        (found,) = [p for p in props if p["id"] == cid]
        value = state.get(spec["id"], found.get(prop))
        item = {"id": cid, "property": prop}
        if value is not None:
            item["value"] = value
        states.append(item)
    outputs = request_outputs(dep, props)
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": changed,
        "parsedChangedPropsIds": [parse_id(c.rsplit(".", 1)[0]) for c in changed],
        "state": states,
    }


def decode(data: Any) -> np.ndarray:
    """A plotly array as sent over the wire: a list or a base64 typed array."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        return array.reshape(data["shape"]) if "shape" in data else array
    return np.asarray(data, dtype=float)


PATCH_MARK = "__dash_patch_update"


def is_patch_json(value: Any) -> bool:
    return isinstance(value, dict) and value.get(PATCH_MARK) == PATCH_MARK


def apply_patch(figure: dict[str, Any], patch_json: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``figure`` with the operations of a serialised ``dash.Patch`` applied.

    Only "Assign" is supported, as the app should send nothing else: any other operation fails.
    """
    assert is_patch_json(patch_json), patch_json
    result = copy.deepcopy(figure)
    for op in patch_json["operations"]:
        assert op["operation"] == "Assign", op
        *path, last = op["location"]
        assert path, op
        node: Any = result
        for key in path:
            if isinstance(node, list):
                assert isinstance(key, int) and 0 <= key < len(node), op
            else:
                assert key in node, op
            node = node[key]
        if isinstance(node, list):
            assert isinstance(last, int) and 0 <= last < len(node), op
        node[last] = copy.deepcopy(op["params"]["value"])
    return result


def through_browser(value: Any) -> Any:
    """``value`` after a trip to the browser and back, as a ``dcc.Store`` keeps it.

    JavaScript has one number type, so an integral float such as 2.0 comes back as 2.
    """

    def number(text: str) -> float | int:
        f = float(text)
        return int(f) if f.is_integer() and abs(f) < 1e21 else f

    return json.loads(json.dumps(value), parse_float=number)


TAB_KEYS = ("gallery", "neuron", "square2", "sin3", "deep", "builder")
CONTENT = "content"


def render_body(dependencies: list[dict[str, Any]], tab: str, lang: str = "en") -> dict[str, Any]:
    """The body the browser posts when the tab bar switches to ``tab`` from a fresh page.

    The snapshot states of the tab being left are sent empty: a fresh page has nothing to keep.
    """
    (dep,) = [d for d in dependencies if d["output"].startswith(f"..{CONTENT}.children...")]
    tab_input, url_input = dep["inputs"]  # the tab bar, then the page's location
    states: list[Any] = []
    for spec in dep["state"]:
        cid = parse_id(spec["id"])
        if isinstance(cid, dict) and ["ALL"] in cid.values():
            states.append([])
        elif cid == "saved":
            states.append({"id": cid, "property": spec["property"], "value": {"_open": "gallery"}})
        else:  # the language
            states.append({"id": cid, "property": spec["property"], "value": lang})
    outputs = [{"id": p, "property": prop} for p, prop in split_outputs(dep["output"])]
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [
            {"id": parse_id(tab_input["id"]), "property": "value", "value": tab},
            {"id": parse_id(url_input["id"]), "property": "search", "value": ""},
        ],
        "changedPropIds": [f"{tab_input['id']}.value"],
        "parsedChangedPropsIds": [parse_id(tab_input["id"])],
        "state": states,
    }


def tab_layout(client: Any, tab: str, lang: str = "en") -> Any:
    """The serialised body of ``tab`` as the server renders it when the tab bar opens it."""
    dependencies = client.get("/_dash-dependencies").get_json()
    response = client.post("/_dash-update-component", json=render_body(dependencies, tab, lang))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"][CONTENT]["children"]


def full_layout(client: Any, **kw: Any) -> list[Any]:
    """The page's layout followed by the body of every tab not open on a fresh page.

    Only the open tab is on the page at a time; tests that look at every tab's controls read
    them from here (``components`` walks the whole list).
    """
    page = client.get("/_dash-layout", **kw).get_json()
    lang = "ru" if '"lang": "ru"' in json.dumps(page) else "en"
    return [page, *(tab_layout(client, tab, lang) for tab in TAB_KEYS[1:])]


def need(module: str) -> Any:
    """Import ``module`` for a test: skip where it is not installed, but fail in CI, which
    installs it (.ci/run), so a test that CI must run can never pass by being skipped."""
    import importlib
    import os

    import pytest

    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed; .ci/run installs it")
        pytest.skip(f"{module} is not installed")


def status_text(response: dict[str, Any], tab: str) -> str:
    """The status message of a tab in a callback's ``response``: the status line's children,
    or, on the approximation tabs, the ``status`` of the score line's ``data-feedback``."""
    status = dom_id({"tab": tab, "type": "status"})
    if status in response:
        return response[status]["children"]
    return feedback_parts(response, tab)["status"]


def feedback_parts(response: dict[str, Any], tab: str) -> dict[str, Any]:
    """The texts an approximation tab's figure callback sends in ``data-feedback``."""
    return json.loads(response[dom_id({"tab": tab, "type": "feedback"})]["data-feedback"])
