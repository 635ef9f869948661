"""The shipped preset tables of every tab with parameters.

The fitted tables (3 neurons -> sin x, two layers -> x²) are checked against their tab's target
with a network written out here by hand in NumPy, independent of dashboard.model; the neuron's
presets against what each is named for.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from dashboard import i18n
from dashboard.model import GALLERY_ORDER, get_activation
from dashboard.presets import (
    PRESET_DIR,
    TABLES,
    Preset,
    load,
    param_names,
    parse_upload,
)
from dashboard.sections import HARD_LIMIT, NEURON_PARAMS, SPECS_BY_KEY


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # not scipy's expit, which the app uses


def reference(key: str, params: dict[str, float]) -> Callable[[np.ndarray], np.ndarray]:
    alpha = params.get("alpha", 1.0)
    slope = params.get("slope", 0.01)
    return {
        "sigmoid": sigmoid,
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0),
        "elu": lambda z: np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0.0)) - 1.0)),
        "leaky_relu": lambda z: np.where(z > 0, z, slope * z),
    }[key]


def sin3_output(p: Preset, x: np.ndarray) -> np.ndarray:
    a = reference(p.activation, p.params)
    v = p.values
    return sum(a(x * v[f"w{j}"] + v[f"b{j}"]) * v[f"w{j + 3}"] for j in (1, 2, 3)) + v["b4"]


def deep_output(p: Preset, x: np.ndarray) -> np.ndarray:
    a = reference(p.activation, p.params)
    v = p.values
    h1 = [a(x * v[f"w1{j}"] + v[f"b1{j}"]) for j in (1, 2, 3)]
    # Unit j of layer 2 reads w2(3j-2), w2(3j-1), w2(3j) from units 1, 2, 3 of layer 1.
    h2 = [
        a(sum(h1[i] * v[f"w2{3 * (j - 1) + i + 1}"] for i in range(3)) + v[f"b2{j}"])
        for j in (1, 2, 3)
    ]
    return sum(h2[j - 1] * v[f"w3{j}"] for j in (1, 2, 3)) + v["b3"]


X = np.linspace(-10.0, 10.0, 1000)  # both tabs fit on [-10, 10] with 1000 points
TARGETS = {"sin3": (np.sin, sin3_output), "deep": (np.square, deep_output)}

# The RMSE each shipped preset must stay below (measured after rounding to two decimals, then
# rounded up). Every one is below its tab's goal: 0.6 for sin x, 1 for x².
BOUNDS = {
    "sin3": {"sigmoid": 0.38, "tanh": 0.38, "relu": 0.54, "elu": 0.375, "leaky_relu": 0.565},
    "deep": {"sigmoid": 0.035, "tanh": 0.17, "relu": 0.63, "elu": 0.33, "leaky_relu": 0.53},
}


def rmse(tab: str, preset: Preset) -> float:
    target, output = TARGETS[tab]
    return float(np.sqrt(np.mean((output(preset, X) - target(X)) ** 2)))


@pytest.mark.parametrize("tab", ["sin3", "deep"])
def test_fitted_tables_hold_the_five_activations_in_order(tab: str) -> None:
    presets = load(tab)
    assert [p.activation for p in presets] == list(GALLERY_ORDER)
    for p in presets:
        assert set(p.values) == set(SPECS_BY_KEY[tab].names)
        assert p.params == {} and p.name == ""
        for v in p.values.values():
            assert round(v, 2) == v  # two decimals, as a student would type them
            assert abs(v) <= 1000.0


@pytest.mark.parametrize("key", GALLERY_ORDER)
@pytest.mark.parametrize("tab", ["sin3", "deep"])
def test_fitted_presets_are_good(tab: str, key: str) -> None:
    preset = next(p for p in load(tab) if p.activation == key)
    error = rmse(tab, preset)
    assert error < BOUNDS[tab][key]
    assert error < SPECS_BY_KEY[tab].goal
    # The app's own network computes the same output as the reference written here.
    spec = SPECS_BY_KEY[tab]
    app = spec.network(preset.values, get_activation(key))(X)
    np.testing.assert_allclose(app, TARGETS[tab][1](preset, X), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("tab", ["sin3", "deep"])
def test_the_bounds_say_something(tab: str) -> None:
    """Each bound is far below what the best constant output (the target's mean) achieves,
    and a preset with one value moved off its fit misses its bound."""
    target, _ = TARGETS[tab]
    constant = float(np.std(target(X)))
    assert max(BOUNDS[tab].values()) < 0.95 * constant
    bias = "b4" if tab == "sin3" else "b3"
    for preset in load(tab):
        moved = Preset(preset.activation, {**preset.values, bias: preset.values[bias] + 1.0})
        assert rmse(tab, moved) > BOUNDS[tab][preset.activation]


# --- the neuron ----------------------------------------------------------------------------------

XN = np.linspace(-5.0, 5.0, 1000)


def neuron(name: str) -> Preset:
    return next(p for p in load("neuron") if p.name == name)


def neuron_output(p: Preset, x: np.ndarray = XN) -> np.ndarray:
    return reference(p.activation, p.params)(x * p.values["w"] + p.values["b"])


def test_neuron_presets_are_named_and_within_the_sliders() -> None:
    presets = load("neuron")
    assert len(presets) >= 6
    assert len({p.name for p in presets}) == len(presets)
    ranges = {p.name: (p.lo, p.hi) for p in NEURON_PARAMS}
    for p in presets:
        assert p.name
        for n, v in p.values.items():
            assert ranges[n][0] <= v <= ranges[n][1]


def test_steep_step() -> None:
    y = neuron_output(neuron("steep_step"))
    assert np.all(y[XN < -0.1] < 0.01) and np.all(y[XN > 0.1] > 0.99)


def test_gentle_slope() -> None:
    p = neuron("gentle_slope")
    y = neuron_output(p)
    slope = np.diff(y) / np.diff(XN)
    assert slope.max() <= 0.125 + 1e-12  # a quarter of w at most
    assert y.min() > 0.05 and y.max() < 0.95  # never saturates on the plot


def test_shifted_right() -> None:
    p = neuron("shifted_right")
    step = -p.values["b"] / p.values["w"]
    assert step == 2.0
    assert sigmoid(np.array(step * p.values["w"] + p.values["b"])) == 0.5


def test_mirrored_falls() -> None:
    assert np.all(np.diff(neuron_output(neuron("mirrored"))) < 0)


def test_saturated_is_flat_everywhere() -> None:
    p = neuron("saturated")
    z = XN * p.values["w"] + p.values["b"]
    assert np.all(neuron_output(p) > 0.999)
    assert np.all(1.0 - np.tanh(z) ** 2 < 0.01)  # under 1 % of tanh's peak slope


def test_relu_hinge_and_dead_relu() -> None:
    y = neuron_output(neuron("relu_hinge"))
    assert np.all(y[XN <= 1.0] == 0.0)
    np.testing.assert_allclose(y[XN > 1.0], XN[XN > 1.0] - 1.0)
    assert np.all(neuron_output(neuron("dead_relu")) == 0.0)


def test_parametrised_neuron_presets() -> None:
    leaky = neuron("leaky_slope")
    assert leaky.params == {"slope": 0.2}
    assert neuron_output(leaky, np.array([-5.0]))[0] == pytest.approx(-1.0)
    elu = neuron("elu_alpha")
    assert elu.activation_params() == {"alpha": 2.0}
    assert neuron_output(elu, np.array([-5.0]))[0] == pytest.approx(-2.0 * (1 - np.exp(-5.0)))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_shipped_names_are_translated(lang: str) -> None:
    strings = i18n.strings(lang)
    for p in load("neuron"):
        assert f"preset.name.{p.name}" in strings
        assert p.label(lang) == strings[f"preset.name.{p.name}"]
    assert load("neuron")[0].label("en") != load("neuron")[0].label("ru")
    sig = load("sin3")[0]
    assert sig.label(lang) == i18n.activation_name(lang, "sigmoid")
    assert Preset("relu", {}, "My own row").label(lang) == "My own row"


# --- every table ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", sorted(TABLES))
def test_every_table_reads_strictly_and_as_an_upload_alike(tab: str) -> None:
    presets = load(tab)
    data = (PRESET_DIR / TABLES[tab]).read_bytes()
    assert parse_upload(data, TABLES[tab], param_names(tab)) == (presets, [])
    for p in presets:
        assert all(abs(v) <= HARD_LIMIT for v in p.values.values())


def test_square2_table_is_the_published_one_byte_for_byte() -> None:
    assert (PRESET_DIR / "square2.csv").read_text(encoding="utf-8") == (
        "activation,w1,b1,w2,b2,w3,b3,w4\n"
        "sigmoid,0.30,-3.45,-0.30,-3.45,300.00,-11.50,300.00\n"
        "tanh,0.66,-0.90,-0.66,-0.90,5.00,7.00,5.00\n"
        "relu,1.40,-0.90,-1.40,-0.90,1.80,0.00,1.80\n"
        "elu,1.30,-1.90,-1.30,-1.90,3.00,5.11,3.00\n"
        "leaky_relu,0.80,-0.40,-0.80,-0.40,3.50,0.00,3.50\n"
    )


def test_hard_limit_is_the_views_limit() -> None:
    from dashboard.views.common import HARD_LIMIT as VIEWS_LIMIT

    assert HARD_LIMIT == VIEWS_LIMIT == 1e6
