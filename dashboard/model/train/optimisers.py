"""The optimisers: their settings (:class:`TrainConfig`) and one step of each, SGD and Adam."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.model.activations import Array
from dashboard.model.train.limits import (
    LEARNING_RATE_RANGE,
    MAX_POINTS,
    OPTIMIZERS,
    as_float,
    as_int,
    error,
    state_error,
)


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
            raise error(
                "optimizer", f"unknown optimiser {self.optimizer!r}", optimizer=str(self.optimizer)
            )
        lr = as_float(self.learning_rate)
        lo, hi = LEARNING_RATE_RANGE
        if lr is None or not lo < lr <= hi:
            raise error(
                "learning_rate",
                f"the learning rate must lie in ({lo:g}, {hi:g}]",
                value=self.learning_rate,
                lo=lo,
                hi=hi,
            )
        for name in ("momentum", "beta1", "beta2"):
            v = as_float(getattr(self, name))
            if v is None or not 0.0 <= v < 1.0:
                raise error(
                    "momentum", f"{name} must lie in [0, 1)", name=name, value=getattr(self, name)
                )
            object.__setattr__(self, name, v)
        eps = as_float(self.eps)
        if eps is None or not 0.0 < eps <= 1.0:
            raise error("eps", "eps must lie in (0, 1]", value=self.eps)
        batch = as_int(self.batch_size)
        if batch is None or not 0 <= batch <= MAX_POINTS:
            raise error(
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
            raise state_error("config")
        return cls(**data)


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
