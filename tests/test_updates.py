"""Issue "speed": the quick ways of answering a slider move must draw exactly what the slow ones do.

1. A Patch applied to the figure drawn before must equal the whole figure for the new values,
   byte for byte (both encode y as float32), on every tab with parameters.
2. The same must hold after any sequence of moves of which the browser dropped some responses
   (a dropped response applies neither its patch nor its ``drawn`` record).
3. Dash's dispatch must answer every body a page sends, refuse broken envelopes without a
   traceback, and give the same bytes from threads at once as alone, compressed or not.

The numbers themselves are checked against independent formulas in test_callbacks.py; here the
whole-figure path is the reference for the quick ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pytest
from dash import Patch, no_update
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.problem import build
from dashboard.sections import NEURON_PARAMS, SPECS_BY_KEY, Param
from dashboard.views import approx, neuron
from tests.support.dash import (
    apply_patch,
    dom_id,
    find_dependency,
    is_patch_json,
    request_body,
    through_browser,
)

TABS = ("neuron", "square2", "sin3", "deep")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "elu", "leaky_relu", "linear")
UPDATE = "/_dash-update-component"
Figure = dict[str, Any]


def params_of(tab: str) -> tuple[Param, ...]:
    return NEURON_PARAMS if tab == "neuron" else SPECS_BY_KEY[tab].params


def names_of(tab: str) -> tuple[str, ...]:
    """Parameter names in the order the browser sends them (the order of the page)."""
    if tab == "neuron":
        return tuple(p.name for p in NEURON_PARAMS)
    return SPECS_BY_KEY[tab].slider_order


def defaults_of(tab: str) -> dict[str, float]:
    return {p.name: p.default for p in params_of(tab)}


def call(
    tab: str,
    values: Mapping[str, Any],
    activation: Any,
    lang: Any = "en",
    drawn: Any = None,
    params: Mapping[str, Any] | None = None,
) -> tuple[Any, Any, Any]:
    """The tab's figure update, as its Dash callback calls it (``params``: the
    chosen activation's own parameters, ELU's α, ...)."""
    names = names_of(tab)
    ordered = [values[n] for n in names]
    if tab == "neuron":
        return neuron.update(names, ordered, activation, lang, drawn, params=params)
    return approx.update(SPECS_BY_KEY[tab], names, ordered, activation, lang, drawn, params=params)


def wire(value: Any) -> Any:
    """A figure or Patch as the browser receives it: serialised and parsed."""
    if isinstance(value, Patch):
        value = value.to_plotly_json()
    return json.loads(json.dumps(value))


def full(
    tab: str,
    values: Mapping[str, Any],
    activation: str,
    lang: str = "en",
    params: Mapping[str, Any] | None = None,
) -> Figure:
    """The whole figure for these values, as the browser receives it."""
    fig, message, _ = call(tab, values, activation, lang, params=params)
    assert message == "" and isinstance(fig, dict)
    return wire(fig)


def assert_same_figure(actual: Figure, expected: Figure, what: str) -> None:
    """Every trace's y the same bytes, then the whole figure equal (x, names, layout)."""
    assert len(actual["data"]) == len(expected["data"]), what
    for i, (a, e) in enumerate(zip(actual["data"], expected["data"], strict=True)):
        assert a["y"] == e["y"], f"{what}: trace {i} ({e.get('uid')}) differs"
    assert actual == expected, what


def random_values(tab: str, rng: np.random.Generator) -> dict[str, float]:
    """Values on and off the sliders, some far beyond them (typed)."""
    out = {}
    for p in params_of(tab):
        if rng.random() < 0.2:
            out[p.name] = float(rng.choice([-1.0, 1.0]) * rng.uniform(abs(p.hi) + 1, 1e3))
        else:
            out[p.name] = float(rng.uniform(p.lo, p.hi))
    return out


# --- 1. a patch gives the figure the whole-figure path gives -------------------------------------

# The neuron's record also holds its activation's own parameters (defaults here) and overlays
# (none through ``call``); tests/test_single.py moves those too.
NEURON_ACT_DEFAULTS: dict[str, dict[str, float]] = {
    "elu": {"alpha": 1.0},
    "leaky_relu": {"slope": 0.01},
}


def expected_record(tab: str, activation: str, values: Mapping[str, float]) -> dict[str, Any]:
    record: dict[str, Any] = {"activation": activation, "lang": "en", "values": values}
    if tab == "neuron":
        record |= {"params": NEURON_ACT_DEFAULTS.get(activation, {}), "overlays": []}
    return record


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("tab", TABS)
def test_patch_equals_whole_figure(tab: str, activation: str) -> None:
    rng = np.random.default_rng(len(tab) * 7 + len(activation))
    starts = [defaults_of(tab), random_values(tab, rng)]
    for a in starts:
        fig_a, _, drawn = call(tab, a, activation)
        assert isinstance(fig_a, dict)
        drawn = through_browser(drawn)
        targets = [{**a, name: a[name] + float(rng.uniform(0.05, 3.0))} for name in a]
        targets.append(random_values(tab, rng))  # every parameter at once
        for b in targets:
            patch, message, record = call(tab, b, activation, "en", drawn)
            assert message == ""
            assert isinstance(patch, Patch), f"{tab}: expected a Patch for a parameter move"
            assert record == expected_record(tab, activation, b)
            patched = apply_patch(wire(fig_a), wire(patch))
            assert_same_figure(patched, full(tab, b, activation), f"{tab} {activation} {b}")


VIEWS = {  # target controls (ids.TARGET_FIELDS order): plot = interval, beyond it, stacked
    "interval": None,
    "beyond": ["square", "", -3.0, 4.0, ["on"], [], None],
    "stacked": ["sin", "", -6.0, 6.0, [], ["on"], None],
}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("tab", TABS[1:])
def test_the_live_step_draws_what_the_plain_update_draws(tab: str, view: str) -> None:
    """``update_all`` draws from the pass that also scores the step (one pass when the plot is
    the fitted interval, two when it reaches beyond): the same figure and Patch, to the byte,
    as ``update``, which draws from a forward pass of its own."""
    spec, controls = SPECS_BY_KEY[tab], VIEWS[view]
    problem = build(spec, *controls) if controls else None
    names = names_of(tab)
    rng = np.random.default_rng(len(tab) + len(view))
    a, b = random_values(tab, rng), random_values(tab, rng)
    drawn = None
    for values in (a, b):
        ordered = [values[n] for n in names]
        live = approx.update_all(spec, names, ordered, "tanh", "en", drawn, controls)
        plain = approx.update(spec, names, ordered, "tanh", "en", drawn, problem)
        assert wire(live[0]) == wire(plain[0]) and live[1:3] == plain[1:]
        assert isinstance(live[0], dict if drawn is None else Patch)
        drawn = through_browser(live[2])


@pytest.mark.parametrize("tab", TABS)
def test_patch_never_touches_the_target_or_layout(tab: str) -> None:
    a = defaults_of(tab)
    fig_a, _, drawn = call(tab, a, "tanh")
    b = {name: value + 0.5 for name, value in a.items()}
    patch, _, _ = call(tab, b, "tanh", "en", drawn)
    ops = wire(patch)["operations"]
    assert ops, "every parameter moved: something must be redrawn"
    for op in ops:
        assert op["operation"] == "Assign"
        assert op["location"][0] == "data" and op["location"][2] == "y", op
        assert fig_a["data"][op["location"][1]]["uid"] != "target", op
    n_moving = sum(tr["uid"] != "target" for tr in fig_a["data"])
    assert len(ops) == n_moving, "all parameters moved: every trace but the target is redrawn"


# The activation's own parameters: (activation, its parameters) at and off their defaults.
PARAMETRISED = (
    ("elu", {"alpha": 2.0}),
    ("elu", {"alpha": 0.0}),
    ("leaky_relu", {"slope": 0.2}),
    ("celu", {"alpha": 0.5}),
    ("hard_tanh", {"min_val": -2.0, "max_val": 0.5}),
    ("softplus", {"beta": 3.0}),
)


@pytest.mark.parametrize(("activation", "params"), PARAMETRISED)
@pytest.mark.parametrize("tab", TABS)
def test_patch_equals_whole_figure_with_activation_parameters(
    tab: str, activation: str, params: dict[str, float]
) -> None:
    """Network parameters moved under a non-default α (a patch of what they move), and the
    activation's own parameters moved (on the approximation tabs, a patch of every trace but
    the target), both give the whole figure for the new inputs."""
    rng = np.random.default_rng([len(tab), len(activation), 3])
    a = random_values(tab, rng)
    fig_a, _, drawn = call(tab, a, activation, params=params)
    assert isinstance(fig_a, dict)
    drawn = through_browser(drawn)
    assert drawn["params"] == params
    defaults = dict(ACTIVATION_DEFAULTS[activation])
    moves = [
        (dict(a, **{next(iter(a)): 0.5}), params),  # a weight moved, α kept
        (a, {name: (value + defaults[name]) / 2 for name, value in params.items()}),  # α moved
        (a, defaults),  # α back to its default
        (random_values(tab, rng), defaults | {n: v / 2 for n, v in params.items()}),  # both
    ]
    for b, b_params in moves:
        patch, message, record = call(tab, b, activation, "en", drawn, b_params)
        assert message == ""
        assert isinstance(patch, Patch), f"{tab}: expected a Patch"
        if tab != "neuron":
            assert record.get("params", defaults) == b_params
            if b_params != params:
                ops = wire(patch)["operations"]
                n_moving = sum(tr["uid"] != "target" for tr in fig_a["data"])
                assert len(ops) == n_moving, "a new α moves every trace but the target"
        patched = apply_patch(wire(fig_a), wire(patch))
        assert_same_figure(patched, full(tab, b, activation, "en", b_params), f"{tab} {b_params}")


ACTIVATION_DEFAULTS: dict[str, dict[str, float]] = {
    "elu": {"alpha": 1.0},
    "leaky_relu": {"slope": 0.01},
    "celu": {"alpha": 1.0},
    "hard_tanh": {"min_val": -1.0, "max_val": 1.0},
    "softplus": {"beta": 1.0},
}


# --- 2. sequences of moves with dropped responses ------------------------------------------------

BAD_VALUES = (None, "", "abc", 2e7, -2e7)


@st.composite
def sessions(draw: st.DrawFn) -> tuple[str, list[tuple[str, Any, Any, bool]]]:
    """A tab and the steps of a session: (what, which, value, dropped)."""
    tab = draw(st.sampled_from(TABS))
    params = params_of(tab)
    step = st.one_of(
        st.tuples(
            st.just("param"),
            st.integers(0, len(params) - 1),
            st.one_of(
                st.integers(-100, 100).map(lambda k: k / 10),  # on the slider grid
                st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),  # typed
                st.sampled_from(BAD_VALUES),  # an empty box, text, too large
            ),
            st.booleans(),
        ),
        st.tuples(st.just("activation"), st.just(0), st.sampled_from(ACTIVATIONS), st.booleans()),
        st.tuples(st.just("lang"), st.just(0), st.sampled_from(["en", "ru"]), st.booleans()),
        # ELU's α or Leaky ReLU's slope, inside their ranges; used while that one is chosen.
        st.tuples(
            st.just("act_param"),
            st.integers(0, len(SESSION_ACT_PARAMS) - 1),
            st.sampled_from([0.0, 0.2, 0.5, 1.0, 2.0, 3.0]),
            st.booleans(),
        ),
    )
    return tab, draw(st.lists(step, min_size=1, max_size=25))


SESSION_ACT_PARAMS = (("elu", "alpha", 1.0), ("leaky_relu", "slope", 0.1))
"""(activation, parameter, scale): a session's value v sets the parameter to v·scale."""


class Browser:
    """What the browser holds for one tab: the controls, the figure and the ``drawn`` store."""

    def __init__(self, tab: str) -> None:
        self.tab = tab
        self.values: dict[str, Any] = defaults_of(tab)
        self.activation = "sigmoid"
        self.lang = "en"
        self.figure: Figure | None = None
        self.drawn: Any = None
        self.message: Any = None
        self.act_params: dict[tuple[str, str], float] = {}

    def params(self) -> dict[str, float]:
        """The chosen activation's own parameters, as its controls hold them."""
        return {n: v for (key, n), v in self.act_params.items() if key == self.activation}

    def request(self) -> tuple[Any, Any, Any]:
        return call(self.tab, self.values, self.activation, self.lang, self.drawn, self.params())

    def receive(self, response: tuple[Any, Any, Any]) -> None:
        fig, message, record = response
        if isinstance(fig, Patch):
            assert self.figure is not None, "a patch before any figure was drawn"
            self.figure = apply_patch(self.figure, wire(fig))
        elif fig is not no_update:
            assert isinstance(fig, dict)
            self.figure = wire(fig)
        self.message = message
        if record is not no_update:
            self.drawn = through_browser(record)

    def valid(self) -> bool:
        return all(isinstance(v, float) and abs(v) <= 1e6 for v in self.values.values())


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(sessions())
def test_dropped_responses_never_leave_a_stale_figure(
    session: tuple[str, list[tuple[str, Any, Any, bool]]],
) -> None:
    tab, steps = session
    names = names_of(tab)
    browser = Browser(tab)
    browser.receive(browser.request())  # the first draw
    for what, which, value, dropped in steps:
        if what == "param":
            browser.values[names[which]] = value
        elif what == "activation":
            browser.activation = value
        elif what == "act_param":
            key, name, scale = SESSION_ACT_PARAMS[which]
            browser.act_params[key, name] = value * scale
        else:
            browser.lang = value
        response = browser.request()
        if dropped:
            continue  # a newer request was on its way: neither patch nor record is applied
        browser.receive(response)
        if browser.valid():
            assert browser.message == ""
            expected = full(tab, browser.values, browser.activation, browser.lang, browser.params())
            assert_same_figure(browser.figure, expected, f"{tab} after {what} {value!r}")
        else:
            bad = next(n for n in names if browser.values[n] in BAD_VALUES)
            assert isinstance(browser.message, str) and browser.message.startswith(f"{bad}: ")
    # The user fixes every bad box; the last response always arrives.
    for name in names:
        if browser.values[name] in BAD_VALUES:
            browser.values[name] = float(len(name))
    browser.receive(browser.request())
    expected = full(tab, browser.values, browser.activation, browser.lang, browser.params())
    assert_same_figure(browser.figure, expected, f"{tab} at the end")
    assert browser.message == ""


# --- 3. Dash's dispatch answers every body, and leaves none unanswered ---------------------------


def body_bytes(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def post(client: FlaskClient, body: Any, content_type: str = "application/json") -> Any:
    return client.post(
        UPDATE, data=body_bytes(body), content_type=content_type, query_string={"endId": "x"}
    )


def record_for(tab: str, values: Mapping[str, float], activation: str = "sigmoid") -> Any:
    record = {"activation": activation, "lang": "en", "values": dict(values)}
    if tab == "neuron":  # the neuron tab opens with its step point and flat regions marked
        record |= {"params": NEURON_ACT_DEFAULTS.get(activation, {}), "overlays": ["marks"]}
    return record


def answered_bodies(tab: str, dep: Any, layout: Any) -> Iterator[tuple[str, Any]]:
    """Bodies of slider moves, activations, languages and drawn records: (label, body)."""
    names = names_of(tab)
    defaults = defaults_of(tab)
    act = dom_id({"tab": tab, "type": "activation"})
    drawn = dom_id({"tab": tab, "type": "drawn"})
    first, last = names[0], names[-1]
    hi = next(p.hi for p in params_of(tab) if p.name == first)
    record = record_for(tab, defaults)

    yield "first draw", request_body(dep, layout)
    yield "first draw, relu, ru", request_body(dep, layout, {}, {act: "relu", "lang": "ru"})
    yield (
        "slider step",
        request_body(dep, layout, {first: defaults[first] + 0.1}, {}, {drawn: record}),
    )
    yield "last parameter", request_body(dep, layout, {last: -2.5}, {}, {drawn: record})
    yield "two moved", request_body(dep, layout, {first: 1.5, last: 2.5}, {}, {drawn: record})
    yield "nothing moved", request_body(dep, layout, {}, {}, {drawn: record})
    yield (
        "integral record",
        request_body(dep, layout, {first: 3.0}, {}, {drawn: through_browser(record)}),
    )
    yield "beyond range", request_body(dep, layout, {first: hi + 50.0}, {}, {drawn: record})
    yield "typed, off grid", request_body(dep, layout, {first: 3}, {}, {drawn: record})
    yield "at the limit", request_body(dep, layout, {first: -1e6}, {}, {drawn: record})
    yield "numeric string", request_body(dep, layout, {first: " 2.5"}, {}, {drawn: record})
    for bad in (None, "", "abc", 2e7, -2e7, 10**7, True, [1.0], {"v": 1}, 10**30):
        yield f"bad {bad!r}", request_body(dep, layout, {last: bad}, {}, {drawn: record})
    missing = request_body(dep, layout, {}, {}, {drawn: record})
    del missing["inputs"][0][0]["value"]  # an emptied box may arrive without a value
    yield "value key missing", missing
    for activation in (None, "swish", "Sigmoid", 3):
        yield f"activation {activation!r}", request_body(dep, layout, {}, {act: activation})
    yield "activation changed", request_body(dep, layout, {}, {act: "elu"}, {drawn: record})
    yield "language changed", request_body(dep, layout, {}, {"lang": "ru"}, {drawn: record})
    for lang in (None, "ru-RU", 42):
        yield f"lang {lang!r}", request_body(dep, layout, {first: 1.0}, {"lang": lang})
    for odd in ("garbage", [1, 2], {"values": 3}, {**record, "values": {first: 1.0}}):
        yield f"drawn {odd!r}", request_body(dep, layout, {first: 1.0}, {}, {drawn: odd})
    # The activation's own parameters: ELU's α = 2, then moved, kept, bad; Leaky ReLU's slope.
    alpha = dom_id({"act": "elu", "name": "alpha", "tab": tab, "type": "act_param"})
    slope = dom_id({"act": "leaky_relu", "name": "slope", "tab": tab, "type": "act_param"})
    elu = record_for(tab, defaults, "elu") | {"params": {"alpha": 2.0}}
    yield "ELU α = 2, first draw", request_body(dep, layout, {}, {act: "elu", alpha: 2.0})
    yield "α moved", request_body(dep, layout, {}, {act: "elu", alpha: 0.5}, {drawn: elu})
    yield "α back to 1", request_body(dep, layout, {}, {act: "elu", alpha: 1.0}, {drawn: elu})
    yield (
        "α kept, a weight moved",
        request_body(dep, layout, {first: 1.5}, {act: "elu", alpha: 2.0}, {drawn: elu}),
    )
    yield (
        "α kept, nothing moved",
        request_body(dep, layout, {}, {act: "elu", alpha: 2}, {drawn: through_browser(elu)}),
    )
    yield (
        "α moved, record at α = 1",
        request_body(
            dep, layout, {}, {act: "elu", alpha: 2.0}, {drawn: record_for(tab, defaults, "elu")}
        ),
    )
    for bad in (9.0, -1.0, None, "abc", True):
        yield f"α {bad!r}", request_body(dep, layout, {}, {act: "elu", alpha: bad}, {drawn: elu})
    yield (
        "α of an unchosen activation",
        request_body(dep, layout, {}, {alpha: 2.0}, {drawn: record}),
    )
    yield "Leaky ReLU slope 0.2", request_body(dep, layout, {}, {act: "leaky_relu", slope: 0.2})


def fallthrough_bodies(tab: str, dep: Any, layout: Any) -> Iterator[tuple[str, Any, str, bool]]:
    """Bodies with wrong ids, odd values or broken envelopes: (label, body, content type, broken).

    Wrong ids or values Dash can still make sense of must get a normal answer (200, or 204 when
    there is nothing to update); broken envelopes get whatever Dash answers (400, 415 or 500),
    but never a traceback.
    """
    names = names_of(tab)
    base = request_body(dep, layout, {names[0]: 1.5})
    json_type = "application/json"

    def variant(change: Any) -> Any:
        body = json.loads(json.dumps(base))
        change(body)
        return body

    def raw(token: str) -> bytes:
        """The body with the first parameter's value written as a bare JSON token."""
        body = request_body(dep, layout, {names[0]: "@@token@@"})
        return json.dumps(body).replace('"@@token@@"', token).encode()

    other = "sin3" if tab != "sin3" else "square2"
    group = base["inputs"][0]
    extra = {"id": {"name": "z", "tab": tab, "type": "param"}, "property": "value", "value": 1.0}
    # Wrong ids and odd values: Dash answers them normally.
    yield "reversed parameters", variant(lambda b: b["inputs"][0].reverse()), json_type, False
    yield "a parameter missing", variant(lambda b: b["inputs"][0].pop()), json_type, False
    yield "an extra parameter", variant(lambda b: b["inputs"][0].append(extra)), json_type, False
    yield (
        "another tab's ids",
        variant(lambda b: [item["id"].update(tab=other) for item in b["inputs"][0]]),
        json_type,
        False,
    )
    yield (
        "slider ids",
        variant(lambda b: [item["id"].update(type="slider") for item in b["inputs"][0]]),
        json_type,
        False,
    )
    yield (
        "wrong property",
        variant(lambda b: b["inputs"][0][0].update(property="max")),
        json_type,
        False,
    )
    yield (
        "wrong activation id",
        variant(lambda b: b["inputs"][1].update(id={"tab": other, "type": "activation"})),
        json_type,
        False,
    )
    yield (
        "wrong drawn id",
        variant(lambda b: b["state"][0].update(id={"tab": other, "type": "drawn"})),
        json_type,
        False,
    )
    position = next(
        i
        for i, group in enumerate(base["inputs"])
        if isinstance(group, list) and group and group[0]["id"]["type"] == "act_param"
    )
    yield (
        "activation parameters reversed",
        variant(lambda b: b["inputs"][position].reverse()),
        json_type,
        False,
    )
    yield (
        "an activation parameter missing",
        variant(lambda b: b["inputs"][position].pop()),
        json_type,
        False,
    )
    yield "NaN", raw("NaN"), json_type, False
    yield "Infinity", raw("-Infinity"), json_type, False
    yield "1e400", raw("1e400"), json_type, False
    yield "a 400-digit integer", raw("9" * 400), json_type, False
    # Broken envelopes: Dash rejects them.
    yield (
        "wrong output id",
        variant(lambda b: b["outputs"][1].update(id={"tab": other, "type": "status"})),
        json_type,
        True,
    )
    yield "outputs missing", variant(lambda b: b.pop("outputs")), json_type, True
    yield "an extra input", variant(lambda b: b["inputs"].append(b["inputs"][2])), json_type, True
    yield "an extra state", variant(lambda b: b["state"].append(b["state"][0])), json_type, True
    yield "state missing", variant(lambda b: b.pop("state")), json_type, True
    yield (
        "group not a list",
        variant(lambda b: b["inputs"].__setitem__(0, group[0])),
        json_type,
        True,
    )
    yield (
        "output not a string",
        variant(lambda b: b.__setitem__("output", [b["output"]])),
        json_type,
        True,
    )
    yield "output unknown", variant(lambda b: b.__setitem__("output", "..x.y..")), json_type, True
    yield "a list", [base], json_type, True
    yield "not JSON", b'{"output": ', json_type, True
    yield "not declared as JSON", base, "text/plain", True


@pytest.mark.parametrize("tab", TABS)
def test_every_move_is_answered(
    tab: str, client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    """Each body a page sends is answered (a whole figure, a Patch or no figure), as JSON."""
    dep = find_dependency(dependencies, tab)
    kinds = set()
    for label, body in answered_bodies(tab, dep, layout):
        r = post(client, body)
        assert r.status_code == 200, (label, r.get_data())
        assert r.mimetype == "application/json" and b"Traceback" not in r.get_data()
        graph = r.get_json()["response"].get(dom_id({"tab": tab, "type": "graph"}))
        figure = None if graph is None else graph["figure"]
        kinds.add("none" if figure is None else "patch" if is_patch_json(figure) else "full")
    assert kinds == {"none", "patch", "full"}, "every kind of answer was seen"


@pytest.mark.parametrize("tab", TABS)
def test_unexpected_bodies_are_answered_or_refused(
    tab: str, client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    """Wrong ids or odd values Dash can make sense of get a normal answer (200, or 204 with
    nothing to update); a broken envelope is refused (4xx or 500), never with a traceback."""
    dep = find_dependency(dependencies, tab)
    for label, body, content_type, broken in fallthrough_bodies(tab, dep, layout):
        r = post(client, body, content_type)
        assert b"Traceback" not in r.get_data(), label
        if broken:
            assert r.status_code in (400, 415, 500), (label, r.status_code)
        else:
            assert r.status_code in (200, 204), (label, r.get_data())


@pytest.mark.parametrize("tab", TABS)
def test_gzip_answers_decompress_to_the_plain_answer(
    tab: str, client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    """With Accept-Encoding: gzip the answer is compressed; the stream holds the plain answer."""
    import gzip

    body = body_bytes(request_body(find_dependency(dependencies, tab), layout))
    zipped, plain = (
        client.post(UPDATE, data=body, content_type="application/json", headers=headers)
        for headers in ({"Accept-Encoding": "gzip"}, {})
    )
    assert zipped.status_code == plain.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data())
    assert len(zipped.get_data()) < len(gzip.decompress(zipped.get_data()))
    assert json.loads(gzip.decompress(zipped.get_data())) == json.loads(plain.get_data())


def test_answers_threads_at_once_as_one_at_a_time(
    client: FlaskClient, layout: Any, dependencies: list[dict[str, Any]]
) -> None:
    """A gunicorn worker answers from several threads: answers given at the same time, for
    different tabs, compressed or not, are the very bytes each gets alone."""
    import gzip
    from concurrent.futures import ThreadPoolExecutor

    bodies = [body_bytes(request_body(find_dependency(dependencies, tab), layout)) for tab in TABS]
    cases = [(b, enc) for b in bodies for enc in ("", "gzip")]

    def post_case(client: FlaskClient, case: tuple[bytes, str]) -> bytes:
        body, encoding = case
        r = client.post(
            UPDATE,
            data=body,
            content_type="application/json",
            headers={"Accept-Encoding": encoding},
        )
        assert r.status_code == 200
        assert (r.headers.get("Content-Encoding") == "gzip") == (encoding == "gzip")
        data = r.get_data()
        return gzip.decompress(data) if encoding else data

    app = client.application
    alone = [post_case(app.test_client(), c) for c in cases]

    def one_thread(start: int) -> list[tuple[int, bytes]]:
        own = app.test_client()
        order = [(start + k) % len(cases) for k in range(3 * len(cases))]
        return [(i, post_case(own, cases[i])) for i in order]

    with ThreadPoolExecutor(max_workers=6) as pool:
        runs = list(pool.map(one_thread, range(6)))
    assert sum(len(r) for r in runs) == 6 * 3 * len(cases)
    for run in runs:
        for i, data in run:
            assert data == alone[i], f"case {i} differs when answered beside other threads"
