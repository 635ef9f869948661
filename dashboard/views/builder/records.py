"""The builder's records and what its controls say: pure functions, no callbacks.

An architecture travels in the "arch" store as :func:`arch_record`; the controls (layers,
units, activations, seed, learning rate, optimiser, batch) are read into the trainer's types
or a message naming the limit they break; a selected unit is checked against the network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dashboard.i18n import t
from dashboard.model.train import (
    MAX_LAYERS,
    MAX_SEED,
    MAX_UNITS,
    Architecture,
    TrainConfig,
    TrainError,
    TrainState,
    init_state,
)
from dashboard.netspec import (
    DEFAULT_ACTIVATION,
    DEFAULT_CONFIG,
    DEFAULT_SEED,
    DEFAULT_WIDTHS,
    GRID,
    spec_for,
)
from dashboard.sections import ApproxSpec
from dashboard.train_text import error_text


def arch_record(arch: Architecture) -> dict[str, list[Any]]:
    """What the "arch" store holds: the widths and the activations."""
    return {"widths": list(arch.widths), "activations": list(arch.activations)}


def arch_of(record: Any) -> Architecture | None:
    """The architecture an "arch" store holds, or None if it holds nothing valid."""
    if not isinstance(record, Mapping):
        return None
    widths, acts = record.get("widths"), record.get("activations")
    if not isinstance(widths, list) or not isinstance(acts, list):
        return None
    try:
        return Architecture(tuple(widths), tuple(acts))
    except TrainError:
        return None


def spec_of(arch: Architecture) -> ApproxSpec:
    return spec_for(arch.widths, arch.activations)


def default_state() -> TrainState:
    arch = Architecture(DEFAULT_WIDTHS, (DEFAULT_ACTIVATION,) * len(DEFAULT_WIDTHS))
    return init_state(arch, DEFAULT_CONFIG, DEFAULT_SEED, (GRID.lo, GRID.hi))


def whole(value: Any) -> int | None:
    """A typed whole number (an integral float counts), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    return int(value)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def read_architecture(
    layers: Any, units: Sequence[Any], activations: Sequence[Any], lang: str
) -> tuple[Architecture | None, str]:
    """The architecture the controls describe, or None and a message naming the limit."""
    n = whole(layers)
    if n is None or not 1 <= n <= MAX_LAYERS or len(units) < n or len(activations) < n:
        if layers is None:  # the box holds no number (empty, or text the browser refused)
            return None, t(lang, "builder.error.layers_blank", max=MAX_LAYERS)
        return None, t(lang, "builder.error.layers", value=_shown(layers), max=MAX_LAYERS)
    widths = []
    for k in range(n):
        w = whole(units[k])
        if w is None or not 1 <= w <= MAX_UNITS:
            key = "builder.error.units_blank" if units[k] is None else "builder.error.units"
            return None, t(lang, key, layer=k + 1, value=_shown(units[k]), max=MAX_UNITS)
        widths.append(w)
    try:
        return Architecture(tuple(widths), tuple(activations[:n])), ""
    except TrainError as e:
        return None, error_text(lang, e)


def read_seed(seed: Any, lang: str) -> tuple[int | None, str]:
    s = whole(seed)
    if s is None or not 0 <= s <= MAX_SEED:
        return None, t(lang, "train.error.seed", max=MAX_SEED)
    return s, ""


def read_config(lr: Any, optimizer: Any, batch: Any, lang: str) -> tuple[TrainConfig | None, str]:
    """Training settings from the controls, or None and a message."""
    if isinstance(lr, bool) or not isinstance(lr, int | float) or not math.isfinite(lr):
        return None, t(lang, "builder.error.lr", value=_shown(lr))
    try:
        return TrainConfig(str(optimizer), float(lr), batch_size=batch), ""
    except TrainError as e:
        return None, error_text(lang, e)


def theta_of(spec: ApproxSpec, values: Mapping[str, float]) -> np.ndarray:
    """The flat parameter vector of named values (``parameter_vector`` order)."""
    return np.array([values[n] for n in spec.theta_names], dtype=float)


def selected_unit(record: Any, arch: Architecture) -> tuple[int, int] | None:
    """The (layer, unit) a "selected" store names, if it is a unit of ``arch`` (not x)."""
    if not isinstance(record, list) or len(record) != 2:
        return None
    layer, unit = (whole(v) for v in record)
    sizes = (1, *arch.widths, 1)
    if layer is None or unit is None or not 1 <= layer < len(sizes):
        return None
    return (layer, unit) if 1 <= unit <= sizes[layer] else None
