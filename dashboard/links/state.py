"""What a link restores on one tab (:class:`ViewState`), and the state each tab opens with."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard import netspec
from dashboard.links.schema import NETWORK, TabLinks
from dashboard.model import ACTIVATIONS
from dashboard.model.train import Architecture, init_parameters, parameter_names
from dashboard.problem import Problem
from dashboard.sections import HARD_LIMIT, ApproxSpec

DEFAULT_ACTIVATION = "sigmoid"


@dataclass(frozen=True)
class Net:
    """The builder's network and training settings (the weights are ``ViewState.values``)."""

    widths: tuple[int, ...] = netspec.DEFAULT_WIDTHS
    activations: tuple[str, ...] = (netspec.DEFAULT_ACTIVATION,) * len(netspec.DEFAULT_WIDTHS)
    seed: int = netspec.DEFAULT_SEED
    optimizer: str = netspec.DEFAULT_CONFIG.optimizer
    lr: float = netspec.DEFAULT_CONFIG.learning_rate
    batch: int = netspec.DEFAULT_CONFIG.batch_size

    def architecture(self) -> Architecture:
        return Architecture(self.widths, self.activations)

    def spec(self) -> ApproxSpec:
        return netspec.spec_for(self.widths, self.activations)


def seeded_weights(net: Net, problem: Problem) -> dict[str, float]:
    """The builder's initial weights of ``net`` from its seed, on the problem's interval
    (held within ±HARD_LIMIT: the first layer's weights scale with 1 / the interval's width)."""
    with np.errstate(all="ignore"):
        theta = init_parameters(net.architecture(), net.seed, (problem.lo, problem.hi))
    theta = np.nan_to_num(theta, nan=0.0).clip(-HARD_LIMIT, HARD_LIMIT)
    return dict(zip(parameter_names(net.widths), theta.tolist(), strict=True))


@dataclass(frozen=True)
class ViewState:
    """Everything a link restores on one tab.

    ``values``: every network parameter of the tab (none on the gallery); ``params``: every
    parameter of ``activation``; ``problem``: the target controls (tabs with a target only,
    else None); ``overlays``: what the neuron or gallery tab draws over its curve; ``lang``:
    None when the link leaves the language to the browser. Instructor options: ``hide``
    (names of hidden controls, ``TabLinks.controls``), ``lock`` (target locked), ``goal`` (the
    RMSE that counts as success; None: the usual goal). ``net``: the builder's network and
    training settings (None on every other tab), whose weights are ``values``.
    """

    activation: str = DEFAULT_ACTIVATION
    values: dict[str, float] = field(default_factory=dict)
    params: dict[str, float] = field(default_factory=dict)
    problem: Problem | None = None
    overlays: tuple[str, ...] = ()
    lang: str | None = None
    hide: tuple[str, ...] = ()
    lock: bool = False
    goal: float | None = None
    net: Net | None = None


def default_state(tab: TabLinks) -> ViewState:
    """The state a tab opens with."""
    params = dict(ACTIVATIONS[DEFAULT_ACTIVATION].params)
    if tab.has(NETWORK):
        net = Net()
        problem = Problem.default(net.spec())
        return ViewState(
            params=params, values=seeded_weights(net, problem), problem=problem, net=net
        )
    return ViewState(
        values={p.name: p.default for p in tab.params},
        params=params,
        problem=Problem.default(tab.spec) if tab.spec else None,
        overlays=tab.default_overlays,
    )
