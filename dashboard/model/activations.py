"""Activation functions and their derivatives, as one registry of small pure functions.

Every function is vectorised and numerically stable: for any finite input it returns finite
values without overflow warnings (no bare ``np.exp`` of a large positive number anywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Fn = Callable[..., Array]


@dataclass(frozen=True)
class Activation:
    """One activation: its function, derivative, default parameters and LaTeX formula.

    ``f(z, **params)`` and ``derivative(z, **params)`` take an array of pre-activations of any
    shape and return an array of the same shape.
    """

    key: str
    name: str
    f: Fn
    derivative: Fn
    latex: str
    params: Mapping[str, float] = field(default_factory=dict)

    def __call__(self, z: ArrayLike, **params: float) -> Array:
        return self.f(np.asarray(z, dtype=float), **{**self.params, **params})

    def grad(self, z: ArrayLike, **params: float) -> Array:
        """Derivative dA/dz at ``z``."""
        return self.derivative(np.asarray(z, dtype=float), **{**self.params, **params})


def _linear(z: Array) -> Array:
    return z.copy()


def _linear_d(z: Array) -> Array:
    return np.ones_like(z)


def _sigmoid(z: Array) -> Array:
    # exp(-|z|) never overflows; pick the algebraically equal form that divides by >= 1.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_d(z: Array) -> Array:
    # sigma'(z) = e^{-|z|} / (1 + e^{-|z|})^2 is even in z and keeps tiny slopes far from 0.
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_d(z: Array) -> Array:
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_d(z: Array) -> Array:
    # Not differentiable at 0; like the common frameworks we take the left derivative there.
    return (z > 0).astype(float)


def _elu(z: Array, alpha: float) -> Array:
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def _elu_d(z: Array, alpha: float) -> Array:
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def _leaky_relu(z: Array, slope: float) -> Array:
    return np.where(z > 0, z, slope * z)


def _leaky_relu_d(z: Array, slope: float) -> Array:
    return np.where(z > 0, 1.0, slope)


_ALL = (
    Activation("sigmoid", "Sigmoid", _sigmoid, _sigmoid_d, r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
    Activation("tanh", "TanH", _tanh, _tanh_d, r"\tanh z = \frac{2}{1 + e^{-2z}} - 1"),
    Activation("relu", "ReLU", _relu, _relu_d, r"\mathrm{ReLU}(z) = \max(0, z)"),
    Activation(
        "elu",
        "ELU",
        _elu,
        _elu_d,
        r"\mathrm{ELU}(z) = \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}",
        MappingProxyType({"alpha": 1.0}),
    ),
    Activation(
        "leaky_relu",
        "Leaky ReLU",
        _leaky_relu,
        _leaky_relu_d,
        r"\mathrm{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases}",
        MappingProxyType({"slope": 0.01}),
    ),
    Activation("linear", "Linear", _linear, _linear_d, r"A(z) = z"),
)

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({a.key: a for a in _ALL})
"""Every activation by key, in display order: the notebook's five first, then the rest."""

GALLERY_ORDER: tuple[str, ...] = ("sigmoid", "tanh", "relu", "elu", "leaky_relu")
"""The notebook's five activations, in the order its dropdowns list them."""


def get_activation(key: str) -> Activation:
    """Look an activation up by key, with a message listing the known keys if it is unknown."""
    try:
        return ACTIVATIONS[key]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {key!r}; known: {known}") from None
