"""Dash request bodies for the endpoint tests, and readers of what the server answers.

The bodies themselves are written by ``dashboard.devtools.bodies`` (shared with the
benchmarks) through ``dashboard.wire`` (shared with the app's own body check); they are
imported here so that a test finds every helper in one place. Added here: copies of a body
with one thing changed (a value, a click, a pattern-matched group spoiled), and readers of an
answer (plotly arrays, serialised ``dash.Patch`` objects, status lines).
"""

from __future__ import annotations

import base64
import copy
import importlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pytest

from dashboard.devtools.bodies import (
    UPDATE,
    build,
    components,
    expand,
    find_dependency,
    full_layout,
    normal_value,
    render_body,
    request_body,
    request_outputs,
    server_dependencies,
    tab_layout,
    tab_params,
)
from dashboard.wire import ALL, dom_id, is_group, matches, parse_id, split_outputs

__all__ = [
    "UPDATE",
    "build",
    "components",
    "dom_id",
    "expand",
    "find_dependency",
    "full_layout",
    "matches",
    "normal_value",
    "parse_id",
    "render_body",
    "request_body",
    "request_outputs",
    "server_dependencies",
    "split_outputs",
    "tab_layout",
    "tab_params",
]


# --- one thing changed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """Where a value sits in a body: ("inputs" | "state", position, item in a group or None)."""

    section: str
    position: int
    item: int | None
    cid: Any
    prop: str


def slots(body: Mapping[str, Any]) -> Iterator[Slot]:
    """Every value-carrying place of a body."""
    for section in ("inputs", "state"):
        for position, entry in enumerate(body.get(section, [])):
            if isinstance(entry, list):
                for i, it in enumerate(entry):
                    yield Slot(section, position, i, it["id"], it["property"])
            else:
                yield Slot(section, position, None, entry["id"], entry["property"])


def with_value(body: Mapping[str, Any], slot: Slot, value: Any) -> dict[str, Any]:
    """A copy of ``body`` with one value replaced (and, for an input, named as changed)."""
    out = copy.deepcopy(dict(body))
    entry = out[slot.section][slot.position]
    target = entry[slot.item] if slot.item is not None else entry
    target["value"] = value
    if slot.section == "inputs":
        out["changedPropIds"] = [f"{dom_id(slot.cid)}.{slot.prop}"]
    return out


def pressed(dep: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``body`` as sent when its first button is pressed (or interval ticks) once:
    a callback that acts only on a click then reads everything else."""
    out = copy.deepcopy(dict(body))
    for position, spec in enumerate(dep["inputs"]):
        entry = out["inputs"][position]
        if spec["property"] in ("n_clicks", "n_intervals") and isinstance(entry, dict):
            entry["value"] = 1
            out["changedPropIds"] = [f"{dom_id(entry['id'])}.{spec['property']}"]
            break
    return out


def page_body(dep: Mapping[str, Any], props: list[dict[str, Any]]) -> dict[str, Any]:
    """:func:`build`, with the values and the pattern-matched groups of the rendered tabs.

    ``props`` are the components of ``full_layout``: a group that the model's tables leave
    empty (the builder's sliders, named after its network) lists the rendered components, and
    a value a fresh page would hold but ``normal_value`` does not know (a store's data) is the
    rendered one. Patterns spanning tabs stay as :func:`build` sends them: only one tab is on
    a page at a time.
    """
    body = build(dep)

    def rendered(pattern: Any) -> list[dict[str, Any]]:
        if not is_group(pattern) or pattern.get("tab") == ALL:
            return []
        return [p for p in props if matches(pattern, p["id"])]

    for name in ("inputs", "state"):
        for position, spec in enumerate(dep[name]):
            pattern, prop = parse_id(spec["id"]), spec["property"]
            found = rendered(pattern)
            if found and not body[name][position]:
                body[name][position] = [
                    {"id": p["id"], "property": prop, "value": p.get(prop)} for p in found
                ]
            entry = body[name][position]
            if isinstance(entry, dict) and entry.get("value") is None:
                (held,) = [p for p in props if p["id"] == pattern] or [{}]
                if held.get(prop) is not None:
                    entry["value"] = held[prop]
    if dep["output"].startswith(".."):
        for position, (pattern, prop) in enumerate(split_outputs(dep["output"])):
            found = rendered(pattern)
            if found and not body["outputs"][position]:
                body["outputs"][position] = [{"id": p["id"], "property": prop} for p in found]
    return body


# --- pattern-matched groups spoiled ------------------------------------------------------------

OTHER_NAMES: tuple[Any, ...] = ("zz", 7, "")
"""What a forged or stale page may call a component of a pattern-matched group."""

Change = Callable[[list[Any]], None]


def _group_places(dep: Mapping[str, Any]) -> dict[str, list[tuple[str, int]]]:
    """Per wildcard pattern (its DOM id), where its groups sit: (section, position)."""
    places: dict[str, list[tuple[str, int]]] = {}
    for name in ("inputs", "state"):
        for position, spec in enumerate(dep[name]):
            pattern = parse_id(spec["id"])
            if is_group(pattern):
                places.setdefault(dom_id(pattern), []).append((name, position))
    if dep["output"].startswith(".."):
        for position, (pattern, _prop) in enumerate(split_outputs(dep["output"])):
            if is_group(pattern) and dom_id(pattern) in places:
                places[dom_id(pattern)].append(("outputs", position))
    return places


def _add(group: list[Any], other: dict[str, Any]) -> None:
    extra = copy.deepcopy(group[0]) if group else {"property": "value", "value": 0.5}
    extra["id"] = dict(other)
    group.append(extra)


def _leave_out(group: list[Any], index: int) -> None:
    if group:
        group.pop(index)


def _rename(group: list[Any], key: str, new: Any) -> None:
    if group:
        group[0]["id"][key] = new


def _group_changes(pattern: dict[str, Any], filled: bool) -> list[tuple[str, Change]]:
    """The ways to spoil a group of ``pattern`` (renaming and leaving out need a member)."""
    wild = [k for k, v in pattern.items() if v == ALL]
    other = {**pattern, **{k: "zz" for k in wild}}
    changes: list[tuple[str, Change]] = [("one more", partial(_add, other=other))]
    if filled:
        changes += [
            ("first left out", partial(_leave_out, index=0)),
            ("last left out", partial(_leave_out, index=-1)),
        ]
        changes += [
            (f"first's {k} = {new!r}", partial(_rename, key=k, new=new))
            for k in wild
            for new in OTHER_NAMES
        ]
    return changes


def _spoiled(body: Mapping[str, Any], where: list[tuple[str, int]], change: Change) -> dict:
    out = copy.deepcopy(dict(body))
    for name, position in where:
        change(out[name][position])
    return out


def pattern_spoils(
    dep: Mapping[str, Any], body: Mapping[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Copies of ``body`` whose pattern-matched groups list components the tab does not hold.

    For each pattern with wildcards (``{"type": "param", "tab": "sin3", "name": ALL}``) and
    each of its wildcard keys: the first component renamed (``OTHER_NAMES``), the first or
    the last one left out, one more added under a name no page uses. The change is made in
    every group of that pattern at once (inputs, state and outputs), as a page holding those
    components would send them, and also in the first group alone.
    """
    for key, where in _group_places(dep).items():
        filled = any(body[name][position] for name, position in where)
        for label, change in _group_changes(parse_id(key), filled):
            yield f"{key}: {label}", _spoiled(body, where, change)
            if len(where) > 1:
                yield f"{key}: {label}, in its first group only", _spoiled(body, where[:1], change)


# --- reading an answer -------------------------------------------------------------------------


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


def need(module: str) -> Any:
    """Import ``module`` for a test: skip where it is not installed, but fail in CI, which
    installs it (.ci/run), so a test that CI must run can never pass by being skipped."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed; .ci/run installs it")
        pytest.skip(f"{module} is not installed")
