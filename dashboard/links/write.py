"""Writing a link: a valid state of a tab as its query string, and as values of its controls.

:func:`values` gives every key of the tab's schema its value in the state; :func:`encode`
writes them in the schema's order, each as its kind says (numbers in their shortest exact
form), and :func:`controls` gives the same values as properties of the tab's controls (for
the shell to restore a linked view). :func:`check` says whether a link can hold a state.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from dashboard.i18n import LANGUAGES
from dashboard.links import net
from dashboard.links.read import MAX_FORMULA
from dashboard.links.schema import (
    ACT,
    FLAG,
    FLAG_ON,
    LIST,
    NETWORK,
    NUMBER,
    ON,
    OPTION,
    PARAM_PREFIX,
    PARAMS,
    TARGET,
    WEIGHTS,
    Key,
    TabLinks,
)
from dashboard.links.state import DEFAULT_ACTIVATION, ViewState, default_state
from dashboard.model import ACTIVATIONS
from dashboard.numbers import shortest
from dashboard.problem import ProblemError, build
from dashboard.sections import HARD_LIMIT

Values = dict[tuple[str, str], Any]
"""Each row's value, by (group, key); a family's is a dict of its names' values."""


def values(tab: TabLinks, state: ViewState) -> Values:
    """The value of each key of ``tab``'s schema in ``state`` (None: not held)."""
    got: Values = {("page", "tab"): tab.key, ("page", "lang"): state.lang}
    got[(ACT, "act")] = state.activation
    got[(ACT, PARAM_PREFIX)] = dict(state.params)
    got[(PARAMS, "")] = dict(state.values)
    got[(WEIGHTS, "")] = dict(state.values)
    got[("overlays", "ov")] = list(state.overlays)
    got[("options", "hide")] = list(state.hide)
    got[(TARGET, "lock")] = state.lock
    got[(TARGET, "goal")] = state.goal
    p = state.problem
    if p is not None:
        got |= {(TARGET, "target"): p.target, (TARGET, "f"): p.formula, (TARGET, "a"): p.lo}
        got |= {(TARGET, "b"): p.hi, (TARGET, "beyond"): p.beyond, (TARGET, "stack"): p.stack}
    if state.net is not None:
        got |= net.values(state.net)
    return got


def _text(row: Key, value: Any) -> str | None:
    """A value as its row's kind writes it (None: left out)."""
    if value is None or (row.kind == FLAG and not value):
        return None
    if row.kind == FLAG:
        return FLAG_ON
    if row.kind == LIST:
        return None if row.omit_empty and not value else ",".join(str(v) for v in value)
    if row.kind == NUMBER:
        return shortest(value)
    return str(value)


def pairs(tab: TabLinks, state: ViewState, left_out: frozenset[tuple[str, str]] = frozenset()):
    """The (key, text) pairs of ``state``, in the schema's order, but the rows ``left_out``
    (by group and key)."""
    got = values(tab, state)
    for row in tab.rows():
        value = got.get((row.group, row.key))
        if (row.group, row.key) in left_out:
            continue
        if row.only and got.get((TARGET, row.only[0])) != row.only[1]:
            continue
        if row.family:
            yield from ((row.key + n, shortest(v)) for n, v in value.items())
        elif (text := _text(row, value)) is not None:
            yield row.key, text


def encode(tab: TabLinks, state: ViewState) -> str:
    """The query string (without ``?``) of ``state`` on ``tab``; ValueError for a bad state."""
    check(tab, state)
    left_out = net.left_out(state) if state.net is not None else frozenset()
    return urlencode(list(pairs(tab, state, left_out)), safe=",")


def controls(
    tab: TabLinks, state: ViewState, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[dict[str, Any], str, Any]]:
    """(control id, property, value) of every control the schema writes for ``state``, but
    those of the groups ``skip`` and the instructor's options."""
    got = values(tab, state)
    for row in tab.rows():
        c = row.control
        if c is None or c.page or c.type == OPTION or row.group in skip:
            continue
        value = got.get((row.group, row.key))
        same = {f: got.get((ACT, k)) for f, k in c.same.items()}
        items = value.items() if row.family else [("", value)]
        for name, v in items:
            shown = ([ON] if v else []) if row.kind == FLAG else v
            yield c.id(tab.key, name, **same), c.prop, shown
            if c.twin:
                yield replace(c, type=c.twin).id(tab.key, name, **same), c.prop, shown


# --- checking ------------------------------------------------------------------------------------


def finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_act(tab: TabLinks, state: ViewState) -> None:
    if state.activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {state.activation!r}")
    if not tab.has(ACT) and (state.activation != DEFAULT_ACTIVATION or state.params):
        raise ValueError(f"the {tab.key} tab has no activation of its own")
    ranges = {r.name: r for r in ACTIVATIONS[state.activation].param_ranges}
    if set(state.params) != set(ranges):
        raise ValueError(f"params must name exactly {sorted(ranges)}")
    for name, value in state.params.items():
        r = ranges[name]
        if not (finite(value) and r.lo <= value <= r.hi):
            raise ValueError(f"p.{name} = {value!r} is outside {r.lo:g} to {r.hi:g}")


def _check_values(tab: TabLinks, state: ViewState) -> None:
    if tab.has(NETWORK):
        names = net.check(state)
    elif state.net is not None:
        raise ValueError(f"the {tab.key} tab has no network of its own")
    else:
        names = tab.param_names
    if set(state.values) != set(names):
        raise ValueError(f"values must name exactly {names}")
    for name, value in state.values.items():
        if not (finite(value) and abs(value) <= HARD_LIMIT):
            raise ValueError(f"{name} = {value!r} is not a number within ±{HARD_LIMIT:g}")


def _check_target(tab: TabLinks, state: ViewState) -> None:
    if not tab.has(TARGET):
        if state.problem is not None or state.lock or state.goal is not None:
            raise ValueError(f"the {tab.key} tab has no target, lock or goal")
        return
    spec = state.net.spec() if state.net is not None else tab.spec
    p = state.problem
    if p is None or spec is None:
        raise ValueError("a tab with a target needs a problem")
    try:
        built = build(spec, p.target, p.formula, p.lo, p.hi, p.beyond, p.stack)
    except ProblemError as e:
        raise ValueError(f"bad problem: {e.key} {e.fields}") from None
    if built != p or len(p.formula) > MAX_FORMULA:
        raise ValueError(f"problem {p} does not read back as itself")
    if state.goal is not None and not (finite(state.goal) and 0 < state.goal <= HARD_LIMIT):
        raise ValueError(f"goal {state.goal!r} must be a positive number up to {HARD_LIMIT:g}")


def _in_order(given: tuple[str, ...], allowed: tuple[str, ...], what: str) -> None:
    if tuple(o for o in allowed if o in given) != given:
        raise ValueError(f"{what} must be among {allowed}, in that order, once each")


def check(tab: TabLinks, state: ViewState) -> None:
    """Raise ValueError unless ``state`` is a state of ``tab`` a link can hold exactly."""
    if not tab.groups and replace(state, lang=None) != default_state(tab):
        raise ValueError(f"a link to the {tab.key} tab holds its language only")
    _check_act(tab, state)
    _check_values(tab, state)
    _check_target(tab, state)
    _in_order(state.overlays, tab.overlays, "overlays")
    _in_order(state.hide, tab.controls, "hidden controls")
    if state.lang is not None and state.lang not in LANGUAGES:
        raise ValueError(f"unknown language {state.lang!r}")
    if not isinstance(state.lock, bool):
        raise ValueError("lock must be a bool")


def is_valid(tab: TabLinks, state: ViewState) -> bool:
    try:
        check(tab, state)
    except ValueError:
        return False
    return True
