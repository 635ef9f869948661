"""Reading a link: any text gives a tab, a valid state of it and one notice per problem.

:func:`decode` never raises: a link that was tampered with or has gone stale (unknown names,
non-numbers, values out of range, keys missing or given twice, garbage) gives the defaults for
its bad parts and one notice per problem (:class:`~dashboard.i18n.Message` values, rendered
in English or Russian). The groups of the tab's schema are read in the order of
:data:`READERS`; the builder's network groups are read by :mod:`dashboard.links.net`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from dashboard.i18n import LANGUAGES, Message
from dashboard.links.schema import (
    ACT,
    FLAG,
    OPTIONS,
    OVERLAYS,
    PARAM_PREFIX,
    PARAMS,
    ROWS,
    TARGET,
    TabLinks,
)
from dashboard.links.state import DEFAULT_ACTIVATION, ViewState, default_state
from dashboard.model import ACTIVATIONS
from dashboard.numbers import NumberError, read_number
from dashboard.problem import LIMIT, TARGET_KEYS, Problem, ProblemError, build
from dashboard.sections import HARD_LIMIT, ApproxSpec

MAX_QUERY = 8000
"""Longest query string read; a longer one opens the defaults with a notice."""
MAX_FORMULA = 200
"""Longest formula (the formula box takes no more)."""
MAX_SHOWN = 40
"""Longest piece of a link a notice quotes."""
_TRUE = ("1", "true", "on", "yes")
_FALSE = ("0", "false", "off", "no")
_FLAGS = tuple(r.key for r in ROWS if r.kind == FLAG and r.group == TARGET and r.key != "lock")
"""The problem's view flags (``beyond``, ``stack``)."""


def shown(text: str) -> str:
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


class Reader:
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
                self.note("url.duplicate", key=shown(key))
            else:
                self.values[key] = values[0]
        self.duplicated = {k for k, v in grouped.items() if len(v) > 1}
        self.used: set[str] = set()
        self.shaped = True
        """Whether the link's network could be built (its weights kept), on the builder."""

    def note(self, message: str, /, **fields: Any) -> None:
        self.notices.append(Message(message, fields))

    def has(self, key: str) -> bool:
        return key in self.values or key in self.duplicated

    def take(self, key: str) -> str | None:
        """The value of ``key`` (None if absent or given twice), marking it as read."""
        self.used.add(key)
        return self.values.get(key)

    def word(self, key: str, allowed: Sequence[str]) -> tuple[str | None, str | None]:
        """``key`` lower-cased when among ``allowed``, and the text given (both None: absent)."""
        raw = self.take(key)
        if raw is None:
            return None, None
        word = raw.strip().lower()
        return (word if word in allowed else None), raw

    def number(self, key: str, default: float, lo: float, hi: float) -> float:
        """``key`` as a number in [lo, hi], or ``default`` and a notice."""
        text = self.take(key)
        if text is None:
            return default
        try:
            value = read_number(text)
        except NumberError:
            self.note("url.not_number", key=shown(key), value=shown(text))
            return default
        if not lo <= value <= hi:
            self.note(
                "url.out_of_range", key=shown(key), value=shown(text), lo=float(lo), hi=float(hi)
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
            self.note("url.bad_flag", key=shown(key), value=shown(text))
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
            self.note(notice, names=shown(", ".join(unknown)))
        return tuple(n for n in allowed if n in given)

    def missing(self, keys: Sequence[str]) -> None:
        """One notice naming the keys of a group that the link gives in part only."""
        absent = [k for k in keys if not self.has(k)]
        if absent and len(absent) < len(keys):
            self.note("url.missing", keys=shown(", ".join(absent)))

    def unknown(self) -> None:
        """One notice naming every key nothing read."""
        left = [k for k in self.values if k not in self.used]
        if left:
            self.note("url.unknown", keys=shown(", ".join(left)))


# --- the groups of a tab's state -----------------------------------------------------------------


def _activation(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    key, raw = read.word("act", tuple(ACTIVATIONS))
    if raw is not None and key is None:
        read.note("url.bad_activation", value=shown(raw), default=DEFAULT_ACTIVATION)
    return replace(state, activation=key or DEFAULT_ACTIVATION)


def _params(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    names = tab.param_names
    read.missing(names)
    values = {n: read.number(n, state.values[n], -HARD_LIMIT, HARD_LIMIT) for n in names}
    return replace(state, values=values)


def _act_params(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    ranges = ACTIVATIONS[state.activation].param_ranges
    read.missing([PARAM_PREFIX + r.name for r in ranges])
    params = {r.name: read.number(PARAM_PREFIX + r.name, r.default, r.lo, r.hi) for r in ranges}
    own = {PARAM_PREFIX + r.name for r in ranges}
    every = {PARAM_PREFIX + r.name for a in ACTIVATIONS.values() for r in a.param_ranges}
    for key in sorted(k for k in read.values if k in every - own):
        read.take(key)
        read.note("url.no_such_param", key=shown(key), activation=state.activation)
    return replace(state, params=params)


def _target(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    spec = state.net.spec() if state.net is not None else tab.spec
    assert spec is not None  # a tab with a target has its spec
    problem = read_problem(read, spec, Problem.default(spec))
    return replace(state, problem=problem, lock=read.flag("lock"), goal=_goal(read))


def read_problem(read: Reader, spec: ApproxSpec, default: Problem) -> Problem:
    """The target controls from the link; ``default`` when it gives none of them."""
    keys = ("target", "a", "b")
    if not any(read.has(k) for k in (*keys, "f", *_FLAGS)):
        return default
    read.missing(keys)
    key, raw = read.word("target", TARGET_KEYS)
    if raw is not None and key is None:
        read.note("url.bad_target", value=shown(raw))
    target = key or spec.target
    formula = read.take("f")
    if target == "formula" and formula is None:
        read.note("url.missing", keys="f")
        target = spec.target
    if target == "formula" and len(formula or "") > MAX_FORMULA:
        read.note("url.formula_too_long", limit=MAX_FORMULA)
        target = spec.target
    lo = read.number("a", spec.grid.lo, -LIMIT, LIMIT)
    hi = read.number("b", spec.grid.hi, -LIMIT, LIMIT)
    beyond, stack = (read.flag(k) for k in _FLAGS)
    text = (formula or "") if target == "formula" else ""
    own = (spec.grid.lo, spec.grid.hi)
    tries = [(target, text, lo, hi), (target, text, *own), (spec.target, "", lo, hi)]
    for k, (name, words, a, b) in enumerate(tries):
        try:
            return build(spec, name, words, a, b, beyond, stack)
        except ProblemError as e:
            if k == 0:  # one notice, for what the link asked; then keep what can be kept
                read.note("url.bad_problem", reason=Message(e.key, e.fields))
    return Problem(spec.target, "", *own, beyond, stack)


def _goal(read: Reader) -> float | None:
    """The instructor's success threshold: a positive number up to HARD_LIMIT, or None."""
    text = read.take("goal")
    if text is None:
        return None
    try:
        value = read_number(text)
    except NumberError:
        value = math.nan
    if not 0 < value <= HARD_LIMIT:
        read.note("url.bad_goal", value=shown(text), limit=HARD_LIMIT)
        return None
    return value


def _overlays(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    chosen = read.names("ov", tab.overlays, "url.bad_overlays")
    return state if chosen is None else replace(state, overlays=chosen)


def _hide(read: Reader, tab: TabLinks, state: ViewState) -> ViewState:
    return replace(state, hide=read.names("hide", tab.controls, "url.bad_controls") or ())


Step = Callable[[Reader, TabLinks, ViewState], ViewState]


def readers() -> tuple[tuple[str, Step], ...]:
    """The groups' readers, in the order a link's notices are given."""
    from dashboard.links import net  # the builder's groups: they read the problem with these

    return (
        (ACT, _activation),
        (PARAMS, _params),
        (ACT, _act_params),
        *net.READERS,
        (TARGET, _target),
        *net.WEIGHT_READERS,
        (OVERLAYS, _overlays),
        (OPTIONS, _hide),
    )


def _tab(read: Reader, tabs: Sequence[TabLinks]) -> TabLinks:
    by_key = {t.key: t for t in tabs}
    key, raw = read.word("tab", tuple(by_key))
    if raw is not None and key is None:
        read.note("url.bad_tab", value=shown(raw))
    elif raw is None and not read.has("tab") and any(k not in ("lang", "") for k in read.values):
        read.note("url.missing", keys="tab")
    return by_key[key] if key else tabs[0]


def decode(query: object, tabs: Sequence[TabLinks]) -> tuple[str, ViewState, list[Message]]:
    """The tab, its state and the notices of a link's query string; never raises.

    ``tabs`` are the tabs a link may open, the first opening when the link names none. Every
    part that cannot be used keeps its default and adds one notice.
    """
    text = _query(query)
    if len(text) > MAX_QUERY:
        first = tabs[0]
        return first.key, default_state(first), [Message("url.too_long", {"limit": MAX_QUERY})]
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="replace")
    except ValueError:  # pragma: no cover - parse_qsl refuses nothing without strict parsing
        pairs = []
    read = Reader(pairs)
    tab = _tab(read, tabs)
    lang, raw = read.word("lang", LANGUAGES)
    if raw is not None and lang is None:
        read.note("url.bad_lang", value=shown(raw))
    state = replace(default_state(tab), lang=lang)
    for group, step in readers():
        if tab.has(group):
            state = step(read, tab, state)
    read.unknown()
    return tab.key, state, read.notices
