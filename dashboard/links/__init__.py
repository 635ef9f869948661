"""A tab's whole state in a link's query string, and back.

A link writes short readable keys, numbers in their shortest exact form::

    tab=square2&lang=ru&act=elu&w1=0.3&b1=-3.45&...&p.alpha=1.2&target=sin&a=-5&b=5&beyond=1

Every key is a row of one table (:data:`schema.ROWS`): its kind, its group and the control it
reads and writes. Each tab says which groups its link holds (a :class:`TabLinks`, listed by the
tab registry, ``dashboard/tabs.py``); :class:`Links` reads and writes the links of a set of
tabs. The keys:

===========  ==================================================================================
``tab``      the tab's key; ``lang`` en or ru (absent: the browser's language)
``act``      the activation key; ``p.alpha`` ... every parameter of it
``w1``, ...  every network parameter of the tab, by its name (``w``, ``b`` on the neuron tab)
``target``   the target of a tab with one, ``f`` its formula (target=formula), ``a`` and ``b``
             the interval, ``beyond=1`` and ``stack=1`` the view flags; ``goal`` the RMSE that
             counts as success; ``lock=1`` the target controls are locked
``ov``       overlays of the neuron and gallery tabs, comma-separated (``derivative,marks``)
``hide``     controls an instructor hides, comma-separated (``TabLinks.controls``)
``layers``   the builder's network, seed, training settings and weights: see :mod:`.net`
===========  ==================================================================================

A tab with no groups is linked by ``tab`` and ``lang`` only. A group left out entirely keeps its
defaults without a notice, so ``?tab=sin3`` is a valid short link; a group given in part gets a
notice naming what is missing. Free of any UI library.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from dashboard.i18n import Message
from dashboard.links import read, write
from dashboard.links.schema import (
    BUILDER_CONTROLS,
    ROWS,
    TabLinks,
    approx,
    named,
    network,
    page_config,
    single,
)
from dashboard.links.state import DEFAULT_ACTIVATION, Net, ViewState, seeded_weights

__all__ = [
    "BUILDER_CONTROLS",
    "DEFAULT_ACTIVATION",
    "ROWS",
    "Links",
    "Net",
    "TabLinks",
    "ViewState",
    "approx",
    "named",
    "network",
    "seeded_weights",
    "single",
]


class Links:
    """The links of a set of tabs, the first opening when a link names none."""

    def __init__(self, tabs: Sequence[TabLinks]) -> None:
        if not tabs:
            raise ValueError("a link needs a tab to open")
        self.tabs = tuple(tabs)
        self.by_key = {t.key: t for t in self.tabs}
        if len(self.by_key) != len(self.tabs):
            raise ValueError("two tabs have one key")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.by_key)

    def tab(self, key: str) -> TabLinks:
        """The schema of tab ``key`` (ValueError for an unknown tab)."""
        if key not in self.by_key:
            raise ValueError(f"unknown tab {key!r}")
        return self.by_key[key]

    def decode(self, query: object) -> tuple[str, ViewState, list[Message]]:
        """The tab, its state and the notices of a link's query string; never raises. Every
        part that cannot be used keeps its default and adds one notice; the state returned
        always passes :meth:`check`."""
        return read.decode(query, self.tabs)

    def encode(self, tab: str, state: ViewState) -> str:
        """The query string (without ``?``) of ``state`` on ``tab``; ValueError for a bad one."""
        return write.encode(self.tab(tab), state)

    def check(self, tab: str, state: ViewState) -> None:
        """Raise ValueError unless ``state`` is a state of ``tab`` a link can hold exactly."""
        write.check(self.tab(tab), state)

    def is_valid(self, tab: str, state: ViewState) -> bool:
        return tab in self.by_key and write.is_valid(self.by_key[tab], state)

    def default_state(self, tab: str) -> ViewState:
        """The state a tab opens with."""
        from dashboard.links.state import default_state

        return default_state(self.tab(tab))

    def controls(self, tab: str) -> tuple[str, ...]:
        """The names of the controls an instructor may hide on ``tab``, in page order."""
        return self.tab(tab).controls

    def param_names(self, tab: str) -> tuple[str, ...]:
        """The network parameters a tab's link holds (none on the gallery)."""
        return self.tab(tab).param_names

    def values_of_controls(
        self, tab: str, state: ViewState, skip: frozenset[str] = frozenset()
    ) -> Iterator[tuple[dict[str, Any], str, Any]]:
        """(control id, property, value) of each control a link to ``tab`` sets, but those of
        the groups ``skip``."""
        return write.controls(self.tab(tab), state, skip)

    def page_config(self) -> dict[str, Any]:
        """The schema as assets/links.js reads it."""
        return page_config(self.tabs)
