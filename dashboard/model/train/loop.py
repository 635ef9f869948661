"""The training loop: :func:`run` takes bounded steps of a :class:`TrainState` on 1-D data.

The loss is the mean squared error, MSE = mean((net(x) − t)²), over the points of a batch; its
gradient comes from :func:`dashboard.model.gradients.mse_gradient`. A call stops after the
steps asked, at its time budget, or at divergence, keeping the last weights with a finite loss.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from dashboard.model.activations import Array
from dashboard.model.gradients import mse_gradient, with_parameters
from dashboard.model.network import Network
from dashboard.model.train.limits import (
    DIVERGENCE_FACTOR,
    DIVERGENCE_FLOOR,
    MAX_POINTS,
    MAX_STEPS_PER_CALL,
    MAX_TIME_BUDGET,
    as_float,
    as_int,
    error,
)
from dashboard.model.train.optimisers import TrainConfig, adam_step, sgd_step
from dashboard.model.train.state import TrainState


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
        raise error(
            "data_shape", f"{ts.size} targets for {xs.size} points", points=xs.size, targets=ts.size
        )
    if not 1 <= xs.size <= MAX_POINTS:
        raise error(
            "data_size", f"1 to {MAX_POINTS} points, not {xs.size}", points=xs.size, max=MAX_POINTS
        )
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ts))):
        raise error("data_nonfinite", "the points and targets must be finite")
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
    steps, budget = _check_call(n_steps, time_budget_s)
    problem = _Problem.of(state, x, target)
    progress = _Progress.start(state, problem)

    def time_up() -> bool:
        return clock() - started >= budget

    with np.errstate(all="ignore"):
        reason = _start_loss(progress, problem) or _take_steps(progress, problem, steps, time_up)
        return progress.finish(state, problem.key, reason)


def _check_call(n_steps: int, time_budget_s: float) -> tuple[int, float]:
    """The step count and the time budget of a :func:`run` call, or :class:`TrainError`."""
    steps = as_int(n_steps)
    if steps is None or not 0 <= steps <= MAX_STEPS_PER_CALL:
        raise error(
            "steps",
            f"0 to {MAX_STEPS_PER_CALL} steps per call",
            value=n_steps,
            max=MAX_STEPS_PER_CALL,
        )
    budget = as_float(time_budget_s)
    if budget is None or not 0.0 <= budget <= MAX_TIME_BUDGET:
        raise error(
            "time_budget",
            f"the time budget must lie in [0, {MAX_TIME_BUDGET:g}] seconds",
            value=time_budget_s,
            max=MAX_TIME_BUDGET,
        )
    return steps, budget


@dataclass(frozen=True)
class _Problem:
    """The checked data of one :func:`run` call and what every step needs of them."""

    xs: Array
    ts: Array
    key: str
    template: Network
    config: TrainConfig
    seed: int
    full: bool
    """Every point in every step (batch size 0, or at least the number of points)."""
    batch: int
    floor: float
    """The least best loss divergence is judged against."""

    @classmethod
    def of(cls, state: TrainState, x: ArrayLike, target: ArrayLike) -> _Problem:
        xs, ts = _check_data(x, target)
        n = xs.size
        cfg = state.config
        full = cfg.batch_size == 0 or cfg.batch_size >= n
        return cls(
            xs=xs,
            ts=ts,
            key=data_key(xs, ts),
            template=state.arch.template(),
            config=cfg,
            seed=state.seed,
            full=full,
            batch=n if full else cfg.batch_size,
            floor=DIVERGENCE_FLOOR * float(ts @ ts) / n + 1e-12,
        )

    def loss_at(self, theta: Array, grad: Array) -> tuple[float, Array]:
        """The MSE over all points at ``theta``, and the gradient the next step starts from:
        the full gradient there, or (mini-batches draw their own) ``grad`` unchanged."""
        net = with_parameters(self.template, theta)
        if self.full:
            return mse_gradient(net, self.xs, self.ts)
        err = net(self.xs) - self.ts
        return float(err @ err) / self.xs.size, grad

    def next_batch(self, epoch: int, cursor: int) -> tuple[Array, int, int]:
        """The indices of the mini-batch at (``epoch``, ``cursor``) and the position after it."""
        n = self.xs.size
        idx = _permutation(self.seed, epoch, n)[cursor : cursor + self.batch]
        cursor += idx.size
        if cursor >= n:
            return idx, epoch + 1, 0
        return idx, epoch, cursor


@dataclass
class _Progress:
    """How far a :func:`run` call has got: what its new state holds, and the last gradient."""

    theta: Array
    moment1: Array
    moment2: Array
    step: int
    opt_step: int
    epoch: int
    cursor: int
    best: float | None
    grad: Array | None = None
    losses: list[float] = field(default_factory=list)

    @classmethod
    def start(cls, state: TrainState, problem: _Problem) -> _Progress:
        epoch, cursor = state.epoch, state.cursor
        if cursor >= problem.xs.size:  # the data shrank since the last call: start a new shuffle
            epoch, cursor = epoch + 1, 0
        return cls(
            theta=state.theta,
            moment1=state.moment1,  # type: ignore[arg-type]
            moment2=state.moment2,  # type: ignore[arg-type]
            step=state.step,
            opt_step=state.opt_step,
            epoch=epoch,
            cursor=cursor,
            best=state.best_loss if state.data_key == problem.key else None,
        )

    def record(self, loss: float) -> None:
        """Keep ``loss`` as the best if it is lower (or the first)."""
        self.best = loss if self.best is None else min(self.best, loss)

    def explodes(self, loss: float, floor: float) -> bool:
        """Whether ``loss`` is beyond :data:`DIVERGENCE_FACTOR` times the best (at least
        ``floor``)."""
        return self.best is not None and loss > DIVERGENCE_FACTOR * max(self.best, floor)

    def finish(self, state: TrainState, key: str, reason: str) -> tuple[TrainState, Array]:
        """The new state, stopped for ``reason``, and the losses after each step taken."""
        new = replace(
            state,
            theta=self.theta,
            moment1=self.moment1,
            moment2=self.moment2,
            step=self.step,
            opt_step=self.opt_step,
            epoch=self.epoch,
            cursor=self.cursor,
            best_loss=self.best,
            data_key=key if self.best is not None else "",
            stop=reason,
        )
        return new, np.array(self.losses, dtype=float)


def _start_loss(progress: _Progress, problem: _Problem) -> str:
    """The full loss and gradient at the starting weights: "nonfinite" if the loss is, else ""."""
    net = with_parameters(problem.template, progress.theta)
    loss, progress.grad = mse_gradient(net, problem.xs, problem.ts)
    if not math.isfinite(loss):
        return "nonfinite"
    progress.record(loss)
    return ""


def _take_steps(
    progress: _Progress, problem: _Problem, steps: int, time_up: Callable[[], bool]
) -> str:
    """Up to ``steps`` steps, the clock asked before each after the first; why they stopped."""
    for i in range(steps):
        if i > 0 and time_up():
            return "time"
        reason = _step(progress, problem)
        if reason:
            return reason
    return "steps"


def _step(p: _Progress, problem: _Problem) -> str:
    """One optimiser step, taken ("") or refused for the stop reason returned, ``p`` unchanged."""
    epoch, cursor, grad = p.epoch, p.cursor, p.grad
    if not problem.full:
        idx, epoch, cursor = problem.next_batch(p.epoch, p.cursor)
        net = with_parameters(problem.template, p.theta)
        _, grad = mse_gradient(net, problem.xs[idx], problem.ts[idx])
    if not np.all(np.isfinite(grad)):
        return "nonfinite"
    theta, m1, m2 = _update(problem.config, p, grad)
    if not (np.all(np.isfinite(theta)) and np.all(np.isfinite(m1))):
        return "nonfinite"
    loss, new_grad = problem.loss_at(theta, grad)
    if not math.isfinite(loss) or (problem.full and not np.all(np.isfinite(new_grad))):
        return "nonfinite"
    if p.explodes(loss, problem.floor):
        return "exploded"
    p.theta, p.moment1, p.moment2, p.grad = theta, m1, m2, new_grad
    p.step, p.opt_step, p.epoch, p.cursor = p.step + 1, p.opt_step + 1, epoch, cursor
    p.record(loss)
    p.losses.append(loss)
    return ""


def _update(cfg: TrainConfig, p: _Progress, grad: Array) -> tuple[Array, Array, Array]:
    """The weights and moments after one step of the configured optimiser from ``p``."""
    if cfg.optimizer == "adam":
        return adam_step(
            p.theta,
            grad,
            p.moment1,
            p.moment2,
            p.opt_step + 1,
            cfg.learning_rate,
            cfg.beta1,
            cfg.beta2,
            cfg.eps,
        )
    theta, velocity = sgd_step(p.theta, grad, p.moment1, cfg.learning_rate, cfg.momentum)
    return theta, velocity, p.moment2
