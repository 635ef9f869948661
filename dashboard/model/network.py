"""One dense feed-forward network on scalar inputs: hidden layers with an activation, linear output.

The notebook's three approximation sections are all instances of this class with different
shapes; the forward pass keeps every hidden unit's values so a view can draw each neuron.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import Activation, Array


@dataclass(frozen=True)
class Dense:
    """A fully connected layer: ``z = a @ weights + bias``.

    ``weights`` has shape (n_in, n_out): entry [i, j] connects input unit i to unit j.
    """

    weights: Array
    bias: Array

    def __post_init__(self) -> None:
        w = np.atleast_2d(np.asarray(self.weights, dtype=float))
        b = np.atleast_1d(np.asarray(self.bias, dtype=float))
        if b.shape != (w.shape[1],):
            raise ValueError(f"bias shape {b.shape} does not match weights {w.shape}")
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "bias", b)

    def __call__(self, a: Array) -> Array:
        # Formed as (Wᵀ aᵀ)ᵀ: the same numbers as ``a @ W + b``, laid out column by column
        # (Fortran order), so each unit's n values are contiguous. Every later step works on
        # whole columns (a unit's activation, slope, contribution, the plotted trace); on the
        # row-major layout NumPy would loop over rows of a handful of units, several times
        # slower for the few units a layer has.
        return (self.weights.T @ a.T).T + self.bias


@dataclass(frozen=True)
class Forward:
    """Everything a forward pass computed, for a grid of ``n`` inputs.

    - ``hidden[k]``: activations of hidden layer k, shape (n, units_k);
    - ``contributions``: each last-hidden unit times its output weight, shape (n, units_last);
    - ``output``: the network's output, ``contributions.sum(axis=1) + output_bias``, shape (n,).
    """

    hidden: tuple[Array, ...]
    contributions: Array
    output: Array
    output_bias: float


def output_of(contributions: Array, bias: float) -> Array:
    """The output unit's value: the sum of a row's ``contributions`` plus ``bias``.

    Added column by column: for the handful of units a layer has, that is about ten times
    faster than ``sum(axis=1)``, which reduces along the short, strided axis. Every forward
    pass uses this one function, so their outputs agree to the last bit.
    """
    total = contributions[:, 0].copy()
    for j in range(1, contributions.shape[1]):
        total += contributions[:, j]
    total += bias
    return total


LayerActivation = tuple[Activation, Mapping[str, float]]
"""One hidden layer's activation and that activation's own parameters (ELU's alpha, ...)."""


@dataclass(frozen=True)
class Network:
    """Hidden ``layers`` use ``activation``; the last layer has one linear output unit.

    ``per_layer``, when given, holds one (activation, parameters) pair per hidden layer and
    overrides ``activation`` and ``params``, so each hidden layer may have its own activation
    (build such a network with :meth:`Network.mixed`). Left empty, every hidden layer uses
    ``activation`` with ``params``, as the notebook's networks do.
    """

    layers: tuple[Dense, ...]
    activation: Activation
    params: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    per_layer: tuple[LayerActivation, ...] = ()

    @classmethod
    def mixed(
        cls,
        layers: Sequence[Dense],
        activations: Sequence[Activation],
        params: Sequence[Mapping[str, float]] | None = None,
    ) -> Network:
        """A network whose hidden layer ``k`` uses ``activations[k]`` with ``params[k]``.

        ``activation`` and ``params`` of the result are the first hidden layer's.
        """
        own = [MappingProxyType({}) for _ in activations] if params is None else params
        if len(own) != len(activations):
            raise ValueError(f"{len(activations)} activations but {len(own)} parameter sets")
        pairs = tuple(
            (act, MappingProxyType(dict(p))) for act, p in zip(activations, own, strict=True)
        )
        if not pairs:
            raise ValueError("a network needs at least one hidden layer and an output layer")
        return cls(tuple(layers), pairs[0][0], pairs[0][1], pairs)

    def __post_init__(self) -> None:
        if len(self.layers) < 2:
            raise ValueError("a network needs at least one hidden layer and an output layer")
        if self.per_layer and len(self.per_layer) != len(self.layers) - 1:
            raise ValueError(
                f"{len(self.per_layer)} layer activations for {len(self.layers) - 1} hidden layers"
            )
        if self.layers[0].weights.shape[0] != 1:
            raise ValueError("the first layer must take one input")
        if self.layers[-1].weights.shape[1] != 1:
            raise ValueError("the output layer must have one unit")
        for prev, nxt in zip(self.layers, self.layers[1:], strict=False):
            if prev.weights.shape[1] != nxt.weights.shape[0]:
                raise ValueError(
                    f"layer widths do not chain: {prev.weights.shape} then {nxt.weights.shape}"
                )

    @property
    def widths(self) -> tuple[int, ...]:
        """Units per hidden layer."""
        return tuple(layer.weights.shape[1] for layer in self.layers[:-1])

    @property
    def hidden_activations(self) -> tuple[LayerActivation, ...]:
        """The (activation, parameters) pair of each hidden layer, from the input on."""
        if self.per_layer:
            return self.per_layer
        return ((self.activation, self.params),) * (len(self.layers) - 1)

    def forward(self, x: ArrayLike) -> Forward:
        """Run the inputs ``x`` (shape (n,)) through the network, keeping every unit's values."""
        a = np.asarray(x, dtype=float).reshape(-1, 1)
        hidden: list[Array] = []
        for layer, (act, params) in zip(self.layers[:-1], self.hidden_activations, strict=True):
            a = act(layer(a), **params)
            hidden.append(a)
        out = self.layers[-1]
        contributions = a * out.weights[:, 0]
        bias = float(out.bias[0])
        return Forward(tuple(hidden), contributions, output_of(contributions, bias), bias)

    def __call__(self, x: ArrayLike) -> Array:
        return self.forward(x).output
