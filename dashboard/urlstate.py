"""A tab's whole state in a link's query string, and back.

:func:`encode` writes short readable keys, numbers in their shortest exact form::

    tab=square2&lang=ru&act=elu&w1=0.3&b1=-3.45&...&p.alpha=1.2&target=sin&a=-5&b=5&beyond=1

:func:`decode` reads any text and never raises: a link that was tampered with or has gone stale
(unknown names, non-numbers, values out of range, keys missing or given twice, garbage) gives
the defaults for its bad parts and one notice per problem (:class:`~dashboard.i18n.Message`
values, to render in English or Russian).

The keys:

===========  ==================================================================================
``tab``      gallery, neuron, square2, sin3 or deep
``lang``     en or ru; absent: the browser's language
``act``      the activation key
``w1``, ...  every network parameter of the tab, by its name (``w``, ``b`` on the neuron tab)
``p.alpha``  every parameter of the chosen activation (``p.slope``, ``p.beta``, ...)
``target``   the target of an approximation tab, ``f`` its formula (target=formula), ``a`` and
             ``b`` the interval, ``beyond=1`` and ``stack=1`` the view flags
``ov``       overlays of the neuron and gallery tabs, comma-separated (``derivative,marks``)
``hide``     controls an instructor hides, comma-separated (see :func:`controls`)
``lock``     ``1``: the target controls are locked (approximation tabs)
``goal``     the RMSE that counts as success, a positive number (approximation tabs)
===========  ==================================================================================

The network builder (``tab=builder``) has keys of its own, and the target keys above::

    tab=builder&layers=8,8&acts=tanh,relu&seed=3&opt=sgd&lr=0.1&batch=64&w1_1_1=0.5&b1_1=-1&...

===========  ==================================================================================
``layers``   the width of each hidden layer, comma-separated (1 to 4 layers of 1 to 8 units)
``acts``     each hidden layer's activation, comma-separated, one per layer
``seed``     the seed of the initial weights (a whole number)
``opt``      the optimiser, ``adam`` or ``sgd``; ``lr`` the learning rate (above 0, up to
             100); ``batch`` the batch size (0: every point in every step, 16, 64 or 256)
``w1_1_1``   every weight and bias by its name (``model.train.parameter_names``); left out
             entirely: the seeded initial weights of that network on the link's interval
===========  ==================================================================================

:func:`encode` leaves out each builder group that holds its default (and the weights when they
are the seeded ones), so a fresh network's link is short: ``tab=builder&layers=2,4&seed=7``.

Tabs outside :data:`STATE_TABS` and the builder are linked by ``tab`` and ``lang`` only.

A group left out entirely (no parameter at all, no target key at all) keeps its defaults without
a notice, so ``?tab=sin3`` is a valid short link; a group given in part gets a notice naming
what is missing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np

from dashboard import netspec
from dashboard.i18n import LANGUAGES, Message
from dashboard.ids import TAB_KEYS
from dashboard.model import ACTIVATIONS
from dashboard.model.train import (
    LEARNING_RATE_RANGE,
    MAX_LAYERS,
    MAX_SEED,
    MAX_UNITS,
    OPTIMIZERS,
    Architecture,
    TrainError,
    init_parameters,
    parameter_names,
)
from dashboard.numbers import NumberError, read_number, shortest
from dashboard.problem import LIMIT, TARGET_KEYS, Problem, ProblemError, build
from dashboard.sections import HARD_LIMIT, NEURON_PARAMS, SPECS_BY_KEY, ApproxSpec

DEFAULT_TAB = TAB_KEYS[0]
STATE_TABS: tuple[str, ...] = ("gallery", "neuron", "square2", "sin3", "deep")
"""Tabs of fixed parameters whose whole state a link holds; the builder has its own keys
(:data:`BUILDER`); any other tab of TAB_KEYS is linked by name only."""
BUILDER = netspec.TAB
"""The network builder: its link holds the network, the seed, the weights and the training."""
BUILDER_CONTROLS: tuple[str, ...] = (
    "network",
    "seed",
    "training",
    "presets",
    "target",
    "parameters",
    "fit",
    "score",
    "hints",
    "diagram",
    "loss",
    "export",
)
"""The builder's controls an instructor may hide (their groups carry ``data-control``)."""
DEFAULT_ACTIVATION = "sigmoid"
OVERLAYS: Mapping[str, tuple[str, ...]] = {
    "gallery": ("derivative",),
    "neuron": ("derivative", "marks"),
}
"""The overlays each tab offers, in their order (figures_single.GALLERY_/NEURON_OVERLAYS)."""
DEFAULT_OVERLAYS: Mapping[str, tuple[str, ...]] = {"gallery": (), "neuron": ("marks",)}
"""What a tab draws over its curve when it opens (views.neuron.DEFAULT_OVERLAYS)."""
MAX_QUERY = 8000
"""Longest query string read; a longer one opens the defaults with a notice."""
MAX_FORMULA = 200
"""Longest formula (the formula box takes no more)."""
MAX_SHOWN = 40
"""Longest piece of a link a notice quotes."""
PARAM_PREFIX = "p."

_COMMON_CONTROLS = ("activation", "act_params")
_TAB_CONTROLS = ("presets", "upload", "download", "export")
_APPROX_CONTROLS = ("target", "fit", "best", "hints", "score")
_TRUE = ("1", "true", "on", "yes")
_FALSE = ("0", "false", "off", "no")


@dataclass(frozen=True)
class Net:
    """The builder's network and training settings (the weights are ``ViewState.values``)."""

    widths: tuple[int, ...] = netspec.DEFAULT_WIDTHS
    activations: tuple[str, ...] = (netspec.DEFAULT_ACTIVATION,) * len(netspec.DEFAULT_WIDTHS)
    seed: int = netspec.DEFAULT_SEED
    optimizer: str = netspec.DEFAULT_CONFIG.optimizer
    lr: float = netspec.DEFAULT_CONFIG.learning_rate
    batch: int = netspec.DEFAULT_CONFIG.batch_size

    def architecture(self) -> Architecture:
        return Architecture(self.widths, self.activations)

    def spec(self) -> ApproxSpec:
        return netspec.spec_for(self.widths, self.activations)


def seeded_weights(net: Net, problem: Problem) -> dict[str, float]:
    """The builder's initial weights of ``net`` from its seed, on the problem's interval
    (held within ±HARD_LIMIT: the first layer's weights scale with 1 / the interval's width)."""
    with np.errstate(all="ignore"):
        theta = init_parameters(net.architecture(), net.seed, (problem.lo, problem.hi))
    theta = np.nan_to_num(theta, nan=0.0).clip(-HARD_LIMIT, HARD_LIMIT)
    return dict(zip(parameter_names(net.widths), theta.tolist(), strict=True))


@dataclass(frozen=True)
class ViewState:
    """Everything a link restores on one tab.

    ``values``: every network parameter of the tab (none on the gallery); ``params``: every
    parameter of ``activation``; ``problem``: the target controls (approximation tabs only,
    else None); ``overlays``: what the neuron or gallery tab draws over its curve; ``lang``:
    None when the link leaves the language to the browser. Instructor options: ``hide``
    (names of hidden controls, :func:`controls`), ``lock`` (target locked), ``goal`` (the
    RMSE that counts as success; None: the usual goal). ``net``: the builder's network and
    training settings (None on every other tab), whose weights are ``values``.
    """

    activation: str = DEFAULT_ACTIVATION
    values: dict[str, float] = field(default_factory=dict)
    params: dict[str, float] = field(default_factory=dict)
    problem: Problem | None = None
    overlays: tuple[str, ...] = ()
    lang: str | None = None
    hide: tuple[str, ...] = ()
    lock: bool = False
    goal: float | None = None
    net: Net | None = None


def param_names(tab: str) -> tuple[str, ...]:
    """The network parameters a tab's link holds (none on the gallery)."""
    if tab == "neuron":
        return tuple(p.name for p in NEURON_PARAMS)
    if tab in SPECS_BY_KEY:
        return SPECS_BY_KEY[tab].names
    return ()


def _defaults(tab: str) -> dict[str, float]:
    if tab == "neuron":
        return {p.name: p.default for p in NEURON_PARAMS}
    if tab in SPECS_BY_KEY:
        return dict(SPECS_BY_KEY[tab].defaults)
    return {}


def controls(tab: str) -> tuple[str, ...]:
    """The names of the controls an instructor may hide on ``tab``, in page order."""
    if tab == BUILDER:
        return BUILDER_CONTROLS
    if tab not in STATE_TABS:
        return ()
    names: tuple[str, ...] = _COMMON_CONTROLS
    if tab in OVERLAYS:
        names += ("overlays",)
    if tab == "gallery":
        return names
    names += param_names(tab) + _TAB_CONTROLS
    if tab in SPECS_BY_KEY:
        names += _APPROX_CONTROLS
    return names


def default_state(tab: str) -> ViewState:
    """The state a tab opens with."""
    if tab not in TAB_KEYS:
        raise ValueError(f"unknown tab {tab!r}")
    spec = SPECS_BY_KEY.get(tab)
    if tab == BUILDER:
        net = Net()
        problem = Problem.default(net.spec())
        return ViewState(
            params=dict(ACTIVATIONS[DEFAULT_ACTIVATION].params),
            values=seeded_weights(net, problem),
            problem=problem,
            net=net,
        )
    if tab not in STATE_TABS:
        return ViewState(params=dict(ACTIVATIONS[DEFAULT_ACTIVATION].params))
    return ViewState(
        activation=DEFAULT_ACTIVATION,
        values=_defaults(tab),
        params=dict(ACTIVATIONS[DEFAULT_ACTIVATION].params),
        problem=Problem.default(spec) if spec else None,
        overlays=DEFAULT_OVERLAYS.get(tab, ()),
    )


# --- checking and writing ------------------------------------------------------------------------


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check(tab: str, state: ViewState) -> None:
    """Raise ValueError unless ``state`` is a state of ``tab`` a link can hold exactly."""
    if tab not in TAB_KEYS:
        raise ValueError(f"unknown tab {tab!r}")
    if tab not in (*STATE_TABS, BUILDER) and replace(state, lang=None) != default_state(tab):
        raise ValueError(f"a link to the {tab} tab holds its language only")
    if state.activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {state.activation!r}")
    names = param_names(tab)
    if tab == BUILDER:
        names = _check_net(state)
    elif state.net is not None:
        raise ValueError(f"the {tab} tab has no network of its own")
    if set(state.values) != set(names):
        raise ValueError(f"values must name exactly {names}")
    for name, value in state.values.items():
        if not (_finite(value) and abs(value) <= HARD_LIMIT):
            raise ValueError(f"{name} = {value!r} is not a number within ±{HARD_LIMIT:g}")
    ranges = {r.name: r for r in ACTIVATIONS[state.activation].param_ranges}
    if set(state.params) != set(ranges):
        raise ValueError(f"params must name exactly {sorted(ranges)}")
    for name, value in state.params.items():
        r = ranges[name]
        if not (_finite(value) and r.lo <= value <= r.hi):
            raise ValueError(f"p.{name} = {value!r} is outside {r.lo:g} to {r.hi:g}")
    spec = state.net.spec() if tab == BUILDER and state.net else SPECS_BY_KEY.get(tab)
    if spec is None:
        if state.problem is not None or state.lock or state.goal is not None:
            raise ValueError(f"the {tab} tab has no target, lock or goal")
    else:
        p = state.problem
        if p is None:
            raise ValueError("an approximation tab needs a problem")
        try:
            built = build(spec, p.target, p.formula, p.lo, p.hi, p.beyond, p.stack)
        except ProblemError as e:
            raise ValueError(f"bad problem: {e.key} {e.fields}") from None
        if built != p or len(p.formula) > MAX_FORMULA:
            raise ValueError(f"problem {p} does not read back as itself")
        if state.goal is not None and not (_finite(state.goal) and 0 < state.goal <= HARD_LIMIT):
            raise ValueError(f"goal {state.goal!r} must be a positive number up to {HARD_LIMIT:g}")
    allowed = OVERLAYS.get(tab, ())
    if tuple(o for o in allowed if o in state.overlays) != state.overlays:
        raise ValueError(f"overlays must be among {allowed}, in that order, once each")
    names = controls(tab)
    if tuple(c for c in names if c in state.hide) != state.hide:
        raise ValueError(f"hidden controls must be among {names}, in that order, once each")
    if state.lang is not None and state.lang not in LANGUAGES:
        raise ValueError(f"unknown language {state.lang!r}")
    if not isinstance(state.lock, bool):
        raise ValueError("lock must be a bool")


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_net(state: ViewState) -> tuple[str, ...]:
    """The parameter names of a valid builder state (ValueError for an invalid one)."""
    net = state.net
    if not isinstance(net, Net):
        raise ValueError("a builder state needs its network")
    if state.activation != DEFAULT_ACTIVATION or state.params or state.overlays:
        raise ValueError("the builder's activations are its layers'")
    if not isinstance(net.widths, tuple) or not all(_whole_number(w) for w in net.widths):
        raise ValueError(f"widths {net.widths!r} must be a tuple of whole numbers")
    if not isinstance(net.activations, tuple):
        raise ValueError("activations must be a tuple")
    try:
        net.architecture()
    except TrainError as e:
        raise ValueError(str(e)) from None
    if not (_whole_number(net.seed) and 0 <= net.seed <= MAX_SEED):
        raise ValueError(f"seed {net.seed!r} must be a whole number 0 to {MAX_SEED}")
    if net.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimiser {net.optimizer!r}")
    lo, hi = LEARNING_RATE_RANGE
    if not (_finite(net.lr) and isinstance(net.lr, float) and lo < net.lr <= hi):
        raise ValueError(f"learning rate {net.lr!r} must be a float in ({lo:g}, {hi:g}]")
    if not _whole_number(net.batch) or net.batch not in netspec.BATCH_CHOICES:
        raise ValueError(f"batch {net.batch!r} must be one of {netspec.BATCH_CHOICES}")
    return parameter_names(net.widths)


def is_valid(tab: str, state: ViewState) -> bool:
    try:
        check(tab, state)
    except ValueError:
        return False
    return True


def encode(tab: str, state: ViewState) -> str:
    """The query string (without ``?``) of ``state`` on ``tab``; ValueError for a bad state."""
    check(tab, state)
    pairs: list[tuple[str, str]] = [("tab", tab)]
    if state.lang is not None:
        pairs.append(("lang", state.lang))
    if tab == BUILDER:
        return urlencode(pairs + _net_pairs(state), safe=",")
    if tab not in STATE_TABS:
        return urlencode(pairs, safe=",")
    pairs.append(("act", state.activation))
    pairs += [(n, shortest(state.values[n])) for n in param_names(tab)]
    pairs += [
        (PARAM_PREFIX + r.name, shortest(state.params[r.name]))
        for r in ACTIVATIONS[state.activation].param_ranges
    ]
    if state.problem is not None:
        pairs += _problem_pairs(state.problem)
    if tab in OVERLAYS:
        pairs.append(("ov", ",".join(state.overlays)))
    return urlencode(pairs + _option_pairs(state), safe=",")


def _problem_pairs(p: Problem) -> list[tuple[str, str]]:
    pairs = [("target", p.target)]
    if p.target == "formula":
        pairs.append(("f", p.formula))
    pairs += [("a", shortest(p.lo)), ("b", shortest(p.hi))]
    pairs += [(flag, "1") for flag in ("beyond", "stack") if getattr(p, flag)]
    return pairs


def _net_pairs(state: ViewState) -> list[tuple[str, str]]:
    """The builder's keys, each group left out when it holds its default."""
    net, usual = state.net, Net()
    assert net is not None and state.problem is not None  # check() saw to it
    pairs: list[tuple[str, str]] = []
    if (net.widths, net.activations) != (usual.widths, usual.activations):
        pairs.append(("layers", ",".join(str(w) for w in net.widths)))
        pairs.append(("acts", ",".join(net.activations)))
    if net.seed != usual.seed:
        pairs.append(("seed", str(net.seed)))
    if (net.optimizer, net.lr, net.batch) != (usual.optimizer, usual.lr, usual.batch):
        pairs += [("opt", net.optimizer), ("lr", shortest(net.lr)), ("batch", str(net.batch))]
    if state.problem != Problem.default(net.spec()):
        pairs += _problem_pairs(state.problem)
    if state.values != seeded_weights(net, state.problem):
        pairs += [(n, shortest(state.values[n])) for n in parameter_names(net.widths)]
    return pairs + _option_pairs(state)


def _option_pairs(state: ViewState) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if state.hide:
        pairs.append(("hide", ",".join(state.hide)))
    if state.lock:
        pairs.append(("lock", "1"))
    if state.goal is not None:
        pairs.append(("goal", shortest(state.goal)))
    return pairs


# --- reading -------------------------------------------------------------------------------------


def _shown(text: str) -> str:
    """A piece of a link as a notice quotes it: printable, at most MAX_SHOWN characters."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _query(text: object) -> str:
    """The query part of whatever came: ``?a=1``, ``a=1`` or a whole address."""
    if not isinstance(text, str):
        return ""
    text = text.strip()
    if "://" in text or text.startswith("/"):
        try:
            return urlsplit(text).query
        except ValueError:
            return ""
    return text.lstrip("?").split("#", 1)[0]


class _Reader:
    """One decode: the link's pairs, and the notices its problems raise."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.notices: list[Message] = []
        grouped: dict[str, list[str]] = {}
        for key, value in pairs:
            if key.strip() or value.strip():  # "&&" or "&=&" leave empty pairs: nothing to read
                grouped.setdefault(key.strip().lower(), []).append(value)
        self.values: dict[str, str] = {}
        for key, values in grouped.items():
            if len(values) > 1:
                self.note("url.duplicate", key=_shown(key))
            else:
                self.values[key] = values[0]
        self.duplicated = {k for k, v in grouped.items() if len(v) > 1}
        self.used: set[str] = set()

    def note(self, message: str, /, **fields: Any) -> None:
        self.notices.append(Message(message, fields))

    def has(self, key: str) -> bool:
        return key in self.values or key in self.duplicated

    def take(self, key: str) -> str | None:
        """The value of ``key`` (None if absent or given twice), marking it as read."""
        self.used.add(key)
        return self.values.get(key)

    def number(self, key: str, default: float, lo: float, hi: float) -> float:
        """``key`` as a number in [lo, hi], or ``default`` and a notice."""
        text = self.take(key)
        if text is None:
            return default
        try:
            value = read_number(text)
        except NumberError:
            self.note("url.not_number", key=_shown(key), value=_shown(text))
            return default
        if not lo <= value <= hi:
            self.note(
                "url.out_of_range",
                key=_shown(key),
                value=_shown(text),
                lo=float(lo),
                hi=float(hi),
            )
            return default
        return value

    def flag(self, key: str) -> bool:
        text = self.take(key)
        if text is None:
            return False
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word not in _FALSE:
            self.note("url.bad_flag", key=_shown(key), value=_shown(text))
        return False

    def names(self, key: str, allowed: Sequence[str], notice: str) -> tuple[str, ...] | None:
        """A comma-separated list of names among ``allowed`` (page order, each once), or None
        when the key is absent; unknown names are dropped with one notice."""
        text = self.take(key)
        if text is None:
            return None
        given = [n.strip().lower() for n in text.split(",") if n.strip()]
        unknown = [n for n in dict.fromkeys(given) if n not in allowed]
        if unknown:
            self.note(notice, names=_shown(", ".join(unknown)))
        return tuple(n for n in allowed if n in given)

    def missing(self, keys: Sequence[str]) -> None:
        """One notice naming the keys of a group that the link gives in part only."""
        absent = [k for k in keys if not self.has(k)]
        if absent and len(absent) < len(keys):
            self.note("url.missing", keys=_shown(", ".join(absent)))


def decode(query: object) -> tuple[str, ViewState, list[Message]]:
    """The tab, its state and the notices of a link's query string; never raises.

    Every part that cannot be used keeps its default and adds one notice; the state returned
    always passes :func:`check`.
    """
    text = _query(query)
    if len(text) > MAX_QUERY:
        tab = DEFAULT_TAB
        return tab, default_state(tab), [Message("url.too_long", {"limit": MAX_QUERY})]
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="replace")
    except ValueError:  # pragma: no cover - parse_qsl refuses nothing without strict parsing
        pairs = []
    read = _Reader(pairs)
    tab = DEFAULT_TAB
    raw_tab = read.take("tab")
    if raw_tab is not None:
        if raw_tab.strip().lower() in TAB_KEYS:
            tab = raw_tab.strip().lower()
        else:
            read.note("url.bad_tab", value=_shown(raw_tab))
    elif not read.has("tab") and any(k not in ("lang", "") for k in read.values):
        read.note("url.missing", keys="tab")
    state = default_state(tab)

    lang = None
    raw_lang = read.take("lang")
    if raw_lang is not None:
        if raw_lang.strip().lower() in LANGUAGES:
            lang = raw_lang.strip().lower()
        else:
            read.note("url.bad_lang", value=_shown(raw_lang))

    if tab == BUILDER:
        return tab, _decode_net(read, lang), read.notices

    if tab not in STATE_TABS:  # linked by name and language only; anything else is unknown
        unknown = [k for k in read.values if k not in read.used]
        if unknown:
            read.note("url.unknown", keys=_shown(", ".join(unknown)))
        return tab, replace(state, lang=lang), read.notices

    activation = DEFAULT_ACTIVATION
    raw_act = read.take("act")
    if raw_act is not None:
        key = raw_act.strip().lower()
        if key in ACTIVATIONS:
            activation = key
        else:
            read.note("url.bad_activation", value=_shown(raw_act), default=DEFAULT_ACTIVATION)

    names = param_names(tab)
    read.missing(names)
    values = {n: read.number(n, state.values[n], -HARD_LIMIT, HARD_LIMIT) for n in names}

    ranges = ACTIVATIONS[activation].param_ranges
    read.missing([PARAM_PREFIX + r.name for r in ranges])
    params = {r.name: read.number(PARAM_PREFIX + r.name, r.default, r.lo, r.hi) for r in ranges}
    own = {PARAM_PREFIX + r.name for r in ranges}
    every = {PARAM_PREFIX + r.name for a in ACTIVATIONS.values() for r in a.param_ranges}
    for key in sorted(k for k in read.values if k in every - own):
        read.take(key)
        read.note("url.no_such_param", key=_shown(key), activation=activation)

    problem, lock, goal = state.problem, False, None
    spec = SPECS_BY_KEY.get(tab)
    if spec is not None:
        problem = _problem(read, spec, problem)
        lock = read.flag("lock")
        goal = _goal(read)

    overlays = state.overlays
    if tab in OVERLAYS:
        chosen = read.names("ov", OVERLAYS[tab], "url.bad_overlays")
        overlays = state.overlays if chosen is None else chosen
    hide = read.names("hide", controls(tab), "url.bad_controls") or ()

    unknown = [k for k in read.values if k not in read.used]
    if unknown:
        read.note("url.unknown", keys=_shown(", ".join(unknown)))
    result = replace(
        state,
        activation=activation,
        values=values,
        params=params,
        problem=problem,
        overlays=overlays,
        lang=lang,
        hide=hide,
        lock=lock,
        goal=goal,
    )
    return tab, result, read.notices


def _problem(read: _Reader, spec: Any, default: Problem | None) -> Problem | None:
    """The target controls of an approximation tab from the link."""
    keys = ("target", "a", "b")
    if not any(read.has(k) for k in (*keys, "f", "beyond", "stack")):
        return default
    read.missing(keys)
    target = spec.target
    raw = read.take("target")
    if raw is not None:
        if raw.strip().lower() in TARGET_KEYS:
            target = raw.strip().lower()
        else:
            read.note("url.bad_target", value=_shown(raw))
    formula = read.take("f")
    if target == "formula" and formula is None:
        read.note("url.missing", keys="f")
        target = spec.target
    if target == "formula" and len(formula or "") > MAX_FORMULA:
        read.note("url.formula_too_long", limit=MAX_FORMULA)
        target = spec.target
    lo = read.number("a", spec.grid.lo, -LIMIT, LIMIT)
    hi = read.number("b", spec.grid.hi, -LIMIT, LIMIT)
    beyond, stack = read.flag("beyond"), read.flag("stack")
    text = formula if target == "formula" else ""
    own = (spec.grid.lo, spec.grid.hi)
    tries = [(target, text, lo, hi), (target, text, *own), (spec.target, "", lo, hi)]
    for k, (key, words, a, b) in enumerate(tries):
        try:
            return build(spec, key, words, a, b, beyond, stack)
        except ProblemError as e:
            if k == 0:  # one notice, for what the link asked; then keep what can be kept
                read.note("url.bad_problem", reason=Message(e.key, e.fields))
    return Problem(spec.target, "", *own, beyond, stack)


def _goal(read: _Reader) -> float | None:
    """The instructor's success threshold: a positive number up to HARD_LIMIT, or None."""
    text = read.take("goal")
    if text is None:
        return None
    try:
        value = read_number(text)
    except NumberError:
        value = math.nan
    if not 0 < value <= HARD_LIMIT:
        read.note("url.bad_goal", value=_shown(text), limit=HARD_LIMIT)
        return None
    return value


# --- the builder ---------------------------------------------------------------------------------

_WEIGHT_NAME = re.compile(r"[wb]\d+(?:_\d+){1,2}")
"""What a builder parameter's name looks like (``w2_1_3``, ``b1_4``), of any network."""


def _whole_in(read: _Reader, key: str, default: int, lo: int, hi: int) -> int:
    """``key`` as a whole number in [lo, hi], or ``default`` and a notice."""
    text = read.values.get(key)
    value = read.number(key, float(default), lo, hi)
    if text is not None and not value.is_integer():
        read.note("url.not_whole", key=_shown(key), value=_shown(text))
        return default
    return int(value)


def _architecture(read: _Reader) -> tuple[tuple[int, ...], tuple[str, ...], bool]:
    """The widths and activations of the link's network, and whether its widths could be
    used (when not, the usual network is used and its weights cannot be kept)."""
    usual = Net()
    read.missing(("layers", "acts"))
    widths, ok = usual.widths, not read.duplicated & {"layers"}
    raw = read.take("layers")
    if raw is not None:
        parts = [p.strip() for p in raw.split(",")]
        if not 1 <= len(parts) <= MAX_LAYERS:
            read.note("url.net_layers", value=_shown(raw), max=MAX_LAYERS)
            ok = False
        else:
            got = []
            for k, part in enumerate(parts, start=1):
                try:
                    w = read_number(part)
                except NumberError:
                    w = math.nan
                if not (w.is_integer() and 1 <= w <= MAX_UNITS):
                    read.note("url.net_units", layer=k, value=_shown(part), max=MAX_UNITS)
                    ok = False
                    break
                got.append(int(w))
            if ok:
                widths = tuple(got)
    if not ok:
        widths = usual.widths
    default = netspec.DEFAULT_ACTIVATION
    acts = [default] * len(widths)
    raw = read.take("acts")
    if raw is not None and ok:
        given = [a.strip().lower() for a in raw.split(",")]
        if len(given) != len(widths):
            read.note("url.net_acts_count", count=len(given), layers=len(widths), default=default)
        for k, key in enumerate(given[: len(widths)]):
            if key in ACTIVATIONS:
                acts[k] = key
            else:
                read.note("url.bad_activation", value=_shown(key), default=default)
    return widths, tuple(acts), ok


def _training(read: _Reader, usual: Net) -> tuple[str, float, int]:
    read.missing(("opt", "lr", "batch"))
    optimizer = usual.optimizer
    raw = read.take("opt")
    if raw is not None:
        if raw.strip().lower() in OPTIMIZERS:
            optimizer = raw.strip().lower()
        else:
            read.note("url.bad_optimizer", value=_shown(raw), default=optimizer)
    lr = usual.lr
    raw = read.take("lr")
    if raw is not None:
        lo, hi = LEARNING_RATE_RANGE
        try:
            value = read_number(raw)
        except NumberError:
            value = math.nan
        if lo < value <= hi:
            lr = value
        else:
            read.note("url.bad_lr", value=_shown(raw), hi=float(hi), default=float(lr))
    batch = usual.batch
    raw = read.take("batch")
    if raw is not None:
        try:
            value = read_number(raw)
        except NumberError:
            value = math.nan
        if value in netspec.BATCH_CHOICES:
            batch = int(value)
        else:
            choices = ", ".join(str(b) for b in netspec.BATCH_CHOICES)
            read.note("url.bad_batch", value=_shown(raw), choices=choices)
    return optimizer, lr, batch


def _decode_net(read: _Reader, lang: str | None) -> ViewState:
    """The builder's state from the link (after ``tab`` and ``lang``): every bad part keeps its
    default with a notice; weights left out take the seeded ones of the link's network."""
    usual = Net()
    widths, acts, shaped = _architecture(read)
    seed = _whole_in(read, "seed", usual.seed, 0, MAX_SEED)
    optimizer, lr, batch = _training(read, usual)
    net = Net(widths, acts, seed, optimizer, lr, batch)
    spec = net.spec()
    problem = _problem(read, spec, Problem.default(spec)) or Problem.default(spec)
    lock = read.flag("lock")
    goal = _goal(read)
    seeded = seeded_weights(net, problem)
    names = parameter_names(widths)
    if shaped:
        absent = [n for n in names if not read.has(n)]
        if absent and len(absent) < len(names):
            read.note("url.net_weights_missing", keys=_shown(", ".join(absent)), seed=str(seed))
        values = {n: read.number(n, seeded[n], -HARD_LIMIT, HARD_LIMIT) for n in names}
    else:  # weights of a network that could not be built: none of them fits the usual one
        dropped = [k for k in (*read.values, *read.duplicated) if _WEIGHT_NAME.fullmatch(k)]
        for key in dropped:
            read.take(key)
        if dropped:
            read.note("url.net_weights_dropped", seed=str(seed))
        values = seeded
    hide = read.names("hide", BUILDER_CONTROLS, "url.bad_controls") or ()
    unknown = [k for k in read.values if k not in read.used]
    if unknown:
        read.note("url.unknown", keys=_shown(", ".join(unknown)))
    return replace(
        default_state(BUILDER),
        values=values,
        problem=problem,
        lang=lang,
        hide=hide,
        lock=lock,
        goal=goal,
        net=net,
    )
