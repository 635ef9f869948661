"""The link schema: one table of every link key, and what each tab's link holds.

Each row of :data:`ROWS` is one key of a link's query string: its name, its kind (how its text
reads and is written), the group it belongs to, and the control of the page it reads and
writes. A tab's :class:`TabLinks` names the groups its link holds. Reading
(:mod:`dashboard.links.read`), writing (:mod:`dashboard.links.write`), the shell's restoring of
a link's values into controls and the page's script that keeps the address bar up to date
(``assets/links.js``, through :func:`page_config`) all follow this table, in its order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard import ids
from dashboard.sections import ApproxSpec, Param

# Kinds: how a key's text is read and written.
WORD = "word"
"""A name out of a known set (lower-cased when read)."""
TEXT = "text"
"""Free text (a formula)."""
NUMBER = "real"
"""A number, in its shortest exact form."""
WHOLE = "whole"
"""A whole number."""
FLAG = "flag"
"""``1`` when on; left out when off. A checklist control is on when it holds ``"on"``."""
LIST = "list"
"""Comma-separated values."""

# Groups: the parts of a tab's state a link may hold (a tab names the groups it has).
PAGE = "page"
"""The tab and the language: every tab's link holds them."""
ACT = "act"
PARAMS = "params"
TARGET = "target"
NETWORK = "network"
TRAINING = "training"
WEIGHTS = "weights"
OVERLAYS = "overlays"
OPTIONS = "options"

FLAG_ON = "1"
"""How a link writes a flag that is on."""
ON = "on"
"""What a checklist control holds when its flag is on."""
OPTION = "option"
"""The control type of an instructor's option, kept by the shell per tab (``hide``, ``lock``)."""


@dataclass(frozen=True)
class Control:
    """The control a key reads and writes: its id type, the fields of its id besides ``tab``
    that pick it, the property holding the value (and the entry of it, for a dict property).

    ``page``: a control of the page, not of a tab (its id has no ``tab``; with no ``match``,
    its id is the string ``type``). ``by``: the id field that names the key, for a family of
    controls (``name`` of every parameter slider). ``same``: id fields that must equal another
    key's value (an activation parameter belongs to the chosen activation). ``twin``: the id
    type of a number box kept in step with the control, restored with it.
    """

    type: str
    match: Mapping[str, str] = field(default_factory=dict)
    prop: str = "value"
    part: str | None = None
    by: str | None = None
    same: Mapping[str, str] = field(default_factory=dict)
    twin: str | None = None
    page: bool = False

    def id(self, tab: str, name: str = "", **same: str) -> dict[str, Any]:
        """The id of the control on ``tab`` (``name`` for a family, ``same`` by field)."""
        cid: dict[str, Any] = {"type": self.type, "tab": tab, **self.match, **same}
        if self.by:
            cid[self.by] = name
        return cid


@dataclass(frozen=True)
class Key:
    """One row of the schema. ``key`` is a family's prefix when its control has ``by``
    (``"p."`` for ``p.alpha``; ``""`` for the parameters, linked by their own names)."""

    key: str
    kind: str
    group: str
    control: Control | None = None
    only: tuple[str, str] | None = None
    """Written only while another key has a value (``f`` only with ``target=formula``)."""
    omit_empty: bool = False
    """Left out when it holds nothing (``hide``); otherwise an empty list is written."""

    @property
    def family(self) -> bool:
        return self.control is not None and self.control.by is not None


def _target(name: str) -> Control:
    return Control(ids.TARGET, {"field": name})


PARAM_PREFIX = "p."
_SLIDERS = Control(ids.PARAM, by="name", twin=ids.BOX)

ROWS: tuple[Key, ...] = (
    Key("tab", WORD, PAGE, Control(ids.TABBAR, {"bar": ids.MAIN}, page=True)),
    Key("lang", WORD, PAGE, Control(ids.LANG, page=True)),
    Key("layers", LIST, NETWORK, Control("store", {"name": "arch"}, "data", "widths")),
    Key("acts", LIST, NETWORK, Control("store", {"name": "arch"}, "data", "activations")),
    Key("seed", WHOLE, NETWORK, Control("control", {"name": "seed"})),
    Key("opt", WORD, TRAINING, Control("control", {"name": "optimizer"})),
    Key("lr", NUMBER, TRAINING, Control("control", {"name": "lr"})),
    Key("batch", WHOLE, TRAINING, Control("control", {"name": "batch"})),
    Key("act", WORD, ACT, Control(ids.ACTIVATION)),
    Key("", NUMBER, PARAMS, _SLIDERS),
    Key(
        PARAM_PREFIX,
        NUMBER,
        ACT,
        Control(ids.ACT_PARAM, by="name", same={"act": "act"}, twin=ids.ACT_BOX),
    ),
    Key("target", WORD, TARGET, _target("target")),
    Key("f", TEXT, TARGET, _target("formula"), only=("target", "formula")),
    Key("a", NUMBER, TARGET, _target("a")),
    Key("b", NUMBER, TARGET, _target("b")),
    Key("beyond", FLAG, TARGET, _target("beyond")),
    Key("stack", FLAG, TARGET, _target("stack")),
    Key("", NUMBER, WEIGHTS, _SLIDERS),
    Key("ov", LIST, OVERLAYS, Control(ids.OVERLAYS)),
    Key("hide", LIST, OPTIONS, Control(OPTION, {"field": "hide"}), omit_empty=True),
    Key("lock", FLAG, TARGET, Control(OPTION, {"field": "lock"})),
    Key("goal", NUMBER, TARGET, _target("goal")),
)
"""Every link key, in the order a link writes them; the first is the tab's (assets/links.js
finds the open tab by its control, the tab bar)."""


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
_COMMON_CONTROLS = ("activation", "act_params")
_TAB_CONTROLS = ("presets", "upload", "download", "export")
_APPROX_CONTROLS = ("target", "fit", "best", "hints", "score")


@dataclass(frozen=True)
class TabLinks:
    """What one tab's link holds: the groups of :data:`ROWS` it has, and the tab's own names.

    ``params``: the network parameters of a tab of fixed shape (their defaults too);
    ``overlays`` and ``default_overlays``: what the tab may draw over its curve, and draws
    when it opens; ``spec``: the spec of the tab's problem (tabs with a target);
    ``controls``: the controls an instructor may hide, in page order.
    """

    key: str
    groups: frozenset[str] = frozenset()
    params: tuple[Param, ...] = ()
    overlays: tuple[str, ...] = ()
    default_overlays: tuple[str, ...] = ()
    spec: ApproxSpec | None = None
    controls: tuple[str, ...] = ()

    def has(self, group: str) -> bool:
        return group == PAGE or group in self.groups

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def rows(self) -> tuple[Key, ...]:
        """The rows of the keys this tab's link may hold, in order."""
        return tuple(row for row in ROWS if self.has(row.group))


def named(key: str) -> TabLinks:
    """A tab linked by its name and the language only."""
    return TabLinks(key)


def single(
    key: str,
    params: Sequence[Param] = (),
    overlays: Sequence[str] = (),
    default_overlays: Sequence[str] = (),
) -> TabLinks:
    """A tab of one activation: its parameters (if any) and its overlays."""
    groups = {ACT, OPTIONS}
    controls: tuple[str, ...] = _COMMON_CONTROLS
    if overlays:
        groups.add(OVERLAYS)
        controls += ("overlays",)
    if params:
        groups.add(PARAMS)
        controls += tuple(p.name for p in params) + _TAB_CONTROLS
    return TabLinks(
        key,
        frozenset(groups),
        tuple(params),
        tuple(overlays),
        tuple(default_overlays),
        controls=controls,
    )


def approx(spec: ApproxSpec) -> TabLinks:
    """An approximation tab: an activation, the spec's parameters and a target."""
    controls = _COMMON_CONTROLS + spec.names + _TAB_CONTROLS + _APPROX_CONTROLS
    groups = frozenset({ACT, PARAMS, TARGET, OPTIONS})
    return TabLinks(spec.key, groups, spec.params, spec=spec, controls=controls)


def network(key: str) -> TabLinks:
    """The network builder: its network, training settings, target and weights."""
    groups = frozenset({NETWORK, TRAINING, TARGET, WEIGHTS, OPTIONS})
    return TabLinks(key, groups, controls=BUILDER_CONTROLS)


def page_config(tabs: Sequence[TabLinks]) -> dict[str, Any]:
    """The schema as assets/links.js reads it: the rows in order, and each tab's groups."""

    def row(r: Key) -> dict[str, Any]:
        # A family linked by its own names has no prefix: null, not "", for the scripts.
        out: dict[str, Any] = {"key": r.key or None, "kind": r.kind, "group": r.group}
        if r.control is not None:
            c = r.control
            out["control"] = {"type": c.type, "match": dict(c.match), "prop": c.prop,
                              "part": c.part, "by": c.by, "same": dict(c.same),
                              "page": c.page}  # fmt: skip
        if r.only:
            out["only"] = list(r.only)
        if r.omit_empty:
            out["omitEmpty"] = True
        return out

    return {
        "rows": [row(r) for r in ROWS],
        "tabs": {t.key: sorted(t.groups | {PAGE}) for t in tabs},
        "option": OPTION,
        "kinds": {
            "word": WORD,
            "text": TEXT,
            "number": NUMBER,
            "whole": WHOLE,
            "flag": FLAG,
            "list": LIST,
        },
        "on": ON,
        "flagOn": FLAG_ON,
    }
