"""The spec's formulas and defaults, written out apart from ``dashboard.model``.

The browser tests check what Plotly drew against these, so a wrong formula, a wrong parameter
wiring or a wrong grid in the app makes them fail. Plotted y values travel as float32, so
they are compared with a float32 tolerance (:func:`assert_numbers`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def tanh(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 2.0 / (1.0 + np.exp(-2.0 * z)) - 1.0


def relu(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, z, 0.0)


def elu(z: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    return np.where(z >= 0, z, alpha * (np.exp(np.minimum(z, 0.0)) - 1.0))


def leaky_relu(z: np.ndarray) -> np.ndarray:
    return np.where(z > 0, z, 0.01 * z)


ACT = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "elu": elu, "leaky_relu": leaky_relu}


def square2_output(x: np.ndarray, act: Callable, p: dict[str, float]) -> np.ndarray:
    a1 = act(x * p["w1"] + p["b1"])
    a2 = act(x * p["w2"] + p["b2"])
    return a1 * p["w3"] + a2 * p["w4"] + p["b3"]


def sin3_output(x: np.ndarray, act: Callable, p: dict[str, float]) -> np.ndarray:
    a1 = act(x * p["w1"] + p["b1"])
    a2 = act(x * p["w2"] + p["b2"])
    a3 = act(x * p["w3"] + p["b3"])
    return a1 * p["w4"] + a2 * p["w5"] + a3 * p["w6"] + p["b4"]


def deep_output(x: np.ndarray, act: Callable, p: dict[str, float]) -> np.ndarray:
    a11 = act(x * p["w11"] + p["b11"])
    a12 = act(x * p["w12"] + p["b12"])
    a13 = act(x * p["w13"] + p["b13"])
    a21 = act(a11 * p["w21"] + a12 * p["w22"] + a13 * p["w23"] + p["b21"])
    a22 = act(a11 * p["w24"] + a12 * p["w25"] + a13 * p["w26"] + p["b22"])
    a23 = act(a11 * p["w27"] + a12 * p["w28"] + a13 * p["w29"] + p["b23"])
    return p["w31"] * a21 + p["w32"] * a22 + p["w33"] * a23 + p["b3"]


SQUARE2_DEFAULTS = {"w1": 0.31, "w2": -0.31, "b1": -3.59, "b2": -3.59, "b3": -11.5}
SQUARE2_DEFAULTS |= {"w3": 300.0, "w4": 300.0}
SIN3_DEFAULTS = {"w1": 1.35, "w2": -1.35, "w3": 1.0, "w4": 1.0, "w5": 1.0, "w6": 1.0}
SIN3_DEFAULTS |= {"b1": -2.5, "b2": -2.5, "b3": -1.5, "b4": -1.5}
DEEP_NAMES = [f"w1{j}" for j in (1, 2, 3)] + [f"b1{j}" for j in (1, 2, 3)]
DEEP_NAMES += [f"w2{j}" for j in range(1, 10)] + [f"b2{j}" for j in (1, 2, 3)]
DEEP_NAMES += ["w31", "w32", "w33", "b3"]
DEEP_DEFAULTS = dict.fromkeys(DEEP_NAMES, 1.0)

# The spec's preset table (Sigmoid w2 shipped as -0.30, see the spec).
PRESETS = {
    "sigmoid": {"w1": 0.30, "b1": -3.45, "w2": -0.30, "b2": -3.45, "w3": 300.0, "b3": -11.5},
    "tanh": {"w1": 0.66, "b1": -0.90, "w2": -0.66, "b2": -0.90, "w3": 5.0, "b3": 7.0},
}
PRESETS["sigmoid"]["w4"] = 300.0
PRESETS["tanh"]["w4"] = 5.0
PRESET_ROWS = {"sigmoid": 0, "tanh": 1, "relu": 2, "elu": 3, "leaky_relu": 4}


def assert_numbers(actual: list[float], expected: np.ndarray, what: str) -> None:
    """Equal within float32 rounding (y is sent as float32), absolute near zero crossings."""
    actual_arr = np.asarray(actual, dtype=float)
    assert actual_arr.shape == expected.shape, f"{what}: {actual_arr.shape} != {expected.shape}"
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(actual_arr, expected, rtol=2e-6, atol=1e-6 * scale, err_msg=what)


def assert_exact(actual: list[float], expected: np.ndarray, what: str) -> None:
    """Equal to the last bit: x values are sent as float64."""
    np.testing.assert_array_equal(np.asarray(actual, dtype=float), expected, err_msg=what)
