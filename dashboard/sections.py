"""The dashboard's sections as data: grids, sliders, targets and network shapes.

The three approximation tabs are one view driven by an :class:`ApproxSpec`; this module is the
single place that states the notebook's numbers (see ``docs/ARCHITECTURE.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import cache, cached_property
from types import MappingProxyType

import numpy as np

from dashboard.model import Activation, Dense, Network, get_activation
from dashboard.model.activations import Array

STEP = 0.1
"""Every parameter slider moves in steps of 0.1."""

HARD_LIMIT = 1e6
"""Largest magnitude a parameter value may take (typed, uploaded or read from a link); sliders
show narrower ranges. Stated here, free of any UI library, for the presets and link modules."""


@dataclass(frozen=True)
class Grid:
    """An ``np.linspace(lo, hi, n)`` grid of inputs."""

    lo: float
    hi: float
    n: int

    def points(self) -> Array:
        """The grid, computed once and shared read-only (a slider move needs it every time)."""
        return _linspace(self.lo, self.hi, self.n)


@cache
def _linspace(lo: float, hi: float, n: int) -> Array:
    x = np.linspace(lo, hi, n)
    x.flags.writeable = False
    return x


@dataclass(frozen=True)
class Param:
    """One slider: a named parameter with its default and range."""

    name: str
    default: float
    lo: float
    hi: float

    @classmethod
    def around(cls, name: str, default: float, half_width: float = 10.0) -> Param:
        """A slider ranging ``default ± half_width``, as most of the notebook's are."""
        return cls(name, default, round(default - half_width, 10), round(default + half_width, 10))


@dataclass(frozen=True)
class Target:
    """A function the network should approximate, and the RMSE that counts as a good fit."""

    key: str
    fn: Callable[[Array], Array]
    latex: str
    goal: float


TARGETS: Mapping[str, Target] = {
    # x² spans 0..100 on [-10, 10]: an RMSE of 1 is 1 % of that. Three neurons cannot follow
    # the three periods of sin x on [-10, 10]: the best least-squares fit of any of the five
    # activations stops near 0.5, so the goal for sin x is a fit about that good.
    "square": Target("square", np.square, "x^2", 1.0),
    "sin": Target("sin", np.sin, r"\sin x", 0.6),
}

LayerNames = tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]
"""Parameter names of one layer: a weight-name matrix (n_in rows, n_out columns), bias names."""


@dataclass(frozen=True)
class ApproxSpec:
    """One approximation tab: a network shape, its named parameters and what it is drawn against."""

    key: str
    layers: tuple[LayerNames, ...]
    params: tuple[Param, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    target: str
    grid: Grid
    y_range: tuple[float, float]
    title_key: str
    show_contributions: bool = False
    preset_file: str | None = None
    layer_activations: tuple[str, ...] = ()
    """One catalogue key per hidden layer (each with its default parameters), for a network
    whose layers differ (the builder's); empty: every layer uses the activation given to
    :meth:`network`, as on the notebook's tabs."""
    own_goal: float | None = None
    """The goal RMSE on the spec's own problem, when its target's usual goal does not suit
    the spec's interval."""

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        in_layers = [n for w, b in self.layers for row in w for n in row] + [
            n for _, b in self.layers for n in b
        ]
        if sorted(names) != sorted(in_layers) or len(set(names)) != len(names):
            raise ValueError(f"{self.key}: slider names and layer names differ")
        grouped = [n for _, g in self.groups for n in g]
        if sorted(grouped) != sorted(names):
            raise ValueError(f"{self.key}: every slider must be in exactly one group")

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        """The fields' hash, computed once: a slider step looks its spec up in several caches,
        and hashing the nested tuples of names every time cost more than the lookups."""
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def network(
        self,
        values: Mapping[str, float],
        activation: Activation,
        params: Mapping[str, float] | None = None,
        **named: float,
    ) -> Network:
        """The network these parameter values describe.

        With :attr:`layer_activations`, each hidden layer uses its own activation (with its
        defaults) and ``activation`` and ``params`` are ignored. Otherwise ``params`` (a
        mapping) and ``named`` (keywords, e.g. ``alpha=2.0``) are the activation's own
        parameters; any not given keep the activation's defaults.
        """
        theta = np.fromiter(map(values.__getitem__, self.theta_names), float, self.n_theta)
        layers = [
            Dense(theta[start:middle].reshape(shape), theta[middle:end])
            for start, middle, end, shape in self._slices
        ]
        if self.layer_activations:
            return Network.mixed(layers, [get_activation(k) for k in self.layer_activations])
        return Network(tuple(layers), activation, MappingProxyType({**(params or {}), **named}))

    def target_values(self, x: Array) -> Array:
        return TARGETS[self.target].fn(x)

    @property
    def goal(self) -> float:
        """The RMSE below which the tab's fit counts as a success."""
        return self.own_goal if self.own_goal is not None else TARGETS[self.target].goal

    @cached_property
    def _slices(self) -> tuple[tuple[int, int, int, tuple[int, int]], ...]:
        """Per layer, where its weights start, where its biases start and end in the flat
        :attr:`theta_names` order, and the weights' shape."""
        out = []
        start = 0
        for weights, biases in self.layers:
            middle = start + sum(len(row) for row in weights)
            end = middle + len(biases)
            out.append((start, middle, end, (len(weights), len(weights[0]))))
            start = end
        return tuple(out)

    @cached_property
    def slider_order(self) -> tuple[str, ...]:
        """Parameter names in the order their controls appear on the page (group by group)."""
        return tuple(n for _, names in self.groups for n in names)

    @cached_property
    def n_theta(self) -> int:
        return len(self.theta_names)

    @cached_property
    def theta_names(self) -> tuple[str, ...]:
        """Parameter names in the network's flat order (model.gradients.parameter_vector)."""
        return tuple(
            n
            for weights, biases in self.layers
            for n in (*(n for row in weights for n in row), *biases)
        )

    def values_of(self, net: Network) -> dict[str, float]:
        """The named parameter values of a network of this tab's shape (inverse of network())."""
        values: dict[str, float] = {}
        for layer, (weights, biases) in zip(net.layers, self.layers, strict=True):
            for i, row in enumerate(weights):
                for j, name in enumerate(row):
                    values[name] = float(layer.weights[i, j])
            for j, name in enumerate(biases):
                values[name] = float(layer.bias[j])
        return values


GALLERY_GRID = Grid(-7.0, 5.0, 100)
NEURON_GRID = Grid(-5.0, 5.0, 1000)
NEURON_PARAMS = (Param("w", 2.0, -50.0, 50.0), Param("b", 1.0, -10.0, 10.0))

TWO_NEURONS = ApproxSpec(
    key="square2",
    layers=(
        ((("w1", "w2"),), ("b1", "b2")),
        ((("w3",), ("w4",)), ("b3",)),
    ),
    params=(
        Param.around("w1", 0.31),
        Param.around("b1", -3.59),
        Param.around("w2", -0.31),
        Param.around("b2", -3.59),
        Param("w3", 300.0, -300.0, 300.0),
        Param("w4", 300.0, -300.0, 300.0),
        Param.around("b3", -11.5),
    ),
    groups=(("group.all", ("w1", "b1", "w2", "b2", "w3", "w4", "b3")),),
    target="square",
    grid=Grid(-10.0, 10.0, 1000),
    y_range=(-1.0, 100.0),
    title_key="title.square2",
    show_contributions=True,
    preset_file="square2.csv",
)

THREE_NEURONS = ApproxSpec(
    key="sin3",
    layers=(
        ((("w1", "w2", "w3"),), ("b1", "b2", "b3")),
        ((("w4",), ("w5",), ("w6",)), ("b4",)),
    ),
    params=tuple(
        Param.around(n, d)
        for n, d in (
            ("w1", 1.35),
            ("w2", -1.35),
            ("w3", 1.0),
            ("b1", -2.5),
            ("b2", -2.5),
            ("b3", -1.5),
            ("w4", 1.0),
            ("w5", 1.0),
            ("w6", 1.0),
            ("b4", -1.5),
        )
    ),
    groups=(("group.all", ("w1", "w2", "w3", "b1", "b2", "b3", "w4", "w5", "w6", "b4")),),
    target="sin",
    grid=Grid(-10.0, 10.0, 1000),
    y_range=(-1.0, 5.0),
    title_key="title.sin3",
    preset_file="sin3.csv",
)

_L1 = ("w11", "w12", "w13", "b11", "b12", "b13")
_L2 = (*(f"w2{i}" for i in range(1, 10)), "b21", "b22", "b23")
_OUT = ("w31", "w32", "w33", "b3")

TWO_LAYERS = ApproxSpec(
    key="deep",
    layers=(
        ((("w11", "w12", "w13"),), ("b11", "b12", "b13")),
        # Unit j of layer 2 reads w2(3j+1)..w2(3j+3): column j holds them, one row per input unit.
        (
            (("w21", "w24", "w27"), ("w22", "w25", "w28"), ("w23", "w26", "w29")),
            ("b21", "b22", "b23"),
        ),
        ((("w31",), ("w32",), ("w33",)), ("b3",)),
    ),
    params=tuple(Param.around(n, 1.0) for n in _L1 + _L2 + _OUT),
    groups=(("group.layer1", _L1), ("group.layer2", _L2), ("group.output", _OUT)),
    target="square",
    grid=Grid(-10.0, 10.0, 1000),
    y_range=(-1.0, 5.0),
    title_key="title.deep",
    preset_file="deep.csv",
)

APPROX_SPECS: tuple[ApproxSpec, ...] = (TWO_NEURONS, THREE_NEURONS, TWO_LAYERS)
SPECS_BY_KEY: Mapping[str, ApproxSpec] = {s.key: s for s in APPROX_SPECS}
