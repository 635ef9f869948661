"""The full activation catalogue: every function against an independent per-element reference and
hand values, derivatives against finite differences and at their kinks, stability for |z| up to
1e6, parameter overrides and ranges, and hypothesis properties (symmetry, monotonicity, bounds)."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model.activations import (
    ACTIVATIONS,
    CATALOGUE_ORDER,
    GALLERY_ORDER,
    SELU_ALPHA,
    SELU_SCALE,
    Activation,
    ParamRange,
    get_activation,
)

E = math.e
LN2, LN3 = math.log(2.0), math.log(3.0)

NOTEBOOK = ("sigmoid", "tanh", "relu", "elu", "leaky_relu")
NEW = (
    "gelu",
    "gelu_tanh",
    "silu",
    "mish",
    "softplus",
    "softsign",
    "selu",
    "celu",
    "hard_sigmoid",
    "hard_tanh",
    "relu6",
    "hard_swish",
    "gaussian",
    "sine",
    "step",
)
ALL_KEYS = (*NOTEBOOK, "linear", *NEW)

# The SELU constants as the literal decimal strings of the paper (and PyTorch's source).
ALPHA_STR = "1.6732632423543772848170429916717"
SCALE_STR = "1.0507009873554804934193349852946"


# ---- Independent references: the definitions, one element at a time, with plain math ----------


def _clip(v: float, lo: float, hi: float) -> float:
    return min(max(v, lo), hi)


def _sigma(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


REFERENCE: dict[str, Callable[..., float]] = {
    "sigmoid": _sigma,
    "tanh": math.tanh,
    "relu": lambda v: max(v, 0.0),
    "elu": lambda v, alpha=1.0: v if v > 0 else alpha * (math.exp(v) - 1.0),
    "leaky_relu": lambda v, slope=0.01: v if v > 0 else slope * v,
    "linear": lambda v: v,
    "gelu": lambda v: 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))),
    "gelu_tanh": lambda v: (
        0.5 * v * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (v + 0.044715 * v**3)))
    ),
    "silu": lambda v: v / (1.0 + math.exp(-v)),
    "mish": lambda v: v * math.tanh(math.log(1.0 + math.exp(v))),
    "softplus": lambda v, beta=1.0: math.log(1.0 + math.exp(beta * v)) / beta,
    "softsign": lambda v: v / (1.0 + abs(v)),
    "selu": lambda v: float(SCALE_STR) * (v if v > 0 else float(ALPHA_STR) * (math.exp(v) - 1.0)),
    "celu": lambda v, alpha=1.0: max(0.0, v) + min(0.0, alpha * (math.exp(v / alpha) - 1.0)),
    "hard_sigmoid": lambda v: _clip(v + 3.0, 0.0, 6.0) / 6.0,
    "hard_tanh": lambda v, min_val=-1.0, max_val=1.0: _clip(v, min_val, max_val),
    "relu6": lambda v: _clip(v, 0.0, 6.0),
    "hard_swish": lambda v: v * _clip(v + 3.0, 0.0, 6.0) / 6.0,
    "gaussian": lambda v: math.exp(-v * v),
    "sine": math.sin,
    "step": lambda v: 1.0 if v > 0 else 0.0,
}

MODERATE = np.linspace(-8.0, 8.0, 161)  # hits every kink (-3, -1, 0, 1, 3, 6) exactly


@pytest.mark.parametrize("key", ALL_KEYS)
def test_against_independent_reference(key: str) -> None:
    expected = np.array([REFERENCE[key](float(v)) for v in MODERATE])
    # 1 + erf and 1 + tanh cancel in the far left of the GELU references: hence the atol.
    np.testing.assert_allclose(get_activation(key)(MODERATE), expected, rtol=1e-12, atol=1e-13)


OVERRIDES = [
    ("elu", {"alpha": 2.0}),
    ("leaky_relu", {"slope": 0.2}),
    ("celu", {"alpha": 0.5}),
    ("softplus", {"beta": 2.0}),
    ("hard_tanh", {"min_val": -2.0, "max_val": 0.5}),
]


@pytest.mark.parametrize(("key", "params"), OVERRIDES)
def test_overridden_parameters_against_reference(key: str, params: dict[str, float]) -> None:
    expected = np.array([REFERENCE[key](float(v), **params) for v in MODERATE])
    got = get_activation(key)(MODERATE, **params)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_gelu_far_left_tail_is_kept() -> None:
    # There 1 + erf(z / sqrt 2) cancels to 0; the erfc form keeps z Phi(z) to full precision.
    z = np.linspace(-35.0, -5.0, 61)
    expected = np.array([0.5 * v * math.erfc(-v / math.sqrt(2.0)) for v in z])
    np.testing.assert_allclose(get_activation("gelu")(z), expected, rtol=1e-11)
    assert np.all(get_activation("gelu")(z) < 0)


def test_gelu_tanh_far_left_tail_is_kept() -> None:
    # 0.5 z (1 + tanh u) = z e^{2u} / (1 + e^{2u}), written for u < 0 without cancellation.
    z = np.linspace(-8.0, -3.0, 51)
    u = math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)
    expected = z * np.exp(2.0 * u) / (1.0 + np.exp(2.0 * u))
    np.testing.assert_allclose(get_activation("gelu_tanh")(z), expected, rtol=1e-12)


# ---- Hand values -------------------------------------------------------------------------------

GELU_1 = 0.8413447460685429  # Phi(1)
HAND_VALUES = [
    ("gelu", 0.0, 0.0),
    ("gelu", 1.0, GELU_1),
    ("gelu", -1.0, -(1.0 - GELU_1)),  # Phi(-1) = 1 - Phi(1)
    ("gelu", 2.0, 1.9544997361036416),  # 2 Phi(2)
    ("gelu_tanh", 0.0, 0.0),
    ("gelu_tanh", 1.0, 0.8411919906082768),
    ("silu", 0.0, 0.0),
    ("silu", LN3, 0.75 * LN3),  # sigma(ln 3) = 3/4
    ("silu", -LN3, -0.25 * LN3),
    ("mish", 0.0, 0.0),
    ("mish", 1.0, 0.8650983882673103),
    ("softplus", 0.0, LN2),
    ("softplus", LN3, math.log(4.0)),
    ("softplus", -LN3, math.log(4.0 / 3.0)),
    ("softsign", 1.0, 0.5),
    ("softsign", -3.0, -0.75),
    ("softsign", 0.0, 0.0),
    ("selu", -1.0, SELU_SCALE * SELU_ALPHA * (1.0 / E - 1.0)),
    ("selu", 2.0, 2.0 * SELU_SCALE),
    ("selu", 0.0, 0.0),
    ("celu", -1.0, 1.0 / E - 1.0),
    ("celu", 2.0, 2.0),
    ("hard_sigmoid", 0.0, 0.5),
    ("hard_sigmoid", 1.5, 0.75),
    ("hard_sigmoid", -3.0, 0.0),
    ("hard_sigmoid", 3.0, 1.0),
    ("hard_sigmoid", -10.0, 0.0),
    ("hard_sigmoid", 10.0, 1.0),
    ("hard_tanh", 0.5, 0.5),
    ("hard_tanh", -2.0, -1.0),
    ("hard_tanh", 2.0, 1.0),
    ("relu6", -1.0, 0.0),
    ("relu6", 3.0, 3.0),
    ("relu6", 7.0, 6.0),
    ("hard_swish", -4.0, 0.0),
    ("hard_swish", -3.0, 0.0),
    ("hard_swish", -1.5, -0.375),
    ("hard_swish", 1.0, 4.0 / 6.0),
    ("hard_swish", 3.0, 3.0),
    ("hard_swish", 5.0, 5.0),
    ("gaussian", 0.0, 1.0),
    ("gaussian", 1.0, 1.0 / E),
    ("gaussian", -2.0, E**-4),
    ("sine", math.pi / 2.0, 1.0),
    ("sine", math.pi / 6.0, 0.5),
    ("sine", 0.0, 0.0),
    ("step", -1.0, 0.0),
    ("step", 0.0, 0.0),
    ("step", 5e-324, 1.0),
    ("step", 2.0, 1.0),
]


@pytest.mark.parametrize(("key", "z", "expected"), HAND_VALUES)
def test_hand_values(key: str, z: float, expected: float) -> None:
    assert float(get_activation(key)(z)) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_selu_constants() -> None:
    # The literal decimals of the definition, and the closed forms of Klambauer et al. (2017)
    # for fixed point mean 0, variance 1.
    assert float(ALPHA_STR) == SELU_ALPHA
    assert float(SCALE_STR) == SELU_SCALE
    r, e = math.erfc(1.0 / math.sqrt(2.0)), math.e
    alpha = -math.sqrt(2.0 / math.pi) / (r * math.exp(0.5) - 1.0)
    inner = (
        2.0 * math.erfc(math.sqrt(2.0)) * e**2
        + math.pi * r**2 * e
        - 2.0 * (2.0 + math.pi) * r * math.sqrt(e)
        + math.pi
        + 2.0
    )
    scale = (1.0 - r * math.sqrt(e)) * math.sqrt(2.0 * math.pi) / math.sqrt(inner)
    assert alpha == pytest.approx(SELU_ALPHA, abs=1e-12)
    assert scale == pytest.approx(SELU_SCALE, abs=1e-12)


# ---- Derivatives -------------------------------------------------------------------------------

FD_STEP = 1e-5


def fd_grid(kinks: tuple[float, ...]) -> np.ndarray:
    """Points on [-8, 8] at least 0.02 from every kink (0.0123 offset: no point lands on one)."""
    x = np.linspace(-8.0, 8.0, 321) + 0.0123
    keep = np.all(np.abs(x[:, None] - np.array(kinks)[None, :]) > 0.02, axis=1)
    return x[keep]


KINKS = (-3.0, -1.0, 0.0, 1.0, 3.0, 6.0)


def central_difference(act: Activation, x: np.ndarray, **params: float) -> np.ndarray:
    return (act(x + FD_STEP, **params) - act(x - FD_STEP, **params)) / (2.0 * FD_STEP)


@pytest.mark.parametrize("key", ALL_KEYS)
def test_derivative_matches_central_differences(key: str) -> None:
    act, x = get_activation(key), fd_grid(KINKS)
    np.testing.assert_allclose(act.grad(x), central_difference(act, x), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(("key", "params"), OVERRIDES)
def test_derivative_with_parameters_matches_central_differences(
    key: str, params: dict[str, float]
) -> None:
    act, x = get_activation(key), fd_grid((*KINKS, -2.0, 0.5))
    numeric = central_difference(act, x, **params)
    np.testing.assert_allclose(act.grad(x, **params), numeric, rtol=1e-7, atol=1e-9)


def _sigma_d(v: float) -> float:
    return _sigma(v) * (1.0 - _sigma(v))


DERIVATIVE_REFERENCE: dict[str, Callable[[float], float]] = {
    "gelu": lambda v: (
        0.5 * (1.0 + math.erf(v / math.sqrt(2.0)))
        + v * math.exp(-v * v / 2) / math.sqrt(2 * math.pi)
    ),
    "silu": lambda v: _sigma(v) * (1.0 + v * (1.0 - _sigma(v))),
    "softplus": _sigma,
    "softsign": lambda v: 1.0 / (1.0 + abs(v)) ** 2,
    "gaussian": lambda v: -2.0 * v * math.exp(-v * v),
    "sine": math.cos,
}


@pytest.mark.parametrize("key", sorted(DERIVATIVE_REFERENCE))
def test_derivative_against_closed_form(key: str) -> None:
    expected = np.array([DERIVATIVE_REFERENCE[key](float(v)) for v in MODERATE])
    np.testing.assert_allclose(get_activation(key).grad(MODERATE), expected, rtol=1e-12, atol=1e-15)


# (key, z, params, derivative there): the value chosen where the derivative is undefined,
# matching PyTorch's autograd.
KINK_VALUES = [
    ("relu", 0.0, {}, 0.0),
    ("leaky_relu", 0.0, {}, 0.01),
    ("elu", 0.0, {"alpha": 2.0}, 2.0),
    ("selu", 0.0, {}, SELU_SCALE * SELU_ALPHA),
    ("celu", 0.0, {"alpha": 0.5}, 1.0),  # no kink: both sides have slope 1
    ("hard_sigmoid", -3.0, {}, 0.0),
    ("hard_sigmoid", 3.0, {}, 0.0),
    ("hard_tanh", -1.0, {}, 0.0),
    ("hard_tanh", 1.0, {}, 0.0),
    ("hard_tanh", -2.0, {"min_val": -2.0, "max_val": 0.5}, 0.0),
    ("hard_tanh", 0.5, {"min_val": -2.0, "max_val": 0.5}, 0.0),
    ("relu6", 0.0, {}, 0.0),
    ("relu6", 6.0, {}, 0.0),
    ("hard_swish", -3.0, {}, 0.0),
    ("hard_swish", 3.0, {}, 1.0),
    ("step", 0.0, {}, 0.0),
]


@pytest.mark.parametrize(("key", "z", "params", "slope"), KINK_VALUES)
def test_derivative_convention_at_kinks(
    key: str, z: float, params: dict[str, float], slope: float
) -> None:
    act = get_activation(key)
    assert float(act.grad(z, **params)) == pytest.approx(slope, rel=1e-15, abs=0.0)
    # And the chosen value lies between the one-sided slopes.
    h = 1e-7
    left = float((act(z, **params) - act(z - h, **params)) / h)
    right = float((act(z + h, **params) - act(z, **params)) / h)
    assert min(left, right) - 1e-6 <= slope <= max(left, right) + 1e-6


def test_step_derivative_is_zero_everywhere() -> None:
    assert np.all(get_activation("step").grad(np.concatenate([MODERATE, [0.0, -0.0]])) == 0.0)


def test_step_is_relu_derivative() -> None:
    z = np.concatenate([MODERATE, [0.0, -0.0, 5e-324, -5e-324]])
    np.testing.assert_array_equal(get_activation("step")(z), get_activation("relu").grad(z))


# ---- Stability ---------------------------------------------------------------------------------

TINY = 5e-324
EXTREME = np.array(
    [
        -1e6, -1e5, -1e3, -710.0, -709.0, -100.0, -50.0, -40.0, -38.0, -20.0, -3.0, -1.0, -1e-8,
        -1e-300, -TINY, -0.0, 0.0, TINY, 1e-300, 1e-8, 1.0, 3.0, 6.0, 20.0, 38.0, 40.0, 50.0,
        100.0, 709.0, 710.0, 1e3, 1e5, 1e6,
    ]
)  # fmt: skip

# Closed bounds of each function and derivative over all finite inputs (a little slack on the
# minima found numerically).
INF = math.inf
RANGES = {
    "sigmoid": ((0.0, 1.0), (0.0, 0.25)),
    "tanh": ((-1.0, 1.0), (0.0, 1.0)),
    "relu": ((0.0, INF), (0.0, 1.0)),
    "elu": ((-1.0, INF), (0.0, 1.0)),
    "leaky_relu": ((-INF, INF), (0.01, 1.0)),
    "linear": ((-INF, INF), (1.0, 1.0)),
    "gelu": ((-0.17, INF), (-0.129, 1.129)),  # min -0.16997 at z = -0.7518
    "gelu_tanh": ((-0.1701, INF), (-0.129, 1.129)),
    "silu": ((-0.2785, INF), (-0.0999, 1.0999)),  # min -0.27846 at z = -1.2785
    "mish": ((-0.3089, INF), (-0.1126, 1.0885)),  # min -0.30884 at z = -1.1924
    "softplus": ((0.0, INF), (0.0, 1.0)),
    "softsign": ((-1.0, 1.0), (0.0, 1.0)),
    "selu": ((-SELU_SCALE * SELU_ALPHA, INF), (0.0, SELU_SCALE * SELU_ALPHA)),
    "celu": ((-1.0, INF), (0.0, 1.0)),
    "hard_sigmoid": ((0.0, 1.0), (0.0, 1.0 / 6.0)),
    "hard_tanh": ((-1.0, 1.0), (0.0, 1.0)),
    "relu6": ((0.0, 6.0), (0.0, 1.0)),
    "hard_swish": ((-0.375, INF), (-0.5, 1.5)),  # min at z = -1.5
    "gaussian": ((0.0, 1.0), (-math.sqrt(2.0 / E), math.sqrt(2.0 / E))),  # at z = ∓1/sqrt 2
    "sine": ((-1.0, 1.0), (-1.0, 1.0)),
    "step": ((0.0, 1.0), (0.0, 0.0)),
}


def evaluate_strictly(act: Activation, z: np.ndarray, **params: float) -> tuple[np.ndarray, ...]:
    """f and f' with every warning an error and numpy raising on overflow, invalid, divide."""
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        return act(z, **params), act.grad(z, **params)


def in_range(y: np.ndarray, lo: float, hi: float) -> bool:
    slack = 4 * np.finfo(float).eps
    return bool(np.all((lo - slack * max(1.0, abs(lo)) <= y) & (y <= hi + slack * max(1.0, hi))))


@pytest.mark.parametrize("key", ALL_KEYS)
def test_stable_and_in_range_for_huge_and_tiny_inputs(key: str) -> None:
    act = get_activation(key)
    y, dy = evaluate_strictly(act, EXTREME)
    assert y.shape == dy.shape == EXTREME.shape
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))
    (lo, hi), (dlo, dhi) = RANGES[key]
    assert in_range(y, lo, hi) and in_range(dy, dlo, dhi)
    one_by_one = [float(act(v)) for v in EXTREME]
    np.testing.assert_array_equal(y, one_by_one)


HUGE = np.array([-np.finfo(float).max, -1e300, -1e154, 1e154, 1e300, np.finfo(float).max])


@pytest.mark.parametrize("key", ALL_KEYS)
def test_stable_for_every_finite_double_with_defaults(key: str) -> None:
    # SELU(z) = 1.0507 z itself exceeds the largest double for z > 1.71e308: stop short there.
    z = HUGE[np.abs(HUGE) <= 1e300] if key == "selu" else HUGE
    y, dy = evaluate_strictly(get_activation(key), z)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))


@pytest.mark.parametrize(("key", "params"), OVERRIDES)
def test_stable_with_parameters(key: str, params: dict[str, float]) -> None:
    y, dy = evaluate_strictly(get_activation(key), EXTREME, **params)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))


@pytest.mark.parametrize(
    ("key", "z", "expected", "slope"),
    [
        ("gelu", 1e6, 1e6, 1.0),
        ("gelu", -1e6, 0.0, 0.0),
        ("gelu_tanh", 1e6, 1e6, 1.0),
        ("gelu_tanh", -1e6, 0.0, 0.0),
        ("silu", 1e6, 1e6, 1.0),
        ("silu", -1e6, 0.0, 0.0),
        ("mish", 1e6, 1e6, 1.0),
        ("mish", -1e6, 0.0, 0.0),
        ("softplus", 1e6, 1e6, 1.0),
        ("softplus", -1e6, 0.0, 0.0),
        ("softsign", 1e6, 1.0 - 1e-6, 1e-12),
        ("softsign", -1e6, -1.0 + 1e-6, 1e-12),
        ("selu", 1e6, SELU_SCALE * 1e6, SELU_SCALE),
        ("selu", -1e6, -SELU_SCALE * SELU_ALPHA, 0.0),
        ("celu", -1e6, -1.0, 0.0),
        ("hard_sigmoid", 1e6, 1.0, 0.0),
        ("hard_tanh", -1e6, -1.0, 0.0),
        ("relu6", 1e6, 6.0, 0.0),
        ("hard_swish", 1e6, 1e6, 1.0),
        ("hard_swish", -1e6, 0.0, 0.0),
        ("gaussian", 1e6, 0.0, 0.0),
        ("gaussian", -1e6, 0.0, 0.0),
        ("step", 1e6, 1.0, 0.0),
    ],
)
def test_limits_far_out(key: str, z: float, expected: float, slope: float) -> None:
    act = get_activation(key)
    assert float(act(z)) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert float(act.grad(z)) == pytest.approx(slope, rel=1e-9, abs=1e-15)


def test_shape_is_kept_and_input_not_changed() -> None:
    z = np.arange(-6.0, 6.0).reshape(3, 4)
    before = z.copy()
    for key in ALL_KEYS:
        act = get_activation(key)
        assert np.shape(act(z)) == (3, 4)
        assert np.shape(act.grad(z)) == (3, 4)
        assert np.shape(act([1.0, -1.0])) == (2,)
    np.testing.assert_array_equal(z, before)


# ---- Hypothesis properties ---------------------------------------------------------------------

FINITE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
MOD = st.floats(min_value=-30.0, max_value=30.0, allow_nan=False)
VECTORS = st.lists(FINITE, min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(VECTORS, st.sampled_from(ALL_KEYS))
def test_finite_and_in_range_everywhere(values: list[float], key: str) -> None:
    z = np.array(values)
    y, dy = evaluate_strictly(get_activation(key), z)
    (lo, hi), (dlo, dhi) = RANGES[key]
    assert np.all(np.isfinite(y)) and in_range(y, lo, hi)
    assert np.all(np.isfinite(dy)) and in_range(dy, dlo, dhi)


MONOTONIC = (
    "softplus",
    "softsign",
    "selu",
    "celu",
    "hard_sigmoid",
    "hard_tanh",
    "relu6",
    "step",
)


@settings(max_examples=200, deadline=None)
@given(VECTORS, st.sampled_from(MONOTONIC))
def test_monotonic_ones_never_decrease(values: list[float], key: str) -> None:
    z = np.sort(np.array(values))
    y, dy = evaluate_strictly(get_activation(key), z)
    assert np.all(np.diff(y) >= 0)
    assert np.all(dy >= 0)


def test_non_monotonic_ones_do_decrease_somewhere() -> None:
    for key in ("gelu", "gelu_tanh", "silu", "mish", "hard_swish", "gaussian", "sine"):
        assert np.any(np.diff(get_activation(key)(MODERATE)) < 0), key


@settings(max_examples=200, deadline=None)
@given(FINITE, st.sampled_from(("softsign", "tanh", "sine", "hard_tanh", "linear")))
def test_odd_functions(v: float, key: str) -> None:
    act = get_activation(key)
    assert float(act(-v)) == -float(act(v))
    assert float(act.grad(-v)) == float(act.grad(v))  # an odd function has an even derivative


@settings(max_examples=200, deadline=None)
@given(FINITE)
def test_gaussian_is_even(v: float) -> None:
    g = get_activation("gaussian")
    assert float(g(-v)) == float(g(v))
    assert float(g.grad(-v)) == -float(g.grad(v))


@settings(max_examples=200, deadline=None)
@given(FINITE)
def test_bounds(v: float) -> None:
    assert 0.0 <= float(get_activation("hard_sigmoid")(v)) <= 1.0
    assert 0.0 <= float(get_activation("relu6")(v)) <= 6.0
    assert -1.0 < float(get_activation("softsign")(v)) < 1.0
    assert 0.0 <= float(get_activation("gaussian")(v)) <= 1.0
    assert float(get_activation("step")(v)) in (0.0, 1.0)
    assert float(get_activation("softplus")(v)) >= max(v, 0.0)


@settings(max_examples=200, deadline=None)
@given(MOD)
def test_gates_minus_their_mirror_give_z(v: float) -> None:
    # g(z) = z s(z) with s(z) + s(-z) = 1 (Phi, sigma) gives g(z) - g(-z) = z; softplus likewise.
    for key in ("gelu", "gelu_tanh", "silu", "softplus"):
        act = get_activation(key)
        assert float(act(v)) - float(act(-v)) == pytest.approx(v, rel=1e-12, abs=1e-12), key


@settings(max_examples=200, deadline=None)
@given(MOD)
def test_identities_between_activations(v: float) -> None:
    a = get_activation
    z = np.array([v])
    np.testing.assert_allclose(a("silu")(z), z * a("sigmoid")(z), rtol=1e-15)
    np.testing.assert_allclose(a("softplus").grad(z), a("sigmoid")(z), rtol=1e-15)
    np.testing.assert_allclose(a("hard_swish")(z), z * a("hard_sigmoid")(z), rtol=1e-15)
    np.testing.assert_array_equal(a("relu6")(z), a("hard_tanh")(z, min_val=0.0, max_val=6.0))
    np.testing.assert_allclose(a("celu")(z), a("elu")(z), rtol=1e-15)  # alpha = 1 both
    np.testing.assert_allclose(a("selu")(z), SELU_SCALE * a("elu")(z, alpha=SELU_ALPHA), rtol=1e-15)


@settings(max_examples=200, deadline=None)
@given(VECTORS, st.sampled_from([k for k in ALL_KEYS if ACTIVATIONS[k].param_ranges]), st.data())
def test_finite_for_any_parameter_in_its_slider_range(
    values: list[float], key: str, data: st.DataObject
) -> None:
    act = get_activation(key)
    params = {
        r.name: data.draw(st.floats(min_value=r.lo, max_value=r.hi), label=r.name)
        for r in act.param_ranges
    }
    y, dy = evaluate_strictly(act, np.array(values), **params)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))


# ---- Parameters ----------------------------------------------------------------------------------


def test_default_parameters() -> None:
    defaults = {k: dict(a.params) for k, a in ACTIVATIONS.items() if a.params}
    assert defaults == {
        "elu": {"alpha": 1.0},
        "leaky_relu": {"slope": 0.01},
        "softplus": {"beta": 1.0},
        "celu": {"alpha": 1.0},
        "hard_tanh": {"min_val": -1.0, "max_val": 1.0},
    }


def test_parameters_can_be_overridden_and_do_not_stick() -> None:
    elu, leaky, celu, softplus = (
        get_activation(k) for k in ("elu", "leaky_relu", "celu", "softplus")
    )
    hard_tanh = get_activation("hard_tanh")
    assert float(elu(-1.0, alpha=2.0)) == pytest.approx(2.0 * (1.0 / E - 1.0), rel=1e-12)
    assert float(elu.grad(-1.0, alpha=2.0)) == pytest.approx(2.0 / E, rel=1e-12)
    assert float(leaky(-2.0, slope=0.2)) == pytest.approx(-0.4, rel=1e-12)
    assert float(leaky.grad(-2.0, slope=0.2)) == pytest.approx(0.2, rel=1e-12)
    assert float(celu(-1.0, alpha=0.5)) == pytest.approx(0.5 * (E**-2 - 1.0), rel=1e-12)
    assert float(celu.grad(-1.0, alpha=0.5)) == pytest.approx(E**-2, rel=1e-12)
    assert float(celu(2.0, alpha=0.5)) == 2.0
    assert float(softplus(0.0, beta=2.0)) == pytest.approx(LN2 / 2.0, rel=1e-12)
    assert float(softplus(1.0, beta=2.0)) == pytest.approx(math.log(1.0 + E**2) / 2.0, rel=1e-12)
    assert float(softplus.grad(0.0, beta=2.0)) == pytest.approx(0.5, rel=1e-12)
    assert float(softplus.grad(1.0, beta=2.0)) == pytest.approx(1.0 / (1.0 + E**-2), rel=1e-12)
    assert float(hard_tanh(-5.0, min_val=-2.0, max_val=0.5)) == -2.0
    assert float(hard_tanh(5.0, min_val=-2.0, max_val=0.5)) == 0.5
    assert float(hard_tanh(-1.5, min_val=-2.0, max_val=0.5)) == -1.5
    assert float(hard_tanh(5.0, max_val=2.0)) == 2.0  # one parameter alone
    # The defaults apply again afterwards.
    assert float(elu(-1.0)) == pytest.approx(1.0 / E - 1.0, rel=1e-12)
    assert float(leaky(-2.0)) == pytest.approx(-0.02, rel=1e-12)
    assert float(celu(-1.0)) == pytest.approx(1.0 / E - 1.0, rel=1e-12)
    assert float(softplus(0.0)) == pytest.approx(LN2, rel=1e-12)
    assert float(hard_tanh(5.0)) == 1.0


@pytest.mark.parametrize(
    ("key", "params"),
    [
        ("celu", {"alpha": 0.0}),
        ("celu", {"alpha": -1.0}),
        ("softplus", {"beta": 0.0}),
        ("hard_tanh", {"min_val": 1.0, "max_val": -1.0}),
    ],
)
def test_invalid_parameters_are_refused(key: str, params: dict[str, float]) -> None:
    act = get_activation(key)
    with pytest.raises(ValueError):
        act(0.5, **params)
    with pytest.raises(ValueError):
        act.grad(0.5, **params)


PARAMETRISED = ("elu", "leaky_relu", "softplus", "celu", "hard_tanh")


def test_every_parametrised_activation_declares_slider_ranges() -> None:
    for key, act in ACTIVATIONS.items():
        ranges = act.param_ranges
        assert bool(ranges) == (key in PARAMETRISED), key
        assert {r.name: r.default for r in ranges} == dict(act.params), key
        for r in ranges:
            assert r.lo <= r.default <= r.hi and r.lo < r.hi and r.step > 0
            steps = (r.default - r.lo) / r.step  # the default is a slider position
            assert steps == pytest.approx(round(steps), abs=1e-9), (key, r)
            span = (r.hi - r.lo) / r.step
            assert span == pytest.approx(round(span), abs=1e-9), (key, r)
    # Parameters that must stay positive cannot be slid to 0.
    assert ACTIVATIONS["celu"].param_ranges[0].lo > 0
    assert ACTIVATIONS["softplus"].param_ranges[0].lo > 0
    lo, hi = ACTIVATIONS["hard_tanh"].param_ranges
    assert lo.hi < hi.lo


def test_selu_constants_are_not_parameters() -> None:
    assert dict(get_activation("selu").params) == {}


def test_param_range_is_validated() -> None:
    with pytest.raises(ValueError):
        ParamRange("alpha", 5.0, 0.0, 3.0, 0.1)
    with pytest.raises(ValueError):
        ParamRange("alpha", 1.0, 0.0, 3.0, 0.0)


def test_activation_constructor_order_still_works() -> None:
    f = get_activation("elu").f
    d = get_activation("elu").derivative
    plain = Activation("x", "X", f, d, "x", {"alpha": 1.0})  # the original six fields
    assert plain.param_ranges == ()
    assert float(plain(-1.0)) == pytest.approx(1.0 / E - 1.0)
    with pytest.raises(ValueError):
        Activation("x", "X", f, d, "x", {"alpha": 1.0}, (ParamRange("beta", 1.0, 0.0, 2.0, 0.1),))


# ---- Registry ----------------------------------------------------------------------------------


def test_catalogue_order() -> None:
    assert CATALOGUE_ORDER == ALL_KEYS
    assert tuple(ACTIVATIONS) == CATALOGUE_ORDER
    assert GALLERY_ORDER == NOTEBOOK
    assert CATALOGUE_ORDER[0] == "sigmoid"  # the default
    assert len(set(CATALOGUE_ORDER)) == len(CATALOGUE_ORDER)
    for key, act in ACTIVATIONS.items():
        assert act.key == key and act.name


def test_unknown_key_lists_the_new_ones() -> None:
    with pytest.raises(KeyError) as info:
        get_activation("swish")
    for key in NEW:
        assert key in str(info.value)


def _braces_balance(tex: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


PIECEWISE = ("elu", "leaky_relu", "selu", "celu", "hard_sigmoid", "hard_tanh", "hard_swish", "step")


@pytest.mark.parametrize("key", ALL_KEYS)
def test_latex_is_well_formed(key: str) -> None:
    tex = ACTIVATIONS[key].latex
    assert tex and "$" not in tex  # the view wraps it in $$...$$
    assert _braces_balance(tex)
    assert tex.count(r"\left") == tex.count(r"\right")
    assert tex.count(r"\begin{cases}") == tex.count(r"\end{cases}") == (key in PIECEWISE)


def test_model_imports_neither_dash_plotly_nor_pandas() -> None:
    code = (
        "import sys, dashboard.model.activations; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dash', 'plotly', 'pandas'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
