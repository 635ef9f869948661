"""Forward passes of the three approximation sections against the spec's formulas written out
by hand; network validation; the sections' grids, ranges and defaults against the spec."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from dashboard import sections
from dashboard.model import Dense, Network, get_activation
from dashboard.sections import (
    THREE_NEURONS,
    TWO_LAYERS,
    TWO_NEURONS,
    ApproxSpec,
    Grid,
    Param,
)

Ref = Callable[[np.ndarray], np.ndarray]

# Reference activations written independently of dashboard.model (sigmoid through tanh, so
# it cannot overflow; ELU and Leaky ReLU with their textbook defaults alpha = 1, slope = 0.01).
REF: dict[str, Ref] = {
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(z / 2.0)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda z: z,
}
KEYS = tuple(REF)


def random_values(spec: ApproxSpec, seed: int) -> dict[str, float]:
    """A value for each parameter, drawn uniformly from its slider range."""
    rng = np.random.default_rng(seed)
    return {p.name: float(rng.uniform(p.lo, p.hi)) for p in spec.params}


def close(actual: np.ndarray, expected: np.ndarray) -> None:
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual, expected, rtol=1e-11, atol=1e-11 * scale)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_neurons_forward(key: str, seed: int) -> None:
    v = random_values(TWO_NEURONS, seed)
    A = REF[key]
    x = np.linspace(-10.0, 10.0, 1000)
    a1 = A(x * v["w1"] + v["b1"])
    a2 = A(x * v["w2"] + v["b2"])
    output = a1 * v["w3"] + a2 * v["w4"] + v["b3"]

    fwd = TWO_NEURONS.network(v, get_activation(key)).forward(x)
    assert len(fwd.hidden) == 1
    assert fwd.hidden[0].shape == (1000, 2)
    close(fwd.hidden[0][:, 0], a1)
    close(fwd.hidden[0][:, 1], a2)
    close(fwd.contributions[:, 0], a1 * v["w3"])
    close(fwd.contributions[:, 1], a2 * v["w4"])
    assert fwd.output_bias == v["b3"]
    close(fwd.output, output)


def test_two_neurons_defaults_with_sigmoid() -> None:
    x = np.linspace(-10.0, 10.0, 1000)
    s = REF["sigmoid"]
    expected = 300.0 * s(0.31 * x - 3.59) + 300.0 * s(-0.31 * x - 3.59) - 11.5
    net = TWO_NEURONS.network(TWO_NEURONS.defaults, get_activation("sigmoid"))
    close(net(x), expected)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("seed", [3, 4])
def test_three_neurons_forward(key: str, seed: int) -> None:
    v = random_values(THREE_NEURONS, seed)
    A = REF[key]
    x = np.linspace(-10.0, 10.0, 1000)
    a1 = A(x * v["w1"] + v["b1"])
    a2 = A(x * v["w2"] + v["b2"])
    a3 = A(x * v["w3"] + v["b3"])
    output = a1 * v["w4"] + a2 * v["w5"] + a3 * v["w6"] + v["b4"]

    fwd = THREE_NEURONS.network(v, get_activation(key)).forward(x)
    assert fwd.hidden[0].shape == (1000, 3)
    for j, a in enumerate((a1, a2, a3)):
        close(fwd.hidden[0][:, j], a)
    close(fwd.contributions[:, 0], a1 * v["w4"])
    close(fwd.contributions[:, 1], a2 * v["w5"])
    close(fwd.contributions[:, 2], a3 * v["w6"])
    close(fwd.output, output)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("seed", [5, 6])
def test_two_layers_forward(key: str, seed: int) -> None:
    v = random_values(TWO_LAYERS, seed)
    A = REF[key]
    x = np.linspace(-10.0, 10.0, 1000)
    a11 = A(x * v["w11"] + v["b11"])
    a12 = A(x * v["w12"] + v["b12"])
    a13 = A(x * v["w13"] + v["b13"])
    a21 = A(a11 * v["w21"] + a12 * v["w22"] + a13 * v["w23"] + v["b21"])
    a22 = A(a11 * v["w24"] + a12 * v["w25"] + a13 * v["w26"] + v["b22"])
    a23 = A(a11 * v["w27"] + a12 * v["w28"] + a13 * v["w29"] + v["b23"])
    output = v["w31"] * a21 + v["w32"] * a22 + v["w33"] * a23 + v["b3"]

    fwd = TWO_LAYERS.network(v, get_activation(key)).forward(x)
    assert [h.shape for h in fwd.hidden] == [(1000, 3), (1000, 3)]
    for j, a in enumerate((a11, a12, a13)):
        close(fwd.hidden[0][:, j], a)
    for j, a in enumerate((a21, a22, a23)):
        close(fwd.hidden[1][:, j], a)
    close(fwd.contributions[:, 0], v["w31"] * a21)
    close(fwd.contributions[:, 2], v["w33"] * a23)
    close(fwd.output, output)


def test_two_layers_asymmetric_weights_hit_the_right_units() -> None:
    # Linear activation and one non-zero weight at a time: the output shows which path it took.
    lin = get_activation("linear")
    base = dict.fromkeys(TWO_LAYERS.names, 0.0)
    x = np.array([2.0])
    for i in range(1, 10):
        v = {**base, "w11": 1.0, "w12": 10.0, "w13": 100.0, f"w2{i}": 1.0}
        unit = (i - 1) // 3 + 1  # layer-2 unit read by w2i
        source = (i - 1) % 3  # layer-1 unit it reads
        v[f"w3{unit}"] = 1.0
        expected = 2.0 * (1.0, 10.0, 100.0)[source]
        assert float(TWO_LAYERS.network(v, lin)(x)[0]) == pytest.approx(expected), f"w2{i}"


def test_activation_parameters_reach_the_network() -> None:
    act = get_activation("leaky_relu")
    layers = (Dense(np.array([[1.0]]), np.array([0.0])), Dense(np.array([[1.0]]), np.array([0.0])))
    net = Network(layers, act, {"slope": 0.5})
    np.testing.assert_allclose(net(np.array([-4.0, 4.0])), [-2.0, 4.0])
    assert net.widths == (1,)


def test_widths() -> None:
    sigmoid = get_activation("sigmoid")
    assert TWO_NEURONS.network(TWO_NEURONS.defaults, sigmoid).widths == (2,)
    assert THREE_NEURONS.network(THREE_NEURONS.defaults, sigmoid).widths == (3,)
    assert TWO_LAYERS.network(TWO_LAYERS.defaults, sigmoid).widths == (3, 3)


@pytest.mark.parametrize("n_in", [1, 2, 5])
def test_dense_is_a_times_w_plus_b_with_unit_columns_contiguous(n_in: int) -> None:
    # Each unit's values are laid out contiguously (Fortran order); the numbers are a @ W + b,
    # written here as explicit sums, to the last bit for one input (a single product each).
    rng = np.random.default_rng(n_in)
    a, w, b = rng.normal(size=(50, n_in)), rng.normal(size=(n_in, 3)), rng.normal(size=3)
    z = Dense(w, b)(a)
    expected = np.array(
        [[sum(a[p, i] * w[i, j] for i in range(n_in)) + b[j] for j in range(3)] for p in range(50)]
    )
    assert z.shape == (50, 3) and z.flags.f_contiguous
    if n_in == 1:
        assert np.array_equal(z, expected)
    np.testing.assert_allclose(z, expected, rtol=1e-13, atol=1e-13)


def test_dense_rejects_bias_of_wrong_shape() -> None:
    with pytest.raises(ValueError, match="bias shape"):
        Dense(np.ones((1, 2)), np.ones(3))


@pytest.mark.parametrize(
    ("shapes", "match"),
    [
        ([((1, 1), 1)], "at least one hidden layer"),
        ([((2, 3), 3), ((3, 1), 1)], "one input"),
        ([((1, 3), 3), ((3, 2), 2)], "one unit"),
        ([((1, 3), 3), ((2, 1), 1)], "do not chain"),
        ([((1, 3), 3), ((3, 4), 4), ((3, 1), 1)], "do not chain"),
    ],
)
def test_network_rejects_bad_shapes(shapes: list[tuple[tuple[int, int], int]], match: str) -> None:
    layers = tuple(Dense(np.ones(w), np.zeros(b)) for w, b in shapes)
    with pytest.raises(ValueError, match=match):
        Network(layers, get_activation("relu"))


def test_approx_spec_rejects_inconsistent_names() -> None:
    layers = (((("w1",),), ("b1",)), ((("w2",),), ("b2",)))
    params = tuple(Param(n, 0.0, -1.0, 1.0) for n in ("w1", "b1", "w2", "b2"))
    common = {"target": "square", "grid": Grid(0, 1, 2), "y_range": (0, 1), "title_key": "t"}
    ApproxSpec("ok", layers, params, (("g", ("w1", "b1", "w2", "b2")),), **common)
    with pytest.raises(ValueError, match="slider names"):
        ApproxSpec("a", layers, params[:3], (("g", ("w1", "b1", "w2")),), **common)
    with pytest.raises(ValueError, match="slider names"):
        ApproxSpec("b", layers, (*params, params[0]), (("g", ("w1", "b1", "w2", "b2")),), **common)
    with pytest.raises(ValueError, match="exactly one group"):
        ApproxSpec("c", layers, params, (("g", ("w1", "b1", "w2")),), **common)


# --- sections against the spec ---------------------------------------------------------------


def test_step() -> None:
    assert sections.STEP == 0.1


@pytest.mark.parametrize(
    ("grid", "lo", "hi", "n"),
    [
        (sections.GALLERY_GRID, -7.0, 5.0, 100),
        (sections.NEURON_GRID, -5.0, 5.0, 1000),
        (TWO_NEURONS.grid, -10.0, 10.0, 1000),
        (THREE_NEURONS.grid, -10.0, 10.0, 1000),
        (TWO_LAYERS.grid, -10.0, 10.0, 1000),
    ],
)
def test_grids(grid: Grid, lo: float, hi: float, n: int) -> None:
    np.testing.assert_array_equal(grid.points(), np.linspace(lo, hi, n))


def test_single_neuron_sliders() -> None:
    by_name = {p.name: p for p in sections.NEURON_PARAMS}
    assert set(by_name) == {"w", "b"}
    assert (by_name["w"].default, by_name["w"].lo, by_name["w"].hi) == (2.0, -50.0, 50.0)
    assert (by_name["b"].default, by_name["b"].lo, by_name["b"].hi) == (1.0, -10.0, 10.0)


def check_ranges(spec: ApproxSpec, fixed: dict[str, tuple[float, float]]) -> None:
    for p in spec.params:
        lo, hi = fixed.get(p.name, (p.default - 10.0, p.default + 10.0))
        assert p.lo == pytest.approx(lo, abs=1e-12), p.name
        assert p.hi == pytest.approx(hi, abs=1e-12), p.name


def test_two_neurons_section() -> None:
    assert TWO_NEURONS.defaults == {
        "w1": 0.31,
        "w2": -0.31,
        "b1": -3.59,
        "b2": -3.59,
        "b3": -11.5,
        "w3": 300.0,
        "w4": 300.0,
    }
    check_ranges(TWO_NEURONS, {"w3": (-300.0, 300.0), "w4": (-300.0, 300.0)})
    assert TWO_NEURONS.param("w1").lo == pytest.approx(-9.69)
    assert TWO_NEURONS.param("b3").hi == pytest.approx(-1.5)
    assert TWO_NEURONS.y_range == (-1.0, 100.0)
    assert TWO_NEURONS.show_contributions
    assert TWO_NEURONS.preset_file == "square2.csv"
    x = np.linspace(-10.0, 10.0, 1000)
    np.testing.assert_array_equal(TWO_NEURONS.target_values(x), x * x)


def test_three_neurons_section() -> None:
    assert THREE_NEURONS.defaults == {
        "w1": 1.35,
        "w2": -1.35,
        "w3": 1.0,
        "w4": 1.0,
        "w5": 1.0,
        "w6": 1.0,
        "b1": -2.5,
        "b2": -2.5,
        "b3": -1.5,
        "b4": -1.5,
    }
    check_ranges(THREE_NEURONS, {})
    assert THREE_NEURONS.y_range == (-1.0, 5.0)
    x = np.linspace(-10.0, 10.0, 1000)
    np.testing.assert_allclose(THREE_NEURONS.target_values(x), np.sin(x))


def test_two_layers_section() -> None:
    layer1 = ["w11", "w12", "w13", "b11", "b12", "b13"]
    layer2 = [f"w2{i}" for i in range(1, 10)] + ["b21", "b22", "b23"]
    output = ["w31", "w32", "w33", "b3"]
    assert sorted(TWO_LAYERS.names) == sorted(layer1 + layer2 + output)
    assert TWO_LAYERS.defaults == dict.fromkeys(layer1 + layer2 + output, 1.0)
    check_ranges(TWO_LAYERS, {})
    assert TWO_LAYERS.param("w21").lo == pytest.approx(-9.0)
    assert TWO_LAYERS.param("w21").hi == pytest.approx(11.0)
    groups = {g: set(names) for g, names in TWO_LAYERS.groups}
    assert groups == {
        "group.layer1": set(layer1),
        "group.layer2": set(layer2),
        "group.output": set(output),
    }
    assert TWO_LAYERS.y_range == (-1.0, 5.0)
    x = np.linspace(-10.0, 10.0, 1000)
    np.testing.assert_array_equal(TWO_LAYERS.target_values(x), x * x)


def test_specs_by_key() -> None:
    assert list(sections.SPECS_BY_KEY) == ["square2", "sin3", "deep"]
    assert sections.SPECS_BY_KEY["sin3"] is THREE_NEURONS
