"""A network's shape and its start: :class:`Architecture`, parameter names, initial weights.

An architecture is the hidden layer widths and one activation (a catalogue key, with its
parameters) per hidden layer; the output is one linear unit. Its parameters are named
(:func:`parameter_names`) and drawn (:func:`init_parameters`) in the flat order of
``parameter_vector``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import ACTIVATIONS, Array
from dashboard.model.gradients import with_parameters
from dashboard.model.network import Dense, Network
from dashboard.model.train.limits import (
    MAX_LAYERS,
    MAX_UNITS,
    as_float,
    as_int,
    check_seed,
    error,
    state_error,
)


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
            raise error(
                "layers",
                f"a network has 1 to {MAX_LAYERS} hidden layers, not {layers}",
                layers=layers,
                max=MAX_LAYERS,
            )
        checked = []
        for k, w in enumerate(widths):
            units = as_int(w)
            if units is None or not 1 <= units <= MAX_UNITS:
                raise error(
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
            raise error(
                "activation_count",
                f"{count} activations for {len(checked)} hidden layers",
                activations=count,
                layers=len(checked),
            )
        for k, key in enumerate(acts):
            if not isinstance(key, str) or key not in ACTIVATIONS:
                raise error(
                    "activation",
                    f"hidden layer {k + 1}: unknown activation {key!r}",
                    layer=k + 1,
                    activation=str(key),
                )
        given = self.params if self.params else tuple({} for _ in acts)
        if not isinstance(given, list | tuple) or len(given) != len(acts):
            raise error(
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
        return with_parameters(self.template(), theta)

    def template(self) -> Network:
        """The network of this shape with every weight and bias 0 (what :meth:`network` fills)."""
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
            raise state_error("architecture")
        parts = {}
        for name in ("widths", "activations", "params"):
            value = data.get(name)
            if not isinstance(value, list | tuple):
                raise state_error(f"architecture.{name}")
            parts[name] = tuple(value)
        return cls(**parts)


def _layer_params(k: int, key: str, given: Any) -> dict[str, float]:
    act = ACTIVATIONS[key]
    if not isinstance(given, Mapping):
        raise error(
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
        v = as_float(value)
        r = ranges.get(name)
        if name not in act.params or v is None or (r is not None and not r.lo <= v <= r.hi):
            raise error(
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
        raise error(
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
        raise error("interval", "the interval must be two numbers", lo=None, hi=None) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise error("interval", f"bad interval [{lo}, {hi}]", lo=lo, hi=hi)
    return lo, hi


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
    seed = check_seed(seed)
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
