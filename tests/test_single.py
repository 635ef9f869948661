"""The gallery and the single-neuron tab: derivatives, step point, flat regions, parameters.

Every expected number is written out here, independently of ``dashboard.model``: the
activations and their derivatives from their textbook formulas (the derivatives checked against
finite differences of the functions), the step point from x·w + b = 0, and the flat regions by
a plain loop over the grid. Plotted y values travel as float32 and are compared with a float32
tolerance; shape coordinates are float64 and compared to 1e-12.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from dash import Patch, no_update
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.model.activations import CATALOGUE_ORDER, GALLERY_ORDER
from dashboard.views import gallery, neuron
from tests.support.dash import (
    apply_patch,
    components,
    decode,
    dom_id,
    find_dependency,
    is_patch_json,
    request_body,
    through_browser,
)

X_GALLERY = np.linspace(-7.0, 5.0, 100)
X_NEURON = np.linspace(-5.0, 5.0, 1000)
Ref = Callable[..., np.ndarray]

# --- Reference formulas ----------------------------------------------------------------------

_erf = np.vectorize(math.erf)


def _sig(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _phi(z: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)


def _cdf(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))


FUNCTIONS: dict[str, Ref] = {
    "sigmoid": _sig,
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "elu": lambda z, alpha=1.0: np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0)) - 1)),
    "leaky_relu": lambda z, slope=0.01: np.where(z > 0, z, slope * z),
    "linear": lambda z: z,
    "gelu": lambda z: z * _cdf(z),
    "silu": lambda z: z * _sig(z),
    "softplus": lambda z, beta=1.0: np.logaddexp(0.0, beta * z) / beta,
    "celu": lambda z, alpha=1.0: np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0) / alpha) - 1)),
    "hard_tanh": lambda z, min_val=-1.0, max_val=1.0: np.minimum(np.maximum(z, min_val), max_val),
    "gaussian": lambda z: np.exp(-z * z),
    "step": lambda z: np.where(z > 0, 1.0, 0.0),
}

DERIVATIVES: dict[str, Ref] = {
    "sigmoid": lambda z: _sig(z) * (1.0 - _sig(z)),
    "tanh": lambda z: 1.0 / np.cosh(z) ** 2,
    "relu": lambda z: np.where(z > 0, 1.0, 0.0),
    "elu": lambda z, alpha=1.0: np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0))),
    "leaky_relu": lambda z, slope=0.01: np.where(z > 0, 1.0, slope),
    "linear": lambda z: np.ones_like(z),
    "gelu": lambda z: _cdf(z) + z * _phi(z),
    "silu": lambda z: _sig(z) * (1.0 + z * (1.0 - _sig(z))),
    "softplus": lambda z, beta=1.0: _sig(beta * z),
    "celu": lambda z, alpha=1.0: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0) / alpha)),
    "hard_tanh": lambda z, min_val=-1.0, max_val=1.0: np.where(
        (z > min_val) & (z < max_val), 1.0, 0.0
    ),
    "gaussian": lambda z: -2.0 * z * np.exp(-z * z),
    "step": lambda z: np.zeros_like(z),
}

# (activation, its parameters) pairs the tests sweep: defaults and non-default values.
CASES: list[tuple[str, dict[str, float]]] = [
    ("sigmoid", {}),
    ("tanh", {}),
    ("relu", {}),
    ("elu", {}),
    ("elu", {"alpha": 2.0}),
    ("leaky_relu", {"slope": 0.2}),
    ("gelu", {}),
    ("silu", {}),
    ("softplus", {"beta": 2.5}),
    ("celu", {"alpha": 0.5}),
    ("hard_tanh", {"min_val": -0.5, "max_val": 2.0}),
    ("gaussian", {}),
    ("step", {}),
]
ACT_DEFAULTS: dict[str, dict[str, float]] = {
    "elu": {"alpha": 1.0},
    "leaky_relu": {"slope": 0.01},
    "softplus": {"beta": 1.0},
    "celu": {"alpha": 1.0},
    "hard_tanh": {"min_val": -1.0, "max_val": 1.0},
}
"""The documented defaults (PyTorch's) of the parametrised activations."""
CASE_IDS = [f"{k}-{'-'.join(f'{n}={v:g}' for n, v in p.items()) or 'default'}" for k, p in CASES]
SMOOTH = ("sigmoid", "tanh", "gelu", "silu", "softplus", "gaussian")


def assert_close(actual: Any, expected: np.ndarray, what: str = "") -> None:
    """Equal within float32 rounding: plotted y values are sent as float32."""
    actual = np.asarray(actual, dtype=float)
    assert actual.shape == expected.shape, what
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual, expected, rtol=2e-6, atol=1e-6 * scale, err_msg=what)


def trace(fig: dict[str, Any], uid: str) -> dict[str, Any]:
    (found,) = [t for t in fig["data"] if t["uid"] == uid]
    return found


def ys(fig: dict[str, Any], uid: str) -> np.ndarray:
    return decode(trace(fig, uid)["y"])


def wire(value: Any) -> Any:
    """A figure or Patch as the browser receives it."""
    if isinstance(value, Patch):
        value = value.to_plotly_json()
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("key", SMOOTH)
def test_reference_derivatives_match_finite_differences(key: str) -> None:
    """The reference derivatives above are themselves right (central differences)."""
    z = np.linspace(-6.0, 6.0, 241)
    h = 1e-5
    numeric = (FUNCTIONS[key](z + h) - FUNCTIONS[key](z - h)) / (2 * h)
    np.testing.assert_allclose(DERIVATIVES[key](z), numeric, atol=1e-8)


# --- Gallery ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "params"), CASES, ids=CASE_IDS)
def test_gallery_derivative_overlay(key: str, params: dict[str, float]) -> None:
    fig, formula, message = gallery.update(key, "en", params, ["derivative"])
    assert message == ""
    assert [t["uid"] for t in fig["data"]] == ["output", "derivative"]
    assert_close(ys(fig, "output"), FUNCTIONS[key](X_GALLERY, **params), "the activation")
    assert_close(ys(fig, "derivative"), DERIVATIVES[key](X_GALLERY, **params), "A'(x)")
    np.testing.assert_array_equal(decode(trace(fig, "derivative")["x"]), X_GALLERY)
    d = trace(fig, "derivative")
    assert d["line"]["dash"] == "dash"
    assert d["name"] == "derivative A′(z)" != trace(fig, "output")["name"]
    assert "yaxis" not in d and "xaxis" not in d, "on the same axes as the activation"
    assert formula.startswith("$$\n") and formula.endswith("\n$$")


def test_gallery_derivative_is_off_unless_asked() -> None:
    for overlays in ((), [], None, "derivative", ["something else"], [["derivative"]]):
        fig, _, _ = gallery.update("tanh", "en", None, overlays)
        assert [t["uid"] for t in fig["data"]] == ["output"], overlays


def test_gallery_derivative_in_russian() -> None:
    fig, _, _ = gallery.update("gelu", "ru", None, ["derivative"])
    assert trace(fig, "derivative")["name"] == "производная A′(z)"


@pytest.mark.parametrize("key", CATALOGUE_ORDER)
def test_gallery_shows_every_activation_with_its_formula(key: str) -> None:
    from dashboard.model import ACTIVATIONS

    fig, formula, message = gallery.update(key, "en", None, ["derivative"])
    assert message == "" and isinstance(fig, dict)
    assert ACTIVATIONS[key].latex in formula
    y, dy = ys(fig, "output"), ys(fig, "derivative")
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))


def test_gallery_formula_shows_the_parameters() -> None:
    _, formula, _ = gallery.update("elu", "en", {"alpha": 2.0})
    assert formula.endswith(r"\qquad \alpha = 2" + "\n$$")
    _, formula, _ = gallery.update("hard_tanh", "en", {"min_val": -0.5})
    assert r"z_{\min} = -0.5,\ z_{\max} = 1" in formula
    _, formula, _ = gallery.update("sigmoid", "en", {"alpha": 2.0})
    assert r"\qquad" not in formula, "parameters of other activations are ignored"


KEEP = "; the plot shows the last valid values."
BAD_PARAMS: list[tuple[str, dict[str, Any], str]] = [
    ("elu", {"alpha": 3.5}, "α: enter a value from 0 to 3" + KEEP),
    ("elu", {"alpha": -0.1}, "α: enter a value from 0 to 3" + KEEP),
    ("softplus", {"beta": 0}, "β: enter a value from 0.1 to 5" + KEEP),
    ("leaky_relu", {"slope": None}, "a: enter a number" + KEEP),
    ("celu", {"alpha": "abc"}, "α: enter a number" + KEEP),
    ("hard_tanh", {"max_val": math.nan}, "z_max: enter a number" + KEEP),
    ("hard_tanh", {"min_val": 0.5}, "z_min: enter a value from −3 to −0.1" + KEEP),
]


@pytest.mark.parametrize(("key", "params", "message"), BAD_PARAMS)
def test_bad_activation_parameter_changes_nothing_but_the_message(
    key: str, params: dict[str, Any], message: str
) -> None:
    assert gallery.update(key, "en", params, ["derivative"]) == (no_update, no_update, message)
    assert neuron.update(["w", "b"], [2.0, 1.0], key, "en", params=params) == (
        no_update,
        message,
        no_update,
    )


def test_bad_parameter_message_in_russian() -> None:
    _, _, message = gallery.update("elu", "ru", {"alpha": 9})
    assert message == "α: введите значение от 0 до 3; на графике последние допустимые значения."


def test_parameter_at_the_ends_of_its_range() -> None:
    for alpha in (0.0, 3.0):
        fig, _, message = gallery.update("elu", "en", {"alpha": alpha})
        assert message == ""
        assert_close(ys(fig, "output"), FUNCTIONS["elu"](X_GALLERY, alpha))


# --- Single neuron: curve, derivative, parameters --------------------------------------------

NAMES = ["w", "b"]


def neuron_fig(
    key: str, w: float, b: float, params: dict[str, float] | None = None, overlays: Any = ()
) -> dict[str, Any]:
    fig, message, _ = neuron.update(NAMES, [w, b], key, "en", params=params, overlays=overlays)
    assert message == "" and isinstance(fig, dict)
    return fig


@pytest.mark.parametrize(("key", "params"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize(("w", "b"), [(2.0, 1.0), (-3.5, 2.0), (0.4, -1.3), (0.0, 0.7)])
def test_neuron_derivative_overlay(key: str, params: dict[str, float], w: float, b: float) -> None:
    fig = neuron_fig(key, w, b, params, ["derivative"])
    assert [t["uid"] for t in fig["data"]] == ["output", "derivative"]
    z = X_NEURON * w + b
    assert_close(ys(fig, "output"), FUNCTIONS[key](z, **params), "A(x·w + b)")
    assert_close(ys(fig, "derivative"), w * DERIVATIVES[key](z, **params), "w·A'(x·w + b)")
    d = trace(fig, "derivative")
    assert d["line"]["dash"] == "dash" and d["name"] == "derivative dA/dx = w·A′(x·w + b)"


@pytest.mark.parametrize("key", SMOOTH)
def test_neuron_derivative_is_the_slope_of_the_plotted_curve(key: str) -> None:
    """Independent of any derivative formula: differences of the curve itself."""
    w, b = 1.7, -0.4
    fig = neuron_fig(key, w, b, None, ["derivative"])
    h = 1e-6
    numeric = (FUNCTIONS[key]((X_NEURON + h) * w + b) - FUNCTIONS[key]((X_NEURON - h) * w + b)) / (
        2 * h
    )
    np.testing.assert_allclose(ys(fig, "derivative"), numeric, atol=2e-6 * max(1, abs(w)))


def test_elu_alpha_two_changes_the_curve_as_the_formula_says() -> None:
    default = ys(neuron_fig("elu", 2.0, 1.0), "output")
    fig = neuron_fig("elu", 2.0, 1.0, {"alpha": 2.0}, ["derivative"])
    z = X_NEURON * 2.0 + 1.0
    expected = np.where(z > 0, z, 2.0 * (np.exp(np.minimum(z, 0)) - 1.0))
    assert_close(ys(fig, "output"), expected)
    # Exactly the negative side doubles; the positive side stays.
    left = z <= 0
    assert_close(ys(fig, "output")[left], 2.0 * default[left])
    assert_close(ys(fig, "output")[~left], default[~left])
    assert_close(ys(fig, "derivative"), np.where(z > 0, 2.0, 2.0 * 2.0 * np.exp(np.minimum(z, 0))))


def test_parameters_of_other_activations_are_ignored() -> None:
    fig = neuron_fig("sigmoid", 2.0, 1.0, {"alpha": 2.0})
    assert_close(ys(fig, "output"), FUNCTIONS["sigmoid"](X_NEURON * 2.0 + 1.0))


# --- Single neuron: step point ---------------------------------------------------------------


def shapes_of(fig: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in fig["layout"].get("shapes", []) if s["type"] == kind]


@pytest.mark.parametrize(
    ("w", "b"), [(2.0, 1.0), (-3.0, 2.0), (0.5, 2.4), (10.0, -49.0), (-0.25, 1.25), (1.0, 0.0)]
)
def test_step_point_is_at_minus_b_over_w(w: float, b: float) -> None:
    fig = neuron_fig("sigmoid", w, b, None, ["marks"])
    (line,) = shapes_of(fig, "line")
    x = -b / w
    assert line["x0"] == line["x1"] == pytest.approx(x, abs=1e-12)
    assert (line["y0"], line["y1"], line["yref"]) == (0, 1, "paper")
    assert line["line"]["dash"] == "dot"
    assert line["label"]["text"] == f"x = −b/w = {x + 0.0:.3g}".replace("-", "−")  # no −0
    assert line["showlegend"] is True and line["name"] == "step point, x·w + b = 0"
    # The sum x·w + b is zero there: the sigmoid is at one half.
    assert FUNCTIONS["sigmoid"](np.array([x * w + b]))[0] == pytest.approx(0.5)


@pytest.mark.parametrize(("w", "b"), [(0.0, 1.0), (0.0, 0.0), (1.0, 5.5), (-2.0, 10.1), (0.1, 1.0)])
def test_no_step_point_when_w_is_zero_or_it_is_off_the_plot(w: float, b: float) -> None:
    assert shapes_of(neuron_fig("tanh", w, b, None, ["marks"]), "line") == []


def test_step_point_label_in_russian_has_a_decimal_comma() -> None:
    fig, _, _ = neuron.update(NAMES, [2.0, 1.0], "relu", "ru", overlays=["marks"])
    (line,) = shapes_of(fig, "line")
    assert line["label"]["text"] == "x = −b/w = −0,5"
    assert line["name"] == "точка перехода, x·w + b = 0"


# --- Single neuron: flat regions -------------------------------------------------------------


def expected_regions(slope: np.ndarray) -> list[tuple[float, float, float]]:
    """Runs of grid points with slope < 1 % of its maximum, by a plain loop.

    A run spans halfway to the neighbouring grid points outside it (to the range's ends at the
    ends); with a maximum of 0 the whole range is flat. Returns (x0, x1, largest slope).
    """
    x, n = X_NEURON, len(X_NEURON)
    peak = slope.max()
    flat = [bool(s < 0.01 * peak) if peak > 0 else True for s in slope]
    regions = []
    i = 0
    while i < n:
        if not flat[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and flat[j + 1]:
            j += 1
        x0 = x[0] if i == 0 else (x[i - 1] + x[i]) / 2
        x1 = x[-1] if j == n - 1 else (x[j] + x[j + 1]) / 2
        regions.append((float(x0), float(x1), float(slope[i : j + 1].max())))
        i = j + 1
    return regions


FLAT_CASES = [
    ("sigmoid", {}, 2.0, 1.0),
    ("sigmoid", {}, -7.0, 3.0),
    ("tanh", {}, 2.0, 1.0),
    ("tanh", {}, 0.8, -0.3),
    ("relu", {}, 2.0, 1.0),
    ("relu", {}, -1.5, 0.2),
    ("relu", {}, 0.0, -1.0),  # a dead neuron: flat everywhere
    ("relu", {}, 0.0, 1.0),  # w = 0, alive: constant slope, nothing flat
    ("leaky_relu", {"slope": 0.005}, 2.0, 1.0),
    ("leaky_relu", {}, 2.0, 1.0),  # exactly 1 % is not below 1 %
    ("elu", {"alpha": 2.0}, 3.0, 0.5),
    ("softplus", {"beta": 2.5}, 1.0, 0.0),
    ("gelu", {}, 4.0, 0.0),
    ("gaussian", {}, 1.3, 0.2),
    ("hard_tanh", {"min_val": -0.5, "max_val": 2.0}, 1.0, 0.0),
    ("linear", {}, 3.0, 1.0),
    ("step", {}, 2.0, 1.0),  # slope 0 everywhere
]


@pytest.mark.parametrize(("key", "params", "w", "b"), FLAT_CASES)
def test_flat_regions_match_an_independent_computation(
    key: str, params: dict[str, float], w: float, b: float
) -> None:
    slope = np.abs(DERIVATIVES[key](X_NEURON * w + b, **params))
    peak = slope.max()
    if peak > 0:  # no grid point so close to the threshold that rounding could decide
        assert np.min(np.abs(slope - 0.01 * peak)) > 1e-9 * peak or key == "leaky_relu"
    expected = expected_regions(slope)
    fig = neuron_fig(key, w, b, params, ["marks"])
    rects = shapes_of(fig, "rect")
    assert len(rects) == len(expected), (key, params, w, b)
    for rect, (x0, x1, steepest) in zip(rects, expected, strict=True):
        assert rect["x0"] == pytest.approx(x0, abs=1e-12)
        assert rect["x1"] == pytest.approx(x1, abs=1e-12)
        assert (rect["y0"], rect["y1"], rect["yref"], rect["layer"]) == (0, 1, "paper", "below")
        if "label" in rect:  # wide regions carry the slope there, rounded up
            if steepest == 0:
                assert rect["label"]["text"] == "A′(z) = 0"
            else:
                shown = float(rect["label"]["text"].removeprefix("|A′(z)| ≤ ").replace("−", "-"))
                assert steepest <= shown <= steepest * 1.1, rect["label"]["text"]
    # One legend entry for all of them, naming the largest slope in any of them.
    assert [r["showlegend"] for r in rects] == [True] * bool(rects) + [False] * (len(rects) - 1)
    if rects:
        assert len({r["name"] for r in rects}) == 1
        assert rects[0]["name"].startswith("flat: ")
        assert rects[0]["name"].endswith("(under 1 % of its peak)")
        if max(s for _, _, s in expected) == 0:
            assert "A′(z) = 0" in rects[0]["name"]


def test_flat_regions_of_the_default_sigmoid_where_the_analysis_puts_them() -> None:
    """σ'(z) = 1 / (4 cosh²(z/2)) falls below 1 % of its peak 1/4 where cosh(z/2) > 10, i.e.
    |z| > 2 arccosh 10 = 5.9857...; with z = 2x + 1 that is x < -3.4928 and x > 2.4928, to
    within a grid step."""
    z_edge = 2.0 * math.acosh(10.0)
    fig = neuron_fig("sigmoid", 2.0, 1.0, None, ["marks"])
    left, right = shapes_of(fig, "rect")
    step = 10.0 / 999.0
    assert left["x0"] == -5.0 and right["x1"] == 5.0
    assert left["x1"] == pytest.approx((-z_edge - 1.0) / 2.0, abs=step)
    assert right["x0"] == pytest.approx((z_edge - 1.0) / 2.0, abs=step)
    assert left["label"]["text"] == right["label"]["text"] == "|A′(z)| ≤ 0.0025"


def test_dead_relu_is_flat_on_its_dead_side_only() -> None:
    fig = neuron_fig("relu", 2.0, 1.0, None, ["marks"])
    (rect,) = shapes_of(fig, "rect")
    assert rect["x0"] == -5.0
    assert -0.5 - 10.0 / 999.0 < rect["x1"] < -0.5 + 10.0 / 999.0
    assert rect["label"]["text"] == "A′(z) = 0"
    assert rect["name"] == "flat: A′(z) = 0 (under 1 % of its peak)"


def test_no_marks_unless_asked() -> None:
    fig = neuron_fig("sigmoid", 2.0, 1.0)
    assert "shapes" not in fig["layout"]
    fig = neuron_fig("sigmoid", 2.0, 1.0, None, ["derivative"])
    assert "shapes" not in fig["layout"]


# --- Patch == whole figure, for every combination of overlays --------------------------------

OVERLAY_SETS = [[], ["derivative"], ["marks"], ["derivative", "marks"], ["marks", "derivative"]]


def call(
    key: str, w: float, b: float, params: dict[str, Any], overlays: Any, drawn: Any = None
) -> tuple[Any, Any, Any]:
    return neuron.update(NAMES, [w, b], key, "en", drawn, params=params, overlays=overlays)


def assert_same(actual: dict[str, Any], expected: dict[str, Any], what: str) -> None:
    for i, (a, e) in enumerate(zip(actual["data"], expected["data"], strict=True)):
        assert a["y"] == e["y"], f"{what}: trace {i} differs"
    assert actual["layout"].get("shapes") == expected["layout"].get("shapes"), what
    assert actual == expected, what


def moves(key: str, params: dict[str, float]) -> Iterator[tuple[float, float, dict[str, float]]]:
    """(w, b, params) after moves of w, of b, of each parameter, and of everything."""
    yield 2.1, 1.0, params
    yield 2.0, -3.3, params
    yield -40.0, 9.5, params
    yield 0.0, 0.5, params  # w = 0: the step point goes, the flat regions change
    for name in params:
        yield 2.0, 1.0, {**params, name: params[name] * 0.5}
    yield 7.5, -2.0, {name: value * 0.8 for name, value in params.items()}


@pytest.mark.parametrize("overlays", OVERLAY_SETS, ids=lambda o: "+".join(o) or "none")
@pytest.mark.parametrize(("key", "params"), CASES, ids=CASE_IDS)
def test_patch_equals_whole_figure_with_overlays(
    key: str, params: dict[str, float], overlays: list[str]
) -> None:
    params = {**ACT_DEFAULTS.get(key, {}), **params}
    fig, _, drawn = call(key, 2.0, 1.0, params, overlays)
    figure = wire(fig)
    drawn = through_browser(drawn)
    for w, b, moved in moves(key, params):
        patch, message, record = call(key, w, b, moved, overlays, drawn)
        assert message == ""
        assert isinstance(patch, Patch), f"{key} {overlays}: a move must send a Patch"
        locations = {tuple(op["location"]) for op in wire(patch)["operations"]}
        expected_ops = {("data", 0, "y")}
        if "derivative" in overlays:
            expected_ops.add(("data", 1, "y"))
        if "marks" in overlays:
            expected_ops.add(("layout", "shapes"))
        assert locations == expected_ops, "only y values and shapes move"
        full, _, _ = call(key, w, b, moved, overlays)
        figure = apply_patch(figure, wire(patch))
        assert_same(figure, wire(full), f"{key} {overlays} w={w} b={b} {moved}")
        assert record["params"] == moved and record["values"] == {"w": w, "b": b}
        drawn = through_browser(record)


def test_record_holds_parameters_and_overlays() -> None:
    _, _, record = call("elu", 2.0, 1.0, {"alpha": 2}, ["marks", "derivative", "junk"])
    assert record == {
        "activation": "elu",
        "lang": "en",
        "values": {"w": 2.0, "b": 1.0},
        "params": {"alpha": 2.0},
        "overlays": ["derivative", "marks"],
    }
    _, _, record = call("sigmoid", 2.0, 1.0, {"alpha": 2}, None)
    assert record["params"] == {} and record["overlays"] == []


@pytest.mark.parametrize(
    ("before", "after"), list(itertools.permutations([[], ["derivative"], ["marks"]], 2))
)
def test_toggling_an_overlay_sends_the_whole_figure(before: list[str], after: list[str]) -> None:
    _, _, drawn = call("tanh", 2.0, 1.0, {}, before)
    fig, message, record = call("tanh", 2.0, 1.0, {}, after, through_browser(drawn))
    assert message == "" and isinstance(fig, dict)
    assert fig == call("tanh", 2.0, 1.0, {}, after)[0]
    assert record["overlays"] == after


def test_nothing_moved_sends_nothing() -> None:
    _, _, drawn = call("elu", 2.0, 1.0, {"alpha": 2.0}, ["derivative", "marks"])
    js = through_browser(drawn)
    assert call("elu", 2.0, 1.0, {"alpha": 2}, ["marks", "derivative"], js) == (
        no_update,
        "",
        no_update,
    )


def test_a_parameter_move_alone_sends_a_patch() -> None:
    _, _, drawn = call("softplus", 2.0, 1.0, {"beta": 1.0}, ["derivative"])
    patch, _, _ = call("softplus", 2.0, 1.0, {"beta": 3.0}, ["derivative"], drawn)
    assert isinstance(patch, Patch)
    z = X_NEURON * 2.0 + 1.0
    ops = {tuple(op["location"]): op for op in wire(patch)["operations"]}
    assert_close(decode(ops["data", 0, "y"]["params"]["value"]), FUNCTIONS["softplus"](z, 3.0))
    assert_close(
        decode(ops["data", 1, "y"]["params"]["value"]), 2.0 * DERIVATIVES["softplus"](z, 3.0)
    )


def test_bad_parameter_keeps_the_record() -> None:
    _, _, drawn = call("elu", 2.0, 1.0, {"alpha": 2.0}, ["marks"])
    assert call("elu", 5.0, 1.0, {"alpha": 4.0}, ["marks"], drawn)[2] is no_update


# --- The page: dropdowns, controls, translation, answers -------------------------------------


def props_by_type(layout: Any, kind: str) -> list[dict[str, Any]]:
    return [p for p in components(layout) if isinstance(p["id"], dict) and p["id"]["type"] == kind]


def test_dropdowns_list_the_whole_catalogue_on_every_tab(layout: Any) -> None:
    dropdowns = {p["id"]["tab"]: p for p in props_by_type(layout, "activation")}
    assert set(dropdowns) == {"gallery", "neuron", "square2", "sin3", "deep"}
    for tab, p in dropdowns.items():
        keys = [o["value"] for o in p["options"]]
        assert keys == list(CATALOGUE_ORDER), tab
        assert keys[:5] == list(GALLERY_ORDER) == ["sigmoid", "tanh", "relu", "elu", "leaky_relu"]
        assert p["value"] == "sigmoid"


def translate_body(dependencies: list[dict[str, Any]], layout: Any, lang: str) -> dict[str, Any]:
    """The body of the language callback, with every matching output listed as Dash does."""
    (dep,) = [d for d in dependencies if '"type":"activation"}.options' in d["output"]]
    props = list(components(layout))
    outputs = []
    for part in dep["output"][2:-2].split("..."):
        pattern, prop = json.loads(part.rsplit(".", 1)[0]), part.rsplit(".", 1)[1]
        found = []
        for p in props:
            cid = p["id"]
            if not isinstance(cid, dict) or set(cid) != set(pattern):
                continue
            if all(v == ["ALL"] or cid[k] == v for k, v in pattern.items()):
                found.append({"id": cid, "property": prop})
        outputs.append(found)
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{"id": "lang", "property": "value", "value": lang}],
        "changedPropIds": ["lang.value"],
        "state": [],
    }


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_translation_keeps_each_dropdowns_own_options(
    client: FlaskClient, dependencies: list[dict[str, Any]], layout: Any,
    lang: str,
) -> None:  # fmt: skip
    body = translate_body(dependencies, layout, lang)
    response = client.post("/_dash-update-component", json=body).get_json()["response"]
    names = {"ru": {"sigmoid": "Sigmoid", "hard_tanh": "Жёсткий tanh"}, "en": {"relu": "ReLU"}}
    for out in body["outputs"][2]:
        tab = out["id"]["tab"]
        options = response[dom_id(out["id"])]["options"]
        assert [o["value"] for o in options] == list(CATALOGUE_ORDER), tab
        labels = {o["value"]: o["label"] for o in options}
        for key, label in names[lang].items():
            if key in labels:
                assert labels[key] == label
    texts = {o["id"]["key"]: response[dom_id(o["id"])]["children"] for o in body["outputs"][0]}
    if lang == "ru":
        assert texts["single.overlay.marks"] == "Отметить точку перехода и плоские участки"
        assert texts["single.act_params"] == "Параметры функции активации"


@pytest.mark.parametrize("tab", ["gallery", "neuron"])
def test_activation_parameter_controls(layout: Any, tab: str) -> None:
    from dashboard.model import ACTIVATIONS

    sliders = {
        (p["id"]["act"], p["id"]["name"]): p
        for p in props_by_type(layout, "act_param")
        if p["id"]["tab"] == tab
    }
    boxes = {
        (p["id"]["act"], p["id"]["name"]): p
        for p in props_by_type(layout, "act_box")
        if p["id"]["tab"] == tab
    }
    expected = {
        ("elu", "alpha"): (1.0, 0.0, 3.0),
        ("leaky_relu", "slope"): (0.01, 0.0, 0.5),
        ("softplus", "beta"): (1.0, 0.1, 5.0),
        ("celu", "alpha"): (1.0, 0.1, 3.0),
        ("hard_tanh", "min_val"): (-1.0, -3.0, -0.1),
        ("hard_tanh", "max_val"): (1.0, 0.1, 3.0),
    }
    assert set(sliders) == set(boxes) == set(expected)
    for (key, name), (default, lo, hi) in expected.items():
        s = sliders[key, name]
        (r,) = [r for r in ACTIVATIONS[key].param_ranges if r.name == name]
        assert (s["value"], s["min"], s["max"], s["step"]) == (default, lo, hi, r.step)
        assert s["allow_direct_input"] is False
        assert boxes[key, name]["value"] == default and boxes[key, name]["type"] == "number"
    groups = {
        p["id"]["act"]: p for p in props_by_type(layout, "act_group") if p["id"]["tab"] == tab
    }
    assert set(groups) == {"elu", "leaky_relu", "softplus", "celu", "hard_tanh"}
    assert all(g["hidden"] is True for g in groups.values()), "Sigmoid has no parameter"
    (checklist,) = [p for p in props_by_type(layout, "overlays") if p["id"]["tab"] == tab]
    values = [o["value"] for o in checklist["options"]]
    if tab == "gallery":
        assert values == ["derivative"] and checklist["value"] == []
    else:
        assert values == ["derivative", "marks"] and checklist["value"] == ["marks"]


def test_gallery_endpoint_with_parameter_and_derivative(
    client: FlaskClient, dependencies: list[dict[str, Any]], layout: Any
) -> None:
    dep = find_dependency(dependencies, "gallery")
    alpha = dom_id({"act": "celu", "name": "alpha", "tab": "gallery", "type": "act_param"})
    extra = {
        dom_id({"tab": "gallery", "type": "activation"}): "celu",
        dom_id({"tab": "gallery", "type": "overlays"}): ["derivative"],
        alpha: 0.5,
    }
    body = request_body(dep, layout, {}, extra)
    response = client.post("/_dash-update-component", json=body).get_json()["response"]
    figure = response[dom_id({"tab": "gallery", "type": "graph"})]["figure"]
    assert_close(ys(figure, "output"), FUNCTIONS["celu"](X_GALLERY, 0.5))
    assert_close(ys(figure, "derivative"), DERIVATIVES["celu"](X_GALLERY, 0.5))
    assert r"\alpha = 0.5" in response[dom_id({"tab": "gallery", "type": "formula"})]["children"]


def neuron_bodies(dep: Any, layout: Any) -> Iterator[tuple[str, Any]]:
    """Bodies with the new inputs (activation parameters, overlays), as the browser sends them."""
    act = dom_id({"tab": "neuron", "type": "activation"})
    over = dom_id({"tab": "neuron", "type": "overlays"})
    drawn = dom_id({"tab": "neuron", "type": "drawn"})
    alpha = dom_id({"act": "elu", "name": "alpha", "tab": "neuron", "type": "act_param"})
    both = ["derivative", "marks"]
    record = {
        "activation": "elu",
        "lang": "en",
        "values": {"w": 2.0, "b": 1.0},
        "params": {"alpha": 2.0},
        "overlays": both,
    }
    elu = {act: "elu", over: both}
    yield "first draw, elu α=2, both overlays", request_body(dep, layout, {}, {**elu, alpha: 2.0})
    yield "w moved", request_body(dep, layout, {"w": 3.5}, {**elu, alpha: 2.0}, {drawn: record})
    yield "α moved", request_body(dep, layout, {}, {**elu, alpha: 0.5}, {drawn: record})
    yield "nothing moved", request_body(dep, layout, {}, {**elu, alpha: 2.0}, {drawn: record})
    yield (
        "overlay switched off",
        request_body(dep, layout, {}, {act: "elu", over: ["marks"], alpha: 2.0}, {drawn: record}),
    )
    for bad in (9.0, -1.0, None, "abc", True, 2e7):
        yield f"α {bad!r}", request_body(dep, layout, {}, {**elu, alpha: bad}, {drawn: record})
    for odd in (None, "marks", ["marks", 3], [["derivative"]], {"a": 1}):
        yield f"overlays {odd!r}", request_body(dep, layout, {}, {act: "elu", over: odd})
    yield (
        "hard tanh",
        request_body(
            dep,
            layout,
            {"b": -0.5},
            {
                act: "hard_tanh",
                over: both,
                dom_id(
                    {"act": "hard_tanh", "name": "max_val", "tab": "neuron", "type": "act_param"}
                ): 2.5,
            },
        ),
    )  # fmt: skip


def test_neuron_answers_the_new_inputs(
    client: FlaskClient, dependencies: list[dict[str, Any]], layout: Any
) -> None:
    dep = find_dependency(dependencies, "neuron")
    kinds = set()
    for label, body in neuron_bodies(dep, layout):
        r = client.post("/_dash-update-component", json=body)
        assert r.status_code == 200, (label, r.get_data())
        graph = r.get_json()["response"].get(dom_id({"tab": "neuron", "type": "graph"}))
        figure = None if graph is None else graph["figure"]
        kinds.add("none" if figure is None else "patch" if is_patch_json(figure) else "full")
    assert kinds == {"none", "patch", "full"}


def test_neuron_answers_odd_parameter_groups(
    client: FlaskClient, dependencies: list[dict[str, Any]], layout: Any
) -> None:
    """The activation's parameters are read by their ids, whatever their order; a group with
    one missing, of another tab's ids, or an unknown overlays id is answered cleanly."""
    dep = find_dependency(dependencies, "neuron")
    base = request_body(dep, layout, {"w": 1.5})
    assert isinstance(base["inputs"][3], list) and len(base["inputs"][3]) == 6

    def variant(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        body = json.loads(json.dumps(base))
        change(body)
        return body

    def answer(body: dict[str, Any]) -> Any:
        r = client.post("/_dash-update-component", json=body)
        assert b"Traceback" not in r.get_data()
        return r

    plain = answer(base).get_json()
    assert answer(variant(lambda b: b["inputs"][3].reverse())).get_json() == plain
    odd = {
        "one missing": variant(lambda b: b["inputs"][3].pop()),
        "another tab": variant(lambda b: [i["id"].update(tab="gallery") for i in b["inputs"][3]]),
        "wrong overlays id": variant(lambda b: b["inputs"][4].update(id={"tab": "x", "type": "y"})),
    }
    for label, body in odd.items():
        assert answer(body).status_code == 200, label


# --- Sessions with dropped responses, the new inputs included ---------------------------------

SESSION_ACTIVATIONS = ("sigmoid", "relu", "elu", "softplus", "hard_tanh")
STEP = st.one_of(
    st.tuples(st.just("w"), st.floats(-60, 60, allow_nan=False), st.booleans()),
    st.tuples(st.just("b"), st.floats(-12, 12, allow_nan=False), st.booleans()),
    st.tuples(st.just("activation"), st.sampled_from(SESSION_ACTIVATIONS), st.booleans()),
    st.tuples(st.just("lang"), st.sampled_from(["en", "ru"]), st.booleans()),
    st.tuples(st.just("overlays"), st.sampled_from(OVERLAY_SETS), st.booleans()),
    st.tuples(
        st.just("param"),
        st.sampled_from(["alpha", "beta", "min_val", "max_val", "slope"]),
        st.booleans(),
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(STEP, min_size=1, max_size=20), st.randoms(use_true_random=False))
def test_dropped_responses_never_leave_a_stale_neuron_figure(
    steps: list[tuple[str, Any, bool]], rng: Any
) -> None:
    """Whatever moved and whichever responses were lost, the figure ends as drawn afresh."""
    state: dict[str, Any] = {
        "w": 2.0,
        "b": 1.0,
        "activation": "sigmoid",
        "lang": "en",
        "overlays": ["marks"],
        "params": {},
    }
    figure: dict[str, Any] | None = None
    drawn: Any = None

    def request() -> tuple[Any, Any, Any]:
        return neuron.update(
            NAMES,
            [state["w"], state["b"]],
            state["activation"],
            state["lang"],
            drawn,
            params=state["params"],
            overlays=state["overlays"],
        )

    def receive(response: tuple[Any, Any, Any]) -> None:
        nonlocal figure, drawn
        fig, message, record = response
        assert message == ""
        if isinstance(fig, Patch):
            assert figure is not None
            figure = apply_patch(figure, wire(fig))
        elif fig is not no_update:
            figure = wire(fig)
        if record is not no_update:
            drawn = through_browser(record)

    receive(request())
    for what, value, dropped in steps:
        if what == "param":  # a value inside the documented range of whichever has it
            defaults = ACT_DEFAULTS.get(state["activation"], {})
            if value in defaults:
                lo, hi = {"alpha": (0.1, 3.0), "beta": (0.1, 5.0), "slope": (0.0, 0.5),
                          "min_val": (-3.0, -0.1), "max_val": (0.1, 3.0)}[value]  # fmt: skip
                state["params"] = {**state["params"], value: round(rng.uniform(lo, hi), 2)}
        elif what == "activation":
            state["activation"], state["params"] = value, {}
        else:
            state[what] = value
        response = request()
        if not dropped:
            receive(response)
            expected = wire(request_full(state))
            assert_same(figure, expected, f"after {what} {value!r}")
    receive(request())
    assert_same(figure, wire(request_full(state)), "at the end")


def request_full(state: dict[str, Any]) -> dict[str, Any]:
    fig, _, _ = neuron.update(
        NAMES,
        [state["w"], state["b"]],
        state["activation"],
        state["lang"],
        params=state["params"],
        overlays=state["overlays"],
    )
    return fig
