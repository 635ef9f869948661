"""Gradient-descent training of a small dense network on a 1-D problem, a bounded call at a time.

The dashboard keeps a training run in the browser: a :class:`TrainState` (architecture, weights,
optimiser moments, step counts, the mini-batch position and the settings) turns into a plain
JSON-able dict and back exactly, so any server worker can take the next call of :func:`run`,
which does several steps, never takes much longer than its time budget, and stops by itself
when the loss diverges, handing back the last weights whose loss was finite.

Everything a user can choose is checked and refused with a :class:`TrainError`, whose ``key``
and ``fields`` name a translatable message (``train.error.*`` in the locale files).

- ``limits``: the limits and :class:`TrainError`;
- ``architecture``: :class:`Architecture`, parameter names, initial weights;
- ``optimisers``: :class:`TrainConfig`, one SGD or Adam step;
- ``state``: :class:`TrainState` and its JSON codec;
- ``loop``: :func:`run`.
"""

from __future__ import annotations

from dashboard.model.train.architecture import (
    HE_KEYS,
    Architecture,
    init_parameters,
    init_scheme,
    parameter_names,
    unit_parameter_names,
)
from dashboard.model.train.limits import (
    DIVERGENCE_FACTOR,
    DIVERGENCE_FLOOR,
    LEARNING_RATE_RANGE,
    MAX_LAYERS,
    MAX_POINTS,
    MAX_SEED,
    MAX_STEPS_PER_CALL,
    MAX_TIME_BUDGET,
    MAX_UNITS,
    OPTIMIZERS,
    STOP_REASONS,
    TrainError,
)
from dashboard.model.train.loop import data_key, run
from dashboard.model.train.optimisers import TrainConfig, adam_step, sgd_step
from dashboard.model.train.state import STATE_VERSION, TrainState, init_state

__all__ = [
    "DIVERGENCE_FACTOR",
    "DIVERGENCE_FLOOR",
    "HE_KEYS",
    "LEARNING_RATE_RANGE",
    "MAX_LAYERS",
    "MAX_POINTS",
    "MAX_SEED",
    "MAX_STEPS_PER_CALL",
    "MAX_TIME_BUDGET",
    "MAX_UNITS",
    "OPTIMIZERS",
    "STATE_VERSION",
    "STOP_REASONS",
    "Architecture",
    "TrainConfig",
    "TrainError",
    "TrainState",
    "adam_step",
    "data_key",
    "init_parameters",
    "init_scheme",
    "init_state",
    "parameter_names",
    "run",
    "sgd_step",
    "unit_parameter_names",
]
