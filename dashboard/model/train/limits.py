"""What a training run accepts: the limits, and the :class:`TrainError` that refuses the rest.

Every refusal names a translatable message ``train.error.<key>`` (in the locale files) with
fields; the readers here turn JSON numbers into Python ones or say they cannot.
"""

from __future__ import annotations

import math
from typing import Any

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


class TrainError(ValueError):
    """A choice the trainer refuses; ``key`` and ``fields`` name a translatable message.

    ``str(error)`` is a plain English description for logs; a user interface shows
    ``t(lang, error.key, **error.fields)`` instead.
    """

    def __init__(self, key: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.key = key
        self.fields = fields


def error(key: str, message: str, **fields: Any) -> TrainError:
    """The refusal with message ``train.error.<key>``."""
    return TrainError(f"train.error.{key}", message, **fields)


def state_error(name: str) -> TrainError:
    """The refusal of a stored training state whose part ``name`` is malformed."""
    return error("state", f"malformed training state: {name}", field=name)


def as_int(value: Any) -> int | None:
    """``value`` as an int if it is one (an integral float from JSON counts), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_float(value: Any) -> float | None:
    """``value`` as a finite float if it is a real number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def check_seed(seed: Any) -> int:
    """``seed`` as an int in 0 … :data:`MAX_SEED`, or :class:`TrainError`."""
    s = as_int(seed)
    if s is None or not 0 <= s <= MAX_SEED:
        raise error("seed", f"the seed must be a whole number 0 … {MAX_SEED}", max=MAX_SEED)
    return s
