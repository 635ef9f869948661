"""Least-squares fitting of a network's parameters to a target, with the analytic Jacobian.

The fit starts from the network's current parameters (a slider setting or a preset) and is
bounded in function evaluations and wall-clock time so a dashboard callback can run it. It
never makes the RMSE worse and never hands back non-finite parameters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import least_squares

from dashboard.model.activations import Array
from dashboard.model.gradients import jacobian, parameter_vector, with_parameters
from dashboard.model.network import Network

DEFAULT_MAX_NFEV = 400
"""Default evaluation budget: enough for the two-neuron presets to get near the spec's RMSEs
(Sigmoid and TanH below 0.001, ELU about 0.03; ReLU types converge to 3.32 within 30), small
enough that the 22-parameter two-layer network on 1000 points stays well under a second."""

DEFAULT_TIME_LIMIT = 0.75
"""Default wall-clock cap in seconds, a safety net on slow machines (``None``: no cap)."""


@dataclass(frozen=True)
class FitResult:
    """What :func:`fit` did.

    ``success`` is False only when the fit could not be used (the optimizer produced non-finite
    values); ``network`` is then the start. Running out of budget or time is still a success:
    ``network`` is the best point found, and ``message`` says why the fit stopped.
    """

    network: Network
    rmse_before: float
    rmse_after: float
    nfev: int
    success: bool
    message: str
    elapsed: float = 0.0


class _TimeUp(Exception):
    """Raised from inside the residual function to stop the optimizer at the time limit."""


class _Problem:
    """Residuals and Jacobian of ``net(theta)(x) - target``, remembering the best point seen.

    The residual call computes the Jacobian at the same time and caches it: the optimizer asks
    for the Jacobian at (nearly) every point it evaluates, and backpropagation reuses the
    forward pass.
    """

    def __init__(self, net: Network, x: Array, target: Array, deadline: float | None) -> None:
        self.net = net
        self.x = x
        self.target = target
        self.deadline = deadline
        self.nfev = 0
        self.best_theta: Array | None = None
        self.best_cost = np.inf
        self._theta: Array | None = None
        self._jac: Array | None = None

    def _evaluate(self, theta: Array) -> tuple[Array, Array]:
        output, jac = jacobian(with_parameters(self.net, theta), self.x)
        self._theta = theta.copy()
        self._jac = jac
        return output - self.target, jac

    def residuals(self, theta: Array) -> Array:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise _TimeUp
        self.nfev += 1
        self._theta = None
        if not np.all(np.isfinite(theta)):
            # Steer the optimizer away without ever accepting this point.
            return np.full(self.x.shape, 1e100)
        res, jac = self._evaluate(theta)
        if not (np.all(np.isfinite(res)) and np.all(np.isfinite(jac))):
            self._theta = None
            return np.full(self.x.shape, 1e100)
        cost = float(res @ res)
        if cost < self.best_cost:
            self.best_cost = cost
            self.best_theta = theta.copy()
        return res

    def jac(self, theta: Array) -> Array:
        cached, self._theta = self._theta, None  # hand each cached Jacobian out only once
        if cached is not None and np.array_equal(theta, cached):
            return self._jac  # type: ignore[return-value]
        if not np.all(np.isfinite(theta)):
            return np.zeros((self.x.size, theta.size))
        _, jac = self._evaluate(theta)
        self._theta = None
        return np.nan_to_num(jac, nan=0.0, posinf=0.0, neginf=0.0)


_STALLED = 0.99
"""In ``"auto"`` mode, an LM run that ends with the RMSE above this fraction of the start is
handed to ``"trf"``."""


def fit(
    net: Network,
    x: ArrayLike,
    target: ArrayLike,
    *,
    max_nfev: int = DEFAULT_MAX_NFEV,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    method: str = "auto",
) -> FitResult:
    """Fit every parameter of ``net`` so that ``net(x)`` approaches ``target`` in least squares.

    Starts from the current parameters and uses the analytic Jacobian. ``method``:

    - ``"lm"``: SciPy's Levenberg-Marquardt (MINPACK). On the notebook's presets it gets as far
      per evaluation as the trust-region method at half the cost per step, and its linear
      algebra does not use BLAS threads, so a busy server does not slow it down.
    - ``"trf"``: SciPy's trust-region reflective method, scaled by the Jacobian's column norms.
      It keeps going from starts where LM gives up at once, such as the symmetric all-ones
      defaults of the two-layer tab (Leaky ReLU: RMSE 35.1 with LM, 1.3 with trf), but each step
      takes an SVD, which multi-threaded BLAS makes very slow on a loaded machine.
    - ``"auto"`` (default): LM; if it stops with the RMSE barely changed (above 99 % of the
      start), trf continues from its best point with the evaluations left. From the tabs'
      defaults and the presets (20 starts) this came closest to the best of the three, at
      about the cost of LM alone.

    LM needs at least as many points as parameters; with fewer, trf runs instead. The fit stops
    after ``max_nfev`` residual evaluations in all or ``time_limit`` seconds, whichever comes
    first, and returns the best parameters evaluated: the RMSE never gets worse.
    """
    started = time.perf_counter()
    x, target = _check_input(x, target, max_nfev, method)
    theta0 = parameter_vector(net)
    if x.size < theta0.size:
        method = "trf"
    with np.errstate(all="ignore"):
        start_err = net(x) - target
    rmse_before = float(np.sqrt(np.mean(start_err * start_err)))
    deadline = None if time_limit is None else started + time_limit
    problem = _Problem(net, x, target, deadline)

    def result(network: Network, rmse_after: float, success: bool, message: str) -> FitResult:
        elapsed = time.perf_counter() - started
        return FitResult(network, rmse_before, rmse_after, problem.nfev, success, message, elapsed)

    if not np.isfinite(rmse_before):
        return result(net, rmse_before, False, "the starting parameters give a non-finite output")
    if rmse_before == 0.0:
        return result(net, rmse_before, True, "already exact")
    start_cost = float(start_err @ start_err)
    problem.best_cost = start_cost
    problem.best_theta = theta0.copy()

    failure, notes = _descend(problem, _STAGES[method], max_nfev, time_limit, start_cost)
    if failure:
        return result(net, rmse_before, False, failure)
    best = problem.best_theta
    rmse_after = float(np.sqrt(problem.best_cost / x.size))
    if not (np.all(np.isfinite(best)) and np.isfinite(rmse_after)):  # pragma: no cover
        return result(net, rmse_before, False, "the optimizer produced non-finite parameters")
    return result(with_parameters(net, best), rmse_after, True, "; ".join(notes))


_STAGES = {"auto": ("lm", "trf"), "lm": ("lm",), "trf": ("trf",)}
"""The SciPy methods each ``method`` of :func:`fit` runs, in turn."""


def _check_input(
    x: ArrayLike, target: ArrayLike, max_nfev: int, method: str
) -> tuple[Array, Array]:
    """The points and targets as flat float arrays, or ValueError for what :func:`fit` refuses."""
    x = np.asarray(x, dtype=float).ravel()
    target = np.asarray(target, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("cannot fit to an empty grid")
    if target.shape != x.shape:
        raise ValueError(f"target has {target.size} values for {x.size} points")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(target))):
        raise ValueError("x and target must be finite")
    if max_nfev < 1:
        raise ValueError("max_nfev must be at least 1")
    if method not in _STAGES:
        raise ValueError(f"unknown method {method!r} (use 'auto', 'lm' or 'trf')")
    return x, target


def _descend(
    problem: _Problem,
    stages: tuple[str, ...],
    max_nfev: int,
    time_limit: float | None,
    start_cost: float,
) -> tuple[str, list[str]]:
    """Run the stages from the best point so far: (why the fit failed, or "", notes on each).

    The trust-region stage after LM runs only as a rescue: when LM stalled above
    :data:`_STALLED` of the starting RMSE and evaluations are left.
    """
    notes: list[str] = []
    for stage in stages:
        budget = max_nfev - problem.nfev
        if stage == "trf" and notes:  # the rescue after a stalled LM run
            if problem.best_cost < _STALLED**2 * start_cost or budget < 1:
                break
            notes.append("LM stalled, trust-region continued")
        try:
            with np.errstate(all="ignore"):
                solution = least_squares(
                    problem.residuals,
                    problem.best_theta.copy(),
                    jac=problem.jac,
                    method=stage,
                    x_scale="jac",
                    max_nfev=budget,
                )
        except _TimeUp:
            notes.append(f"stopped at the time limit of {time_limit:g} s")
            break
        except (ValueError, np.linalg.LinAlgError) as e:
            return f"the optimizer failed: {e}", notes
        if not np.all(np.isfinite(solution.x)):
            return "the optimizer produced non-finite parameters", notes
        if solution.status == 0 or problem.nfev >= max_nfev:
            notes.append(f"stopped after the budget of {max_nfev} evaluations")
            break
        notes.append(f"converged: {solution.message}")
    return "", notes
