"""The activation catalogue: every activation by key, with its formula, defaults and ranges.

The functions themselves live in :mod:`dashboard.model.activation_functions`. Defaults follow
PyTorch's documentation; where Keras documents a different default, a comment says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model import activation_functions as fn
from dashboard.model.activation_functions import SELU_ALPHA, SELU_SCALE, Array

__all__ = [
    "ACTIVATIONS",
    "CATALOGUE_ORDER",
    "GALLERY_ORDER",
    "SELU_ALPHA",
    "SELU_SCALE",
    "Activation",
    "Array",
    "Fn",
    "ParamRange",
    "get_activation",
]

Fn = Callable[..., Array]


@dataclass(frozen=True)
class ParamRange:
    """One user-tunable parameter: its default and a sensible slider range for a UI control."""

    name: str
    default: float
    lo: float
    hi: float
    step: float

    def __post_init__(self) -> None:
        if not (self.lo <= self.default <= self.hi) or self.step <= 0:
            raise ValueError(f"bad range for {self.name!r}: {self}")


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
    param_ranges: tuple[ParamRange, ...] = ()
    """Slider ranges of the user-tunable parameters; when given, they declare exactly ``params``."""
    value_and_derivative: Fn | None = None
    """Optional ``(f(z), derivative(z))`` from one pass, sharing the work (tanh's slope is
    1 − tanh²): the same values as ``f`` and ``derivative`` to the last bit (a test checks)."""

    def __post_init__(self) -> None:
        declared = {r.name: r.default for r in self.param_ranges}
        if self.param_ranges and declared != dict(self.params):
            given = dict(self.params)
            raise ValueError(f"{self.key}: param_ranges {declared} do not match params {given}")

    def __call__(self, z: ArrayLike, **params: float) -> Array:
        return self.f(np.asarray(z, dtype=float), **{**self.params, **params})

    def grad(self, z: ArrayLike, **params: float) -> Array:
        """Derivative dA/dz at ``z``."""
        return self.derivative(np.asarray(z, dtype=float), **{**self.params, **params})

    def value_and_grad(self, z: ArrayLike, **params: float) -> tuple[Array, Array]:
        """``(A(z), A'(z))``, in one pass where the activation shares work between them."""
        z = np.asarray(z, dtype=float)
        merged = {**self.params, **params}
        if self.value_and_derivative is not None:
            return self.value_and_derivative(z, **merged)
        return self.f(z, **merged), self.derivative(z, **merged)


_ALL = (
    Activation("sigmoid", "Sigmoid", fn.sigmoid, fn.sigmoid_d, r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
    Activation(
        "tanh",
        "TanH",
        fn.tanh,
        fn.tanh_d,
        r"\tanh z = \frac{2}{1 + e^{-2z}} - 1",
        value_and_derivative=fn.tanh_both,
    ),
    Activation("relu", "ReLU", fn.relu, fn.relu_d, r"\mathrm{ReLU}(z) = \max(0, z)"),
    Activation(
        "elu",
        "ELU",
        fn.elu,
        fn.elu_d,
        r"\mathrm{ELU}(z) = \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}",
        MappingProxyType({"alpha": 1.0}),  # PyTorch and Keras agree
        (ParamRange("alpha", 1.0, 0.0, 3.0, 0.05),),
    ),
    Activation(
        "leaky_relu",
        "Leaky ReLU",
        fn.leaky_relu,
        fn.leaky_relu_d,
        r"\mathrm{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases}",
        MappingProxyType({"slope": 0.01}),  # PyTorch; Keras differs (see leaky_relu)
        (ParamRange("slope", 0.01, 0.0, 0.5, 0.01),),
    ),
    Activation("linear", "Linear", fn.linear, fn.linear_d, r"A(z) = z"),
    Activation(
        "gelu",
        "GELU",
        fn.gelu,
        fn.gelu_d,
        r"\mathrm{GELU}(z) = z\,\Phi(z) = "
        r"\frac{z}{2}\left(1 + \mathrm{erf}\frac{z}{\sqrt{2}}\right)",
        value_and_derivative=fn.gelu_both,
    ),
    Activation(
        "gelu_tanh",
        "GELU (tanh approximation)",
        fn.gelu_tanh,
        fn.gelu_tanh_d,
        r"\mathrm{GELU}_{\tanh}(z) = \frac{z}{2}\left(1 + "
        r"\tanh\left(\sqrt{2/\pi}\,\left(z + 0.044715\,z^{3}\right)\right)\right)",
    ),
    Activation(
        "silu",
        "SiLU (Swish)",
        fn.silu,
        fn.silu_d,
        r"\mathrm{SiLU}(z) = z\,\sigma(z) = \frac{z}{1 + e^{-z}}",
        value_and_derivative=fn.silu_both,
    ),
    Activation(
        "mish",
        "Mish",
        fn.mish,
        fn.mish_d,
        r"\mathrm{Mish}(z) = z \tanh\left(\ln\left(1 + e^{z}\right)\right)",
    ),
    Activation(
        "softplus",
        "Softplus",
        fn.softplus,
        fn.softplus_d,
        r"\mathrm{Softplus}(z) = \frac{1}{\beta} \ln\left(1 + e^{\beta z}\right)",
        MappingProxyType({"beta": 1.0}),  # PyTorch; Keras has no beta (its softplus is beta = 1)
        (ParamRange("beta", 1.0, 0.1, 5.0, 0.1),),
    ),
    Activation(
        "softsign",
        "Softsign",
        fn.softsign,
        fn.softsign_d,
        r"\mathrm{Softsign}(z) = \frac{z}{1 + |z|}",
    ),
    Activation(
        "selu",
        "SELU",
        fn.selu,
        fn.selu_d,
        r"\mathrm{SELU}(z) = \lambda \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 "
        r"\end{cases}, \quad \alpha \approx 1.6733,\ \lambda \approx 1.0507",
    ),
    Activation(
        "celu",
        "CELU",
        fn.celu,
        fn.celu_d,
        r"\mathrm{CELU}(z) = \begin{cases} z & z > 0 \\ "
        r"\alpha \left(e^{z/\alpha} - 1\right) & z \le 0 \end{cases}",
        MappingProxyType({"alpha": 1.0}),
        (ParamRange("alpha", 1.0, 0.1, 3.0, 0.05),),
    ),
    Activation(
        "hard_sigmoid",
        "Hard sigmoid",
        fn.hard_sigmoid,
        fn.hard_sigmoid_d,
        r"\mathrm{HardSigmoid}(z) = \begin{cases} 0 & z \le -3 \\ "
        r"\frac{z}{6} + \frac{1}{2} & -3 < z < 3 \\ 1 & z \ge 3 \end{cases}",
    ),
    Activation(
        "hard_tanh",
        "Hard tanh",
        fn.hard_tanh,
        fn.hard_tanh_d,
        r"\mathrm{HardTanh}(z) = \begin{cases} z_{\min} & z < z_{\min} \\ "
        r"z & z_{\min} \le z \le z_{\max} \\ z_{\max} & z > z_{\max} \end{cases}",
        MappingProxyType({"min_val": -1.0, "max_val": 1.0}),  # PyTorch's names and defaults
        (ParamRange("min_val", -1.0, -3.0, -0.1, 0.1), ParamRange("max_val", 1.0, 0.1, 3.0, 0.1)),
    ),
    Activation("relu6", "ReLU6", fn.relu6, fn.relu6_d, r"\mathrm{ReLU6}(z) = \min(\max(0, z), 6)"),
    Activation(
        "hard_swish",
        "Hard swish",
        fn.hard_swish,
        fn.hard_swish_d,
        r"\mathrm{HardSwish}(z) = \begin{cases} 0 & z \le -3 \\ "
        r"\frac{z (z + 3)}{6} & -3 < z < 3 \\ z & z \ge 3 \end{cases}",
    ),
    Activation("gaussian", "Gaussian", fn.gaussian, fn.gaussian_d, r"G(z) = e^{-z^{2}}"),
    Activation("sine", "Sine", fn.sine, fn.sine_d, r"A(z) = \sin z"),
    Activation(
        "step",
        "Binary step",
        fn.step,
        fn.step_d,
        r"H(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
    ),
)

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({a.key: a for a in _ALL})
"""Every activation by key, in display order: the notebook's five first, then the rest."""

GALLERY_ORDER: tuple[str, ...] = ("sigmoid", "tanh", "relu", "elu", "leaky_relu")
"""The notebook's five activations, in the order its dropdowns list them."""

CATALOGUE_ORDER: tuple[str, ...] = tuple(ACTIVATIONS)
"""Every key in display order: the notebook's five, then linear, then the further activations."""


def get_activation(key: str) -> Activation:
    """Look an activation up by key, with a message listing the known keys if it is unknown."""
    try:
        return ACTIVATIONS[key]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {key!r}; known: {known}") from None
