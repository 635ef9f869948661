"""Callback request bodies built from ``/_dash-dependencies`` and the ids the app is known to use.

The page layout changes (tabs rendered on demand), so nothing here reads ``/_dash-layout``: a
pattern-matched group is expanded from the model's own tables (each tab's parameter names,
the activations' own parameters), and every input or state gets the value
a freshly opened page holds. The resulting bodies have the shape dash-renderer posts (the
figure callbacks' bodies are exactly what the fast path answers; a test checks it), so the
abuse tests and the soak run can change one value at a time and see what the server does.

Used by tests/test_abuse.py, tests/test_security.py and bench/soak.py.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dash_helpers import dom_id, matches, parse_id, split_outputs

from dashboard import ids
from dashboard.model import ACTIVATIONS
from dashboard.model.activations import CATALOGUE_ORDER
from dashboard.sections import NEURON_PARAMS, SPECS_BY_KEY, Param

UPDATE = "/_dash-update-component"
ALL = ["ALL"]


def is_group(pattern: Any) -> bool:
    return isinstance(pattern, dict) and ALL in pattern.values()


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


def normal_value(cid: Any, prop: str) -> Any:
    """What a freshly opened page holds in this property (``None``: nothing)."""
    if cid == ids.LANG:
        return "en"
    if not isinstance(cid, dict):
        return None
    kind, tab = cid.get("type"), cid.get("tab")
    if kind in (ids.PARAM, ids.BOX):
        param = next((p for p in tab_params(tab) if p.name == cid.get("name")), None)
        if param is None:
            return None
        return {"value": param.default, "min": param.lo, "max": param.hi}.get(prop)
    if kind in (ids.ACT_PARAM, ids.ACT_BOX):
        ranges = {r.name: r for r in ACTIVATIONS[cid["act"]].param_ranges}
        r = ranges[cid["name"]]
        return {"value": r.default, "min": r.lo, "max": r.hi}.get(prop)
    if kind == ids.ACTIVATION:
        return "sigmoid"
    if kind == ids.TARGET and tab in SPECS_BY_KEY:
        spec = SPECS_BY_KEY[tab]
        field = cid.get("field")
        defaults = {"target": spec.target, "formula": "", "a": spec.grid.lo, "b": spec.grid.hi}
        return defaults.get(field, [] if field in ("beyond", "stack") else None)
    if kind == ids.OVERLAYS:
        return ["marks"] if tab == "neuron" else []
    if kind in (ids.PRESET, ids.ACTION):
        return 0
    if kind == ids.TABBAR:
        return "gallery"
    return None


@dataclass(frozen=True)
class Slot:
    """Where a value sits in a body: ("inputs" | "state", position, item in a group or None)."""

    section: str
    position: int
    item: int | None
    cid: Any
    prop: str


def build(dep: Mapping[str, Any], changed: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The body dash-renderer posts for ``dep``, every value as on a freshly opened page.

    ``changed`` maps DOM ids (``dom_id``) or ``"<dom id>.<property>"`` to new values; those
    inputs are named in ``changedPropIds``.
    """
    changed = dict(changed or {})
    names: list[str] = []

    def item(cid: Any, prop: str, section: str) -> dict[str, Any]:
        key = dom_id(cid)
        value = normal_value(cid, prop)
        for k in (key, f"{key}.{prop}"):
            if k in changed:
                value = changed[k]
                if section == "inputs":
                    names.append(f"{key}.{prop}")
        out: dict[str, Any] = {"id": cid, "property": prop}
        if section == "inputs" or value is not None:  # the browser omits a null state's value
            out["value"] = value
        return out

    def section(name: str) -> list[Any]:
        result: list[Any] = []
        for spec in dep[name]:
            pattern, prop = parse_id(spec["id"]), spec["property"]
            if is_group(pattern):
                result.append([item(cid, prop, name) for cid in expand(pattern)])
            else:
                result.append(item(pattern, prop, name))
        return result

    inputs, state = section("inputs"), section("state")
    outputs: list[Any] = []
    for pattern, prop in split_outputs(dep["output"]):
        if is_group(pattern):
            outputs.append([{"id": cid, "property": prop} for cid in expand(pattern)])
        else:
            outputs.append({"id": pattern, "property": prop})
    if not names:  # the first input fired, as on the page's first load
        first = inputs[0]
        named = first[0] if isinstance(first, list) and first else first
        if isinstance(named, dict):
            names.append(f"{dom_id(named['id'])}.{named['property']}")
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": names,
        "state": state,
    }


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


def server_dependencies(dependencies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The callbacks answered by the server (clientside ones never reach it)."""
    return [d for d in dependencies if not d.get("clientside_function")]


def figure_dependency(dependencies: list[dict[str, Any]], tab: str) -> dict[str, Any]:
    graph = dom_id(ids.graph(tab))
    (dep,) = [d for d in dependencies if d["output"].startswith(f"..{graph}.figure...")]
    return dep


def page_body(dep: Mapping[str, Any], props: list[dict[str, Any]]) -> dict[str, Any]:
    """:func:`build`, with the values and the pattern-matched groups of the rendered tabs.

    ``props`` are the components of ``dash_helpers.full_layout``: a group that the model's
    tables leave empty (the builder's sliders, named after its network) lists the rendered
    components, and a value a fresh page would hold but :func:`normal_value` does not know
    (a store's data) is the rendered one. Patterns spanning tabs stay as :func:`build` sends
    them: only one tab is on a page at a time.
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


OTHER_NAMES: tuple[Any, ...] = ("zz", 7, "")
"""What a forged or stale page may call a component of a pattern-matched group."""


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

    def spoil(where: list[tuple[str, int]], change: Any) -> dict[str, Any]:
        out = copy.deepcopy(dict(body))
        for name, position in where:
            change(out[name][position])
        return out

    for key, where in places.items():
        pattern = parse_id(key)
        wild = [k for k, v in pattern.items() if v == ALL]
        other = {**pattern, **{k: "zz" for k in wild}}

        def add(group: list[Any], other: dict[str, Any] = other) -> None:
            extra = copy.deepcopy(group[0]) if group else {"property": "value", "value": 0.5}
            extra["id"] = dict(other)
            group.append(extra)

        def leave_out(group: list[Any], index: int) -> None:
            if group:
                group.pop(index)

        changes: list[tuple[str, Any]] = [("one more", add)]
        if any(body[name][position] for name, position in where):
            changes += [
                ("first left out", lambda group: leave_out(group, 0)),
                ("last left out", lambda group: leave_out(group, -1)),
            ]
            for k in wild:
                for new in OTHER_NAMES:

                    def rename(group: list[Any], k: str = k, new: Any = new) -> None:
                        if group:
                            group[0]["id"][k] = new

                    changes.append((f"first's {k} = {new!r}", rename))
        for label, change in changes:
            yield f"{key}: {label}", spoil(where, change)
            if len(where) > 1:
                yield f"{key}: {label}, in its first group only", spoil(where[:1], change)
