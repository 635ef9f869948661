"""Gradient-descent training of a small dense network on a 1-D problem, a bounded call at a time.

The dashboard keeps a training run in the browser: a :class:`TrainState` (architecture, weights,
optimiser moments, step counts, the mini-batch position and the settings) turns into a plain
JSON-able dict with :meth:`TrainState.to_dict` and back with :meth:`TrainState.from_dict`,
exactly (arrays as base64 of little-endian float64, scalars as JSON numbers, which Python
writes in their shortest round-trip form). Any server worker can therefore take the next call
of :func:`run`, which does several steps, never takes much longer than its time budget, and
stops by itself when the loss diverges, handing back the last weights whose loss was finite.

The loss is the mean squared error, MSE = mean((net(x) − t)²), over the points of a batch; the
losses :func:`run` reports are the MSE over all points after each step. Its gradient comes from
:func:`dashboard.model.gradients.mse_gradient`, the same backpropagation as the Jacobian.

Everything a user can choose is checked here and refused with a :class:`TrainError`, whose
``key`` and ``fields`` name a translatable message (``train.error.*`` in the locale files).
"""

from __future__ import annotations

import base64
import hashlib
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import ACTIVATIONS, Array
from dashboard.model.gradients import mse_gradient, parameter_vector, with_parameters
from dashboard.model.network import Dense, Network

MAX_LAYERS = 4
"""At most this many hidden layers."""
MAX_UNITS = 8
"""At most this many units in a hidden layer."""
MAX_POINTS = 2_000
"""At most this many training points (the dashboard's grids have 1,000): a step of the largest
net then takes a few milliseconds. Beyond a few thousand rows OpenBLAS splits the matrix
products over threads, which on a busy 2-core server made a step of 10,000 points take 100 ms
instead of the 26 ms one thread needs."""
MAX_STEPS_PER_CALL = 10_000
"""At most this many steps asked of one :func:`run` call (the time budget usually stops it)."""
MAX_TIME_BUDGET = 2.0
"""The largest time budget, in seconds, one :func:`run` call accepts."""
MAX_SEED = 2**31 - 1
"""Seeds are 0 … 2³¹ − 1: exact in JavaScript numbers, so a browser store keeps them."""
LEARNING_RATE_RANGE = (0.0, 100.0)
"""The learning rate must lie in (0, 100]."""

DIVERGENCE_FACTOR = 1000.0
"""A step whose loss exceeds this many times the best loss seen on the same data is divergence."""
DIVERGENCE_FLOOR = 1e-6
"""... where the best loss counts as at least this fraction of the targets' mean square (plus
1e-12), so that a near-perfect fit wobbling on tiny values is not called divergence."""

OPTIMIZERS = ("adam", "sgd")
STOP_REASONS = ("steps", "time", "nonfinite", "exploded")
"""Why a :func:`run` call stopped: it did every step asked; the time budget ran out; the loss
(or the gradient) became NaN or infinite; the loss exploded beyond :data:`DIVERGENCE_FACTOR`
times the best. The last two are divergence: the weights are those before the failed step.
Each has a message ``train.stop.<reason>`` (fields ``step`` and ``factor``)."""

STATE_VERSION = 1

# ---------------------------------------------------------------- errors


class TrainError(ValueError):
    """A choice the trainer refuses; ``key`` and ``fields`` name a translatable message.

    ``str(error)`` is a plain English description for logs; a user interface shows
    ``t(lang, error.key, **error.fields)`` instead.
    """

    def __init__(self, key: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.key = key
        self.fields = fields


def _error(key: str, message: str, **fields: Any) -> TrainError:
    return TrainError(f"train.error.{key}", message, **fields)


def _int(value: Any) -> int | None:
    """``value`` as an int if it is one (an integral float from JSON counts), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _float(value: Any) -> float | None:
    """``value`` as a finite float if it is a real number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------- architecture


@dataclass(frozen=True)
class Architecture:
    """Hidden layer widths and one activation (a catalogue key) per hidden layer.

    ``params`` holds each layer's activation parameters; missing names (or an empty tuple) take
    the activation's defaults, and the stored mappings are always complete. The output layer is
    one linear unit. Anything outside the limits raises :class:`TrainError`.
    """

    widths: tuple[int, ...]
    activations: tuple[str, ...]
    params: tuple[Mapping[str, float], ...] = ()

    def __post_init__(self) -> None:
        widths = tuple(self.widths) if isinstance(self.widths, list | tuple) else None
        if widths is None or not 1 <= len(widths) <= MAX_LAYERS:
            layers = len(widths) if widths is not None else 0
            raise _error(
                "layers",
                f"a network has 1 to {MAX_LAYERS} hidden layers, not {layers}",
                layers=layers,
                max=MAX_LAYERS,
            )
        checked = []
        for k, w in enumerate(widths):
            units = _int(w)
            if units is None or not 1 <= units <= MAX_UNITS:
                raise _error(
                    "units",
                    f"hidden layer {k + 1} has {w!r} units; a layer has 1 to {MAX_UNITS}",
                    layer=k + 1,
                    units=w,
                    max=MAX_UNITS,
                )
            checked.append(units)
        acts = self.activations
        if not isinstance(acts, list | tuple) or len(acts) != len(checked):
            count = len(acts) if isinstance(acts, list | tuple) else 0
            raise _error(
                "activation_count",
                f"{count} activations for {len(checked)} hidden layers",
                activations=count,
                layers=len(checked),
            )
        for k, key in enumerate(acts):
            if not isinstance(key, str) or key not in ACTIVATIONS:
                raise _error(
                    "activation",
                    f"hidden layer {k + 1}: unknown activation {key!r}",
                    layer=k + 1,
                    activation=str(key),
                )
        given = self.params if self.params else tuple({} for _ in acts)
        if not isinstance(given, list | tuple) or len(given) != len(acts):
            raise _error(
                "activation_count",
                f"{len(given)} parameter sets for {len(acts)} hidden layers",
                activations=len(given),
                layers=len(acts),
            )
        merged = tuple(
            MappingProxyType(_layer_params(k, key, p))
            for k, (key, p) in enumerate(zip(acts, given, strict=True))
        )
        object.__setattr__(self, "widths", tuple(checked))
        object.__setattr__(self, "activations", tuple(acts))
        object.__setattr__(self, "params", merged)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units per layer from the input to the output: (1, *widths, 1)."""
        return (1, *self.widths, 1)

    @property
    def n_parameters(self) -> int:
        """How many weights and biases the network has."""
        s = self.sizes
        return sum(s[k] * s[k + 1] + s[k + 1] for k in range(len(s) - 1))

    def network(self, theta: ArrayLike) -> Network:
        """The network with the flat parameters ``theta`` (order of ``parameter_vector``)."""
        return with_parameters(self._template(), theta)

    def _template(self) -> Network:
        s = self.sizes
        layers = [Dense(np.zeros((s[k], s[k + 1])), np.zeros(s[k + 1])) for k in range(len(s) - 1)]
        acts = [ACTIVATIONS[key] for key in self.activations]
        return Network.mixed(layers, acts, self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "widths": list(self.widths),
            "activations": list(self.activations),
            "params": [dict(p) for p in self.params],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Architecture:
        if not isinstance(data, Mapping):
            raise _state_error("architecture")
        parts = {}
        for name in ("widths", "activations", "params"):
            value = data.get(name)
            if not isinstance(value, list | tuple):
                raise _state_error(f"architecture.{name}")
            parts[name] = tuple(value)
        return cls(**parts)


def _layer_params(k: int, key: str, given: Any) -> dict[str, float]:
    act = ACTIVATIONS[key]
    if not isinstance(given, Mapping):
        raise _error(
            "act_param",
            f"hidden layer {k + 1}: parameters must be a mapping",
            layer=k + 1,
            activation=key,
            name="",
            value=given,
        )
    ranges = {r.name: r for r in act.param_ranges}
    out = dict(act.params)
    for name, value in given.items():
        v = _float(value)
        r = ranges.get(name)
        if name not in act.params or v is None or (r is not None and not r.lo <= v <= r.hi):
            raise _error(
                "act_param",
                f"hidden layer {k + 1}: {key} parameter {name}={value!r} is not allowed",
                layer=k + 1,
                activation=key,
                name=str(name),
                value=value,
            )
        out[name] = v
    # An inconsistent pair (hard tanh's min above max) is refused by the activation itself.
    try:
        act(np.zeros(1), **out)
    except ValueError as e:
        raise _error(
            "act_param",
            f"hidden layer {k + 1}: {e}",
            layer=k + 1,
            activation=key,
            name=", ".join(out),
            value=", ".join(f"{v:g}" for v in out.values()),
        ) from None
    return out


def parameter_names(widths: Sequence[int]) -> tuple[str, ...]:
    """A name for every parameter, in the flat order of ``parameter_vector``.

    Layers count from 1 (the first hidden layer) to len(widths) + 1 (the output); the input x
    is unit 1 of layer 0. ``w{l}_{i}_{j}`` is the weight from unit i of layer l − 1 into unit j
    of layer l, ``b{l}_{j}`` the bias of unit j of layer l (units count from 1).
    """
    sizes = (1, *widths, 1)
    names: list[str] = []
    for layer in range(1, len(sizes)):
        n_in, n_out = sizes[layer - 1], sizes[layer]
        names += [f"w{layer}_{i + 1}_{j + 1}" for i in range(n_in) for j in range(n_out)]
        names += [f"b{layer}_{j + 1}" for j in range(n_out)]
    return tuple(names)


def unit_parameter_names(widths: Sequence[int], layer: int, unit: int) -> tuple[str, ...]:
    """The parameters of one unit (layer ≥ 1 and unit ≥ 1, as in :func:`parameter_names`):
    the weights into it, then its bias."""
    sizes = (1, *widths, 1)
    if not 1 <= layer < len(sizes) or not 1 <= unit <= sizes[layer]:
        raise ValueError(f"no unit {unit} in layer {layer} of widths {tuple(widths)}")
    weights = tuple(f"w{layer}_{i + 1}_{unit}" for i in range(sizes[layer - 1]))
    return (*weights, f"b{layer}_{unit}")


# ---------------------------------------------------------------- initialisation

HE_KEYS = frozenset(
    {
        "relu",
        "leaky_relu",
        "relu6",
        "elu",
        "celu",
        "gelu",
        "gelu_tanh",
        "silu",
        "mish",
        "softplus",
        "hard_swish",
    }
)
"""ReLU-like activations (zero or small slope on one side): He initialisation."""


def init_scheme(key: str) -> str:
    """How the weights feeding a layer of activation ``key`` start.

    - ``"he"``: normal with standard deviation √(2 / fan_in) (He et al. 2015), for the ReLU-like
      activations of :data:`HE_KEYS`, which pass on about half of their input's variance;
    - ``"lecun"``: normal with standard deviation √(1 / fan_in), for SELU, whose
      self-normalisation assumes it (Klambauer et al. 2017);
    - ``"glorot"``: uniform on ±√(6 / (fan_in + fan_out)) (Glorot and Bengio 2010), for every
      other activation (sigmoid, tanh, softsign, the hard and periodic ones, linear) and for
      the linear output layer.
    """
    if key in HE_KEYS:
        return "he"
    if key == "selu":
        return "lecun"
    return "glorot"


def _draw(rng: np.random.Generator, scheme: str, n_in: int, n_out: int) -> Array:
    if scheme == "he":
        return rng.normal(0.0, math.sqrt(2.0 / n_in), (n_in, n_out))
    if scheme == "lecun":
        return rng.normal(0.0, math.sqrt(1.0 / n_in), (n_in, n_out))
    limit = math.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_in, n_out))


def _check_interval(interval: Sequence[float]) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in interval)
    except (TypeError, ValueError):
        raise _error("interval", "the interval must be two numbers", lo=None, hi=None) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise _error("interval", f"bad interval [{lo}, {hi}]", lo=lo, hi=hi)
    return lo, hi


def _check_seed(seed: Any) -> int:
    s = _int(seed)
    if s is None or not 0 <= s <= MAX_SEED:
        raise _error("seed", f"the seed must be a whole number 0 … {MAX_SEED}", max=MAX_SEED)
    return s


def init_parameters(
    arch: Architecture, seed: int, interval: Sequence[float] = (-1.0, 1.0)
) -> Array:
    """Starting parameters for ``arch`` (flat, ``parameter_vector`` order); same seed, same start.

    Each layer's weights follow :func:`init_scheme` of the activation after it (the output
    layer: Glorot). The inputs are assumed to span ``interval``: the first layer sees
    u = (x − mid) / half-width in [−1, 1], and its units are centred at points c drawn
    uniformly in [−1, 1] (z = w·(u − c)), so the bends of a 1-D net start spread over the
    interval instead of all at its middle; the weights and biases returned are those on x
    itself. Every other bias starts at 0. Draws, from ``numpy.random.default_rng(seed)``:
    layer by layer, the weights, then (first layer only) the centres.
    """
    seed = _check_seed(seed)
    lo, hi = _check_interval(interval)
    mid, half = (lo + hi) / 2.0, (hi - lo) / 2.0
    rng = np.random.default_rng(seed)
    sizes = arch.sizes
    parts: list[Array] = []
    for k in range(len(sizes) - 1):
        scheme = init_scheme(arch.activations[k]) if k < len(arch.widths) else "glorot"
        w = _draw(rng, scheme, sizes[k], sizes[k + 1])
        b = np.zeros(sizes[k + 1])
        if k == 0:
            centres = rng.uniform(-1.0, 1.0, sizes[1])
            w0 = w[0]
            w = w / half
            b = -w0 * centres - w[0] * mid
        parts += [w.ravel(), b]
    return np.concatenate(parts)


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class TrainConfig:
    """Optimiser settings. ``batch_size`` 0 means full batch (every point in every step).

    - ``"sgd"``: SGD with momentum as PyTorch writes it: v ← μ·v + g, θ ← θ − lr·v (v starts
      at 0, so the first step is plain gradient descent).
    - ``"adam"``: Adam (Kingma and Ba 2015): m ← β₁m + (1 − β₁)g, s ← β₂s + (1 − β₂)g²,
      θ ← θ − lr·m̂ / (√ŝ + ε) with m̂ = m / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ), t counting from 1.
    """

    optimizer: str = "adam"
    learning_rate: float = 0.01
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    batch_size: int = 0

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise _error(
                "optimizer", f"unknown optimiser {self.optimizer!r}", optimizer=str(self.optimizer)
            )
        lr = _float(self.learning_rate)
        lo, hi = LEARNING_RATE_RANGE
        if lr is None or not lo < lr <= hi:
            raise _error(
                "learning_rate",
                f"the learning rate must lie in ({lo:g}, {hi:g}]",
                value=self.learning_rate,
                lo=lo,
                hi=hi,
            )
        for name in ("momentum", "beta1", "beta2"):
            v = _float(getattr(self, name))
            if v is None or not 0.0 <= v < 1.0:
                raise _error(
                    "momentum", f"{name} must lie in [0, 1)", name=name, value=getattr(self, name)
                )
            object.__setattr__(self, name, v)
        eps = _float(self.eps)
        if eps is None or not 0.0 < eps <= 1.0:
            raise _error("eps", "eps must lie in (0, 1]", value=self.eps)
        batch = _int(self.batch_size)
        if batch is None or not 0 <= batch <= MAX_POINTS:
            raise _error(
                "batch",
                f"the batch size must be 0 (full batch) … {MAX_POINTS}",
                value=self.batch_size,
                max=MAX_POINTS,
            )
        object.__setattr__(self, "learning_rate", lr)
        object.__setattr__(self, "eps", eps)
        object.__setattr__(self, "batch_size", batch)

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
            "batch_size": self.batch_size,
        }

    @classmethod
    def from_dict(cls, data: Any) -> TrainConfig:
        if not isinstance(data, Mapping) or set(data) - set(cls().to_dict()):
            raise _state_error("config")
        return cls(**data)


# ---------------------------------------------------------------- state


def _state_error(name: str) -> TrainError:
    return _error("state", f"malformed training state: {name}", field=name)


def _encode(values: Array) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f8").tobytes()).decode("ascii")


def _decode(text: Any, size: int, name: str) -> Array:
    if not isinstance(text, str):
        raise _state_error(name)
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise _state_error(name) from None
    if len(raw) != 8 * size:
        raise _state_error(name)
    values = np.frombuffer(raw, dtype="<f8").astype(float)
    if not np.all(np.isfinite(values)):
        raise _state_error(name)
    return values


@dataclass(frozen=True)
class TrainState:
    """Everything a training run needs to take its next step.

    ``theta``: every weight and bias (``parameter_vector`` order); ``moment1``: Adam's m or
    SGD's velocity; ``moment2``: Adam's s (zeros for SGD); ``step``: steps taken since the
    start; ``opt_step``: steps since the moments were last reset (Adam's t); mini-batches come
    from a shuffle of the points seeded by (``seed``, ``epoch``), of which the first ``cursor``
    are used; ``best_loss``: the lowest MSE seen on the data whose fingerprint is ``data_key``
    (divergence is judged against it); ``stop``: why the last :func:`run` call stopped
    (one of :data:`STOP_REASONS`, "" before any).
    """

    arch: Architecture
    theta: Array
    config: TrainConfig = field(default_factory=TrainConfig)
    seed: int = 0
    moment1: Array | None = None
    moment2: Array | None = None
    step: int = 0
    opt_step: int = 0
    epoch: int = 0
    cursor: int = 0
    best_loss: float | None = None
    data_key: str = ""
    stop: str = ""

    def __post_init__(self) -> None:
        n = self.arch.n_parameters
        theta = np.array(self.theta, dtype=float).ravel()
        if theta.shape != (n,) or not np.all(np.isfinite(theta)):
            raise _state_error("theta")
        object.__setattr__(self, "theta", theta)
        for name in ("moment1", "moment2"):
            m = getattr(self, name)
            m = np.zeros(n) if m is None else np.array(m, dtype=float).ravel()
            if m.shape != (n,) or not np.all(np.isfinite(m)):
                raise _state_error(name)
            object.__setattr__(self, name, m)
        object.__setattr__(self, "seed", _check_seed(self.seed))
        for name in ("step", "opt_step", "epoch", "cursor"):
            v = _int(getattr(self, name))
            if v is None or v < 0:
                raise _state_error(name)
            object.__setattr__(self, name, v)
        if self.best_loss is not None:
            best = _float(self.best_loss)
            if best is None or best < 0:
                raise _state_error("best_loss")
            object.__setattr__(self, "best_loss", best)
        if not isinstance(self.data_key, str) or len(self.data_key) > 64:
            raise _state_error("data_key")
        if self.stop not in ("", *STOP_REASONS):
            raise _state_error("stop")

    def network(self) -> Network:
        """The network with the current weights."""
        return self.arch.network(self.theta)

    def with_config(self, config: TrainConfig) -> TrainState:
        """New settings; changing the optimiser starts its moments (and Adam's t) afresh."""
        if config.optimizer == self.config.optimizer:
            return replace(self, config=config)
        zeros = np.zeros_like(self.theta)
        return replace(self, config=config, moment1=zeros, moment2=zeros, opt_step=0)

    def with_theta(self, theta: ArrayLike) -> TrainState:
        """Weights set by hand: the moments stay, the best loss is forgotten (it was another
        point's), so divergence is judged from the new weights on."""
        return replace(self, theta=np.asarray(theta, dtype=float), best_loss=None, data_key="")

    def with_network(self, net: Network) -> TrainState:
        """:meth:`with_theta` from a network of this architecture."""
        if net.widths != self.arch.widths:
            raise ValueError(f"network widths {net.widths} differ from {self.arch.widths}")
        return self.with_theta(parameter_vector(net))

    def to_dict(self) -> dict[str, Any]:
        """A plain dict of JSON types from which :meth:`from_dict` rebuilds this state exactly."""
        return {
            "version": STATE_VERSION,
            "architecture": self.arch.to_dict(),
            "config": self.config.to_dict(),
            "seed": self.seed,
            "theta": _encode(self.theta),
            "moment1": _encode(self.moment1),  # type: ignore[arg-type]
            "moment2": _encode(self.moment2),  # type: ignore[arg-type]
            "step": self.step,
            "opt_step": self.opt_step,
            "epoch": self.epoch,
            "cursor": self.cursor,
            "best_loss": self.best_loss,
            "data_key": self.data_key,
            "stop": self.stop,
        }

    @classmethod
    def from_dict(cls, data: Any) -> TrainState:
        """Rebuild a state from :meth:`to_dict`'s output (e.g. after a trip through a browser).

        Anything malformed raises :class:`TrainError` with key ``train.error.state``, or the
        key of the limit it breaks (an architecture beyond the limits, say).
        """
        if not isinstance(data, Mapping):
            raise _state_error("state")
        if data.get("version") != STATE_VERSION:
            raise _state_error("version")
        arch = Architecture.from_dict(data.get("architecture"))
        n = arch.n_parameters
        return cls(
            arch=arch,
            theta=_decode(data.get("theta"), n, "theta"),
            config=TrainConfig.from_dict(data.get("config")),
            seed=data.get("seed"),  # type: ignore[arg-type]
            moment1=_decode(data.get("moment1"), n, "moment1"),
            moment2=_decode(data.get("moment2"), n, "moment2"),
            step=data.get("step"),  # type: ignore[arg-type]
            opt_step=data.get("opt_step"),  # type: ignore[arg-type]
            epoch=data.get("epoch"),  # type: ignore[arg-type]
            cursor=data.get("cursor"),  # type: ignore[arg-type]
            best_loss=data.get("best_loss"),
            data_key=data.get("data_key"),  # type: ignore[arg-type]
            stop=data.get("stop"),  # type: ignore[arg-type]
        )


def init_state(
    arch: Architecture,
    config: TrainConfig | None = None,
    seed: int = 0,
    interval: Sequence[float] = (-1.0, 1.0),
) -> TrainState:
    """A fresh run: :func:`init_parameters` weights, zero moments, step 0."""
    theta = init_parameters(arch, seed, interval)
    return TrainState(arch, theta, config or TrainConfig(), seed)


# ---------------------------------------------------------------- optimiser steps


def sgd_step(
    theta: Array, grad: Array, velocity: Array, lr: float, momentum: float
) -> tuple[Array, Array]:
    """One SGD-with-momentum step: (new θ, new velocity); see :class:`TrainConfig`."""
    v = momentum * velocity + grad
    return theta - lr * v, v


def adam_step(
    theta: Array,
    grad: Array,
    m: Array,
    s: Array,
    t: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
) -> tuple[Array, Array, Array]:
    """Adam's step number ``t`` (from 1): (new θ, new m, new s); see :class:`TrainConfig`."""
    m = beta1 * m + (1.0 - beta1) * grad
    s = beta2 * s + (1.0 - beta2) * (grad * grad)
    m_hat = m / (1.0 - beta1**t)
    s_hat = s / (1.0 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


# ---------------------------------------------------------------- training


def data_key(x: Array, target: Array) -> str:
    """A short fingerprint of the training data, to tell when the problem has changed."""
    h = hashlib.blake2b(digest_size=8)
    h.update(np.ascontiguousarray(x, dtype="<f8").tobytes())
    h.update(np.ascontiguousarray(target, dtype="<f8").tobytes())
    return h.hexdigest()


@lru_cache(maxsize=8)
def _permutation(seed: int, epoch: int, n: int) -> Array:
    perm = np.random.default_rng([seed, epoch]).permutation(n)
    perm.flags.writeable = False
    return perm


def _check_data(x: ArrayLike, target: ArrayLike) -> tuple[Array, Array]:
    xs = np.asarray(x, dtype=float).ravel()
    ts = np.asarray(target, dtype=float).ravel()
    if xs.shape != ts.shape:
        raise _error(
            "data_shape", f"{ts.size} targets for {xs.size} points", points=xs.size, targets=ts.size
        )
    if not 1 <= xs.size <= MAX_POINTS:
        raise _error(
            "data_size", f"1 to {MAX_POINTS} points, not {xs.size}", points=xs.size, max=MAX_POINTS
        )
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ts))):
        raise _error("data_nonfinite", "the points and targets must be finite")
    return xs, ts


def run(
    state: TrainState,
    x: ArrayLike,
    target: ArrayLike,
    n_steps: int,
    time_budget_s: float,
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[TrainState, Array]:
    """Take up to ``n_steps`` optimiser steps on the points ``x`` with targets ``target``.

    Returns the new state and the MSE over all points after each step taken (one value per
    step; ``new.step - state.step`` of them). ``new.stop`` says why it stopped:

    - ``"steps"``: all ``n_steps`` done;
    - ``"time"``: ``clock`` (read once at the start and before every step after the first)
      showed ``time_budget_s`` seconds gone; at least one step is always taken, so a run
      advances even on a slow machine, and no step costs more than a forward and backward
      pass over at most :data:`MAX_POINTS` points of a net of at most 4 × 8 units;
    - ``"nonfinite"``: the loss or the gradient became NaN or infinite;
    - ``"exploded"``: the loss after a step exceeded :data:`DIVERGENCE_FACTOR` times the best
      loss seen on these data (counted as at least :data:`DIVERGENCE_FLOOR` × mean(target²)
      + 1e-12).

    On divergence the failed step is dropped: the state returned is the one before it, with
    finite weights (and moments). If the starting weights already give a non-finite loss, no
    step is taken and ``stop`` is ``"nonfinite"``.

    Deterministic: the same state and data give the same result to the last bit, whether the
    steps are taken in one call or in several with a JSON round trip of the state between.
    """
    started = clock()
    steps = _int(n_steps)
    if steps is None or not 0 <= steps <= MAX_STEPS_PER_CALL:
        raise _error(
            "steps",
            f"0 to {MAX_STEPS_PER_CALL} steps per call",
            value=n_steps,
            max=MAX_STEPS_PER_CALL,
        )
    budget = _float(time_budget_s)
    if budget is None or not 0.0 <= budget <= MAX_TIME_BUDGET:
        raise _error(
            "time_budget",
            f"the time budget must lie in [0, {MAX_TIME_BUDGET:g}] seconds",
            value=time_budget_s,
            max=MAX_TIME_BUDGET,
        )
    xs, ts = _check_data(x, target)
    n = xs.size
    cfg = state.config
    key = data_key(xs, ts)
    template = state.arch._template()
    full = cfg.batch_size == 0 or cfg.batch_size >= n
    batch = n if full else cfg.batch_size
    floor = DIVERGENCE_FLOOR * float(ts @ ts) / n + 1e-12

    theta, m1, m2 = state.theta, state.moment1, state.moment2
    step, opt_step, epoch, cursor = state.step, state.opt_step, state.epoch, state.cursor
    if cursor >= n:  # the data shrank since the last call: start a new shuffle
        epoch, cursor = epoch + 1, 0
    best = state.best_loss if state.data_key == key else None
    losses: list[float] = []

    def finish(reason: str) -> tuple[TrainState, Array]:
        new = replace(
            state,
            theta=theta,
            moment1=m1,
            moment2=m2,
            step=step,
            opt_step=opt_step,
            epoch=epoch,
            cursor=cursor,
            best_loss=best,
            data_key=key if best is not None else "",
            stop=reason,
        )
        return new, np.array(losses, dtype=float)

    with np.errstate(all="ignore"):
        loss, grad = mse_gradient(with_parameters(template, theta), xs, ts)
        if not math.isfinite(loss):
            return finish("nonfinite")
        best = loss if best is None else min(best, loss)
        for i in range(steps):
            if i > 0 and clock() - started >= budget:
                return finish("time")
            next_epoch, next_cursor = epoch, cursor
            if not full:
                perm = _permutation(state.seed, epoch, n)
                idx = perm[cursor : cursor + batch]
                next_cursor = cursor + idx.size
                if next_cursor >= n:
                    next_epoch, next_cursor = epoch + 1, 0
                _, grad = mse_gradient(with_parameters(template, theta), xs[idx], ts[idx])
            if not np.all(np.isfinite(grad)):
                return finish("nonfinite")
            if cfg.optimizer == "adam":
                new_theta, new_m1, new_m2 = adam_step(
                    theta,
                    grad,
                    m1,
                    m2,
                    opt_step + 1,
                    cfg.learning_rate,
                    cfg.beta1,
                    cfg.beta2,
                    cfg.eps,
                )
            else:
                new_theta, new_m1 = sgd_step(theta, grad, m1, cfg.learning_rate, cfg.momentum)
                new_m2 = m2
            if not (np.all(np.isfinite(new_theta)) and np.all(np.isfinite(new_m1))):
                return finish("nonfinite")
            new_net = with_parameters(template, new_theta)
            if full:
                new_loss, new_grad = mse_gradient(new_net, xs, ts)
            else:
                err = new_net(xs) - ts
                new_loss, new_grad = float(err @ err) / n, grad
            if not math.isfinite(new_loss) or (full and not np.all(np.isfinite(new_grad))):
                return finish("nonfinite")
            if new_loss > DIVERGENCE_FACTOR * max(best, floor):
                return finish("exploded")
            theta, m1, m2, grad = new_theta, new_m1, new_m2, new_grad
            step, opt_step, epoch, cursor = step + 1, opt_step + 1, next_epoch, next_cursor
            best = min(best, new_loss)
            losses.append(new_loss)
    return finish("steps")
