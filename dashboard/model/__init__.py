"""Pure NumPy core: activations and dense networks. Knows nothing of Dash, Plotly or pandas."""

from __future__ import annotations

from typing import Any

from dashboard.model.activations import ACTIVATIONS, GALLERY_ORDER, Activation, get_activation
from dashboard.model.formula import Formula, FormulaError, parse
from dashboard.model.gradients import (
    Score,
    jacobian,
    mse_gradient,
    parameter_vector,
    score,
    with_parameters,
)
from dashboard.model.network import Dense, Forward, Network

# The fitting names import scipy.optimize (most of a second); they load on first use. The
# function ``fit`` itself stays ``dashboard.model.fit.fit``: the package attribute ``fit`` is
# that submodule.
_LAZY = {"FitResult"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from dashboard.model import fit as _fit

        return getattr(_fit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACTIVATIONS",
    "GALLERY_ORDER",
    "Activation",
    "Dense",
    "FitResult",
    "Formula",
    "FormulaError",
    "Forward",
    "Network",
    "Score",
    "get_activation",
    "jacobian",
    "mse_gradient",
    "parameter_vector",
    "parse",
    "score",
    "with_parameters",
]
