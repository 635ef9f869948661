"""Activation functions and their derivatives, as one registry of small pure functions.

Every function is vectorised and numerically stable: with its default parameters, for any
finite input whose value is a finite double (SELU's 1.0507 z is not, beyond 1.71e308) it returns
finite values without overflow warnings (no bare ``np.exp`` of a large positive number
anywhere), and so it does for |z| <= 1e6 with any parameter in its slider range.

Defaults follow PyTorch's documentation; where Keras documents a different default, a comment
says so. Where a function has a kink, its derivative there takes the value PyTorch's autograd
returns at that point, and a comment says which one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import erfc, expit

Array = NDArray[np.float64]
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


def _linear(z: Array) -> Array:
    return z.copy()


def _linear_d(z: Array) -> Array:
    return np.ones_like(z)


def _sigmoid(z: Array) -> Array:
    # scipy's expit is the logistic function as one stable ufunc: no overflow for any finite z,
    # and about three times faster than the two-branch NumPy form it replaces.
    return expit(z)


def _sigmoid_d(z: Array) -> Array:
    # sigma'(z) = e^{-|z|} / (1 + e^{-|z|})^2 is even in z and keeps tiny slopes far from 0.
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_d(z: Array) -> Array:
    t = np.tanh(z)
    return 1.0 - t * t


def _tanh_both(z: Array) -> tuple[Array, Array]:
    t = np.tanh(z)
    return t, 1.0 - t * t


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_d(z: Array) -> Array:
    # Not differentiable at 0; like the common frameworks we take the left derivative there.
    return (z > 0).astype(float)


def _elu(z: Array, alpha: float) -> Array:
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def _elu_d(z: Array, alpha: float) -> Array:
    # At 0 the left piece's alpha * e^0 = alpha, as PyTorch's elu_backward (its z <= 0 branch).
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


# Default slope 0.01 is PyTorch's (negative_slope); Keras differs: the keras.layers.LeakyReLU layer
# defaults to negative_slope=0.3 (alpha=0.3 in Keras 2), keras.activations.leaky_relu to 0.2.
def _leaky_relu(z: Array, slope: float) -> Array:
    return np.where(z > 0, z, slope * z)


def _leaky_relu_d(z: Array, slope: float) -> Array:
    # At 0 the slope of the left piece, as PyTorch's leaky_relu_backward (z > 0 ? 1 : slope).
    return np.where(z > 0, 1.0, slope)


# ---- Smooth gates: x times a soft step -------------------------------------------------------

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GAUSS_TAIL = 40.0
"""Beyond |z| = 40 the normal density e^{-z^2/2} is exactly 0 in doubles (e^{-800} underflows)."""


def _normal_cdf(z: Array) -> Array:
    # Phi(z) = erfc(-z / sqrt 2) / 2: unlike (1 + erf(z / sqrt 2)) / 2 it keeps the far-left tail.
    return 0.5 * erfc(-_SQRT_HALF * z)


def _normal_pdf(z: Array) -> Array:
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)  # keeps z^2 finite for any finite z; same values
    return _INV_SQRT_2PI * np.exp(-0.5 * zc * zc)


# GELU: PyTorch approximate="none" and Keras keras.activations.gelu approximate=False by default.
def _gelu(z: Array) -> Array:
    return z * _normal_cdf(z)


def _gelu_d(z: Array) -> Array:
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)  # the density is 0 beyond, so z * pdf is 0 there
    return _normal_cdf(z) + zc * _normal_pdf(zc)


def _gelu_both(z: Array) -> tuple[Array, Array]:
    cdf = _normal_cdf(z)
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)
    return z * cdf, cdf + zc * _normal_pdf(zc)


_GELU_C = math.sqrt(2.0 / math.pi)
_GELU_A = 0.044715
_GELU_TAIL = 100.0
"""Beyond |z| = 100 the gate sigma(2u) is exactly 0 or 1 (|2u| > 7e4); clipping keeps z^3 finite."""


def _gelu_tanh_u2(z: Array) -> tuple[Array, Array]:
    """2u = 2 sqrt(2/pi) (z + a z^3) on clipped z, and the clipped z itself."""
    zc = np.clip(z, -_GELU_TAIL, _GELU_TAIL)
    return 2.0 * _GELU_C * (zc + _GELU_A * zc * zc * zc), zc


# PyTorch approximate="tanh". (1 + tanh u) / 2 = sigma(2u), which does not cancel to 0 far left.
def _gelu_tanh(z: Array) -> Array:
    u2, _ = _gelu_tanh_u2(z)
    return z * _sigmoid(u2)


def _gelu_tanh_d(z: Array) -> Array:
    # d/dz z sigma(2u) = sigma(2u) + z sigma'(2u) 2u', with 2u' = 2 sqrt(2/pi) (1 + 3a z^2).
    u2, zc = _gelu_tanh_u2(z)
    du2 = 2.0 * _GELU_C * (1.0 + 3.0 * _GELU_A * zc * zc)
    return _sigmoid(u2) + zc * _sigmoid_d(u2) * du2


def _silu(z: Array) -> Array:
    return z * _sigmoid(z)


def _silu_d(z: Array) -> Array:
    # sigma + z sigma (1 - sigma) = sigma(z) + z sigma'(z); sigma' is tiny, not 0 - 0, far out.
    return _sigmoid(z) + z * _sigmoid_d(z)


def _silu_both(z: Array) -> tuple[Array, Array]:
    s = _sigmoid(z)
    return z * s, s + z * _sigmoid_d(z)


def _sech2_nonneg(s: Array) -> Array:
    """sech^2 s = 4 e^{-2s} / (1 + e^{-2s})^2 for s >= 0: no 1 - tanh^2 cancellation."""
    e = np.exp(-2.0 * np.minimum(s, 400.0))  # e^{-800} is 0 already; keeps 2s finite
    return 4.0 * e / (1.0 + e) ** 2


def _mish(z: Array) -> Array:
    return z * np.tanh(_softplus(z, 1.0))


def _mish_d(z: Array) -> Array:
    # tanh(sp) + z sech^2(sp) sigma(z), with sp = softplus(z) >= 0 and sp' = sigma.
    sp = _softplus(z, 1.0)
    return np.tanh(sp) + z * _sech2_nonneg(sp) * _sigmoid(z)


# Softplus: PyTorch beta=1, threshold=20 (Keras has neither parameter). PyTorch returns z itself
# once beta z > threshold; this exact form differs from that by at most ln(1 + e^-20) ~ 2e-9.
def _softplus(z: Array, beta: float) -> Array:
    if beta <= 0:
        raise ValueError(f"softplus needs beta > 0, got {beta}")
    bz = beta * z
    # ln(1 + e^{bz}) = ln(1 + e^{-|bz|}) + max(bz, 0): the exponent is never positive.
    return (np.log1p(np.exp(-np.abs(bz))) + np.maximum(bz, 0.0)) / beta


def _softplus_d(z: Array, beta: float) -> Array:
    if beta <= 0:
        raise ValueError(f"softplus needs beta > 0, got {beta}")
    return _sigmoid(beta * z)


def _softsign(z: Array) -> Array:
    return z / (1.0 + np.abs(z))


def _softsign_d(z: Array) -> Array:
    r = 1.0 / (1.0 + np.abs(z))  # squaring r, not (1 + |z|), cannot overflow
    return r * r


# ---- Exponential linear units -------------------------------------------------------------------

# Fixed constants of SELU (Klambauer et al. 2017), as PyTorch and Keras use them; not user
# parameters: they are what makes the activations self-normalising.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _selu(z: Array) -> Array:
    return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def _selu_d(z: Array) -> Array:
    # Kink at 0: scale * alpha there (the left piece), as PyTorch (selu is elu; z <= 0 branch).
    return SELU_SCALE * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0.0)))


# CELU: PyTorch and Keras 3 both default alpha = 1 (then CELU equals ELU). Smooth at 0 for any
# alpha > 0: both pieces have slope 1 there. alpha <= 0 is refused (PyTorch refuses 0).
def _celu_check(alpha: float) -> None:
    if alpha <= 0:
        raise ValueError(f"celu needs alpha > 0, got {alpha}")


def _celu(z: Array, alpha: float) -> Array:
    _celu_check(alpha)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0) / alpha))


def _celu_d(z: Array, alpha: float) -> Array:
    _celu_check(alpha)
    return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0) / alpha))


# ---- Piecewise linear ("hard") functions ---------------------------------------------------------


# PyTorch's Hardsigmoid relu6(z + 3) / 6: 0 below -3, 1 above 3. Keras 3 keras.activations
# .hard_sigmoid is the same; Keras 2 (tf.keras) used clip(0.2 z + 0.5, 0, 1), flat beyond ±2.5.
def _hard_sigmoid(z: Array) -> Array:
    return np.clip(z + 3.0, 0.0, 6.0) / 6.0


def _hard_sigmoid_d(z: Array) -> Array:
    # 0 at the kinks z = ±3, as PyTorch's hardsigmoid_backward (open interval -3 < z < 3).
    return np.where((z > -3.0) & (z < 3.0), 1.0 / 6.0, 0.0)


def _hard_tanh_check(min_val: float, max_val: float) -> None:
    if min_val > max_val:
        raise ValueError(f"hard tanh needs min_val <= max_val, got {min_val} > {max_val}")


def _hard_tanh(z: Array, min_val: float, max_val: float) -> Array:
    _hard_tanh_check(min_val, max_val)
    return np.clip(z, min_val, max_val)


def _hard_tanh_d(z: Array, min_val: float, max_val: float) -> Array:
    # 0 at the kinks z = min_val and z = max_val, as PyTorch's hardtanh_backward.
    _hard_tanh_check(min_val, max_val)
    return ((z > min_val) & (z < max_val)).astype(float)


def _relu6(z: Array) -> Array:
    return np.clip(z, 0.0, 6.0)


def _relu6_d(z: Array) -> Array:
    # 0 at both kinks, ReLU6'(0) = ReLU6'(6) = 0: PyTorch computes relu6 as hardtanh(z, 0, 6).
    return ((z > 0.0) & (z < 6.0)).astype(float)


def _hard_swish(z: Array) -> Array:
    return z * _hard_sigmoid(z)  # z * (gate / 6), not (z * gate) / 6: no overflow near 1.8e308


def _hard_swish_d(z: Array) -> Array:
    # (2z + 3) / 6 = z/3 + 1/2 strictly inside (-3, 3); at the kinks the outer pieces' slopes,
    # 0 at z = -3 and 1 at z = 3, as PyTorch's hardswish_backward since 2.7 (pytorch#148049;
    # earlier CPU builds returned the inner slopes -0.5 and 1.5 there).
    return np.where(z <= -3.0, 0.0, np.where(z < 3.0, z / 3.0 + 0.5, 1.0))


# ---- Others -----------------------------------------------------------------------------------


def _gaussian(z: Array) -> Array:
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)  # e^{-z^2} is 0 beyond; keeps z^2 finite
    return np.exp(-zc * zc)


def _gaussian_d(z: Array) -> Array:
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)
    return -2.0 * zc * np.exp(-zc * zc)


def _sine(z: Array) -> Array:
    return np.sin(z)


def _sine_d(z: Array) -> Array:
    return np.cos(z)


# Binary step (no PyTorch or Keras counterpart). Value 0 at z = 0, so step(z) is exactly ReLU's
# derivative as taken above (relu'(0) = 0).
def _step(z: Array) -> Array:
    return (z > 0).astype(float)


def _step_d(z: Array) -> Array:
    # 0 everywhere, at 0 too (the jump has no finite slope; autograd through a comparison gives 0).
    return np.zeros_like(z)


_ALL = (
    Activation("sigmoid", "Sigmoid", _sigmoid, _sigmoid_d, r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
    Activation(
        "tanh",
        "TanH",
        _tanh,
        _tanh_d,
        r"\tanh z = \frac{2}{1 + e^{-2z}} - 1",
        value_and_derivative=_tanh_both,
    ),
    Activation("relu", "ReLU", _relu, _relu_d, r"\mathrm{ReLU}(z) = \max(0, z)"),
    Activation(
        "elu",
        "ELU",
        _elu,
        _elu_d,
        r"\mathrm{ELU}(z) = \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 \end{cases}",
        MappingProxyType({"alpha": 1.0}),  # PyTorch and Keras agree
        (ParamRange("alpha", 1.0, 0.0, 3.0, 0.05),),
    ),
    Activation(
        "leaky_relu",
        "Leaky ReLU",
        _leaky_relu,
        _leaky_relu_d,
        r"\mathrm{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases}",
        MappingProxyType({"slope": 0.01}),  # PyTorch; Keras differs, see _leaky_relu
        (ParamRange("slope", 0.01, 0.0, 0.5, 0.01),),
    ),
    Activation("linear", "Linear", _linear, _linear_d, r"A(z) = z"),
    Activation(
        "gelu",
        "GELU",
        _gelu,
        _gelu_d,
        r"\mathrm{GELU}(z) = z\,\Phi(z) = "
        r"\frac{z}{2}\left(1 + \mathrm{erf}\frac{z}{\sqrt{2}}\right)",
        value_and_derivative=_gelu_both,
    ),
    Activation(
        "gelu_tanh",
        "GELU (tanh approximation)",
        _gelu_tanh,
        _gelu_tanh_d,
        r"\mathrm{GELU}_{\tanh}(z) = \frac{z}{2}\left(1 + "
        r"\tanh\left(\sqrt{2/\pi}\,\left(z + 0.044715\,z^{3}\right)\right)\right)",
    ),
    Activation(
        "silu",
        "SiLU (Swish)",
        _silu,
        _silu_d,
        r"\mathrm{SiLU}(z) = z\,\sigma(z) = \frac{z}{1 + e^{-z}}",
        value_and_derivative=_silu_both,
    ),
    Activation(
        "mish",
        "Mish",
        _mish,
        _mish_d,
        r"\mathrm{Mish}(z) = z \tanh\left(\ln\left(1 + e^{z}\right)\right)",
    ),
    Activation(
        "softplus",
        "Softplus",
        _softplus,
        _softplus_d,
        r"\mathrm{Softplus}(z) = \frac{1}{\beta} \ln\left(1 + e^{\beta z}\right)",
        MappingProxyType({"beta": 1.0}),  # PyTorch; Keras has no beta (its softplus is beta = 1)
        (ParamRange("beta", 1.0, 0.1, 5.0, 0.1),),
    ),
    Activation(
        "softsign", "Softsign", _softsign, _softsign_d, r"\mathrm{Softsign}(z) = \frac{z}{1 + |z|}"
    ),
    Activation(
        "selu",
        "SELU",
        _selu,
        _selu_d,
        r"\mathrm{SELU}(z) = \lambda \begin{cases} z & z > 0 \\ \alpha (e^{z} - 1) & z \le 0 "
        r"\end{cases}, \quad \alpha \approx 1.6733,\ \lambda \approx 1.0507",
    ),
    Activation(
        "celu",
        "CELU",
        _celu,
        _celu_d,
        r"\mathrm{CELU}(z) = \begin{cases} z & z > 0 \\ "
        r"\alpha \left(e^{z/\alpha} - 1\right) & z \le 0 \end{cases}",
        MappingProxyType({"alpha": 1.0}),
        (ParamRange("alpha", 1.0, 0.1, 3.0, 0.05),),
    ),
    Activation(
        "hard_sigmoid",
        "Hard sigmoid",
        _hard_sigmoid,
        _hard_sigmoid_d,
        r"\mathrm{HardSigmoid}(z) = \begin{cases} 0 & z \le -3 \\ "
        r"\frac{z}{6} + \frac{1}{2} & -3 < z < 3 \\ 1 & z \ge 3 \end{cases}",
    ),
    Activation(
        "hard_tanh",
        "Hard tanh",
        _hard_tanh,
        _hard_tanh_d,
        r"\mathrm{HardTanh}(z) = \begin{cases} z_{\min} & z < z_{\min} \\ "
        r"z & z_{\min} \le z \le z_{\max} \\ z_{\max} & z > z_{\max} \end{cases}",
        MappingProxyType({"min_val": -1.0, "max_val": 1.0}),  # PyTorch's names and defaults
        (ParamRange("min_val", -1.0, -3.0, -0.1, 0.1), ParamRange("max_val", 1.0, 0.1, 3.0, 0.1)),
    ),
    Activation("relu6", "ReLU6", _relu6, _relu6_d, r"\mathrm{ReLU6}(z) = \min(\max(0, z), 6)"),
    Activation(
        "hard_swish",
        "Hard swish",
        _hard_swish,
        _hard_swish_d,
        r"\mathrm{HardSwish}(z) = \begin{cases} 0 & z \le -3 \\ "
        r"\frac{z (z + 3)}{6} & -3 < z < 3 \\ z & z \ge 3 \end{cases}",
    ),
    Activation("gaussian", "Gaussian", _gaussian, _gaussian_d, r"G(z) = e^{-z^{2}}"),
    Activation("sine", "Sine", _sine, _sine_d, r"A(z) = \sin z"),
    Activation(
        "step",
        "Binary step",
        _step,
        _step_d,
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
