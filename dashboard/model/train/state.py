"""The state of a training run (:class:`TrainState`) and its exact codec to JSON types.

:meth:`TrainState.to_dict` gives a plain dict (arrays as base64 of little-endian float64,
scalars as JSON numbers, which Python writes in their shortest round-trip form) and
:meth:`TrainState.from_dict` rebuilds the same state to the last bit, so a run can live in a
browser store between calls.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import Array
from dashboard.model.network import Network
from dashboard.model.train.architecture import Architecture, init_parameters
from dashboard.model.train.limits import STOP_REASONS, as_float, as_int, check_seed, state_error
from dashboard.model.train.optimisers import TrainConfig

STATE_VERSION = 1


def _encode(values: Array) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f8").tobytes()).decode("ascii")


def _decode(text: Any, size: int, name: str) -> Array:
    if not isinstance(text, str):
        raise state_error(name)
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise state_error(name) from None
    if len(raw) != 8 * size:
        raise state_error(name)
    values = np.frombuffer(raw, dtype="<f8").astype(float)
    if not np.all(np.isfinite(values)):
        raise state_error(name)
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
            raise state_error("theta")
        object.__setattr__(self, "theta", theta)
        for name in ("moment1", "moment2"):
            m = getattr(self, name)
            m = np.zeros(n) if m is None else np.array(m, dtype=float).ravel()
            if m.shape != (n,) or not np.all(np.isfinite(m)):
                raise state_error(name)
            object.__setattr__(self, name, m)
        object.__setattr__(self, "seed", check_seed(self.seed))
        for name in ("step", "opt_step", "epoch", "cursor"):
            v = as_int(getattr(self, name))
            if v is None or v < 0:
                raise state_error(name)
            object.__setattr__(self, name, v)
        if self.best_loss is not None:
            best = as_float(self.best_loss)
            if best is None or best < 0:
                raise state_error("best_loss")
            object.__setattr__(self, "best_loss", best)
        if not isinstance(self.data_key, str) or len(self.data_key) > 64:
            raise state_error("data_key")
        if self.stop not in ("", *STOP_REASONS):
            raise state_error("stop")

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
            raise state_error("state")
        if data.get("version") != STATE_VERSION:
            raise state_error("version")
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
