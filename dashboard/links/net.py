"""The network builder's part of a link: its network, seed, training settings and weights.

::

    tab=builder&layers=8,8&acts=tanh,relu&seed=3&opt=sgd&lr=0.1&batch=64&w1_1_1=0.5&b1_1=-1&...

``layers`` the width of each hidden layer (1 to 4 layers of 1 to 8 units), ``acts`` each
layer's activation, ``seed`` the seed of the initial weights, ``opt`` the optimiser, ``lr``
the learning rate (above 0, up to 100), ``batch`` the batch size (0: every point in every step,
16, 64 or 256), then every weight and bias by its name (``model.train.parameter_names``); left
out entirely: the seeded initial weights of that network on the link's interval. A link leaves
out each group that holds its default (and the weights when they are the seeded ones), so a
fresh network's link is short: ``tab=builder&layers=2,4&seed=7``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from dashboard import netspec
from dashboard.links.schema import NETWORK, ROWS, TARGET, TRAINING, WEIGHTS, TabLinks
from dashboard.links.state import Net, ViewState, seeded_weights
from dashboard.model import ACTIVATIONS
from dashboard.model.train import (
    LEARNING_RATE_RANGE,
    MAX_LAYERS,
    MAX_SEED,
    MAX_UNITS,
    OPTIMIZERS,
    TrainError,
    parameter_names,
)
from dashboard.numbers import NumberError, read_number
from dashboard.problem import Problem
from dashboard.sections import HARD_LIMIT

if TYPE_CHECKING:
    from dashboard.links.read import Reader

_WEIGHT_NAME = re.compile(r"[wb]\d+(?:_\d+){1,2}")
"""What a builder parameter's name looks like (``w2_1_3``, ``b1_4``), of any network."""


def _shown(text: str) -> str:
    from dashboard.links.read import shown

    return shown(text)


def _number(text: str) -> float:
    try:
        return read_number(text)
    except NumberError:
        return math.nan


# --- reading -------------------------------------------------------------------------------------


def _widths(read: Reader) -> tuple[int, ...] | None:
    """The link's layer widths (None: absent or unusable, with a notice when unusable)."""
    raw = read.take("layers")
    if raw is None:
        return None
    parts = [p.strip() for p in raw.split(",")]
    if not 1 <= len(parts) <= MAX_LAYERS:
        read.note("url.net_layers", value=_shown(raw), max=MAX_LAYERS)
        read.shaped = False
        return None
    got = []
    for k, part in enumerate(parts, start=1):
        w = _number(part)
        if not (w.is_integer() and 1 <= w <= MAX_UNITS):
            read.note("url.net_units", layer=k, value=_shown(part), max=MAX_UNITS)
            read.shaped = False
            return None
        got.append(int(w))
    return tuple(got)


def _activations(read: Reader, widths: tuple[int, ...]) -> tuple[str, ...]:
    default = netspec.DEFAULT_ACTIVATION
    acts = [default] * len(widths)
    raw = read.take("acts")
    if raw is None or not read.shaped:
        return tuple(acts)
    given = [a.strip().lower() for a in raw.split(",")]
    if len(given) != len(widths):
        read.note("url.net_acts_count", count=len(given), layers=len(widths), default=default)
    for k, key in enumerate(given[: len(widths)]):
        if key in ACTIVATIONS:
            acts[k] = key
        else:
            read.note("url.bad_activation", value=_shown(key), default=default)
    return tuple(acts)


def _whole_in(read: Reader, key: str, default: int, lo: int, hi: int) -> int:
    """``key`` as a whole number in [lo, hi], or ``default`` and a notice."""
    text = read.values.get(key)
    value = read.number(key, float(default), lo, hi)
    if text is not None and not value.is_integer():
        read.note("url.not_whole", key=_shown(key), value=_shown(text))
        return default
    return int(value)


def _network(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    """The widths, activations and seed of the link's network; when its widths cannot be
    used, the usual network (and its weights cannot be kept)."""
    usual = Net()
    read.missing(("layers", "acts"))
    read.shaped = not read.duplicated & {"layers"}
    widths = _widths(read)
    if widths is None or not read.shaped:
        widths = usual.widths
    acts = _activations(read, widths)
    seed = _whole_in(read, "seed", usual.seed, 0, MAX_SEED)
    return replace(state, net=replace(usual, widths=widths, activations=acts, seed=seed))


def _optimizer(read: Reader, usual: str) -> str:
    key, raw = read.word("opt", OPTIMIZERS)
    if raw is not None and key is None:
        read.note("url.bad_optimizer", value=_shown(raw), default=usual)
    return key or usual


def _lr(read: Reader, usual: float) -> float:
    raw = read.take("lr")
    if raw is None:
        return usual
    lo, hi = LEARNING_RATE_RANGE
    value = _number(raw)
    if lo < value <= hi:
        return value
    read.note("url.bad_lr", value=_shown(raw), hi=float(hi), default=float(usual))
    return usual


def _batch(read: Reader, usual: int) -> int:
    raw = read.take("batch")
    if raw is None:
        return usual
    value = _number(raw)
    if value in netspec.BATCH_CHOICES:
        return int(value)
    choices = ", ".join(str(b) for b in netspec.BATCH_CHOICES)
    read.note("url.bad_batch", value=_shown(raw), choices=choices)
    return usual


def _training(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    read.missing(("opt", "lr", "batch"))
    usual = state.net or Net()
    net = replace(
        usual,
        optimizer=_optimizer(read, usual.optimizer),
        lr=_lr(read, usual.lr),
        batch=_batch(read, usual.batch),
    )
    return replace(state, net=net)


def _weights(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    """The weights of the link's network; those left out take the seeded ones."""
    net, problem = state.net or Net(), state.problem
    assert problem is not None  # the builder has a target, read before its weights
    seeded = seeded_weights(net, problem)
    names = parameter_names(net.widths)
    if read.shaped:
        absent = [n for n in names if not read.has(n)]
        if absent and len(absent) < len(names):
            read.note("url.net_weights_missing", keys=_shown(", ".join(absent)), seed=str(net.seed))
        values = {n: read.number(n, seeded[n], -HARD_LIMIT, HARD_LIMIT) for n in names}
        return replace(state, values=values)
    # weights of a network that could not be built: none of them fits the usual one
    dropped = [k for k in (*read.values, *read.duplicated) if _WEIGHT_NAME.fullmatch(k)]
    for key in dropped:
        read.take(key)
    if dropped:
        read.note("url.net_weights_dropped", seed=str(net.seed))
    return replace(state, values=seeded)


READERS = ((NETWORK, _network), (TRAINING, _training))
"""The builder's groups read before its target."""
WEIGHT_READERS = ((WEIGHTS, _weights),)
"""Read after the target: the seeded weights depend on the problem's interval."""


# --- writing -------------------------------------------------------------------------------------


def values(net: Net) -> dict[tuple[str, str], Any]:
    """The network's keys' values, by (group, key)."""
    return {
        (NETWORK, "layers"): list(net.widths),
        (NETWORK, "acts"): list(net.activations),
        (NETWORK, "seed"): net.seed,
        (TRAINING, "opt"): net.optimizer,
        (TRAINING, "lr"): net.lr,
        (TRAINING, "batch"): net.batch,
    }


def _rows(group: str, *keys: str) -> set[tuple[str, str]]:
    return {(r.group, r.key) for r in ROWS if r.group == group and (not keys or r.key in keys)}


def left_out(state: ViewState) -> frozenset[tuple[str, str]]:
    """The builder's rows a link leaves out: each group that holds its default, the weights
    when they are the seeded ones."""
    net, usual = state.net, Net()
    assert net is not None and state.problem is not None  # check() saw to it
    out: set[tuple[str, str]] = set()
    if (net.widths, net.activations) == (usual.widths, usual.activations):
        out |= _rows(NETWORK, "layers", "acts")
    if net.seed == usual.seed:
        out |= _rows(NETWORK, "seed")
    if (net.optimizer, net.lr, net.batch) == (usual.optimizer, usual.lr, usual.batch):
        out |= _rows(TRAINING)
    if state.problem == Problem.default(net.spec()):
        out |= _rows(TARGET, "target", "f", "a", "b", "beyond", "stack")
    if state.values == seeded_weights(net, state.problem):
        out |= _rows(WEIGHTS)
    return frozenset(out)


# --- checking ------------------------------------------------------------------------------------


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_shape(net: Net) -> None:
    if not isinstance(net.widths, tuple) or not all(_whole_number(w) for w in net.widths):
        raise ValueError(f"widths {net.widths!r} must be a tuple of whole numbers")
    if not isinstance(net.activations, tuple):
        raise ValueError("activations must be a tuple")
    try:
        net.architecture()
    except TrainError as e:
        raise ValueError(str(e)) from None


def check(state: ViewState) -> tuple[str, ...]:
    """The parameter names of a valid builder state (ValueError for an invalid one)."""
    net = state.net
    if not isinstance(net, Net):
        raise ValueError("a builder state needs its network")
    _check_shape(net)
    if not (_whole_number(net.seed) and 0 <= net.seed <= MAX_SEED):
        raise ValueError(f"seed {net.seed!r} must be a whole number 0 to {MAX_SEED}")
    if net.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimiser {net.optimizer!r}")
    lo, hi = LEARNING_RATE_RANGE
    if not (isinstance(net.lr, float) and math.isfinite(net.lr) and lo < net.lr <= hi):
        raise ValueError(f"learning rate {net.lr!r} must be a float in ({lo:g}, {hi:g}]")
    if not _whole_number(net.batch) or net.batch not in netspec.BATCH_CHOICES:
        raise ValueError(f"batch {net.batch!r} must be one of {netspec.BATCH_CHOICES}")
    return parameter_names(net.widths)
