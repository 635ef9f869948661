"""Dash's callback request, built and read in one place.

Dash's renderer asks the server for a callback's answer with ``POST /_dash-update-component``
and a JSON body: ``output`` names the callback (``"<id>.<prop>"``, or ``"..<id>.<prop>...<id>.
<prop>.."`` for several outputs), ``outputs`` lists the components to update (unwrapped for a
single output), ``inputs`` and ``state`` carry one ``{"id", "property", "value"}`` object per
declared dependency (a list of them for a pattern-matched group; a state holding null is sent
without ``value``), and ``changedPropIds`` names the inputs that moved (``"<id>.<prop>"``). A
dict id is written as JSON with sorted keys and no spaces, the id the page's DOM carries.

:func:`body_problem` says whether a posted body fits a registered callback (the app answers
``400`` for one that does not); :func:`build_body` writes a body for a callback as listed by
``/_dash-dependencies``, given where its values come from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from dashboard import ids

UPDATE_PATH = "_dash-update-component"
"""Where the renderer posts callback requests, after the app's routes prefix."""
ALL = ["ALL"]
WILDCARDS = (ALL, ["ALLSMALLER"], ["MATCH"])
"""How ``/_dash-dependencies`` and the callback map spell Dash's wildcards inside an id."""


# --- ids and output strings -------------------------------------------------------------------


def parse_id(text: str) -> Any:
    """A component id from its written form (a dict id is JSON)."""
    return json.loads(text) if text.startswith("{") else text


def dom_id(component_id: Any) -> str:
    """The written form of a component id: the string itself, or the DOM's JSON of a dict."""
    return component_id if isinstance(component_id, str) else ids.dom_id(component_id)


def is_group(pattern: Any) -> bool:
    """Whether a declared id stands for a list of components (ALL, ALLSMALLER)."""
    return isinstance(pattern, dict) and any(v in WILDCARDS[:2] for v in pattern.values())


_SCALARS = frozenset((str, int, float))
"""What a wildcard's place in an id may hold (exactly: JSON's true and false are no numbers)."""


def _scalar(value: Any) -> bool:
    return type(value) in _SCALARS


def matches(pattern: Any, component_id: Any) -> bool:
    """Whether a concrete id is the declared one, or fits the declared pattern."""
    if isinstance(pattern, str) or isinstance(component_id, str):
        return pattern == component_id
    if not isinstance(component_id, dict) or set(component_id) != set(pattern):
        return False
    return all(
        _scalar(component_id[k]) if v in WILDCARDS else component_id[k] == v
        for k, v in pattern.items()
    )


def split_outputs(output: str) -> list[tuple[Any, str]]:
    """``'..{id}.figure...{id}.children..'`` -> ``[(id, 'figure'), (id, 'children')]``."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [(parse_id(p.rsplit(".", 1)[0]), p.rsplit(".", 1)[1]) for p in parts]


# --- reading: does a posted body fit a registered callback? ------------------------------------


class _Dep(NamedTuple):
    """One declared dependency, read once from the callback map."""

    written: str  # the id as the callback map writes it
    pattern: Any  # the id: a string, or a dict (possibly with wildcards)
    keys: frozenset[str] | None  # a dict id's keys
    prop: str
    group: bool  # a list of components (ALL, ALLSMALLER)


class _Declared(NamedTuple):
    """A callback's declared inputs, state and outputs."""

    inputs: tuple[_Dep, ...]
    state: tuple[_Dep, ...]
    outputs: tuple[_Dep, ...]
    several: bool  # declared with a list of outputs
    no_output: bool  # declared without outputs: Dash sends none to check


def _dep(written: str, prop: str) -> _Dep:
    pattern = parse_id(written)
    keys = frozenset(pattern) if isinstance(pattern, dict) else None
    return _Dep(written, pattern, keys, prop, is_group(pattern))


def _declare(callback: Mapping[str, Any]) -> _Declared:
    inputs, state = (
        tuple(_dep(d["id"], d["property"]) for d in callback[name]) for name in ("inputs", "state")
    )
    declared = callback["output"]
    several = isinstance(declared, list | tuple)
    outputs = tuple(
        _dep(o.component_id_str(), o.component_property)
        for o in (declared if several else [declared])
    )
    return _Declared(inputs, state, outputs, several, bool(callback.get("no_output")))


_DECLARED: dict[str, tuple[Mapping[str, Any], _Declared]] = {}
"""Each callback's declarations by output, read once (and again for another callback object)."""


def _declared(output: str, callback: Mapping[str, Any]) -> _Declared:
    known = _DECLARED.get(output)
    if known is None or known[0] is not callback:
        known = _DECLARED[output] = (callback, _declare(callback))
    return known[1]


def _item_ok(item: Any, dep: _Dep, exact: bool) -> bool:
    """``exact`` (outputs): the declared id or one fitting its pattern, and the declared
    property (one declared with allow_duplicate is sent as ``"<property>@<hash>"``).
    Otherwise (inputs and state) an id of the declared shape and some property: Dash answers
    an input of another id normally, and each callback copes with what it is given."""
    if not isinstance(item, dict) or "id" not in item:
        return False
    cid = item["id"]
    if exact:
        return matches(dep.pattern, cid) and str(item.get("property")).split("@")[0] == dep.prop
    if dep.keys is None:
        shaped = isinstance(cid, str)
    else:
        shaped = (
            isinstance(cid, dict)
            and cid.keys() == dep.keys
            and all(type(v) in _SCALARS for v in cid.values())
        )
    return shaped and isinstance(item.get("property"), str)


def _dependency_ok(sent: Any, dep: _Dep, exact: bool) -> bool:
    if dep.group:
        return isinstance(sent, list) and all(_item_ok(i, dep, exact) for i in sent)
    return _item_ok(sent, dep, exact)


def _list_ok(sent: Any, declared: Sequence[_Dep], exact: bool = False) -> bool:
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    return all(_dependency_ok(s, d, exact) for s, d in zip(sent, declared, strict=True))


def _groups_agree(body: Mapping[str, Any], declared: _Declared) -> bool:
    """Whether every group of one pattern lists the same components in the same order.

    The renderer resolves a pattern against one page, so ``State(param ALL, "value")`` and
    ``State(param ALL, "min")`` (or an output of the same pattern) name the same ids; a
    callback may zip them together.
    """
    deps = [*declared.inputs, *declared.state]
    sent = [*body["inputs"], *body.get("state", [])]
    if declared.several and body["output"].startswith(".."):
        deps += declared.outputs
        outputs = body.get("outputs")
        sent += outputs if isinstance(outputs, list) else []
    seen: dict[str, list[Any]] = {}
    for dep, group in zip(deps, sent, strict=False):
        if not isinstance(group, list):
            continue
        listed = [item["id"] for item in group]
        if seen.setdefault(dep.written, listed) != listed:
            return False
    return True


def body_problem(body: Any, callback_map: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Why a callback request body does not fit any registered callback (``None``: it fits)."""
    if not isinstance(body, dict):
        return "not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown output"
    callback = callback_map[output]
    if "callback" not in callback:
        return "not a server callback"
    declared = _declared(output, callback)
    if not _list_ok(body.get("inputs"), declared.inputs):
        return "inputs do not match the callback"
    if not _list_ok(body.get("state", []), declared.state):
        return "state does not match the callback"
    if not declared.no_output:
        sent = body.get("outputs")
        # a single output: the renderer sends it unwrapped
        if not _list_ok(sent if output.startswith("..") else [sent], declared.outputs, True):
            return "outputs do not match the callback"
    if not _groups_agree(body, declared):
        return "one pattern lists different components"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, str | list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of strings"  # Dash hashes each item
    return None


# --- writing: the body the renderer posts ------------------------------------------------------

GroupIds = Callable[[dict[str, Any]], list[Any]]
"""The concrete ids a page holds for a pattern-matched group, in page order."""
ValueOf = Callable[[Any, str], Any]
"""What a page holds in a component's property (``None``: nothing)."""


def build_body(
    dep: Mapping[str, Any],
    group_ids: GroupIds,
    value_of: ValueOf,
    changed: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body the renderer posts for callback ``dep`` (an item of ``/_dash-dependencies``).

    Values come from ``value_of``; ``changed`` maps ``"<dom id>"`` or ``"<dom id>.<property>"``
    to other values: an input so changed is named in ``changedPropIds``, a state is sent with
    the value given (without one when it is ``None``).
    """
    changed = changed or {}
    names: list[str] = []

    def item(cid: Any, prop: str, section: str) -> dict[str, Any]:
        key = dom_id(cid)
        value = value_of(cid, prop)
        for k in (key, f"{key}.{prop}"):
            if k in changed:
                value = changed[k]
                if section == "inputs":
                    names.append(f"{key}.{prop}")
        out: dict[str, Any] = {"id": cid, "property": prop}
        if section == "inputs" or value is not None:
            out["value"] = value
        return out

    def entry(pattern: Any, prop: str, section: str | None) -> Any:
        if not is_group(pattern):
            return item(pattern, prop, section) if section else {"id": pattern, "property": prop}
        if section:
            return [item(cid, prop, section) for cid in group_ids(pattern)]
        return [{"id": cid, "property": prop} for cid in group_ids(pattern)]

    inputs, state = (
        [entry(parse_id(s["id"]), s["property"], name) for s in dep[name]]
        for name in ("inputs", "state")
    )
    outputs = [entry(pattern, prop, None) for pattern, prop in split_outputs(dep["output"])]
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": names,
        "parsedChangedPropsIds": [parse_id(n.rsplit(".", 1)[0]) for n in names],
        "state": state,
    }


def name_changed(body: dict[str, Any], entry: Mapping[str, Any]) -> None:
    """Name one input of ``body`` (an item of its ``inputs``) as the one that changed."""
    name = f"{dom_id(entry['id'])}.{entry['property']}"
    body["changedPropIds"] = [name]
    body["parsedChangedPropsIds"] = [entry["id"]]
