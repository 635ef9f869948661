"""The activation functions and their derivatives, as small vectorised NumPy functions.

Each is numerically stable: with its default parameters, for any finite input whose value is a
finite double (SELU's 1.0507 z is not, beyond 1.71e308) it returns finite values without
overflow warnings (no bare ``np.exp`` of a large positive number anywhere), and so it does for
|z| <= 1e6 with any parameter in its slider range. Where a function has a kink, its derivative
there takes the value PyTorch's autograd returns at that point, and a comment says which one.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy.special import erfc, expit

Array = NDArray[np.float64]


def linear(z: Array) -> Array:
    return z.copy()


def linear_d(z: Array) -> Array:
    return np.ones_like(z)


def sigmoid(z: Array) -> Array:
    # scipy's expit is the logistic function as one stable ufunc: no overflow for any finite z,
    # and about three times faster than the two-branch NumPy form it replaces.
    return expit(z)


def sigmoid_d(z: Array) -> Array:
    # sigma'(z) = e^{-|z|} / (1 + e^{-|z|})^2 is even in z and keeps tiny slopes far from 0.
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def tanh(z: Array) -> Array:
    return np.tanh(z)


def tanh_d(z: Array) -> Array:
    t = np.tanh(z)
    return 1.0 - t * t


def tanh_both(z: Array) -> tuple[Array, Array]:
    t = np.tanh(z)
    return t, 1.0 - t * t


def relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def relu_d(z: Array) -> Array:
    # Not differentiable at 0; like the common frameworks we take the left derivative there.
    return (z > 0).astype(float)


def elu(z: Array, alpha: float) -> Array:
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_d(z: Array, alpha: float) -> Array:
    # At 0 the left piece's alpha * e^0 = alpha, as PyTorch's elu_backward (its z <= 0 branch).
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


# Default slope 0.01 is PyTorch's (negative_slope); Keras differs: the keras.layers.LeakyReLU layer
# defaults to negative_slope=0.3 (alpha=0.3 in Keras 2), keras.activations.leaky_relu to 0.2.
def leaky_relu(z: Array, slope: float) -> Array:
    return np.where(z > 0, z, slope * z)


def leaky_relu_d(z: Array, slope: float) -> Array:
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
def gelu(z: Array) -> Array:
    return z * _normal_cdf(z)


def gelu_d(z: Array) -> Array:
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)  # the density is 0 beyond, so z * pdf is 0 there
    return _normal_cdf(z) + zc * _normal_pdf(zc)


def gelu_both(z: Array) -> tuple[Array, Array]:
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
def gelu_tanh(z: Array) -> Array:
    u2, _ = _gelu_tanh_u2(z)
    return z * sigmoid(u2)


def gelu_tanh_d(z: Array) -> Array:
    # d/dz z sigma(2u) = sigma(2u) + z sigma'(2u) 2u', with 2u' = 2 sqrt(2/pi) (1 + 3a z^2).
    u2, zc = _gelu_tanh_u2(z)
    du2 = 2.0 * _GELU_C * (1.0 + 3.0 * _GELU_A * zc * zc)
    return sigmoid(u2) + zc * sigmoid_d(u2) * du2


def silu(z: Array) -> Array:
    return z * sigmoid(z)


def silu_d(z: Array) -> Array:
    # sigma + z sigma (1 - sigma) = sigma(z) + z sigma'(z); sigma' is tiny, not 0 - 0, far out.
    return sigmoid(z) + z * sigmoid_d(z)


def silu_both(z: Array) -> tuple[Array, Array]:
    s = sigmoid(z)
    return z * s, s + z * sigmoid_d(z)


def _sech2_nonneg(s: Array) -> Array:
    """sech^2 s = 4 e^{-2s} / (1 + e^{-2s})^2 for s >= 0: no 1 - tanh^2 cancellation."""
    e = np.exp(-2.0 * np.minimum(s, 400.0))  # e^{-800} is 0 already; keeps 2s finite
    return 4.0 * e / (1.0 + e) ** 2


def mish(z: Array) -> Array:
    return z * np.tanh(softplus(z, 1.0))


def mish_d(z: Array) -> Array:
    # tanh(sp) + z sech^2(sp) sigma(z), with sp = softplus(z) >= 0 and sp' = sigma.
    sp = softplus(z, 1.0)
    return np.tanh(sp) + z * _sech2_nonneg(sp) * sigmoid(z)


# Softplus: PyTorch beta=1, threshold=20 (Keras has neither parameter). PyTorch returns z itself
# once beta z > threshold; this exact form differs from that by at most ln(1 + e^-20) ~ 2e-9.
def softplus(z: Array, beta: float) -> Array:
    if beta <= 0:
        raise ValueError(f"softplus needs beta > 0, got {beta}")
    bz = beta * z
    # ln(1 + e^{bz}) = ln(1 + e^{-|bz|}) + max(bz, 0): the exponent is never positive.
    return (np.log1p(np.exp(-np.abs(bz))) + np.maximum(bz, 0.0)) / beta


def softplus_d(z: Array, beta: float) -> Array:
    if beta <= 0:
        raise ValueError(f"softplus needs beta > 0, got {beta}")
    return sigmoid(beta * z)


def softsign(z: Array) -> Array:
    return z / (1.0 + np.abs(z))


def softsign_d(z: Array) -> Array:
    r = 1.0 / (1.0 + np.abs(z))  # squaring r, not (1 + |z|), cannot overflow
    return r * r


# ---- Exponential linear units -------------------------------------------------------------------

# Fixed constants of SELU (Klambauer et al. 2017), as PyTorch and Keras use them; not user
# parameters: they are what makes the activations self-normalising.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(z: Array) -> Array:
    return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def selu_d(z: Array) -> Array:
    # Kink at 0: scale * alpha there (the left piece), as PyTorch (selu is elu; z <= 0 branch).
    return SELU_SCALE * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0.0)))


# CELU: PyTorch and Keras 3 both default alpha = 1 (then CELU equals ELU). Smooth at 0 for any
# alpha > 0: both pieces have slope 1 there. alpha <= 0 is refused (PyTorch refuses 0).
def _celu_check(alpha: float) -> None:
    if alpha <= 0:
        raise ValueError(f"celu needs alpha > 0, got {alpha}")


def celu(z: Array, alpha: float) -> Array:
    _celu_check(alpha)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0) / alpha))


def celu_d(z: Array, alpha: float) -> Array:
    _celu_check(alpha)
    return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0) / alpha))


# ---- Piecewise linear ("hard") functions ---------------------------------------------------------


# PyTorch's Hardsigmoid relu6(z + 3) / 6: 0 below -3, 1 above 3. Keras 3 keras.activations
# .hard_sigmoid is the same; Keras 2 (tf.keras) used clip(0.2 z + 0.5, 0, 1), flat beyond ±2.5.
def hard_sigmoid(z: Array) -> Array:
    return np.clip(z + 3.0, 0.0, 6.0) / 6.0


def hard_sigmoid_d(z: Array) -> Array:
    # 0 at the kinks z = ±3, as PyTorch's hardsigmoid_backward (open interval -3 < z < 3).
    return np.where((z > -3.0) & (z < 3.0), 1.0 / 6.0, 0.0)


def _hard_tanh_check(min_val: float, max_val: float) -> None:
    if min_val > max_val:
        raise ValueError(f"hard tanh needs min_val <= max_val, got {min_val} > {max_val}")


def hard_tanh(z: Array, min_val: float, max_val: float) -> Array:
    _hard_tanh_check(min_val, max_val)
    return np.clip(z, min_val, max_val)


def hard_tanh_d(z: Array, min_val: float, max_val: float) -> Array:
    # 0 at the kinks z = min_val and z = max_val, as PyTorch's hardtanh_backward.
    _hard_tanh_check(min_val, max_val)
    return ((z > min_val) & (z < max_val)).astype(float)


def relu6(z: Array) -> Array:
    return np.clip(z, 0.0, 6.0)


def relu6_d(z: Array) -> Array:
    # 0 at both kinks, ReLU6'(0) = ReLU6'(6) = 0: PyTorch computes relu6 as hardtanh(z, 0, 6).
    return ((z > 0.0) & (z < 6.0)).astype(float)


def hard_swish(z: Array) -> Array:
    return z * hard_sigmoid(z)  # z * (gate / 6), not (z * gate) / 6: no overflow near 1.8e308


def hard_swish_d(z: Array) -> Array:
    # (2z + 3) / 6 = z/3 + 1/2 strictly inside (-3, 3); at the kinks the outer pieces' slopes,
    # 0 at z = -3 and 1 at z = 3, as PyTorch's hardswish_backward since 2.7 (pytorch#148049;
    # earlier CPU builds returned the inner slopes -0.5 and 1.5 there).
    return np.where(z <= -3.0, 0.0, np.where(z < 3.0, z / 3.0 + 0.5, 1.0))


# ---- Others -----------------------------------------------------------------------------------


def gaussian(z: Array) -> Array:
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)  # e^{-z^2} is 0 beyond; keeps z^2 finite
    return np.exp(-zc * zc)


def gaussian_d(z: Array) -> Array:
    zc = np.clip(z, -_GAUSS_TAIL, _GAUSS_TAIL)
    return -2.0 * zc * np.exp(-zc * zc)


def sine(z: Array) -> Array:
    return np.sin(z)


def sine_d(z: Array) -> Array:
    return np.cos(z)


# Binary step (no PyTorch or Keras counterpart). Value 0 at z = 0, so step(z) is exactly ReLU's
# derivative as taken above (relu'(0) = 0).
def step(z: Array) -> Array:
    return (z > 0).astype(float)


def step_d(z: Array) -> Array:
    # 0 everywhere, at 0 too (the jump has no finite slope; autograd through a comparison gives 0).
    return np.zeros_like(z)
