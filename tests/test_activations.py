"""Activation functions and derivatives against hand-computed values, second formulas and
finite differences; numerical stability for huge inputs; the registry."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model import ACTIVATIONS, GALLERY_ORDER, get_activation

KEYS = ("sigmoid", "tanh", "relu", "elu", "leaky_relu", "linear")
E = math.e

# (key, z, expected A(z)), every expected value worked out by hand.
HAND_VALUES = [
    ("sigmoid", 0.0, 0.5),
    ("sigmoid", math.log(3.0), 0.75),
    ("sigmoid", -math.log(3.0), 0.25),
    ("sigmoid", math.log(9.0), 0.9),
    ("sigmoid", 1.0, E / (E + 1.0)),
    ("tanh", 0.0, 0.0),
    ("tanh", math.log(2.0), 0.6),  # (4 - 1) / (4 + 1)
    ("tanh", -math.log(2.0), -0.6),
    ("tanh", math.log(3.0), 0.8),  # (9 - 1) / (9 + 1)
    ("tanh", 1.0, (E**2 - 1.0) / (E**2 + 1.0)),
    ("relu", -2.0, 0.0),
    ("relu", 0.0, 0.0),
    ("relu", 3.5, 3.5),
    ("elu", -1.0, 1.0 / E - 1.0),
    ("elu", -2.0, E**-2 - 1.0),
    ("elu", 0.0, 0.0),
    ("elu", 2.0, 2.0),
    ("leaky_relu", -3.0, -0.03),
    ("leaky_relu", -100.0, -1.0),
    ("leaky_relu", 0.0, 0.0),
    ("leaky_relu", 5.0, 5.0),
    ("linear", -4.25, -4.25),
    ("linear", 0.0, 0.0),
    ("linear", 7.0, 7.0),
]


@pytest.mark.parametrize(("key", "z", "expected"), HAND_VALUES)
def test_hand_computed_values(key: str, z: float, expected: float) -> None:
    assert float(get_activation(key)(z)) == pytest.approx(expected, rel=1e-12, abs=1e-15)


MODERATE = np.linspace(-8.0, 8.0, 161)


def test_tanh_against_exponential_formula() -> None:
    x = np.linspace(-5.0, 5.0, 101)
    e2x = np.exp(2.0 * x)
    np.testing.assert_allclose(get_activation("tanh")(x), (e2x - 1.0) / (e2x + 1.0), atol=1e-14)


def test_sigmoid_against_math_exp() -> None:
    expected = np.array([1.0 / (1.0 + math.exp(-v)) for v in MODERATE])
    np.testing.assert_allclose(get_activation("sigmoid")(MODERATE), expected, rtol=1e-14)


def test_sigmoid_is_symmetric() -> None:
    sigma = get_activation("sigmoid")
    np.testing.assert_allclose(sigma(-MODERATE), 1.0 - sigma(MODERATE), atol=1e-15)


def test_tanh_is_twice_sigmoid_of_double_minus_one() -> None:
    sigma, tanh = get_activation("sigmoid"), get_activation("tanh")
    np.testing.assert_allclose(tanh(MODERATE), 2.0 * sigma(2.0 * MODERATE) - 1.0, atol=1e-14)


def test_relu_is_half_of_x_plus_abs_x() -> None:
    np.testing.assert_array_equal(
        get_activation("relu")(MODERATE), (MODERATE + np.abs(MODERATE)) / 2.0
    )


def test_elu_against_math_exp() -> None:
    expected = np.array([v if v > 0 else math.exp(v) - 1.0 for v in MODERATE])
    np.testing.assert_allclose(get_activation("elu")(MODERATE), expected, rtol=1e-13, atol=1e-15)


def test_leaky_relu_is_max_of_x_and_small_slope_x() -> None:
    np.testing.assert_allclose(
        get_activation("leaky_relu")(MODERATE), np.maximum(MODERATE, 0.01 * MODERATE), rtol=1e-15
    )


def test_sigmoid_derivative_is_sigma_times_one_minus_sigma() -> None:
    s = np.array([1.0 / (1.0 + math.exp(-v)) for v in MODERATE])
    np.testing.assert_allclose(get_activation("sigmoid").grad(MODERATE), s * (1.0 - s), atol=1e-15)


def test_tanh_derivative_is_one_minus_tanh_squared() -> None:
    th = np.array([math.tanh(v) for v in MODERATE])
    np.testing.assert_allclose(get_activation("tanh").grad(MODERATE), 1.0 - th**2, atol=1e-15)


# A grid that keeps away from the kink at 0 of ReLU, Leaky ReLU and ELU.
FD_GRID = np.concatenate([np.linspace(-6.0, -0.05, 60), np.linspace(0.05, 6.0, 60)])
FD_STEP = 1e-5


@pytest.mark.parametrize("key", KEYS)
def test_derivative_matches_central_differences(key: str) -> None:
    act = get_activation(key)
    numeric = (act(FD_GRID + FD_STEP) - act(FD_GRID - FD_STEP)) / (2.0 * FD_STEP)
    np.testing.assert_allclose(act.grad(FD_GRID), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    ("key", "params"), [("elu", {"alpha": 2.5}), ("leaky_relu", {"slope": 0.2})]
)
def test_derivative_with_parameters_matches_central_differences(
    key: str, params: dict[str, float]
) -> None:
    act = get_activation(key)
    numeric = (act(FD_GRID + FD_STEP, **params) - act(FD_GRID - FD_STEP, **params)) / (
        2.0 * FD_STEP
    )
    np.testing.assert_allclose(act.grad(FD_GRID, **params), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("key", ["relu", "elu", "leaky_relu"])
def test_derivative_at_kink_lies_between_one_sided_slopes(key: str) -> None:
    act = get_activation(key)
    h = 1e-7
    left = float((act(0.0) - act(-h)) / h)
    right = float((act(h) - act(0.0)) / h)
    lo, hi = min(left, right), max(left, right)
    assert lo - 1e-6 <= float(act.grad(0.0)) <= hi + 1e-6


TINY = 5e-324  # the smallest subnormal double
EXTREME = np.array(
    [
        -1e6, -1e3, -710.0, -709.0, -50.0, -1.0, -1e-8, -1e-300, -TINY, -0.0,
        0.0, TINY, 1e-300, 1e-8, 1.0, 50.0, 709.0, 710.0, 1e3, 1e6,
    ]
)  # fmt: skip

# Closed bounds of each function and derivative: at |z| = 1e6 doubles reach the limits exactly.
RANGES = {
    "sigmoid": ((0.0, 1.0), (0.0, 0.25)),
    "tanh": ((-1.0, 1.0), (0.0, 1.0)),
    "relu": ((0.0, math.inf), (0.0, 1.0)),
    "elu": ((-1.0, math.inf), (0.0, 1.0)),
    "leaky_relu": ((-math.inf, math.inf), (0.01, 1.0)),
    "linear": ((-math.inf, math.inf), (1.0, 1.0)),
}


def in_derivative_range(dy: np.ndarray, lo: float, hi: float) -> bool:
    """Bounds up to a few ulp: sigma'(z) near 0 may round to one ulp above 1/4."""
    slack = 4 * np.finfo(float).eps
    return bool(np.all((lo - slack <= dy) & (dy <= hi * (1 + slack))))


@pytest.mark.parametrize("key", KEYS)
def test_stable_and_in_range_for_huge_and_tiny_inputs(key: str) -> None:
    act = get_activation(key)
    (lo, hi), (dlo, dhi) = RANGES[key]
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        y = act(EXTREME)
        dy = act.grad(EXTREME)
        one_by_one = [float(act(v)) for v in EXTREME]
    assert y.shape == dy.shape == EXTREME.shape
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))
    assert np.all((lo <= y) & (y <= hi))
    assert in_derivative_range(dy, dlo, dhi)
    np.testing.assert_array_equal(y, one_by_one)


@pytest.mark.parametrize(
    ("key", "z", "expected", "slope"),
    [
        ("sigmoid", 1e6, 1.0, 0.0),
        ("sigmoid", -1e6, 0.0, 0.0),
        ("sigmoid", 710.0, 1.0, 0.0),
        ("tanh", 1e3, 1.0, 0.0),
        ("tanh", -1e3, -1.0, 0.0),
        ("relu", 1e6, 1e6, 1.0),
        ("relu", -1e6, 0.0, 0.0),
        ("elu", -1e6, -1.0, 0.0),
        ("elu", 1e6, 1e6, 1.0),
        ("leaky_relu", -1e6, -1e4, 0.01),
        ("linear", -1e6, -1e6, 1.0),
    ],
)
def test_limits_far_out(key: str, z: float, expected: float, slope: float) -> None:
    act = get_activation(key)
    assert float(act(z)) == pytest.approx(expected, abs=1e-12)
    assert float(act.grad(z)) == pytest.approx(slope, abs=1e-12)


def test_sigmoid_keeps_tiny_values_far_left() -> None:
    # 1 - sigma(50) rounds to 0 in doubles, but sigma(-50) = e^-50 / (1 + e^-50) must not.
    assert float(get_activation("sigmoid")(-50.0)) == pytest.approx(math.exp(-50.0), rel=1e-12)
    assert float(get_activation("sigmoid").grad(-50.0)) == pytest.approx(math.exp(-50.0), rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=20),
    st.sampled_from(KEYS),
)
def test_finite_in_range_and_monotonic_everywhere(values: list[float], key: str) -> None:
    act = get_activation(key)
    z = np.sort(np.array(values))
    (lo, hi), (dlo, dhi) = RANGES[key]
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        y, dy = act(z), act.grad(z)
    assert np.all(np.isfinite(y)) and np.all((lo <= y) & (y <= hi))
    assert np.all(np.isfinite(dy)) and in_derivative_range(dy, dlo, dhi)
    assert np.all(np.diff(y) >= 0)  # every activation here is non-decreasing


def test_shape_is_kept_and_input_not_changed() -> None:
    z = np.arange(-6.0, 6.0).reshape(3, 4)
    before = z.copy()
    for key in KEYS:
        act = get_activation(key)
        assert act(z).shape == (3, 4)
        assert act.grad(z).shape == (3, 4)
        assert act([1.0, -1.0]).shape == (2,)
    np.testing.assert_array_equal(z, before)


def test_registry_starts_with_the_gallery_order() -> None:
    five = ("sigmoid", "tanh", "relu", "elu", "leaky_relu")
    assert five == GALLERY_ORDER
    assert tuple(ACTIVATIONS)[:5] == five
    assert tuple(ACTIVATIONS)[: len(KEYS)] == KEYS  # the further activations come after
    names = {k: ACTIVATIONS[k].name for k in five}
    assert names == {
        "sigmoid": "Sigmoid",
        "tanh": "TanH",
        "relu": "ReLU",
        "elu": "ELU",
        "leaky_relu": "Leaky ReLU",
    }
    for key, act in ACTIVATIONS.items():
        assert act.key == key
        assert act.latex


def test_unknown_key_raises_key_error_listing_known_ones() -> None:
    with pytest.raises(KeyError) as info:
        get_activation("swish")
    message = str(info.value)
    assert "swish" in message
    for key in KEYS:
        assert key in message


def test_default_parameters() -> None:
    assert dict(get_activation("elu").params) == {"alpha": 1.0}
    assert dict(get_activation("leaky_relu").params) == {"slope": 0.01}


def test_parameters_can_be_overridden() -> None:
    elu, leaky = get_activation("elu"), get_activation("leaky_relu")
    assert float(elu(-1.0, alpha=2.0)) == pytest.approx(2.0 * (1.0 / E - 1.0), rel=1e-12)
    assert float(elu(3.0, alpha=2.0)) == 3.0
    assert float(elu.grad(-1.0, alpha=2.0)) == pytest.approx(2.0 / E, rel=1e-12)
    assert float(leaky(-2.0, slope=0.2)) == pytest.approx(-0.4, rel=1e-12)
    assert float(leaky(2.0, slope=0.2)) == 2.0
    assert float(leaky.grad(-2.0, slope=0.2)) == pytest.approx(0.2)
    # The override does not stick: the defaults apply again afterwards.
    assert float(elu(-1.0)) == pytest.approx(1.0 / E - 1.0, rel=1e-12)
    assert float(leaky(-2.0)) == pytest.approx(-0.02, rel=1e-12)
