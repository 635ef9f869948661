"""The network builder's problem, defaults and spec, free of any UI library.

The builder tab (``views/builder``), its links (``dashboard/links``) and its exercise table
(``exercises``) all read these, so a link or an exercise opens exactly the network the tab
would build.
"""

from __future__ import annotations

from functools import lru_cache

from dashboard.model.train import TrainConfig, parameter_names, unit_parameter_names
from dashboard.sections import ApproxSpec, Grid, Param

TAB = "builder"
GRID = Grid(-3.0, 3.0, 1000)
"""The builder's own problem: x² on [−3, 3] (1,000 points, the training data too)."""
GOAL = 0.09
"""RMSE goal on that problem: 1 % of x²'s span there (0 … 9)."""
Y_RANGE = (-2.0, 10.0)
SLIDER_HALF_WIDTH = 10.0
"""Sliders range over ±10, widened to hold any value training or Fit gives them."""
DEFAULT_WIDTHS = (4,)
DEFAULT_UNITS = 4
"""Units of a hidden layer the student has not set."""
DEFAULT_ACTIVATION = "tanh"
DEFAULT_SEED = 0
DEFAULT_CONFIG = TrainConfig("adam", 0.03)
BATCH_CHOICES = (0, 16, 64, 256)
"""Batch sizes offered: 0 is the full batch (every point in every step)."""


@lru_cache(maxsize=64)
def spec_for(widths: tuple[int, ...], activations: tuple[str, ...]) -> ApproxSpec:
    """The approximation spec of an architecture: parameters named as ``parameter_names``
    (``w{l}_{i}_{j}``, ``b{l}_{j}``), grouped per layer, unit by unit (weights into the unit,
    then its bias), which is also the order of the sliders on the page."""
    sizes = (1, *widths, 1)
    layers = tuple(
        (
            tuple(
                tuple(f"w{layer}_{i}_{j}" for j in range(1, sizes[layer] + 1))
                for i in range(1, sizes[layer - 1] + 1)
            ),
            tuple(f"b{layer}_{j}" for j in range(1, sizes[layer] + 1)),
        )
        for layer in range(1, len(sizes))
    )
    groups = tuple(
        (
            f"layer{layer}",
            tuple(
                n
                for unit in range(1, sizes[layer] + 1)
                for n in unit_parameter_names(widths, layer, unit)
            ),
        )
        for layer in range(1, len(sizes))
    )
    params = tuple(
        Param(n, 0.0, -SLIDER_HALF_WIDTH, SLIDER_HALF_WIDTH) for n in parameter_names(widths)
    )
    return ApproxSpec(
        key=TAB,
        layers=layers,
        params=params,
        groups=groups,
        target="square",
        grid=GRID,
        y_range=Y_RANGE,
        title_key="title.builder",
        layer_activations=activations,
        own_goal=GOAL,
    )
